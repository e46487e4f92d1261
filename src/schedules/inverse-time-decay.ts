/**
 * keras.optimizers.schedules.InverseTimeDecay (docs/semantics.md#inversetimedecay).
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
import type { InverseTimeDecayConfig, Resolved, StepList } from './types.ts';

const CLS = 'InverseTimeDecay';
const KEYS = ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name'] as const;

/**
 * Inverse-time decay: `lr(s) = lr0 / (1 + rate · s/D)`; with `staircase`,
 * `lr0 / (1 + rate · floor(s/D))` (exact floor). No clamping.
 *
 * Numerics: rate ≥ 0 and s ≥ 0, so 1 + x has no cancellation; x = (rate/D)·s
 * (two roundings), then 1 + x and the division: relative error ≲ 4 ulp. Exact at step 0.
 *
 * @example
 * const s = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.96 });
 * s.at(0);  // 0.1
 * s.at(1);  // 0.09124087591240876
 * s.at(10); // 0.05102040816326531
 * @see https://keras.io/api/optimizers/learning_rate_schedules/inverse_time_decay/
 */
export class InverseTimeDecay extends ScheduleBase<'InverseTimeDecay', Resolved<InverseTimeDecayConfig>> {
  readonly kind = 'InverseTimeDecay' as const;
  readonly #lr0: number;
  readonly #D: number;
  readonly #rate: number;
  readonly #c: number;
  readonly #staircase: boolean;
  /**
   * 0, or K > 0 when rate/D·s could overflow (rate/D > 2^900, e.g. decay_rate 1e300 with
   * decay_steps 1e-10, where 1 + c·s would be ∞ and the value a silent 0): then
   * lr0/(1 + c·s) = (lr0/(2^-K + (c·2^-K)·s))·2^-K, computed on the scaled constants below.
   */
  readonly #K: number;
  readonly #cK: number; // (rate·2^-K)/D
  readonly #rK: number; // rate·2^-K
  readonly #oneK: number; // 2^-K (0 if it underflows: then it is below every term it is added to)

  /** Builds and validates (docs/semantics.md#validation): finite numbers, decaySteps > 0, decayRate ≥ 0. */
  constructor(config: InverseTimeDecayConfig) {
    const c = checkKeys(CLS, config, KEYS);
    const initialLearningRate = finiteField(CLS, 'initialLearningRate', c.initialLearningRate);
    const decaySteps = positiveField(CLS, 'decaySteps', c.decaySteps);
    const decayRate = atLeastField(CLS, 'decayRate', c.decayRate, 0);
    const staircase = boolField(CLS, 'staircase', opt(c.staircase, false));
    const name = nameField(CLS, opt(c.name, 'InverseTimeDecay'));
    super({ initialLearningRate, decaySteps, decayRate, staircase, name });
    this.#lr0 = initialLearningRate;
    this.#D = decaySteps;
    this.#rate = decayRate;
    this.#c = decayRate / decaySteps;
    this.#staircase = staircase;
    const e = Math.log2(decayRate) - Math.log2(decaySteps); // log2(rate/D), no overflow
    this.#K = decayRate > 0 && e > 900 ? Math.ceil(e) - 900 : 0;
    this.#rK = mulPow2(decayRate, -this.#K);
    this.#cK = this.#rK / decaySteps;
    this.#oneK = mulPow2(1, -this.#K);
  }

  protected valueAt(s: number): number {
    if (this.#K !== 0) return this.#scaled(s);
    return this.#staircase ? this.#lr0 / (1 + this.#rate * floorDiv(s, this.#D)) : this.#lr0 / (1 + this.#c * s);
  }

  /** rate/D > 2^900 (see #K). Staircase: floor(s/D) exactly below 2^53, else s/D (relative error < 2^-53·… of a term ≥ 2^953). */
  #scaled(s: number): number {
    if (s === 0) return this.#lr0;
    let x: number;
    if (this.#staircase) {
      const n = floorDiv(s, this.#D);
      x = n < 2 ** 53 ? this.#rK * n : this.#cK * s;
    } else x = this.#cK * s;
    return mulPow2(this.#lr0 / (this.#oneK + x), -this.#K);
  }

  protected fillRange(start: number, stride: number, count: number, out: FillOutput): void {
    if (this.#K !== 0) {
      for (let i = 0; i < count; i++) out[i] = this.#scaled(start + i * stride);
      return;
    }
    const lr0 = this.#lr0;
    if (this.#staircase) {
      const D = this.#D, r = this.#rate;
      for (let i = 0; i < count; i++) out[i] = lr0 / (1 + r * floorDiv(start + i * stride, D));
    } else {
      const c = this.#c;
      for (let i = 0; i < count; i++) out[i] = lr0 / (1 + c * (start + i * stride));
    }
  }

  protected fillList(list: StepList, n: number, out: FillOutput): void {
    if (this.#K !== 0) {
      for (let i = 0; i < n; i++) out[i] = this.#scaled(list[i] as number);
      return;
    }
    const lr0 = this.#lr0;
    if (this.#staircase) {
      const D = this.#D, r = this.#rate;
      for (let i = 0; i < n; i++) out[i] = lr0 / (1 + r * floorDiv(list[i] as number, D));
    } else {
      const c = this.#c;
      for (let i = 0; i < n; i++) out[i] = lr0 / (1 + c * (list[i] as number));
    }
  }
}

/** x·2^e for an integer e ≤ 0 (2^e itself underflows below −1074; x·2^e need not): exact unless the result is subnormal. */
function mulPow2(x: number, e: number): number {
  let r = x;
  for (; e < -1000 && r !== 0; e += 1000) r *= 2 ** -1000;
  return r * 2 ** e;
}
