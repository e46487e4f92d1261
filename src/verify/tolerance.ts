/**
 * The accuracy bound of docs/../accuracy.md §4: for every schedule kind a factor k
 * such that a float32 output `got` of the exact value `exact` is acceptable when
 * `|got − exact| ≤ k · 2^-23 · |exact| + 2^-126`; PiecewiseConstantDecay must give
 * exactly `Math.fround(exact)`.
 */

import { F32_MAX, F32_OVERFLOW_THRESHOLD } from './ulp.ts';

/** What verify needs to know about a schedule: its kind, its config, its exact value. */
export interface VerifiableSchedule {
  /** One of the six Keras class names (ScheduleKind). */
  readonly kind: string;
  /** The resolved config; only `tMul`, `mMul` (CosineDecayRestarts) and `power` (PolynomialDecay) are read. */
  readonly config: object;
  /** The exact value (f64 reference) at an integer step. */
  at(step: number): number;
}

/** One rounding of float32 arithmetic, 2^-23. */
export const EPS_F32 = 2 ** -23;
/** The absolute slack that absorbs flush-to-zero, 2^-126. */
export const ABS_SLACK = 2 ** -126;

function numField(config: object, key: string, fallback: number): number {
  const v = (config as Record<string, unknown>)[key];
  return typeof v === 'number' ? v : fallback;
}

/**
 * k of accuracy.md §4 for a schedule: ExponentialDecay 8, InverseTimeDecay 10,
 * CosineDecay 20, CosineDecayRestarts 20 (24 when tMul = 1 and mMul ≠ 1),
 * PolynomialDecay 8 + 10 · max(1, power), PiecewiseConstantDecay 0 (exact float32
 * rounding required). Example: `toleranceK(new PolynomialDecay({ ..., power: 2 })) === 28`.
 */
export function toleranceK(schedule: Pick<VerifiableSchedule, 'kind' | 'config'>): number {
  switch (schedule.kind) {
    case 'PiecewiseConstantDecay':
      return 0;
    case 'ExponentialDecay':
      return 8;
    case 'InverseTimeDecay':
      return 10;
    case 'CosineDecay':
      return 20;
    case 'CosineDecayRestarts': {
      const tMul = numField(schedule.config, 'tMul', 2);
      const mMul = numField(schedule.config, 'mMul', 1);
      return tMul === 1 && mMul !== 1 ? 24 : 20;
    }
    case 'PolynomialDecay':
      return 8 + 10 * Math.max(1, numField(schedule.config, 'power', 1));
    default:
      throw new RangeError(`toleranceK: kind = ${JSON.stringify(schedule.kind)}: not a schedule kind of accuracy.md §4`);
  }
}

/**
 * The closed interval [lo, hi] (f64 numbers) a float32 output must lie in for the
 * exact value `exact`, with `k` from toleranceK (k = 0 means the interval is the single
 * point `Math.fround(exact)`). Example: `acceptanceInterval(20, 1)` is
 * `[1 − 20·2^-23 − 2^-126, 1 + 20·2^-23 + 2^-126]`.
 */
export function acceptanceInterval(k: number, exact: number): readonly [lo: number, hi: number] {
  if (k === 0) {
    const r = Math.fround(exact);
    return [r, r];
  }
  const tol = k * EPS_F32 * Math.abs(exact) + ABS_SLACK;
  return [exact - tol, exact + tol];
}

/**
 * Whether the float32 `got` is acceptable for `exact` with factor k. Outside the
 * float32 range an infinity of the right sign is acceptable when the interval reaches
 * the overflow threshold (float32 rounding of such a value is ±Infinity).
 */
export function accepts(k: number, exact: number, got: number): boolean {
  if (Number.isNaN(got)) return false;
  const [lo, hi] = acceptanceInterval(k, exact);
  if (got === Infinity) return hi >= F32_OVERFLOW_THRESHOLD || (k === 0 && lo === Infinity);
  if (got === -Infinity) return lo <= -F32_OVERFLOW_THRESHOLD || (k === 0 && hi === -Infinity);
  if (k === 0) return got === lo;
  return got >= lo && got <= hi && Math.abs(got) <= F32_MAX;
}
