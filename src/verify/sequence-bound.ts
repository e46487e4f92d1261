/**
 * The accuracy bound of a Sequence on the float32 backends (docs/accuracy.md#sequences):
 * per piece, applied to each segment. A piece with scale 1 and shift 0 is exactly its
 * schedule's values at the local step, so its bound is its kind's: k_i of TOLERANCE_K.
 * Otherwise the GPU forms fl32(fl32(v32 · scale32) + shift32) (or one fused rounding), and
 *
 *     |got − exact| ≤ 2^-23 · ((k_i' + a) · |scale · v| + b · |shift|) + (1 + |scale|) · 2^-126
 *
 * with v the piece's exact value at the local step, k_i' = max(k_i, 1) (an exactly rounded
 * v32 is within half an ulp), a = [scale not a float32] + [scale not a power of 2] + [shift ≠ 0]
 * and b = [shift not a float32] + [shift ≠ 0]: each term one float32 rounding of its operand
 * (half an ulp, counted as a whole one, which also covers the second-order products). When
 * scale·v and shift have the same sign |scale·v| + |shift| = |exact| and this is the ordinary
 * relative bound with k = k_i' + max(a, b); when they cancel it is relative to the operands,
 * as any float32 evaluation of the map must be.
 */
import { ABS_SLACK, EPS_F32, toleranceK, type VerifiableSchedule } from './tolerance.ts';
import { F32_MAX, F32_OVERFLOW_THRESHOLD } from './ulp.ts';

/** What verify reads of a Sequence piece (a Sequence's `config.pieces[i]`, or its evaluator snapshot). */
export interface VerifiablePiece {
  readonly begin: number;
  readonly scale: number;
  readonly shift: number;
  readonly schedule: VerifiableSchedule;
}

/** A Sequence as verify reads it: kind 'Sequence', its pieces in `config.pieces`. */
export interface VerifiableSequence {
  readonly kind: 'Sequence';
  readonly config: { readonly pieces: readonly VerifiablePiece[] };
  at(step: number): number;
}

/** The bound of one piece: `k` for the identity piece; for an affine one the factors of |scale·v| and |shift|. */
export interface PieceBound {
  /** The piece's kind's k (TOLERANCE_K). */
  readonly k: number;
  /** True when scale = 1 and shift = 0: the piece's bound is exactly its kind's. */
  readonly identity: boolean;
  /** Factor of 2^-23·|scale·v| (k' + a). */
  readonly kv: number;
  /** Factor of 2^-23·|shift| (b). */
  readonly ks: number;
}

const isF32 = (x: number): boolean => Math.fround(x) === x;
const isPow2 = (x: number): boolean => {
  const a = Math.abs(x);
  return a > 0 && 2 ** Math.round(Math.log2(a)) === a;
};

/** True for a schedule verify must judge per piece. */
export function isVerifiableSequence(s: { readonly kind: string }): s is VerifiableSequence {
  return s.kind === 'Sequence';
}

/** The bound of each piece of a Sequence (docs/accuracy.md#sequences). */
export function pieceBounds(seq: VerifiableSequence): PieceBound[] {
  return seq.config.pieces.map((p) => {
    const k = toleranceK(p.schedule);
    const identity = p.scale === 1 && p.shift === 0;
    const a = (isF32(p.scale) ? 0 : 1) + (isPow2(Math.fround(p.scale)) ? 0 : 1) + (p.shift === 0 ? 0 : 1);
    const b = p.shift === 0 ? 0 : (isF32(p.shift) ? 0 : 1) + 1;
    return { k, identity, kv: Math.max(k, 1) + a, ks: b };
  });
}

/**
 * The interval [lo, hi] a float32 output of piece `p` must lie in, and the k it was judged
 * by, for the exact Sequence value `exact` at a step whose piece value is `v`.
 * An identity piece with k = 0 (PiecewiseConstantDecay) must equal Math.fround(exact).
 */
export function pieceInterval(p: VerifiablePiece, b: PieceBound, v: number, exact: number): readonly [lo: number, hi: number] {
  if (b.identity) {
    if (b.k === 0) {
      const r = Math.fround(exact);
      return [r, r];
    }
    const tol = (exact === 0 ? 0 : b.k * EPS_F32 * Math.abs(exact)) + ABS_SLACK;
    return [exact - tol, exact + tol];
  }
  const tol = EPS_F32 * (b.kv * Math.abs(p.scale * v) + b.ks * Math.abs(p.shift)) + (1 + Math.abs(p.scale)) * ABS_SLACK;
  return [exact - tol, exact + tol];
}

/** Whether `got` lies in [lo, hi] (an infinity where the interval reaches float32's overflow threshold). */
export function inInterval(lo: number, hi: number, got: number): boolean {
  if (Number.isNaN(got)) return false;
  if (got === Infinity) return hi >= F32_OVERFLOW_THRESHOLD || lo === Infinity;
  if (got === -Infinity) return lo <= -F32_OVERFLOW_THRESHOLD || hi === -Infinity;
  if (lo === hi) return got === lo;
  return got >= lo && got <= hi && Math.abs(got) <= F32_MAX;
}

/** The k a piece reports in VerifyReport.bounds: its kind's k, or k' + max(a, b) for an affine piece. */
export function reportedK(b: PieceBound): number {
  return b.identity ? b.k : Math.max(b.kv, b.k + b.ks);
}
