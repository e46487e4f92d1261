/**
 * Inline Sequences (docs/design.md, "Inline Sequences"): the bytes of shaders/sequence.wgsl's
 * `LrSequence` for a user kernel that calls `lr_at(step)`: each piece's begin, scale and
 * shift (f32 bits) in the segment table, each piece's ScheduleParams packed by its kind's
 * packer over the local steps it serves, their tables concatenated behind `lr_table`.
 * Offsets come only from the reflected layout (LAYOUTS.LrSequence).
 */
import { LAYOUTS, WGSL_CONSTS } from './wgsl.generated.ts';
import { GpuUnsupportedError, packSchedules } from './pack.ts';
import { U32_MAX, type KernelSchedule, type StepWindow } from './host.ts';

/** What packSequence reads of a Sequence (src/schedules/sequence.ts satisfies it). */
export interface InlineSequence {
  readonly kind: 'Sequence';
  readonly config: {
    readonly pieces: readonly { readonly begin: number; readonly scale: number; readonly shift: number; readonly schedule: KernelSchedule }[];
    readonly lastStep: number | null;
  };
}

/** The packed Sequence: `params` for the `lr_sequence` binding, `tables` behind lr_table (≥ 4 bytes). */
export interface PackedSequence {
  readonly params: ArrayBuffer;
  readonly tables: ArrayBuffer;
  /** True when some piece reads a table: bind `tables` behind lr_table, else NO_TABLE_WGSL serves. */
  readonly needsTables: boolean;
}

const L = LAYOUTS.LrSequence;
const PARAMS = LAYOUTS.ScheduleParams;
const TABLE_OFF = PARAMS.members.table_off.offset;
const FLAGS = PARAMS.members.flags.offset;

/**
 * Packs a Sequence for `lr_at(step)` over the steps of `window` (default every u32 step):
 * at most LR_SEQUENCE_PIECES (8) pieces begin inside the window's reach. Throws
 * GpuUnsupportedError naming the piece when its kind's GPU formulation declines it over
 * its local steps, or when there are too many pieces.
 */
export function packSequence(seq: InlineSequence, window: StepWindow = { minStep: 0, maxStep: U32_MAX }): PackedSequence {
  const max = WGSL_CONSTS.LR_SEQUENCE_PIECES;
  const pieces = seq.config.pieces.filter((p) => p.begin <= U32_MAX);
  if (pieces.length > max) {
    throw new GpuUnsupportedError('Sequence.pieces.length', pieces.length, `the inline form (lr_at) holds at most ${max} pieces: use the evaluator (evaluateToBuffer) for more`);
  }
  const buf = new ArrayBuffer(L.size);
  const view = new DataView(buf);
  const seg = L.members.segments.offset;
  const info = L.members.info.offset;
  const piecesAt = L.members.pieces.offset;
  const tables: Uint32Array[] = [];
  let words = 0;
  pieces.forEach((p, i) => {
    const next = pieces[i + 1];
    const end = next ? next.begin - 1 : U32_MAX;
    const lo = Math.max(window.minStep, p.begin);
    const hi = Math.min(window.maxStep, end);
    // a piece outside the window is never asked: pack it for its first step only
    const local = lo <= hi ? { minStep: lo - p.begin, maxStep: hi - p.begin } : { minStep: 0, maxStep: 0 };
    let packed;
    try {
      packed = packSchedules([p.schedule], local);
    } catch (err) {
      if (err instanceof GpuUnsupportedError) throw new GpuUnsupportedError(`Sequence.pieces[${i}] (${p.schedule.kind}).${err.field}`, err.value, err.rule);
      throw err;
    }
    for (const [name, x] of [['scale', p.scale], ['shift', p.shift]] as const) {
      if (!(Math.abs(x) <= 2 ** 64)) throw new GpuUnsupportedError(`Sequence.pieces[${i}].${name}`, x, `the GPU applies it in float32: |${name}| must be ≤ 2^64`);
    }
    view.setUint32(seg + 16 * i, p.begin, true);
    view.setFloat32(seg + 16 * i + 4, p.scale, true);
    view.setFloat32(seg + 16 * i + 8, p.shift, true);
    const at = piecesAt + i * PARAMS.size;
    new Uint8Array(buf, at, PARAMS.size).set(new Uint8Array(packed.params, 0, PARAMS.size));
    if ((view.getUint32(at + FLAGS, true) & WGSL_CONSTS.FLAG_TABLE) !== 0) {
      const t = new Uint32Array(packed.tables);
      view.setUint32(at + TABLE_OFF, words, true);
      tables.push(t);
      words += t.length;
    }
  });
  view.setUint32(info, pieces.length, true);
  view.setUint32(info + 4, seq.config.lastStep === null ? 0 : Math.min(seq.config.lastStep, U32_MAX), true);
  view.setUint32(info + 8, seq.config.lastStep === null ? 0 : 1, true);
  const out = new Uint32Array(Math.max(1, words));
  let o = 0;
  for (const t of tables) {
    out.set(t, o);
    o += t.length;
  }
  return { params: buf, tables: out.buffer, needsTables: words > 0 };
}
