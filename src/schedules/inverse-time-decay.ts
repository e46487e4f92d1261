/**
 * keras.optimizers.schedules.InverseTimeDecay (keras-schedules.md §4).
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

  /** Builds and validates (Part A.4): finite numbers, decaySteps > 0, decayRate ≥ 0. */
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
  }

  protected valueAt(s: number): number {
    return this.#staircase ? this.#lr0 / (1 + this.#rate * floorDiv(s, this.#D)) : this.#lr0 / (1 + this.#c * s);
  }

  protected fillRange(start: number, stride: number, count: number, out: FillOutput): void {
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
