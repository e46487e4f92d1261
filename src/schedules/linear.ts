/**
 * Linear: a straight line between two values over a number of steps (docs/semantics.md#linear).
 * Not a Keras class: the dialects write it (PyTorch LinearLR, Optax linear_schedule, Hugging
 * Face warmups and linear decays, OneCycle's linear phases); serialize / toKerasJson refuse it.
 */
import { P_INF, bfAdd, bfDiv, bfMul, bfNum, bfToNumber } from './binary-float.ts';
import { exactSum } from './exact-sum.ts';
import { warmupAt, warmupLine, type WarmupLine } from './warmup-line.ts';
import { bool, list, logRange, num, resolveFields, single, type FieldTable } from './fields.ts';
import { ScheduleBase, type FillOutput } from './schedule.ts';
import type { Resolved, StepList } from './types.ts';

const CLS = 'Linear';

/** `Linear { from, to, steps, offset = 0, hold = true }`. */
export interface LinearConfig {
  /** The value at x = 0 (step −offset). */
  from: number;
  /** The value at x = 1 (step steps − offset). */
  to: number;
  /** Steps from x = 0 to x = 1 (> 0; any positive real). */
  steps: number;
  /** Added to the step: x = (t + offset) / steps. */
  offset?: number;
  /** Hold `from` before x = 0 and `to` after x = 1 (true), or extrapolate the line (false). */
  hold?: boolean;
}

/** Below this a fraction d/steps may have lost bits to underflow: the exact path computes it. */
const TINY = 2 ** -960;

/**
 * The line `v = from + (to − from)·x`, `x = (t + offset) / steps`; with `hold` x is clamped to
 * [0, 1] (so `from` before x = 0, `to` from x = 1 on), without it the line is extrapolated.
 *
 * With offset 0 and from, to of one sign (a warmup), inside the line it is Keras's CosineDecay
 * warmup formula (warmup-line.ts: the numerator in double-double, one corrected division),
 * so a Linear piece gives CosineDecay's warmup values bit for bit. Otherwise evaluated as
 * `from·(d1/steps) + to·(d0/steps)` from the two distances d0 = t + offset
 * (exact, TwoSum) and d1 = steps − d0 (exact where it is small), so the value is exact at
 * x = 0 and x = 1 (`from`, `to` themselves) and no distance loses bits near either end. The
 * two terms have one sign where from and to do and 0 ≤ x ≤ 1 (≤ 6 ulp); where they cancel
 * by more than 2^9 (opposite signs near the zero of the line, far extrapolation) or a
 * fraction underflows, the value is recomputed from the exact numerator
 * from·(steps − t − offset) + to·(t + offset) in BigInt arithmetic and one division
 * (≤ 2 ulp). Relative error ≤ 1e-12 everywhere; an exact zero of the line is exactly 0.
 *
 * @example
 * const warm = new Linear({ from: 0, to: 1e-3, steps: 1000 });
 * warm.at(0);    // 0
 * warm.at(250);  // 0.00025
 * warm.at(5000); // 0.001 (held)
 */
export class Linear extends ScheduleBase<'Linear', Resolved<LinearConfig>> {
  readonly kind = 'Linear' as const;
  /** The field table (the contract's order): keys, defaults, rules, explorer hints (no Keras keys). */
  static readonly fields = [
    { name: 'from', type: 'float', rule: 'finite', explorer: num('value at x = 0 (step −offset)', single(0)) },
    { name: 'to', type: 'float', rule: 'finite', explorer: num('value at x = 1 (step steps − offset)', logRange(1e-4, 1e-2, 10)) },
    { name: 'steps', type: 'step', rule: '> 0', explorer: num('steps from x = 0 to x = 1', list(500, 1000, 2000)) },
    { name: 'offset', type: 'float', default: 0, rule: 'finite', explorer: num('added to the step: x = (step + offset) / steps', single(0)) },
    { name: 'hold', type: 'bool', default: true, rule: 'boolean', explorer: bool('hold the ends (false: extrapolate the line)', single(true)) },
  ] as const satisfies FieldTable<LinearConfig>;
  readonly #from: number;
  readonly #to: number;
  readonly #S: number;
  readonly #off: number;
  readonly #hold: boolean;
  readonly #sameSign: boolean;
  /** Offset 0 and from, to of one sign: inside the line, Keras's CosineDecay warmup formula (warmup-line.ts), the same bits. */
  readonly #line: WarmupLine | undefined;

  /** Builds and validates (docs/semantics.md#validation): finite numbers, steps > 0, hold a boolean. */
  constructor(config: LinearConfig) {
    const resolved = resolveFields<LinearConfig>(CLS, Linear.fields, config);
    super(resolved);
    this.#from = resolved.from;
    this.#to = resolved.to;
    this.#S = resolved.steps;
    this.#off = resolved.offset;
    this.#hold = resolved.hold;
    this.#sameSign = !(resolved.from * resolved.to < 0);
    this.#line = resolved.offset === 0 && this.#sameSign ? warmupLine(resolved.from, resolved.to, resolved.steps) : undefined;
  }

  protected valueAt(t: number): number {
    if (this.#line !== undefined && t > 0 && t < this.#S) return warmupAt(this.#line, t);
    const off = this.#off;
    const S = this.#S;
    // d0 = t + offset = h0 + l0 exactly (TwoSum); its sign is h0's (h0 = 0 only when d0 = 0)
    const h0 = t + off;
    let bb = h0 - t;
    const l0 = t - (h0 - bb) + (off - bb);
    if (h0 === 0) return this.#from;
    if (h0 < 0 && this.#hold) return this.#from;
    // d1 = steps − d0 = (a + b) − l0, (a, b) = TwoSum(steps, −h0); correctly rounded where small
    const a = S - h0;
    bb = a - S;
    const b = S - (a - bb) + (-h0 - bb);
    let d1 = a + (b - l0);
    if (Math.abs(d1) < 1e-6 * (S + Math.abs(h0))) d1 = exactSum(S, -h0, -l0);
    if (d1 === 0 || (d1 < 0 && this.#hold)) return this.#to;
    const w0 = (h0 + l0) / S;
    const w1 = d1 / S;
    const A = this.#from * w1;
    const B = this.#to * w0;
    const v = A + B;
    const inside = h0 > 0 && d1 > 0;
    if (inside && this.#sameSign && !(w0 < TINY || w1 < TINY) && Number.isFinite(v)) return v;
    // terms of two signs: keep the double only where they cancel by less than 2^9
    if (Math.abs(v) * 512 >= Math.abs(A) + Math.abs(B) && Number.isFinite(A) && Number.isFinite(B) && !(Math.abs(w0) < TINY || Math.abs(w1) < TINY)) return v;
    return this.#exact(t);
  }

  /** from·(steps − t − offset) + to·(t + offset) exactly (BigInt mantissas), then one division by steps. */
  #exact(t: number): number {
    const T = bfNum(t);
    const O = bfNum(this.#off);
    const d0 = bfAdd(T, O, P_INF);
    const d1 = bfAdd(bfNum(this.#S), { m: -d0.m, e: d0.e }, P_INF);
    const n = bfAdd(bfMul(bfNum(this.#from), d1, P_INF), bfMul(bfNum(this.#to), d0, P_INF), P_INF);
    if (n.m === 0n) return 0;
    return bfToNumber(bfDiv(n, bfNum(this.#S), 80));
  }

  protected fillRange(start: number, stride: number, count: number, out: FillOutput): void {
    for (let i = 0; i < count; i++) out[i] = this.valueAt(start + i * stride);
  }

  protected fillList(list: StepList, n: number, out: FillOutput): void {
    for (let i = 0; i < n; i++) out[i] = this.valueAt(list[i] as number);
  }
}
