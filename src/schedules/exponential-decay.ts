/**
 * keras.optimizers.schedules.ExponentialDecay (docs/semantics.md#exponentialdecay).
 */
import { floorDiv } from './exact.ts';
import {
  ScheduleBase,
  boolField,
  checkKeys,
  finiteField,
  nameField,
  opt,
  positiveField,
  type FillOutput,
} from './schedule.ts';
import type { ExponentialDecayConfig, Resolved, StepList } from './types.ts';

const CLS = 'ExponentialDecay';
const KEYS = ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name'] as const;

/**
 * Exponential decay: `lr(s) = lr0 · rate^(s/D)`; with `staircase`, `lr0 · rate^floor(s/D)`.
 * No clamping: it keeps decaying (or growing, for rate > 1).
 *
 * Numerics: s/D is split exactly into q = floor(s/D) (exact, see `floorDiv`) and
 * rem = s mod D (exact: `%` is exact in IEEE), and
 * `rate^(s/D) = rate^q · rate^(rem/D)`. `Math.pow` (V8: fdlibm's pow, < 1 ulp,
 * checked against BigInt powers in the tests) gets the exact integer q, so the
 * exponent's rounding no longer scales with s/D: the only exponent rounding is
 * that of rem/D ∈ [0, 1). Relative error ≲ 4 ulp for results in the normal f64
 * range; outside it (over/underflow of rate^q) a log-domain fallback is used.
 * Exact at step 0. Exact floor while s/D < 2^53 (always when D ≥ 1).
 *
 * @example
 * const s = new ExponentialDecay({ initialLearningRate: 0.05, decaySteps: 10, decayRate: 0.96 });
 * s.at(0);  // 0.05
 * s.at(5);  // 0.048989794855663564
 * s.at(10); // 0.048
 * @see https://keras.io/api/optimizers/learning_rate_schedules/exponential_decay/
 */
export class ExponentialDecay extends ScheduleBase<'ExponentialDecay', Resolved<ExponentialDecayConfig>> {
  readonly kind = 'ExponentialDecay' as const;
  readonly #lr0: number;
  readonly #D: number;
  readonly #rate: number;
  readonly #staircase: boolean;
  // cache of rate^q for the last q (consecutive steps share q)
  #lastQ = -1;
  #lastPow = 1;

  /** Builds and validates (docs/semantics.md#validation): finite numbers, decaySteps > 0, decayRate > 0. */
  constructor(config: ExponentialDecayConfig) {
    const c = checkKeys(CLS, config, KEYS);
    const initialLearningRate = finiteField(CLS, 'initialLearningRate', c.initialLearningRate);
    const decaySteps = positiveField(CLS, 'decaySteps', c.decaySteps);
    const decayRate = positiveField(CLS, 'decayRate', c.decayRate);
    const staircase = boolField(CLS, 'staircase', opt(c.staircase, false));
    const name = nameField(CLS, opt(c.name, 'ExponentialDecay'));
    super({ initialLearningRate, decaySteps, decayRate, staircase, name });
    this.#lr0 = initialLearningRate;
    this.#D = decaySteps;
    this.#rate = decayRate;
    this.#staircase = staircase;
  }

  /** rate^q for an integer q ≥ 0, cached. */
  #powQ(q: number): number {
    if (q !== this.#lastQ) {
      this.#lastQ = q;
      this.#lastPow = Math.pow(this.#rate, q);
    }
    return this.#lastPow;
  }

  protected valueAt(s: number): number {
    const D = this.#D;
    const q = floorDiv(s, D);
    const pq = this.#powQ(q);
    if (this.#staircase) {
      if (pq === 0 || !Number.isFinite(pq) || pq < 2 ** -1000) return logDomain(this.#lr0, this.#rate, q);
      return this.#lr0 * pq;
    }
    const frac = (s % D) / D;
    if (pq === 0 || !Number.isFinite(pq) || pq < 2 ** -1000) return logDomain(this.#lr0, this.#rate, q + frac);
    return this.#lr0 * pq * Math.pow(this.#rate, frac);
  }

  protected fillRange(start: number, stride: number, count: number, out: FillOutput): void {
    for (let i = 0; i < count; i++) out[i] = this.valueAt(start + i * stride);
  }

  protected fillList(list: StepList, n: number, out: FillOutput): void {
    for (let i = 0; i < n; i++) out[i] = this.valueAt(list[i] as number);
  }
}

/**
 * lr0 · rate^x through logs, for the over/underflow cases only:
 * sign(lr0) · 2^(log2|lr0| + x·log2(rate)), the power of two applied in two halves.
 */
function logDomain(lr0: number, rate: number, x: number): number {
  if (lr0 === 0) return 0;
  const e = Math.log2(Math.abs(lr0)) + x * Math.log2(rate);
  if (e > 1100) return lr0 > 0 ? Infinity : -Infinity;
  if (e < -1100) return lr0 > 0 ? 0 : -0;
  const n = Math.round(e);
  const h = Math.trunc(n / 2);
  const v = Math.pow(2, e - n) * 2 ** h * 2 ** (n - h);
  return lr0 > 0 ? v : -v;
}
