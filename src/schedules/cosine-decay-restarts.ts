/**
 * keras.optimizers.schedules.CosineDecayRestarts, SGDR (docs/semantics.md#cosinedecayrestarts; restart boundaries exact).
 */
import { ScheduleConfigError } from './errors.ts';
import { floorDiv, mulPow2 } from './exact.ts';
import { powBase, powInt, type PowBase } from './exp-kernel.ts';
import {
  BF_ZERO,
  P_EXACT,
  P_LO,
  bfCeil,
  bfExp,
  bfMul,
  bfNum,
  bfPow,
  bfScale,
  bfSub,
  bfToNumber,
  oddDyadic,
  type BF,
} from './binary-float.ts';
import { makeAmp, type Amp } from './restart-amplitude.ts';
import { RestartCancellation } from './restart-cancellation.ts';
import { GeometricPeriods, type GeoPeriod, type RestartPeriod } from './restart-periods.ts';
import { LR0, NAME, list, logRange, num, resolveFields, single, type FieldTable } from './fields.ts';
import { ScheduleBase, type FillOutput } from './schedule.ts';
import type { CosineDecayRestartsConfig, Resolved, StepList } from './types.ts';
import { arithRun, geoRun, phaseSq } from './restart-fill.ts';
import { checkStep } from './steps.ts';
import { viaRestartsModule, type RestartKernels } from './wasm/restart-run.ts';

const CLS = 'CosineDecayRestarts';
/** How many periods a schedule keeps memoised (#period). */
const PERIOD_MEMO = 64;

export type { RestartPeriod } from './restart-periods.ts';

/** A period as the kernel uses it: the structure plus its amplitude. */
interface Period extends GeoPeriod {
  readonly amp: Amp;
  /** a = 0 here gives exactly lr0 (m_mul^k = 1). */
  readonly peakOne: boolean;
  /** Period k + 1, once a fill has moved on to it (a fill then steps through its periods by this link, without an index search). */
  following: Period | null;
}

/**
 * Cosine decay with warm restarts (SGDR). Period k starts at
 * B_k = D·(t^k − 1)/(t − 1) (t = 1: k·D) and lasts L_k = D·t^k; a step exactly at
 * B_k starts period k (fraction 0, the peak). With a = s − B_k, b = B_{k+1} − s:
 * `lr(s) = lr0 · ((1 − α)·m^k·½(1 + cos(π·a/L_k)) + α)`; α is not scaled by m^k.
 *
 * Numerics (the f64 reference), for every accepted config and step 0 … 2^53:
 * - period index: exact. t = 1: k = floor(s/D) (exactly, with BigInt, once s/D ≥ 2^52).
 *   t > 1: B_k, L_k, m^k in the binary floating point of binary-float.ts (320 bits,
 *   unbounded exponent: first_decay_steps 5e-324, t_mul 1e300, k up to ~2^62 for t_mul
 *   1 + 2^-52), ceil(B_k) certain by an error bound, exact BigInt rationals where B_k can
 *   be an integer, 1600 bits elsewhere near a tie.
 * - inside a period: a = (s − firstStep) + startOffset and b = (nextFirstStep − 1 − s) +
 *   endOffset (exact integer differences, offsets correct to ≥ 60 bits), then sin²/cos² of
 *   π/2·min(a, b)/L (no cancellation near either end).
 * - amplitude A = lr0·(1 − α)·m^k from the exact lr0·(1 − α) and m^k at 320 bits (t = 1:
 *   in doubles where every factor is ordinary, m^k by powInt, see #powAmp), kept as
 *   mantissa and exponent when outside [2^-960, 2^960] (for every k when |lr0·α| ≥ 2^1000,
 *   decided at construction); A·g + lr0·α is then summed at the power-of-two scale of the
 *   larger term and scaled back once (lr0 −1.8e308 with α −1, or A 1e344 with g 2^-124, are
 *   finite), so the value overflows to ±∞ or underflows to 0 only where the exact value does.
 * - α outside [0, 1]: the two terms have opposite signs; when they cancel by more than
 *   2^8 the value is recomputed at 320 (then 1600) bits as C + A'·sin²(π/2·x): from the
 *   period's end C = lr0·α, A' = A; from its start C = c = lr0·((1 − α)·m^k + α) (since
 *   cos² = 1 − sin²), A' = −A, with c formed exactly once per period (m^k exact for m_mul = 1,
 *   a power of two, or k·bitlen ≤ 4096; else at 1600 bits with its error bound), so an exactly
 *   or nearly vanishing c (α = −1 with m^k = ½, α = 1.5 with m^k = 3, right after a restart of
 *   a period of 1e305 steps: −1e-270) costs no cancellation at all. A value still below
 *   2^-1400 of its terms at 1600 bits is returned as 0; exact zeros at x = 1/2, 1/3 of a
 *   period (α = −1, −3 with m_mul^k = 1, …) are recognised with exact rationals.
 * Relative error ≲ 10 ulp, plus 7(k − 1)u² (< 7u) from m^k in doubles for t = 1 (≤ 2^-42 where terms cancel); exact at step 0 and at restart
 * peaks with m_mul^k = 1 (the value is exactly lr0).
 *
 * Cost (every loop has a fixed cap; docs/design.md): at() within the period of the
 * previous call is a few flops; a new period costs one index search (typically 2-3, at
 * most ~140 evaluations of ceil(B_k), each one power: ≤ 128 multiplications of 320-bit
 * numbers) plus the period (two more powers): measured ~7 µs for a random step with
 * t_mul 2. fill() over a range visits each period once: O(steps + periods·log k). Where
 * periods are shorter than a step (t_mul within ~1e-10 of 1 at huge k, or a tiny
 * first_decay_steps) every step is a new period: measured ~26 µs per value (t_mul
 * 1 + 2^-52, first_decay_steps 1e-17, near 2^53). Cancelling α outside [0, 1]: ≲ 0.6 ms
 * for such a value (a 320-bit sin² series), plus c once per period (one BigInt power of
 * ≤ 4096 bits, or a 1600-bit power: ≤ 128 multiplications).
 *
 * @example
 * const s = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 1000 });
 * s.at(500);  // 0.5
 * s.at(1000); // 1 (restart)
 * s.at(1250); // 0.9619397662556434
 * @see https://keras.io/api/optimizers/learning_rate_schedules/cosine_decay_restarts/
 */
export class CosineDecayRestarts extends ScheduleBase<'CosineDecayRestarts', Resolved<CosineDecayRestartsConfig>> {
  readonly kind = 'CosineDecayRestarts' as const;
  /** The field table (Keras's get_config order): keys, defaults, rules, explorer hints. */
  static readonly fields = [
    { ...LR0, explorer: num('peak of the first period', logRange(1e-3, 1e-1, 20)) },
    { name: 'firstDecaySteps', keras: 'first_decay_steps', type: 'step', rule: '> 0', explorer: num('length of the first period', list(500, 1000, 2000)) },
    { name: 'tMul', keras: 't_mul', type: 'float', default: 2, rule: '≥ 1', why: ' (for t_mul < 1 Keras gives NaN after the finite total length first_decay_steps/(1 − t_mul))', explorer: num('period length multiplier (≥ 1)', list(1, 2)) },
    { name: 'mMul', keras: 'm_mul', type: 'float', default: 1, rule: '≥ 0', explorer: num('peak multiplier per restart', list(0.5, 0.8, 1)) },
    { name: 'alpha', keras: 'alpha', type: 'float', default: 0, rule: 'finite', explorer: num('floor as a fraction of initial rate', single(0)) },
    NAME('SGDRDecay'),
  ] as const satisfies FieldTable<CosineDecayRestartsConfig>;
  readonly #lr0: number;
  readonly #D: number;
  readonly #t: number;
  readonly #m: number;
  readonly #la: number; // lr0·α, rounded once
  readonly #lm: number; // lr0·α = lm·2^le, lm ∈ [1, 2] (or 0), for the scaled combination
  readonly #le: number;
  /**
   * |lr0·α| ≥ 2^1000: every finite amplitude takes the scaled form (Amp.d NaN), so that A·g
   * and lr0·α are summed at a common power-of-two scale (decided here, once per config).
   */
  readonly #wide: boolean;
  readonly #lr0oma: BF; // lr0·(1 − α) exactly
  readonly #lr0omaD: number; // lr0·(1 − α) in doubles (two roundings), for the t = 1 fast path
  readonly #ampOne: Amp; // the amplitude for m_mul^k = 1
  readonly #cancel: boolean; // α outside [0, 1]: the two terms can cancel
  readonly #mBF: BF;
  readonly #mPow: PowBase; // m_mul as m·2^e for powInt (t = 1: m_mul^k in doubles)
  readonly #Dm: bigint; // D = Dm·2^De, Dm odd
  readonly #De: number;
  readonly #geo: GeometricPeriods | null;
  readonly #cancellation: RestartCancellation; // the slow paths where α outside [0, 1] cancels
  // caches
  #last: Period | null = null;
  #first: Period | null = null;
  #periods = new Map<bigint, Period>();
  #arithK = -1n;
  #arithAmp: Amp = { bf: BF_ZERO, d: 0, dm: 0, de: 0 };
  #powK = -1; // the last k #powAmp computed, and its amplitude
  #powA = Number.NaN;

  /** Builds and validates (Part A.4): finite numbers, firstDecaySteps > 0, tMul ≥ 1, mMul ≥ 0. */
  constructor(config: CosineDecayRestartsConfig) {
    const resolved = resolveFields<CosineDecayRestartsConfig>(CLS, CosineDecayRestarts.fields, config);
    super(resolved);
    const { initialLearningRate, firstDecaySteps, tMul, mMul, alpha } = resolved;
    this.#lr0 = initialLearningRate;
    this.#D = firstDecaySteps;
    this.#t = tMul;
    this.#m = mMul;
    this.#la = initialLearningRate * alpha;
    const laBF = bfMul(bfNum(initialLearningRate), bfNum(alpha), P_EXACT); // lr0·α exactly
    const le = laBF.m === 0n ? 0 : bfExp(laBF);
    this.#le = le;
    this.#lm = bfToNumber(bfScale(laBF, -le));
    this.#wide = laBF.m !== 0n && le >= 1000;
    this.#lr0oma = bfMul(bfNum(initialLearningRate), bfSub({ m: 1n, e: 0 }, bfNum(alpha), P_EXACT), P_EXACT);
    this.#lr0omaD = initialLearningRate * (1 - alpha);
    this.#ampOne = makeAmp(this.#lr0oma, { m: 1n, e: 0 }, P_LO, this.#wide);
    this.#cancel = (alpha < 0 || alpha > 1) && initialLearningRate !== 0;
    this.#mBF = bfNum(mMul);
    this.#mPow = powBase(mMul);
    const dd = oddDyadic(firstDecaySteps);
    this.#Dm = dd.m;
    this.#De = dd.e;
    this.#geo = tMul === 1 ? null : new GeometricPeriods(firstDecaySteps, tMul, mMul, initialLearningRate, alpha);
    this.#cancellation = new RestartCancellation({
      lr0: initialLearningRate,
      m: mMul,
      mBF: this.#mBF,
      mOdd: mMul === 0 ? { m: 0n, e: 0 } : oddDyadic(mMul),
      laBF,
      lr0oma: this.#lr0oma,
      Dm: dd.m,
      De: dd.e,
    });
  }

  // ------------------------------------------------------------------ public structure

  /**
   * The exact period index k of a step: B_k ≤ step < B_{k+1} (the nearest double when
   * k > 2^53, which only t_mul within ~1e-15 of 1 or a tiny first_decay_steps reach;
   * Number.MAX_VALUE where k itself passes the double range: t_mul = 1, first_decay_steps ≲ 1e-292).
   * @example new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 1, tMul: 3 }).periodIndex(121) // 5
   */
  periodIndex(step: number): number {
    const s = checkStep(step);
    const k = Number(this.#geo === null ? this.#floorK(s) : this.#geo.index(s));
    // t_mul = 1 with step/first_decay_steps beyond the double range: the largest double, so
    // that period(periodIndex(s)) stays a valid call
    return k === Infinity ? Number.MAX_VALUE : k;
  }

  /**
   * Period k (see {@link RestartPeriod}), for any integer k ≥ 0 (the fields are the nearest
   * doubles where they exceed 2^53). Cheap for consecutive k (the shared boundary is cached).
   * @example new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10 }).period(1)
   *   // { index: 1, firstStep: 10, nextFirstStep: 30, startOffset: 0, endOffset: 1, length: 20, peak: 1 }
   */
  period(k: number): RestartPeriod {
    // any integer double: beyond 2^53 periodIndex returns the nearest double, itself the
    // index of a period (every double ≥ 2^53 is an integer), so period(periodIndex(s)) never throws
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0) {
      throw new ScheduleConfigError('period.k', k, 'must be an integer ≥ 0');
    }
    const kb = BigInt(k);
    if (this.#geo !== null) {
      const p = this.#geo.period(kb);
      return Object.freeze({
        index: k,
        firstStep: p.firstStep,
        nextFirstStep: p.nextFirstStep,
        startOffset: p.startOffset,
        endOffset: p.endOffset,
        length: p.length,
        peak: p.peak,
      });
    }
    // t = 1: B_k = k·D exactly
    const b0 = this.#arithBoundary(kb);
    const b1 = this.#arithBoundary(kb + 1n);
    const mk = this.#m === 1 ? 1 : bfToNumber(bfPow(this.#mBF, kb, P_LO));
    return Object.freeze({
      index: k,
      firstStep: b0.c,
      nextFirstStep: b1.c,
      startOffset: b0.off,
      endOffset: b1.endOff,
      length: this.#D,
      peak: mk,
    });
  }

  // ------------------------------------------------------------------ evaluation

  protected valueAt(s: number): number {
    if (this.#lr0 === 0) return 0; // exact; 0 · (an overflowed amplitude) would be NaN
    if (this.#geo === null) return this.#valueArith(s);
    let p = this.#last;
    if (p === null || s < p.first || s >= p.next) {
      p = this.#period(this.#geo.index(s));
      this.#last = p;
    }
    return this.#kernel(s, p);
  }

  protected fillRange(start: number, stride: number, count: number, out: FillOutput): void {
    if (this.#lr0 === 0) out.fill(0, 0, count);
    else if (this.#cancel) this.#fillPeriods(null, start, stride, count, out, null);
    else viaRestartsModule(out, count, (o, c0, len, K) => this.#fillPeriods(null, start + c0 * stride, stride, len, o, K));
  }

  protected fillList(list: StepList, n: number, out: FillOutput): void {
    if (this.#lr0 === 0) for (let i = 0; i < n; i++) out[i] = this.valueAt(list[i] as number);
    else this.#fillPeriods(list, 0, 0, n, out, null);
  }

  /** The fill loop of t_mul = 1 or t_mul > 1; with K (a range, `out` K's memory view) periods run on the WebAssembly loop. */
  #fillPeriods(list: StepList | null, start: number, stride: number, count: number, out: FillOutput, K: RestartKernels | null): void {
    if (this.#geo === null) this.#fillArith(list, start, stride, count, out, K);
    else this.#fillGeo(list, start, stride, count, out, K);
  }

  /**
   * t_mul > 1: each period's steps by geoRun (a module-level loop over plain numbers) while its
   * amplitude is a double, the rest (a period change, a scaled amplitude, a cancelling value) here.
   */
  #fillGeo(list: StepList | null, start: number, stride: number, count: number, out: FillOutput, K: RestartKernels | null): void {
    const geo = this.#geo as GeometricPeriods;
    const stepAt = (i: number): number => (list === null ? start + i * stride : (list[i] as number));
    let p = this.#last ?? this.#period(geo.index(stepAt(0)));
    let i = 0;
    while (i < count) {
      const s = stepAt(i);
      if (s >= p.next || s < p.first) {
        // the next period when the step is in it (its end decides), else the first, else a fresh exact index
        const q = s >= p.next && p.next !== Infinity ? (p.following ??= this.#period(p.k + 1n)) : null;
        const p0 = (this.#first ??= this.#period(0n));
        p = q !== null && s < q.next ? q : s < p0.next ? p0 : this.#period(geo.index(s));
      }
      const d = p.amp.d;
      if (d === d) {
        const j = geoRun(K, out, list, i, count, start, stride, p.first, p.next, p.nextHi, p.startOffset, p.endOffset, p.length, d, this.#la, this.#lr0, p.peakOne, this.#cancel);
        if (j > i) {
          i = j;
          continue;
        }
      }
      out[i] = this.#kernel(s, p);
      i++;
    }
    this.#last = p;
  }

  // ------------------------------------------------------------------ internals

  /** floor(s/D) exactly (BigInt once s/D ≥ 2^52, where floorDiv may be one unit off). */
  #floorK(s: number): bigint {
    const q0 = floorDiv(s, this.#D);
    if (q0 < 2 ** 52) return BigInt(q0);
    const sb = BigInt(s);
    return this.#De <= 0 ? (sb << BigInt(-this.#De)) / this.#Dm : sb / (this.#Dm << BigInt(this.#De));
  }

  /** ceil(k·D) and the offsets (t = 1), exactly. */
  #arithBoundary(k: bigint): { c: number; off: number; endOff: number } {
    const b = bfMul({ m: k, e: 0 }, bfNum(this.#D), P_EXACT);
    const { c, off } = bfCeil(b, P_EXACT);
    return off.m === 0n
      ? { c: Number(c), off: 0, endOff: 1 }
      : { c: Number(c), off: bfToNumber(off), endOff: bfToNumber(bfSub({ m: 1n, e: 0 }, off, P_EXACT)) };
  }

  /** t = 1: #valueArith for the first step, arithRun (integer D) for the steps after it, period after period. */
  #fillArith(list: StepList | null, start: number, stride: number, count: number, out: FillOutput, K: RestartKernels | null): void {
    const D = this.#D, int = Number.isInteger(D) && D <= 2 ** 52;
    const ampAt = (k: number): number => this.#arithAmpD(k);
    for (let i = 0; i < count; ) {
      out[i] = this.#valueArith(list === null ? start + i * stride : (list[i] as number));
      i++;
      if (int) i = arithRun(K, out, list, i, count, start, stride, D, Number(this.#arithK), this.#la, this.#lr0, this.#m === 1, this.#cancel, ampAt);
    }
  }

  /** The amplitude of period k (t = 1) as a double, as #valueArith takes it (#ampOne, or #arithAmpOf's double path), else NaN. */
  #arithAmpD(k: number): number {
    return this.#m === 1 || k === 0 ? this.#ampOne.d : this.#powAmp(k);
  }

  /**
   * lr0·(1 − α)·m_mul^k in doubles when every factor is an ordinary number, else NaN. m_mul^k by
   * powInt (exp-kernel.ts: binary powering in double-double, within u + 7(k − 1)u², u = 2^-53,
   * whatever the engine's Math.pow, which may power in doubles: ~k·u off); with lr0·(1 − α)'s
   * two roundings and the product's, within 4u + 7(k − 1)u² in all (to first order): < 4.0001u
   * for k ≤ 2^32, at most 11u for k < 2^53 (docs/accuracy.md). The last k's is kept: a fill asks
   * again at each step of a period whose amplitude is not a double (≤ 2·log2(k) double-double
   * products each).
   */
  #powAmp(k: number): number {
    if (k === this.#powK) return this.#powA;
    let a = Number.NaN;
    if (!this.#wide && k < 2 ** 53 && Math.abs(this.#lr0omaD) >= 2 ** -900 && Math.abs(this.#lr0omaD) <= 2 ** 900) {
      const pk = powInt(this.#mPow, k);
      if (pk >= 2 ** -60 && pk <= 2 ** 60) a = this.#lr0omaD * pk;
    }
    this.#powK = k;
    this.#powA = a;
    return a;
  }

  /** t = 1: k = floor(s/D), rem = s mod D exact; the distances are rem (exact) and D − rem. */
  #valueArith(s: number): number {
    const D = this.#D;
    const k = this.#floorK(s);
    const rem = s % D;
    const peakOne = this.#m === 1 || k === 0n;
    if (k !== this.#arithK) {
      this.#arithK = k;
      this.#arithAmp = peakOne ? this.#ampOne : this.#arithAmpOf(k);
    }
    // a peak with m_mul^k = 1: exactly lr0 (fl(1 − α) + α need not be 1 for α outside [0, 1])
    if (rem === 0 && peakOne) return this.#lr0;
    const u = D - rem;
    const fromEnd = u <= rem;
    const g = phaseSq(fromEnd, u, rem, D);
    const v = this.#combine(this.#arithAmp, g);
    if (v === v) return v;
    return this.#cancellation.arith(k, rem, D, fromEnd, this.#arithAmp.bf, peakOne);
  }

  /** lr0·(1 − α)·m_mul^k for t = 1, k ≥ 1, m_mul ≠ 1: in doubles (#powAmp) when it can, else at 320 bits. */
  #arithAmpOf(k: bigint): Amp {
    const d = this.#powAmp(Number(k));
    if (d === d) return { bf: null, d, dm: 0, de: 0 };
    // log2|A| from doubles (error ≪ the margins): below −1300, A·g cannot move lr0·α off its
    // rounding (the 2^-1074 grid); above 4500, A·g overflows for every g the period reaches
    // (g ≥ (2^-1074/D)²/4): no 320-bit power for each step of a long strided fill
    const l2 = bfExp(this.#lr0oma) + Number(k) * Math.log2(this.#m);
    if (this.#m === 0 || l2 < -1300) return { bf: BF_ZERO, d: 0, dm: 0, de: 0 };
    if (l2 > 4500) return makeAmp(this.#lr0oma, { m: 1n, e: 2 ** 25 }, P_LO);
    return makeAmp(this.#lr0oma, bfPow(this.#mBF, k, P_LO), P_LO, this.#wide);
  }

  /**
   * A·g + lr0·α in doubles, or NaN where α outside [0, 1] makes the terms cancel by more than 2^8.
   * Fast path (amp.d a double: |A| ≤ 2^960 and |lr0·α| < 2^1000, so no sum or product
   * leaves the range): as written. Scaled path (amp.d NaN: A = dm·2^de beyond [2^-960, 2^960],
   * or every A of a config whose |lr0·α| ≥ 2^1000): both terms at the scale 2^-S of the larger
   * exponent (each then ≤ 2 in magnitude; one below 2^-1022 of the other underflows, which is
   * below its rounding), summed once, and 2^S applied once at the end (exact unless the value
   * itself is subnormal or overflows): ±∞/0 only where the value is.
   */
  #combine(amp: Amp, g: number): number {
    if (amp.d !== amp.d) return this.#combineScaled(amp, g);
    const t1 = amp.d * g;
    const v = t1 + this.#la;
    if (v !== v) return v; // ∞·0 (an overflowed amplitude times an underflowed g): the BF path decides
    if (!this.#cancel || Math.abs(v) >= 2 ** -8 * Math.max(Math.abs(t1), Math.abs(this.#la))) return v;
    return Number.NaN;
  }

  /** #combine's scaled path: A = dm·2^de, lr0·α = lm·2^le, both at 2^-S, S the larger exponent. */
  #combineScaled(amp: Amp, g: number): number {
    const S = this.#lm === 0 ? amp.de : Math.max(amp.de, this.#le);
    const t1 = mulPow2(amp.dm * g, amp.de - S);
    const la = mulPow2(this.#lm, this.#le - S);
    const v = t1 + la;
    if (!this.#cancel || Math.abs(v) >= 2 ** -8 * Math.max(Math.abs(t1), Math.abs(la))) return mulPow2(v, S);
    return Number.NaN;
  }

  /** Period k with its amplitude, memoised (the last PERIOD_MEMO periods: a schedule evaluated again, as a plot or a sweep is, finds its periods ready). */
  #period(k: bigint): Period {
    const hit = this.#periods.get(k);
    if (hit !== undefined) return hit;
    const geo = this.#geo as GeometricPeriods;
    const p = geo.period(k);
    const r = { ...p, amp: makeAmp(this.#lr0oma, p.mk, P_LO, this.#wide), peakOne: this.#m === 1 || k === 0n, following: null };
    if (this.#periods.size >= PERIOD_MEMO) {
      // cut the links too, so that the periods a fill stepped through stay as few as the memo
      for (const q of this.#periods.values()) q.following = null;
      this.#periods.clear();
    }
    this.#periods.set(k, r);
    return r;
  }

  /** The value inside period p: distances to both ends from exact integer differences plus offsets. */
  #kernel(s: number, p: Period): number {
    const a = s - p.first + p.startOffset;
    const b = p.nextHi + (2 ** 53 - 1 - s) + p.endOffset; // exact integer part (ceil(B_{k+1}) may exceed 2^53)
    if (a === 0 && p.peakOne) return this.#lr0; // a peak with m_mul^k = 1: exactly lr0
    const L = p.length;
    const fromEnd = b <= a;
    const g = phaseSq(fromEnd, b, a, L);
    const v = this.#combine(p.amp, g);
    if (v === v) return v;
    return this.#cancellation.geometric(s, p, p.amp.bf, fromEnd, this.#geo as GeometricPeriods);
  }
}
