/**
 * SqrtAnneal: the "1 − sqrt" cooldown and warmup of warmup-stable-decay schedules
 * (docs/semantics.md#sqrtanneal). Not a Keras class.
 */
import { bool, list, logRange, num, resolveFields, single, type FieldTable } from './fields.ts';
import { ScheduleBase, type FillOutput } from './schedule.ts';
import type { Resolved, StepList } from './types.ts';

/** `SqrtAnneal { from, to, steps, reverse = false }`. */
export interface SqrtAnnealConfig {
  /** The value at step 0. */
  from: number;
  /** The value from `steps` on; the sign of `from` (or either is 0). */
  to: number;
  /** Length of the anneal in steps (any positive real). */
  steps: number;
  /** false: v = from + (to − from)·sqrt(x); true: v = to + (from − to)·sqrt(1 − x). */
  reverse?: boolean;
}

const CLS = 'SqrtAnneal';

/**
 * Square-root anneal from `from` to `to` over `steps` steps, x = clamp(t / steps, 0, 1):
 * `reverse = false`: v = from + (to − from)·sqrt(x) (WSD's '1-sqrt' decay: 1 − sqrt(progress));
 * `reverse = true`: v = to + (from − to)·sqrt(1 − x) (WSD's '1-sqrt' warmup). v(0) = from and
 * v(t) = to for t ≥ steps, exactly.
 *
 * Numerics: with p the argument of the square root (x, or 1 − x when reversed), q = 1 − p,
 * A the value at p = 0 and B at p = 1, v = A·(1 − sqrt p) + B·sqrt p, and
 * 1 − sqrt p = q / (1 + sqrt p) (no cancellation); x = t/steps and 1 − x = (steps − t)/steps
 * are each a rounding or two. A and B have one sign (validated), so the sum has no cancellation:
 * relative error ≲ 8·2^-53.
 *
 * @example
 * const s = new SqrtAnneal({ from: 1, to: 0, steps: 100 });
 * s.at(0);   // 1
 * s.at(25);  // 0.5
 * s.at(100); // 0
 */
export class SqrtAnneal extends ScheduleBase<'SqrtAnneal', Resolved<SqrtAnnealConfig>> {
  readonly kind = 'SqrtAnneal' as const;
  /** The field table (the contract's order): keys, defaults, rules, explorer hints. */
  static readonly fields = [
    { name: 'from', type: 'float', rule: 'finite, one sign', explorer: num('value at step 0 (the stable rate of a WSD decay)', logRange(1e-4, 1e-2, 10)) },
    { name: 'to', type: 'float', rule: 'finite, one sign', explorer: num('value from `steps` on (one sign with from)', list(0, 1e-5)) },
    { name: 'steps', type: 'step', rule: '> 0', explorer: num('length of the anneal', list(1000, 2000, 5000)) },
    { name: 'reverse', type: 'bool', default: false, rule: 'boolean', explorer: bool('false: 1 − sqrt decay; true: the 1 − sqrt(1 − x) warmup', single(false)) },
  ] as const satisfies FieldTable<SqrtAnnealConfig>;
  readonly #from: number;
  readonly #to: number;
  readonly #steps: number;
  readonly #rev: boolean;

  /** Builds and validates: from, to finite and of one sign (or 0), steps > 0, reverse boolean. */
  constructor(config: SqrtAnnealConfig) {
    const resolved = resolveFields<SqrtAnnealConfig>(CLS, SqrtAnneal.fields, config);
    super(resolved);
    const { from, to, steps, reverse } = resolved;
    this.#from = from;
    this.#to = to;
    this.#steps = steps;
    this.#rev = reverse;
  }

  protected valueAt(t: number): number {
    const S = this.#steps;
    if (t === 0) return this.#from;
    if (t >= S) return this.#to;
    return annealValue(t, S, this.#rev, this.#from, this.#to);
  }

  protected fillRange(start: number, stride: number, count: number, out: FillOutput): void {
    const S = this.#steps;
    const from = this.#from;
    const to = this.#to;
    const rev = this.#rev;
    for (let i = 0; i < count; i++) {
      const t = start + i * stride;
      out[i] = t === 0 ? from : t >= S ? to : annealValue(t, S, rev, from, to);
    }
  }

  protected fillList(list: StepList, n: number, out: FillOutput): void {
    const S = this.#steps;
    const from = this.#from;
    const to = this.#to;
    const rev = this.#rev;
    for (let i = 0; i < n; i++) {
      const t = list[i] as number;
      out[i] = t === 0 ? from : t >= S ? to : annealValue(t, S, rev, from, to);
    }
  }
}

/** The value for 0 < t < S (monomorphic, no allocation). */
function annealValue(t: number, S: number, rev: boolean, from: number, to: number): number {
  const x = t / S;
  const y = (S - t) / S;
  const p = rev ? y : x;
  const q = rev ? x : y;
  const A = rev ? to : from;
  const B = rev ? from : to;
  const r = Math.sqrt(p);
  const v = A * (q / (1 + r)) + B * r;
  // |v| ≤ max(|A|, |B|): only values next to ±MAX_VALUE can overflow the rounded sum
  return Number.isFinite(v) ? v : 2 * ((A / 2) * (q / (1 + r)) + (B / 2) * r);
}
