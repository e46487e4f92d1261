/**
 * keras.optimizers.schedules.ExponentialDecay (docs/semantics.md#exponentialdecay).
 */
import { dd, ddLog, floorDiv, mulPow2, split } from './exact.ts';
import { expQ, powBase, powDD, POW, powInt, type PowBase } from './exp-kernel.ts';
import { LR0, NAME, bool, linRange, list, logRange, num, resolveFields, single, type FieldTable } from './fields.ts';
import { ScheduleBase, type FillOutput } from './schedule.ts';
import { stairRange } from './segments.ts';
import type { ExponentialDecayConfig, Resolved, StepList } from './types.ts';

const CLS = 'ExponentialDecay';

/**
 * Exponential decay: `lr(s) = lr0 · rate^(s/D)`; with `staircase`, `lr0 · rate^floor(s/D)`.
 * No clamping: it keeps decaying (or growing, for rate > 1).
 *
 * Numerics: s/D is split exactly into q = floor(s/D) (exact, see `floorDiv`) and
 * rem = s mod D (exact: `%` is exact in IEEE), and `rate^(s/D) = rate^q · rate^(rem/D)`.
 * rate^q (the exact integer q) by `powInt` (exp-kernel.ts: binary powering in double-double,
 * relative error ≤ u + 7(q − 1)u², u = 2^-53, whatever the engine's Math.pow), rate^(rem/D) by
 * `fracPow` (expQ of f·ln rate, < (3|y| + 2)u), so the exponent's rounding does not scale with
 * s/D: the only exponent rounding is that of rem/D ∈ [0, 1). Where rate^q or rate^(rem/D) leaves
 * [2^-1000, 2^1000] (rate^q over/underflows while lr0·rate^x need not; a subnormal rate),
 * `scaledPow` keeps the product as a mantissa times an exact power of two, one rounding at the
 * end; where q·|log2 rate| > POW_LOG2_CUTOFF the value is certainly beyond the double range
 * (±Infinity, or ±0). Exact at step 0 and, for rate = 1, at every step. Exact floor while
 * s/D < 2^53 (always when D ≥ 1); beyond, q is within 2^-53 relative, an exponent error
 * ≲ 745·2^-53 where the value is representable. Bounds: docs/accuracy.md.
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
  /** The field table (Keras's get_config order): keys, defaults, rules, explorer hints. */
  static readonly fields = [
    { ...LR0, explorer: num('rate at step 0', logRange(1e-3, 1e-1, 20)) },
    { name: 'decaySteps', keras: 'decay_steps', type: 'step', rule: '> 0', explorer: num('steps per decay_rate factor', list(1000, 2000, 5000)) },
    { name: 'decayRate', keras: 'decay_rate', type: 'float', rule: '> 0', explorer: num('factor per decay_steps', linRange(0.5, 0.95, 10)) },
    { name: 'staircase', keras: 'staircase', type: 'bool', default: false, rule: 'boolean', explorer: bool('decay in whole steps', single(false)) },
    NAME('ExponentialDecay'),
  ] as const satisfies FieldTable<ExponentialDecayConfig>;
  readonly #lr0: number;
  readonly #D: number;
  readonly #rate: number;
  /** rate as m·2^e for powInt. */
  readonly #pb: PowBase;
  readonly #staircase: boolean;
  /** lnRate(rate): ln(rate) rounded once, or NaN where fracPow takes Math.pow. */
  readonly #lnr: number;
  // cache of rate^q for the last q (consecutive steps share q)
  #lastQ = -1;
  #lastPow = 1;

  /** Builds and validates (docs/semantics.md#validation): finite numbers, decaySteps > 0, decayRate > 0. */
  constructor(config: ExponentialDecayConfig) {
    const resolved = resolveFields<ExponentialDecayConfig>(CLS, ExponentialDecay.fields, config);
    super(resolved);
    const { initialLearningRate, decaySteps, decayRate, staircase } = resolved;
    this.#lr0 = initialLearningRate;
    this.#D = decaySteps;
    this.#rate = decayRate;
    this.#staircase = staircase;
    this.#lnr = lnRate(decayRate);
    this.#pb = powBase(decayRate);
  }

  /** rate^q for an integer q ≥ 0, cached. */
  #powQ(q: number): number {
    if (q !== this.#lastQ) {
      this.#lastQ = q;
      this.#lastPow = powInt(this.#pb, q);
    }
    return this.#lastPow;
  }

  protected valueAt(s: number): number {
    if (s === 0 || this.#rate === 1 || this.#lr0 === 0) return this.#lr0;
    const D = this.#D;
    const q = floorDiv(s, D);
    const pq = this.#powQ(q);
    if (this.#staircase) {
      if (!(pq >= 2 ** -1000 && pq <= 2 ** 1000)) return scaledPow(this.#lr0, this.#pb, this.#lnr, q, 0);
      return this.#lr0 * pq;
    }
    const frac = (s % D) / D;
    const pf = frac === 0 ? 1 : fracPow(this.#rate, this.#lnr, frac);
    if (!(pq >= 2 ** -1000 && pq <= 2 ** 1000) || !(pf >= 2 ** -1000)) return scaledPow(this.#lr0, this.#pb, this.#lnr, q, frac);
    const v = this.#lr0 * pq * pf;
    // a subnormal (or nearly) lr0·pq would be rounded twice at the subnormal spacing: one rounding instead
    return Math.abs(v) >= 2 ** -1020 ? v : scaledPow(this.#lr0, this.#pb, this.#lnr, q, frac);
  }

  protected fillRange(start: number, stride: number, count: number, out: FillOutput): void {
    if (this.#intD() && this.#staircase) {
      // one fill per q: lr0·rate^q (intFill's value), or valueAt per step where rate^q leaves [2^-1000, 2^1000]
      const l1 = this.#lr0, pb = this.#pb;
      stairRange(out, start, stride, count, this.#D, (q) => {
        const pq = powInt(pb, q);
        return pq >= 2 ** -1000 && pq <= 2 ** 1000 ? l1 * pq : Number.NaN;
      }, (s) => this.valueAt(s));
    } else if (this.#intD()) intFill(out, null, start, stride, count, this.#lr0, this.#D, this.#pb, this.#lnr, this.#staircase, (s) => this.valueAt(s));
    else for (let i = 0; i < count; i++) out[i] = this.valueAt(start + i * stride);
  }

  protected fillList(list: StepList, n: number, out: FillOutput): void {
    if (this.#intD()) intFill(out, list, 0, 0, n, this.#lr0, this.#D, this.#pb, this.#lnr, this.#staircase, (s) => this.valueAt(s));
    else for (let i = 0; i < n; i++) out[i] = this.valueAt(list[i] as number);
  }

  /** Whether the exact-integer loop applies: an integer D ≤ 2^53 (and not the constant cases). */
  #intD(): boolean {
    return Number.isInteger(this.#D) && this.#D <= 2 ** 53 && this.#rate !== 1 && this.#lr0 !== 0;
  }
}

/**
 * The rates whose fractional powers take expQ: |log2 rate| ≤ EXPQ_LOG2_RATE_MAX, i.e. rate in
 * [2^-990, 2^990], |ln rate| ≤ 990·ln 2 ≈ 686.2. There every y = f·ln(rate), f ∈ [0, 1), is in
 * expQ's range (|y| ≤ 700) and e^y is a normal double; outside (a subnormal or huge rate) lnRate
 * is NaN and fracPow takes Math.pow.
 */
export const EXPQ_LOG2_RATE_MAX = 990;

/**
 * rate^f for f ∈ (0, 1), lnr = lnRate(rate): e^(f·lnr) by expQ (fdlibm's exp, < 1 ulp) where lnr
 * is a number (|log2 rate| ≤ EXPQ_LOG2_RATE_MAX), else Math.pow. With expQ, relative error
 * < (3·|y| + 2)·u, y = f·lnr, u = 2^-53 (the roundings of f, lnr and their product move y by
 * ≤ 3u·|y|; expQ's < 1 ulp is < 2u relative): < 2.3e-13 for every such rate, and in ulps of the
 * exact value < 1 + 3|y|, so < 4 ulp where |y| < 1 (rates in [1/e, e]). docs/accuracy.md.
 */
function fracPow(rate: number, lnr: number, f: number): number {
  return lnr === lnr ? expQ(f * lnr) : Math.pow(rate, f);
}

/** ln(rate) rounded once (a double-double logarithm, so no engine's Math.log decides it) where |log2 rate| ≤ EXPQ_LOG2_RATE_MAX, else NaN. */
export function lnRate(rate: number): number {
  if (!(rate >= 2 ** -EXPQ_LOG2_RATE_MAX && rate <= 2 ** EXPQ_LOG2_RATE_MAX)) return Number.NaN;
  const l = ddLog(dd(rate));
  return l.hi + l.lo;
}

/** The largest D whose rate^(rem/D) table fill keeps (one fracPow per distinct remainder). */
const TABLE_MAX = 1 << 16;

/**
 * valueAt over a range (list null) or a list, for an integer D ≤ 2^53: q = floor(s/D) is
 * (s − rem)/D, exact (an exact multiple of D divided by D), the value floorDiv gives; rate^q is
 * computed once per q and rate^(rem/D) once per remainder (a table, when D ≤ TABLE_MAX and the
 * row is at least D long), so most steps cost two multiplications, with the same doubles as
 * valueAt. Every case valueAt treats specially (step 0, powers outside [2^-1000, 2^1000], a
 * result near the subnormal range) is left to `ref`. Number parameters are copied through `x * 1`
 * (see cosine-decay.ts: V8 unboxes a parameter at every use otherwise).
 */
function intFill(out: FillOutput, list: StepList | null, start: number, stride: number, count: number, lr0: number, D: number, pb: PowBase, lnr: number, staircase: boolean, ref: (s: number) => number): void {
  const l1 = lr0 * 1, D1 = D * 1, r1 = pb.rate * 1, lr = lnr * 1, s0 = start * 1, ds = stride * 1;
  const table = !staircase && D1 <= TABLE_MAX && count >= D1 ? new Float64Array(D1).fill(Number.NaN) : null;
  let lastQ = -1;
  let pq = 1;
  let ok = false; // pq within [2^-1000, 2^1000]
  const inc = list === null && ds < D1 && D1 <= 2 ** 52;
  let rem = -1; // the previous step's s mod D (−1: none yet)
  let q = 0;
  for (let i = 0; i < count; i++) {
    const s = list === null ? s0 + i * ds : (list[i] as number);
    if (s === 0) {
      out[i] = l1;
      continue;
    }
    // rem = s mod D, q = (s − rem)/D (exact integers); along a range with stride < D ≤ 2^52 by
    // one step of the stride (rem + stride < 2·D ≤ 2^53: exact), without an fmod per step
    if (inc && rem >= 0) {
      rem += ds;
      if (rem >= D1) {
        rem -= D1;
        q += 1;
      }
    } else {
      rem = s % D1;
      q = (s - rem) / D1;
    }
    if (q !== lastQ) {
      lastQ = q;
      pq = powInt(pb, q);
      ok = pq >= 2 ** -1000 && pq <= 2 ** 1000;
    }
    if (!ok) {
      out[i] = ref(s);
      continue;
    }
    if (staircase) {
      out[i] = l1 * pq;
      continue;
    }
    let pf: number;
    if (rem === 0) pf = 1;
    else if (table !== null) {
      pf = table[rem] as number;
      if (pf !== pf) pf = table[rem] = fracPow(r1, lr, rem / D1);
    } else pf = fracPow(r1, lr, rem / D1);
    const v = l1 * pq * pf;
    out[i] = pf >= 2 ** -1000 && Math.abs(v) >= 2 ** -1020 ? v : ref(s);
  }
}

/**
 * lr0 · rate^(q + f) for an integer q ≥ 0 and f ∈ [0, 1), when rate^q or rate^f leaves
 * [2^-1000, 2^1000] (or the product nears the subnormal range): rate^q from powDD as a
 * double-double mantissa times an exact power of two, rate^f by fracPow where lnr is a number
 * (then in [2^-990, 2^990]), else (a subnormal or huge rate) split exactly into 2^-j halvings g
 * with |g·log2(rate)| ≤ 900 so that every Math.pow(rate, g) stays normal; the product is kept as
 * a mantissa in [1, 2) times an exact power of two and rounded once at the end. q = ∞ (s/D
 * beyond the double range) or q·|log2 rate| > POW_LOG2_CUTOFF mean the value is beyond the
 * double range: ±Infinity (rate > 1) or ±0. Bounded work.
 */
function scaledPow(lr0: number, pb: PowBase, lnr: number, q: number, f: number): number {
  const rate = pb.rate;
  if (!powDD(pb, q)) return rate > 1 ? (lr0 > 0 ? Infinity : -Infinity) : lr0 > 0 ? 0 : -0;
  let [m, e] = split(lr0);
  const parts = [POW.hi];
  e += POW.e;
  if (f > 0 && lnr === lnr) parts.push(fracPow(rate, lnr, f));
  else if (f > 0) {
    // the fraction, halved until each half is in range (f·L ≤ 1074 needs at most 2 halvings)
    let g = f;
    let copies = 1;
    while (g * pb.L > 900) {
      g /= 2;
      copies *= 2;
    }
    for (let i = 0; i < copies; i++) parts.push(Math.pow(rate, g));
  }
  for (const p of parts) {
    const [pm, pe] = split(p);
    const [nm, ne] = split(m * pm);
    m = nm;
    e += pe + ne;
  }
  return mulPow2(m, e);
}
