/**
 * PiecewiseConstantDecay on the GPU: the ScheduleParams fields of shaders/kinds/piecewise-constant-decay.wgsl and the rules
 * for when the kernel keeps the bound of docs/accuracy.md#the-contract (else a reason,
 * and the evaluator uses the CPU). The TS reference is src/schedules/piecewise-constant-decay.ts.
 */
import type { ConfigByKind } from '../../schedules/registry.ts';
import type { Resolved } from '../../schedules/types.ts';
import { C, F32_MIN_NORMAL, f32Bits, U32_MAX, unsupported, type PackResult, type PackerOf } from '../host.ts';

function packPiecewise(c: Resolved<ConfigByKind['PiecewiseConstantDecay']>): PackResult {
  const { boundaries, values } = c;
  for (const v of values) {
    if (!Number.isFinite(Math.fround(v))) return unsupported('values', v, 'GPU needs every value finite in float32');
    // the GPU must return exactly fround(value): a float32 subnormal may be flushed to zero by WebGPU
    const f = Math.abs(Math.fround(v));
    if (f !== 0 && f < F32_MIN_NORMAL) return unsupported('values', v, 'GPU needs every value 0 or of magnitude ≥ 2^-126 in float32 (WebGPU may flush float32 subnormals to zero, and the value must be exact)');
  }
  // Fold boundaries no u32 step can be at or below (b < 0) or above (floor(b) ≥ 2^32 − 1).
  let lo = 0;
  while (lo < boundaries.length && (boundaries[lo] ?? 0) < 0) lo++;
  let hi = lo;
  while (hi < boundaries.length && Math.floor(boundaries[hi] ?? 0) < U32_MAX) hi++;
  const b = boundaries.slice(lo, hi).map((x) => Math.floor(x));
  const v = values.slice(lo, hi + 1);
  if (b.length <= C.PIECEWISE_INLINE_MAX) {
    const bp = [...b, ...Array<number>(8 - b.length).fill(U32_MAX)];
    const last = v[v.length - 1] ?? 0;
    const vp = [...v, ...Array<number>(12 - v.length).fill(last)];
    return {
      fields: {
        kind: C.KIND_PIECEWISE_CONSTANT_DECAY,
        // the number of inline boundaries: a pipeline specialised for these flags compares only those
        flags: b.length << C.PIECEWISE_N_SHIFT,
        bounds_lo: bp.slice(0, 4),
        bounds_hi: bp.slice(4, 8),
        values_a: vp.slice(0, 4),
        values_b: vp.slice(4, 8),
        values_c: vp.slice(8, 12),
      },
    };
  }
  const table = new Uint32Array(2 * b.length + 1);
  b.forEach((x, i) => (table[i] = x));
  v.forEach((x, i) => (table[b.length + i] = f32Bits(x)));
  return { fields: { kind: C.KIND_PIECEWISE_CONSTANT_DECAY, flags: C.FLAG_TABLE, table_rows: b.length }, table };
}

/** The packer of PiecewiseConstantDecay (PACKERS in pack.ts). */
export const packPiecewiseConstantDecay: PackerOf<'PiecewiseConstantDecay'> = (s) => packPiecewise(s.config);
