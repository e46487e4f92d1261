/**
 * keras.optimizers.schedules.PiecewiseConstantDecay (docs/semantics.md#piecewiseconstantdecay).
 */
import { ScheduleConfigError } from './errors.ts';
import { NAME, resolveFields, single, type FieldTable } from './fields.ts';
import { ScheduleBase, type FillOutput } from './schedule.ts';
import { stretchEnd } from './segments.ts';
import type { PiecewiseConstantDecayConfig, Resolved, StepList } from './types.ts';

const CLS = 'PiecewiseConstantDecay';

/**
 * Piecewise-constant decay with **inclusive upper boundaries** (as Keras):
 * `values[0]` for s ≤ b[0], `values[i]` for b[i−1] < s ≤ b[i], `values[n]` for s > b[n−1].
 * Boundaries may be any finite reals (strictly increasing); steps are integers, so
 * the comparison s ≤ b is exact in f64. The value is returned exactly. Binary search
 * for `at` and each list step; a range does one binary search per stretch of steps that share a
 * value, then `stretchEnd` (segments.ts) finds the stretch's end and one `out.fill` writes it.
 *
 * @example
 * const s = new PiecewiseConstantDecay({ boundaries: [100, 110], values: [1.0, 0.5, 0.1] });
 * s.at(100); // 1
 * s.at(101); // 0.5
 * s.at(111); // 0.1
 * @see https://keras.io/api/optimizers/learning_rate_schedules/piecewise_constant_decay/
 */
export class PiecewiseConstantDecay extends ScheduleBase<'PiecewiseConstantDecay', Resolved<PiecewiseConstantDecayConfig>> {
  readonly kind = 'PiecewiseConstantDecay' as const;
  /** The field table (Keras's get_config order): keys, defaults, rules, explorer hints. */
  static readonly fields = [
    { name: 'boundaries', keras: 'boundaries', type: 'list[step]', rule: 'list', explorer: { control: 'numberList', hint: 'step boundaries, increasing', sweep: single([3000, 6000, 9000]) } },
    { name: 'values', keras: 'values', type: 'list[float]', rule: 'list', explorer: { control: 'numberList', hint: 'one more value than boundaries', sweep: single([0.1, 0.01, 0.001, 0.0001]) } },
    NAME('PiecewiseConstant'),
  ] as const satisfies FieldTable<PiecewiseConstantDecayConfig>;
  readonly #b: Float64Array;
  readonly #v: Float64Array;

  /** Builds and validates (docs/semantics.md#validation): values.length = boundaries.length + 1 ≥ 1, all finite, boundaries strictly increasing. */
  constructor(config: PiecewiseConstantDecayConfig) {
    const resolved = resolveFields<PiecewiseConstantDecayConfig>(CLS, PiecewiseConstantDecay.fields, config);
    const { boundaries, values } = resolved;
    if (values.length < 1) throw new ScheduleConfigError(`${CLS}.values`, values, 'must have at least one value');
    if (values.length !== boundaries.length + 1) {
      throw new ScheduleConfigError(
        `${CLS}.values`,
        values,
        `must have exactly one more element than boundaries (boundaries has ${boundaries.length}, values has ${values.length})`,
      );
    }
    for (let i = 1; i < boundaries.length; i++) {
      if (!((boundaries[i] as number) > (boundaries[i - 1] as number))) {
        throw new ScheduleConfigError(`${CLS}.boundaries[${i}]`, boundaries[i], `must be > boundaries[${i - 1}] = ${boundaries[i - 1]} (strictly increasing)`);
      }
    }
    super(resolved);
    this.#b = Float64Array.from(boundaries);
    this.#v = Float64Array.from(values);
  }

  /** The index i of the value for step s: the first i with s ≤ b[i], or n. */
  #index(s: number): number {
    const b = this.#b;
    let lo = 0;
    let hi = b.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s <= (b[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  protected valueAt(s: number): number {
    return this.#v[this.#index(s)] as number;
  }

  protected fillRange(start: number, stride: number, count: number, out: FillOutput): void {
    const b = this.#b;
    const n = b.length;
    // each value's stretch of steps (≤ its boundary) is one fill
    for (let j = 0; j < count; ) {
      const i = this.#index(start + j * stride);
      const e = stretchEnd(start, stride, j, count, i < n ? (b[i] as number) : Infinity);
      out.fill(this.#v[i] as number, j, e);
      j = e;
    }
  }

  protected fillList(list: StepList, n: number, out: FillOutput): void {
    for (let j = 0; j < n; j++) out[j] = this.#v[this.#index(list[j] as number)] as number;
  }
}
