/**
 * The accuracy bound of the float32 backends (docs/accuracy.md, "The contract"): for
 * every schedule kind a factor k such that a float32 output `got` of the exact value
 * `exact` is acceptable when `|got − exact| ≤ k · 2^-23 · |exact| + 2^-126`;
 * PiecewiseConstantDecay must give exactly `Math.fround(exact)`.
 */

import { SCHEDULE_REGISTRY, mapKinds, scheduleFields, type ScheduleKind } from '../schedules/registry.ts';
import { F32_MAX, F32_OVERFLOW_THRESHOLD } from './ulp.ts';

/** What verify needs to know about a schedule: its kind, its config, its exact value. */
export interface VerifiableSchedule {
  /** A schedule kind (ScheduleKind). */
  readonly kind: string;
  /** The resolved config; only what the kind's k reads (e.g. `tMul`, `mMul` of CosineDecayRestarts, `power` of PolynomialDecay). */
  readonly config: object;
  /** The exact value (f64 reference) at an integer step. */
  at(step: number): number;
}

/** One rounding of float32 arithmetic, 2^-23. */
export const EPS_F32 = 2 ** -23;
/** The absolute slack that absorbs flush-to-zero, 2^-126. */
export const ABS_SLACK = 2 ** -126;

/**
 * k of the accuracy contract (docs/accuracy.md) for each kind, a function of the schedule's
 * resolved config: each kind's `k` in its registry entry (src/schedules/registry.ts),
 * derived in its WGSL header, so a new kind brings its own and no table here lists kinds.
 * A key the config lacks takes the field's default.
 */
export const TOLERANCE_K: { readonly [K in ScheduleKind]: (config: object) => number } = mapKinds((kind) => {
  const { k } = SCHEDULE_REGISTRY[kind];
  if (typeof k === 'number') return () => k;
  const defaults = Object.fromEntries(scheduleFields(kind).flatMap((f) => ('default' in f ? [[f.name, f.default]] : [])));
  return (config: object) => (k as (c: object) => number)({ ...defaults, ...config });
});

/**
 * k of the accuracy contract (docs/accuracy.md) for a schedule: ExponentialDecay 8, InverseTimeDecay 10,
 * CosineDecay 20, CosineDecayRestarts 20 (24 when tMul = 1 and mMul ≠ 1),
 * PolynomialDecay 8 + 10 · max(1, power), PiecewiseConstantDecay 0 (exact float32
 * rounding required). Example: `toleranceK(new PolynomialDecay({ ..., power: 2 })) === 28`.
 * @throws RangeError for a kind that is not a schedule kind.
 */
export function toleranceK(schedule: Pick<VerifiableSchedule, 'kind' | 'config'>): number {
  const { kind } = schedule;
  if (!Object.hasOwn(TOLERANCE_K, kind)) {
    throw new RangeError(`toleranceK: kind = ${JSON.stringify(kind)}: not a schedule kind (one of ${Object.keys(TOLERANCE_K).join(', ')})`);
  }
  return TOLERANCE_K[kind as ScheduleKind](schedule.config);
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
  const tol = (exact === 0 ? 0 : k * EPS_F32 * Math.abs(exact)) + ABS_SLACK; // (k may be ∞: PolynomialDecay with power near 1.8e308)
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

/** The factor k a kind of schedule was judged by (one entry per distinct pair). */
export interface KindBound {
  readonly kind: string;
  readonly k: number;
}

const fmtK = (k: number): string => String(Number(k.toPrecision(6)));
/** The rule with k left symbolic. */
const GENERIC_BOUND = '|got − exact| ≤ k·2^-23·|exact| + 2^-126';

/**
 * The acceptance rule for factor k as text.
 * @example boundText(20) // '|got − exact| ≤ 20·2^-23·|exact| + 2^-126'
 * @example boundText(0)  // 'got = Math.fround(exact)'
 */
export function boundText(k: number): string {
  return k === 0 ? 'got = Math.fround(exact)' : `|got − exact| ≤ ${fmtK(k)}·2^-23·|exact| + 2^-126`;
}

/**
 * The rules of several kinds as one line: each k with its kinds, or (more than three
 * distinct k) the range of k; used by VerificationError and the CLI's `verify`.
 * @example boundsText([{ kind: 'CosineDecay', k: 20 }]) // '|got − exact| ≤ 20·2^-23·|exact| + 2^-126 (CosineDecay)'
 */
export function boundsText(bounds: readonly KindBound[]): string {
  const byK = new Map<number, string[]>();
  for (const { kind, k } of bounds) {
    const kinds = byK.get(k) ?? [];
    if (!kinds.includes(kind)) kinds.push(kind);
    byK.set(k, kinds);
  }
  if (byK.size === 0) return GENERIC_BOUND;
  const exact = byK.get(0);
  const relative = [...byK.entries()].filter(([k]) => k !== 0);
  const parts: string[] = [];
  if (relative.length > 3) {
    const ks = relative.map(([k]) => k);
    parts.push(`${GENERIC_BOUND} with k = ${fmtK(Math.min(...ks))} … ${fmtK(Math.max(...ks))} by kind`);
  } else {
    for (const [k, kinds] of relative) parts.push(`${boundText(k)} (${kinds.join(', ')})`);
  }
  if (exact) parts.push(`${boundText(0)} (${exact.join(', ')})`);
  return parts.join('; ');
}
