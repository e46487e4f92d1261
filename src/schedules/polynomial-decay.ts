/**
 * keras.optimizers.schedules.PolynomialDecay (docs/semantics.md#polynomialdecay).
 */
import { floorDiv } from './exact.ts';
import {
  ScheduleBase,
  atLeastField,
  boolField,
  checkKeys,
  finiteField,
  nameField,
  opt,
  positiveField,
  type FillOutput,
} from './schedule.ts';
import type { PolynomialDecayConfig, Resolved, StepList } from './types.ts';

const CLS = 'PolynomialDecay';
const KEYS = ['initialLearningRate', 'decaySteps', 'endLearningRate', 'power', 'cycle', 'name'] as const;

/**
 * Polynomial decay: `lr(s) = (lr0 − end) · (1 − p)^power + end`, with
 * `p = min(s, D)/D`; with `cycle`, `p = s/(c·D)`, `c = max(1, ceil(s/D))` (the
 * smallest multiple ≥ s, so a step exactly at k·D gives `end`; step 0 gives lr0).
 * `power = 0` gives lr0 at every step (0^0 = 1).
 *
 * Numerics: 1 − p = (c·D − s)/(c·D) is formed from the exact distance to the end
 * (D − s, or D − (s mod D) with cycle, exact by Sterbenz or rounded once), never
 * as 1 − s/D. When lr0 ≥ end, `end + (lr0 − end)·y` with y = (1 − p)^power (two
 * non-negative terms when end ≥ 0). When end > lr0 (an increasing schedule),
 * `lr0 + (end − lr0)·z` with z = 1 − y = −expm1(power·ln(1 − p)) (ln via log1p(−p)
 * for p ≤ ½), so there is no cancellation near step 0. Relative error ≲ (6 + 2·power)
 * ulp for lr0, end ≥ 0 (the 1e-12 bound holds for power ≲ 2000). Exact at step 0,
 * at the end (end) and everywhere for power 0. When lr0 − end overflows (opposite
 * signs near ±1e308) the same formula runs on lr0/2, end/2 (exact) and is doubled.
 *
 * @example
 * const s = new PolynomialDecay({ initialLearningRate: 0.05, decaySteps: 10, endLearningRate: 0.001 });
 * s.at(0);  // 0.05
 * s.at(5);  // 0.0255
 * s.at(15); // 0.001
 * @see https://keras.io/api/optimizers/learning_rate_schedules/polynomial_decay/
 */
export class PolynomialDecay extends ScheduleBase<'PolynomialDecay', Resolved<PolynomialDecayConfig>> {
  readonly kind = 'PolynomialDecay' as const;
  readonly #lr0: number;
  readonly #end: number;
  readonly #D: number;
  readonly #power: number;
  readonly #cycle: boolean;
  readonly #A: number;
  /** lr0 − end overflows (lr0 = 1e308, end = −1e308): the values are 2·(the schedule of lr0/2 → end/2). */
  readonly #half: boolean;

  /** Builds and validates (docs/semantics.md#validation): finite numbers, decaySteps > 0, power ≥ 0. */
  constructor(config: PolynomialDecayConfig) {
    const c = checkKeys(CLS, config, KEYS);
    const initialLearningRate = finiteField(CLS, 'initialLearningRate', c.initialLearningRate);
    const decaySteps = positiveField(CLS, 'decaySteps', c.decaySteps);
    const endLearningRate = finiteField(CLS, 'endLearningRate', opt(c.endLearningRate, 0.0001));
    const power = atLeastField(CLS, 'power', opt(c.power, 1), 0);
    const cycle = boolField(CLS, 'cycle', opt(c.cycle, false));
    const name = nameField(CLS, opt(c.name, 'PolynomialDecay'));
    super({ initialLearningRate, decaySteps, endLearningRate, power, cycle, name });
    this.#D = decaySteps;
    this.#power = power;
    this.#cycle = cycle;
    // |lr0 − end| can exceed the largest double (lr0 = 1e308, end = −1e308) while every
    // value between them is finite: then the halves are used (exact: both are ≥ 2^970 or
    // the difference could not overflow) and the value doubled (it lies between lr0 and end).
    this.#half = !Number.isFinite(initialLearningRate - endLearningRate);
    const k = this.#half ? 0.5 : 1;
    this.#lr0 = initialLearningRate * k;
    this.#end = endLearningRate * k;
    this.#A = this.#lr0 - this.#end;
  }

  protected valueAt(s: number): number {
    return this.#half ? 2 * this.#value(s) : this.#value(s);
  }

  /** The value of lr0 → end (both halved when #half). */
  #value(s: number): number {
    if (s === 0 || this.#power === 0) return this.#lr0;
    const D = this.#D;
    let u: number; // distance to the end of the current horizon, exact or rounded once
    let H: number; // the horizon c·D
    if (this.#cycle) {
      const rem = s % D;
      if (rem === 0) return this.#end; // s = k·D, k ≥ 1: p = 1
      H = (floorDiv(s, D) + 1) * D;
      u = D - rem;
    } else {
      if (s >= D) return this.#end;
      H = D;
      u = D - s;
    }
    return blend(this.#lr0, this.#end, this.#A, this.#power, u / H, s / H);
  }

  protected fillRange(start: number, stride: number, count: number, out: FillOutput): void {
    if (this.#half) for (let i = 0; i < count; i++) out[i] = 2 * this.#value(start + i * stride);
    else for (let i = 0; i < count; i++) out[i] = this.#value(start + i * stride);
  }

  protected fillList(list: StepList, n: number, out: FillOutput): void {
    if (this.#half) for (let i = 0; i < n; i++) out[i] = 2 * this.#value(list[i] as number);
    else for (let i = 0; i < n; i++) out[i] = this.#value(list[i] as number);
  }
}

/** (lr0 − end)·r^power + end with r = 1 − f ∈ (0, 1], f = 1 − r, both given accurately. */
function blend(lr0: number, end: number, A: number, power: number, r: number, f: number): number {
  if (A >= 0) {
    const y = power === 1 ? r : Math.pow(r, power);
    return end + A * y;
  }
  const z = power === 1 ? f : -Math.expm1(power * (f <= 0.5 ? Math.log1p(-f) : Math.log(r)));
  return lr0 - A * z;
}
