/**
 * InverseSqrt: the inverse square root decay (Hugging Face `inverse_sqrt` after its warmup;
 * docs/semantics.md#inversesqrt). Not a Keras class.
 */
import { list, logRange, num, resolveFields, type FieldTable } from './fields.ts';
import { ScheduleBase, type FillOutput } from './schedule.ts';
import type { Resolved, StepList } from './types.ts';

/** `InverseSqrt { value, timescale }`. */
export interface InverseSqrtConfig {
  /** The value at step 0. */
  value: number;
  /** The step scale (any positive real): the value halves at t = 3·timescale. */
  timescale: number;
}

const CLS = 'InverseSqrt';

/**
 * Inverse square root decay: `v(t) = value · sqrt(timescale / (t + timescale))`.
 *
 * Numerics: v = value · (sqrt(timescale) / sqrt(t + timescale)): t + timescale, two square
 * roots, a division and a product, each one rounding (relative error ≲ 5·2^-53), with no
 * intermediate that underflows or overflows unless the result does (timescale may be 5e-324
 * or 1e308). v(0) = value exactly (sqrt(ts)/sqrt(ts) = 1).
 *
 * @example
 * const s = new InverseSqrt({ value: 0.01, timescale: 1000 });
 * s.at(0);    // 0.01
 * s.at(3000); // 0.005
 */
export class InverseSqrt extends ScheduleBase<'InverseSqrt', Resolved<InverseSqrtConfig>> {
  readonly kind = 'InverseSqrt' as const;
  /** The field table (the contract's order): keys, defaults, rules, explorer hints. */
  static readonly fields = [
    { name: 'value', type: 'float', rule: 'finite', explorer: num('value at step 0', logRange(1e-4, 1e-2, 10)) },
    { name: 'timescale', type: 'step', rule: '> 0', explorer: num('value · sqrt(timescale / (step + timescale))', list(1000, 4000, 10000)) },
  ] as const satisfies FieldTable<InverseSqrtConfig>;
  readonly #value: number;
  readonly #ts: number;
  readonly #rts: number;

  /** Builds and validates: value finite, timescale > 0. */
  constructor(config: InverseSqrtConfig) {
    const resolved = resolveFields<InverseSqrtConfig>(CLS, InverseSqrt.fields, config);
    super(resolved);
    const { value, timescale } = resolved;
    this.#value = value;
    this.#ts = timescale;
    this.#rts = Math.sqrt(timescale);
  }

  protected valueAt(t: number): number {
    return this.#value * (this.#rts / Math.sqrt(t + this.#ts));
  }

  protected fillRange(start: number, stride: number, count: number, out: FillOutput): void {
    const value = this.#value;
    const ts = this.#ts;
    const rts = this.#rts;
    for (let i = 0; i < count; i++) out[i] = value * (rts / Math.sqrt(start + i * stride + ts));
  }

  protected fillList(list: StepList, n: number, out: FillOutput): void {
    const value = this.#value;
    const ts = this.#ts;
    const rts = this.#rts;
    for (let i = 0; i < n; i++) out[i] = value * (rts / Math.sqrt((list[i] as number) + ts));
  }
}
