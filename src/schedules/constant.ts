/**
 * Constant: one value at every step (docs/semantics.md#constant). Not a Keras class: the
 * dialects write it (Optax `constant_schedule`, Hugging Face `constant`, PyTorch without a
 * decay); serialize / toKerasJson refuse it.
 */
import { logRange, num, resolveFields, type FieldTable } from './fields.ts';
import { ScheduleBase, type FillOutput } from './schedule.ts';
import type { Resolved, StepList } from './types.ts';

const CLS = 'Constant';

/** `Constant { value }`: v(t) = value. */
export interface ConstantConfig {
  value: number;
}

/**
 * The constant schedule `v(t) = value` for every step t, exactly (the value itself is
 * returned, so every step is exact).
 *
 * @example
 * const s = new Constant({ value: 3e-4 });
 * s.at(0);     // 0.0003
 * s.at(10**9); // 0.0003
 */
export class Constant extends ScheduleBase<'Constant', Resolved<ConstantConfig>> {
  readonly kind = 'Constant' as const;
  /** The field table: keys, rules, explorer hints (no Keras keys: not a Keras class). */
  static readonly fields = [
    { name: 'value', type: 'float', rule: 'finite', explorer: num('the rate at every step', logRange(1e-4, 1e-2, 10)) },
  ] as const satisfies FieldTable<ConstantConfig>;
  readonly #value: number;

  /** Builds and validates (docs/semantics.md#validation): `value` a finite number. */
  constructor(config: ConstantConfig) {
    const resolved = resolveFields<ConstantConfig>(CLS, Constant.fields, config);
    super(resolved);
    this.#value = resolved.value;
  }

  protected valueAt(): number {
    return this.#value;
  }

  protected fillRange(_start: number, _stride: number, count: number, out: FillOutput): void {
    out.fill(this.#value, 0, count);
  }

  protected fillList(_list: StepList, n: number, out: FillOutput): void {
    out.fill(this.#value, 0, n);
  }
}
