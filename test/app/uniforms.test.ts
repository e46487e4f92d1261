/**
 * The explorer writes its uniforms and highlight array through reflected layouts
 * (src/app/uniforms.ts over src/app/plot-shaders.generated.ts): every member lands at
 * the offset wgsl_reflect computes from shaders/plot/*.wgsl, as its WGSL type.
 */
import { describe, expect, test } from 'vitest';
import { WgslReflect } from 'wgsl_reflect/wgsl_reflect.module.js';
import { PLOT_LAYOUTS, THICK_WGSL } from '../../src/app/plot-shaders.generated.ts';
import { arrayStride, writeStruct, type StructLayout } from '../../src/app/uniforms.ts';

function member(struct: string, name: string): { offset: number; type: string } {
  const s = new WgslReflect(THICK_WGSL).structs.find((x) => x.name === struct);
  const m = s?.members.find((x) => x.name === name);
  if (!m) throw new Error(`${struct}.${name} not reflected`);
  return { offset: m.offset, type: m.type.getTypeName() };
}

describe('writeStruct', () => {
  test('writes each View member at its reflected offset, f32 as float and u32 (and booleans) as integers', () => {
    const values = { y_scale: 0.1357, y_off: 1.8066, log_y: true, alpha: 0.25, rows: 1000, per_row: 3060, reduced: true, columns: 765, samples: 1001, width_px: 765, height_px: 470, dpr: 1.5, x_scale: 0.765, by_t: true, x_list: true };
    const view = new DataView(writeStruct(PLOT_LAYOUTS.View, values));
    expect(view.byteLength).toBe(64);
    for (const [name, v] of Object.entries(values)) {
      const m = member('View', name);
      const want = typeof v === 'boolean' ? Number(v) : m.type === 'f32' ? Math.fround(v) : v;
      const got = m.type === 'f32' ? view.getFloat32(m.offset, true) : view.getUint32(m.offset, true);
      expect(got, name).toBe(want);
    }
  });

  test('writes highlights into an array<Hl> at the WGSL stride, vec4f colour first', () => {
    const stride = arrayStride(PLOT_LAYOUTS.Hl);
    expect(stride).toBe(32);
    const view = new DataView(new ArrayBuffer(2 * stride));
    writeStruct(PLOT_LAYOUTS.Hl, { color: [0.9, 0.62, 0, 1], row: 7, width: 2.5 }, view, 0);
    writeStruct(PLOT_LAYOUTS.Hl, { color: [1, 1, 1, 0.85], row: 421, width: 5 }, view, stride);
    const color = member('Hl', 'color').offset;
    expect([0, 1, 2, 3].map((k) => view.getFloat32(stride + color + 4 * k, true))).toEqual([1, 1, 1, Math.fround(0.85)]);
    expect(view.getFloat32(color + 4, true)).toBe(Math.fround(0.62));
    expect(view.getUint32(member('Hl', 'row').offset, true)).toBe(7);
    expect(view.getUint32(stride + member('Hl', 'row').offset, true)).toBe(421);
    expect(view.getFloat32(stride + member('Hl', 'width').offset, true)).toBe(5);
    // padding stays zero
    expect(view.getUint32(member('Hl', 'pad0').offset, true)).toBe(0);
  });

  test('a missing member, an unknown member and a vector of the wrong length are errors naming the member', () => {
    const layout: StructLayout = PLOT_LAYOUTS.Hl;
    expect(() => writeStruct(layout, { color: [1, 1, 1, 1], width: 2 })).toThrow(/member row is not given/);
    expect(() => writeStruct(layout, { color: [1, 1, 1, 1], row: 1, width: 2, colour: 3 })).toThrow(/no member colour/);
    expect(() => writeStruct(layout, { color: [1, 1, 1], row: 1, width: 2 })).toThrow(/member color \(vec4f\) takes 4 values, got 3/);
  });

  test('a member type it cannot write is refused, naming the type', () => {
    const layout: StructLayout = { size: 16, align: 16, members: { m: { offset: 0, size: 16, type: 'mat2x2f' } } };
    expect(() => writeStruct(layout, { m: 1 })).toThrow(/type mat2x2f/);
  });
});
