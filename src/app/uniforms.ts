/**
 * Writes a WGSL struct's bytes from a reflected layout (src/app/plot-shaders.generated.ts,
 * made by `npm run gen` with wgsl_reflect): each member by name at its reflected offset,
 * with its reflected type. No offset is written by hand.
 */

export interface MemberLayout {
  readonly offset: number;
  readonly size: number;
  readonly type: string;
}

export interface StructLayout {
  readonly size: number;
  readonly align: number;
  readonly members: Readonly<Record<string, MemberLayout>>;
}

export type MemberValue = number | boolean | readonly number[];

/** Every member except the padding ones (`pad…`), each required. */
export type StructValues<L extends StructLayout> = {
  readonly [K in keyof L['members'] as K extends `pad${string}` ? never : K]: MemberValue;
};

/** Bytes between consecutive elements of an `array<S>` (WGSL: size rounded up to the alignment). */
export function arrayStride(layout: StructLayout): number {
  return Math.ceil(layout.size / layout.align) * layout.align;
}

const SCALARS: Readonly<Record<string, 'f32' | 'u32' | 'i32'>> = { f32: 'f32', u32: 'u32', i32: 'i32' };

/** 'vec4f' / 'vec4<f32>' → ['f32', 4]; scalars → [type, 1]. */
function elements(type: string): readonly ['f32' | 'u32' | 'i32', number] {
  const scalar = SCALARS[type];
  if (scalar) return [scalar, 1];
  const m = /^vec([234])(?:<(f32|u32|i32)>|([fui]))$/.exec(type);
  if (m) {
    const t = m[2] ?? { f: 'f32', u: 'u32', i: 'i32' }[m[3] as 'f' | 'u' | 'i'];
    return [t as 'f32' | 'u32' | 'i32', Number(m[1])];
  }
  throw new Error(`uniforms: member type ${type} is not written by writeStruct (f32, u32, i32 and their vectors are)`);
}

/**
 * Writes `values` into `view` at byte `base` (default: a new buffer of the struct's size) and
 * returns the view's buffer. A member missing from `values` (other than `pad…`), a value for a
 * name the struct lacks, or a vector of the wrong length is an error naming it.
 */
export function writeStruct<L extends StructLayout>(layout: L, values: StructValues<L>, view = new DataView(new ArrayBuffer(layout.size)), base = 0): ArrayBuffer {
  const given = values as Readonly<Record<string, MemberValue>>;
  for (const name of Object.keys(given)) {
    if (!(name in layout.members)) throw new Error(`uniforms: the struct has no member ${name} (members: ${Object.keys(layout.members).join(', ')})`);
  }
  for (const [name, m] of Object.entries(layout.members)) {
    const v = given[name];
    if (v === undefined) {
      if (name.startsWith('pad')) continue;
      throw new Error(`uniforms: member ${name} is not given`);
    }
    const [type, n] = elements(m.type);
    const list = typeof v === 'object' ? v : [typeof v === 'boolean' ? (v ? 1 : 0) : v];
    if (list.length !== n) throw new Error(`uniforms: member ${name} (${m.type}) takes ${n} value${n === 1 ? '' : 's'}, got ${list.length}`);
    for (let k = 0; k < n; k++) {
      const at = base + m.offset + 4 * k;
      const x = list[k] as number;
      if (type === 'f32') view.setFloat32(at, x, true);
      else if (type === 'u32') view.setUint32(at, x, true);
      else view.setInt32(at, x, true);
    }
  }
  return view.buffer as ArrayBuffer;
}
