/**
 * keras.optimizers.schedules.CosineDecayRestarts, SGDR (docs/semantics.md#cosinedecayrestarts; restart boundaries exact).
 */
import { ScheduleConfigError } from './errors.ts';
import { ddAdd, ddMul, ddMulD, ef, floorDiv, toDyadic, twoProd, twoSum, type DD } from './exact.ts';
import { bigRatToNumber } from './exact-sum.ts';
import {
  HALF_PI,
  ScheduleBase,
  atLeastField,
  checkKeys,
  cosFactor,
  finiteField,
  nameField,
  opt,
  positiveField,
  type FillOutput,
} from './schedule.ts';
import type { CosineDecayRestartsConfig, Resolved, StepList } from './types.ts';
import { checkStep } from './steps.ts';

const CLS = 'CosineDecayRestarts';
const KEYS = ['initialLearningRate', 'firstDecaySteps', 'tMul', 'mMul', 'alpha', 'name'] as const;

/**
 * Period k of a CosineDecayRestarts schedule: the real interval [B_k, B_{k+1}) with
 * B_k = D·(t^k − 1)/(t − 1) (B_k = k·D for t = 1), D = firstDecaySteps, t = tMul.
 * All fields are f64; `firstStep`, `nextFirstStep` are exact integers and the
 * offsets are correctly rounded (or within a few ulp) while B_{k+1} ≤ 2^53.
 */
export interface RestartPeriod {
  /** k */
  readonly index: number;
  /** ceil(B_k): the first integer step of the period. */
  readonly firstStep: number;
  /** ceil(B_{k+1}): the first step of the next period. */
  readonly nextFirstStep: number;
  /** firstStep − B_k ∈ [0, 1). */
  readonly startOffset: number;
  /** B_{k+1} − (nextFirstStep − 1) ∈ (0, 1]. */
  readonly endOffset: number;
  /** L_k = D·t^k = B_{k+1} − B_k. */
  readonly length: number;
  /** m_mul^k. */
  readonly peak: number;
}

/** A boundary B_k: its ceiling and the two offsets to the neighbouring integers. */
interface Boundary {
  readonly ceil: number; // ceil(B_k)
  readonly off: number; // ceil(B_k) − B_k ∈ [0, 1)
  readonly endOff: number; // B_k − (ceil(B_k) − 1) ∈ (0, 1]
}

/** Internal period record used by the evaluation kernel. */
interface Period extends RestartPeriod {
  readonly amp: number; // (1 − α)·m^k
  readonly lamp: number; // lr0·(1 − α)·m^k when m^k is outside [2^-900, 2^900] (see scaledAmp), else NaN
  readonly k2: number; // π/(2·L_k)
}

/**
 * Cosine decay with warm restarts (SGDR). Period k starts at
 * B_k = D·(t^k − 1)/(t − 1) (t = 1: k·D) and lasts L_k = D·t^k; a step exactly at
 * B_k starts period k (fraction 0, the peak). With a = s − B_k, b = B_{k+1} − s:
 * `lr(s) = lr0 · ((1 − α)·m^k·½(1 + cos(π·a/L_k)) + α)`; α is not scaled by m^k.
 *
 * Numerics (the f64 reference):
 * - period index: exact. t = 1: k = floor(s/D) exactly. t > 1: an estimate from logs,
 *   then confirmed by comparing s with B_k, B_{k+1}; B_k = D·S_k with
 *   S_k = Σ_{j<k} t^j in double-double by binary powering (positive terms only,
 *   relative error < 2^-90); when s is within that error of B_k, the comparison is
 *   decided exactly with BigInt rationals (t = T/2^a, D = Dm·2^e as dyadics:
 *   s·(T − 2^a)·2^{a(k−1)} ≥ D·(T^k − 2^{ak})). For non-integer t, B_k is a
 *   dyadic with denominator 2^{a(k−1)}/(2-power of D), so it can be an integer only
 *   for k ≤ 1 + e_D/a: exact ties exist only at small k, and elsewhere the BigInt
 *   path runs only on near-ties (probability ~2^-47·B_k per boundary); its cost is
 *   O((a·k)²) bit operations.
 * - inside a period: a = (s − firstStep) + startOffset and
 *   b = (nextFirstStep − s − 1) + endOffset (integer differences are exact), then
 *   sin²/cos² of the smaller one (no cancellation near either end). The offsets come
 *   from the double-double B_k unless they are within 2^43 × its error of 0 or 1, in
 *   which case they are computed exactly (BigInt): this keeps b accurate to 1e-13
 *   relative even at the end of a period with α = 0.
 * - m^k = Math.pow(m, k) (< 1 ulp for integer k).
 * Relative error ≲ 10 ulp for α ∈ [0, 1]; exact at step 0 and at restart peaks with
 * m_mul = 1 (the value is exactly lr0).
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
  readonly #lr0: number;
  readonly #D: number;
  readonly #t: number;
  readonly #m: number;
  readonly #alpha: number;
  readonly #oma: number;
  readonly #kD: number; // π/(2D)
  readonly #logT: number; // log1p(t − 1)
  // exact dyadic forms, for the BigInt tie checks (t > 1)
  readonly #T: bigint; // t = T / 2^a
  readonly #a: bigint;
  readonly #Dm: bigint; // D = Dm · 2^De
  readonly #De: number;
  // caches
  #lastPeriod: Period | null = null;
  #bCacheK = -1;
  #bCache: Boundary | null = null;
  #peakK = -1;
  #peakV = 1;
  #lampV = Number.NaN;

  /** Builds and validates (docs/semantics.md#validation): finite numbers, firstDecaySteps > 0, tMul ≥ 1, mMul ≥ 0. */
  constructor(config: CosineDecayRestartsConfig) {
    const c = checkKeys(CLS, config, KEYS);
    const initialLearningRate = finiteField(CLS, 'initialLearningRate', c.initialLearningRate);
    const firstDecaySteps = positiveField(CLS, 'firstDecaySteps', c.firstDecaySteps);
    const tMul = atLeastField(
      CLS,
      'tMul',
      opt(c.tMul, 2),
      1,
      ' (for t_mul < 1 Keras gives NaN after the finite total length first_decay_steps/(1 − t_mul))',
    );
    const mMul = atLeastField(CLS, 'mMul', opt(c.mMul, 1), 0);
    const alpha = finiteField(CLS, 'alpha', opt(c.alpha, 0));
    const name = nameField(CLS, opt(c.name, 'SGDRDecay'));
    super({ initialLearningRate, firstDecaySteps, tMul, mMul, alpha, name });
    this.#lr0 = initialLearningRate;
    this.#D = firstDecaySteps;
    this.#t = tMul;
    this.#m = mMul;
    this.#alpha = alpha;
    this.#oma = 1 - alpha;
    this.#kD = HALF_PI / firstDecaySteps;
    this.#logT = Math.log1p(tMul - 1);
    const td = toDyadic(tMul);
    this.#a = td.e < 0 ? BigInt(-td.e) : 0n;
    this.#T = td.e < 0 ? td.m : td.m << BigInt(td.e);
    const dd = toDyadic(firstDecaySteps);
    this.#Dm = dd.m;
    this.#De = dd.e;
  }

  // ------------------------------------------------------------------ public structure

  /**
   * The exact period index k of a step: B_k ≤ step < B_{k+1}.
   * @example new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 1, tMul: 3 }).periodIndex(121) // 5
   */
  periodIndex(step: number): number {
    const s = checkStep(step);
    return this.#t === 1 ? floorDiv(s, this.#D) : this.#indexGeometric(s);
  }

  /**
   * Period k (see {@link RestartPeriod}). Cheap for consecutive k (the shared boundary is cached).
   * @example new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10 }).period(1)
   *   // { index: 1, firstStep: 10, nextFirstStep: 30, startOffset: 0, endOffset: 1, length: 20, peak: 1 }
   */
  period(k: number): RestartPeriod {
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > 2 ** 53) {
      throw new ScheduleConfigError('period.k', k, 'must be an integer 0 … 2^53');
    }
    const p = this.#period(k);
    return Object.freeze({
      index: p.index,
      firstStep: p.firstStep,
      nextFirstStep: p.nextFirstStep,
      startOffset: p.startOffset,
      endOffset: p.endOffset,
      length: p.length,
      peak: p.peak,
    });
  }

  // ------------------------------------------------------------------ evaluation

  protected valueAt(s: number): number {
    if (this.#t === 1) return this.#valueArith(s);
    let p = this.#lastPeriod;
    if (p === null || s < p.firstStep || s >= p.nextFirstStep) {
      p = this.#period(this.#indexGeometric(s));
      this.#lastPeriod = p;
    }
    return kernel(s, p, this.#lr0, this.#alpha);
  }

  /** t = 1: k = floor(s/D), rem = s mod D exact; the distances are rem (exact) and D − rem. */
  #valueArith(s: number): number {
    const D = this.#D;
    const k = floorDiv(s, D);
    const rem = s % D;
    if (k !== this.#peakK) {
      this.#peakK = k;
      // (k = ∞ when s/D overflows, first_decay_steps ≲ 1e-292: Math.pow(1, ∞) is NaN, m_mul^k is 1)
      this.#peakV = this.#m === 1 ? 1 : Math.pow(this.#m, k);
      this.#lampV = scaledAmp(this.#lr0, this.#oma, this.#m, k, this.#peakV);
    }
    if (this.#lr0 === 0) return 0; // exact; 0 · m_mul^k would be NaN once m_mul^k overflows
    // a peak with m_mul^k = 1: exactly lr0 (fl(1 − α) + α need not be 1 for α outside [0, 1])
    if (rem === 0 && this.#peakV === 1) return this.#lr0;
    if (this.#lampV === this.#lampV) return this.#lampV * cosFactor(D - rem, rem, this.#kD) + this.#lr0 * this.#alpha;
    return this.#lr0 * (ampOf(this.#oma, this.#peakV) * cosFactor(D - rem, rem, this.#kD) + this.#alpha);
  }

  protected fillRange(start: number, stride: number, count: number, out: FillOutput): void {
    if (this.#t === 1) {
      for (let i = 0; i < count; i++) out[i] = this.#valueArith(start + i * stride);
      return;
    }
    const lr0 = this.#lr0, alpha = this.#alpha;
    let p = this.#lastPeriod ?? this.#period(this.#indexGeometric(start));
    for (let i = 0; i < count; i++) {
      const s = start + i * stride;
      if (s >= p.nextFirstStep || s < p.firstStep) {
        // the next period when the step is in it, else a fresh exact index
        const nxt = s >= p.nextFirstStep && p.index < 2 ** 53 ? this.#period(p.index + 1) : null;
        p = nxt !== null && s < nxt.nextFirstStep ? nxt : this.#period(this.#indexGeometric(s));
      }
      out[i] = kernel(s, p, lr0, alpha);
    }
    this.#lastPeriod = p;
  }

  protected fillList(list: StepList, n: number, out: FillOutput): void {
    for (let i = 0; i < n; i++) out[i] = this.valueAt(list[i] as number);
  }

  // ------------------------------------------------------------------ internals

  /** B_k = D·S_k in double-double (t > 1), S_k = Σ_{j<k} t^j by binary powering. */
  #boundaryDD(k: number, out: DD): DD {
    const t = this.#t;
    if (t === 1) {
      // k·D: TwoProd is exact
      twoProd(k, this.#D);
      out.hi = ef.hi;
      out.lo = ef.lo;
      return out;
    }
    // t^n = T·2^eT, S_n = S·2^eS: T and S are rescaled by 2^-SCALE_BITS whenever they pass
    // 2^SCALE_BITS, so a tiny D (first_decay_steps = 1e-300: t^k near 2^1000 for steps of
    // order 1) cannot overflow the powering (TwoProd's split overflows above 2^996). Scaling
    // by powers of two is exact, so below 2^SCALE_BITS the arithmetic is the unscaled one.
    const T: DD = { hi: 1, lo: 0 };
    const S: DD = { hi: 0, lo: 0 };
    const tmp: DD = { hi: 0, lo: 0 };
    let eT = 0;
    let eS = 0;
    const bits = k.toString(2);
    for (let i = 0; i < bits.length; i++) {
      // (T, S) for n → 2n: S·(1 + T), T²  (1 + t^n = (2^-eT + T)·2^eT)
      ddAdd({ hi: 2 ** -eT, lo: 0 }, T, tmp);
      ddMul(S, tmp, S);
      eS += eT;
      ddMul(T, T, T);
      eT *= 2;
      if (bits.charCodeAt(i) === 49) {
        // n → n + 1: S + T (at the larger exponent), T·t
        if (eS >= eT) {
          ddAdd(S, scaleDD(T, eT - eS, tmp), S);
        } else {
          ddAdd(scaleDD(S, eS - eT, S), T, S);
          eS = eT;
        }
        ddMulD(T, t, T);
      }
      // S_n ≥ 2^eS, so B_k ≥ D·2^eS ≥ 2^(eS − 1074): beyond the double range once eS > 2100
      if (!Number.isFinite(T.hi) || !Number.isFinite(S.hi) || eS > 2100) {
        out.hi = Infinity;
        out.lo = 0;
        return out;
      }
      if (T.hi > 2 ** SCALE_BITS) {
        scaleDD(T, -SCALE_BITS, T);
        eT += SCALE_BITS;
      }
      if (S.hi > 2 ** SCALE_BITS) {
        scaleDD(S, -SCALE_BITS, S);
        eS += SCALE_BITS;
      }
    }
    // D·2^eS is exact, or overflows only when B_k ≥ D·2^eS is beyond the double range (S ≥ 1 here)
    return ddMulD(S, mulPow2(this.#D, eS), out);
  }

  /** B_k = N/Q exactly, Q > 0 (BigInt rationals). */
  #boundaryExact(k: number): { N: bigint; Q: bigint } {
    const De = this.#De;
    const up = De > 0 ? 1n << BigInt(De) : 1n;
    const down = De < 0 ? 1n << BigInt(-De) : 1n;
    const kb = BigInt(k);
    if (this.#t === 1) return { N: kb * this.#Dm * up, Q: down };
    const a = this.#a;
    const T = this.#T;
    const N = this.#Dm * up * (T ** kb - (1n << (a * kb)));
    const Q = down * (T - (1n << a)) * (k >= 1 ? 1n << (a * (kb - 1n)) : 1n);
    return k >= 1 ? { N, Q } : { N: 0n, Q: 1n };
  }

  /** s ≥ B_k, exactly. */
  #geB(s: number, k: number): boolean {
    if (k === 0) return true;
    const B = this.#boundaryDD(k, { hi: 0, lo: 0 });
    if (B.hi === Infinity) return false;
    twoSum(s, -B.hi);
    const d = ef.hi + (ef.lo - B.lo);
    const err = B.hi * 2 ** -90;
    if (d > err) return true;
    if (d < -err) return false;
    const { N, Q } = this.#boundaryExact(k);
    return BigInt(s) * Q >= N;
  }

  /** Exact k with B_k ≤ s < B_{k+1} for t > 1: log estimate, then galloping + bisection on exact comparisons. */
  #indexGeometric(s: number): number {
    let k = Math.floor(Math.log1p((s * (this.#t - 1)) / this.#D) / this.#logT);
    if (!(k >= 0)) k = 0;
    if (k > 2 ** 53) k = 2 ** 53;
    let lo: number; // s ≥ B_lo
    let hi: number; // s < B_hi
    if (this.#geB(s, k)) {
      lo = k;
      let step = 1;
      hi = k + 1;
      while (this.#geB(s, hi)) {
        lo = hi;
        hi = lo + step;
        step *= 2;
      }
    } else {
      hi = k;
      let step = 1;
      lo = Math.max(0, k - 1);
      while (!this.#geB(s, lo)) {
        hi = lo;
        lo = Math.max(0, lo - step);
        step *= 2;
      }
    }
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.#geB(s, mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /** ceil(B_k) and the offsets; exact where the double-double cannot give ~1e-13 relative. */
  #boundary(k: number): Boundary {
    if (k === this.#bCacheK && this.#bCache !== null) return this.#bCache;
    let b: Boundary;
    if (k === 0) b = { ceil: 0, off: 0, endOff: 1 };
    else {
      const B = this.#boundaryDD(k, { hi: 0, lo: 0 });
      let c = Math.ceil(B.hi);
      twoSum(c, -B.hi);
      let off = ef.hi + (ef.lo - B.lo);
      if (off < 0) {
        c += 1;
        off += 1;
      } else if (off >= 1) {
        c -= 1;
        off -= 1;
      }
      // (floored at the smallest subnormal: for a tiny B_k, e.g. first_decay_steps = 1e-300,
      // B.hi·2^-90 underflows to 0, and an offset rounded to 0 or 1 must still go exact)
      const err = this.#t === 1 ? 2 ** -60 : Math.max(B.hi * 2 ** -90, 2 ** -1074);
      if (Number.isFinite(B.hi) && Math.min(off, 1 - off) >= err * 2 ** 43) b = { ceil: c, off, endOff: 1 - off };
      else if (!Number.isFinite(B.hi)) b = { ceil: Infinity, off: 0, endOff: 1 };
      else {
        const { N, Q } = this.#boundaryExact(k);
        const fl = N / Q; // N ≥ 0
        const rem = N - fl * Q;
        b =
          rem === 0n
            ? { ceil: Number(fl), off: 0, endOff: 1 }
            : { ceil: Number(fl + 1n), off: bigRatToNumber(Q - rem, Q), endOff: bigRatToNumber(rem, Q) };
      }
    }
    this.#bCacheK = k;
    this.#bCache = b;
    return b;
  }

  #period(k: number): Period {
    const b0 = this.#boundary(k);
    const b1 = this.#boundary(k + 1);
    const t = this.#t;
    let length: number;
    if (t === 1) length = this.#D;
    else {
      // t^k·D in double-double by powering, t^k = T·2^eT (rescaled as in #boundaryDD)
      const T: DD = { hi: 1, lo: 0 };
      let eT = 0;
      const bits = k.toString(2);
      for (let i = 0; i < bits.length && Number.isFinite(T.hi) && eT <= 2100; i++) {
        ddMul(T, T, T);
        eT *= 2;
        if (bits.charCodeAt(i) === 49) ddMulD(T, t, T);
        if (T.hi > 2 ** SCALE_BITS) {
          scaleDD(T, -SCALE_BITS, T);
          eT += SCALE_BITS;
        }
      }
      length = Number.isFinite(T.hi) && eT <= 2100 ? ddMulD(T, mulPow2(this.#D, eT), T).hi : Infinity;
    }
    const peak = Math.pow(this.#m, k);
    return {
      index: k,
      firstStep: b0.ceil,
      nextFirstStep: b1.ceil,
      startOffset: b0.off,
      endOffset: b1.endOff,
      length,
      peak,
      amp: ampOf(this.#oma, peak),
      lamp: scaledAmp(this.#lr0, this.#oma, this.#m, k, peak),
      k2: HALF_PI / length,
    };
  }
}

/** Rescaling step of the double-double powering (see #boundaryDD). */
const SCALE_BITS = 128;

/** x·2^e for e ≥ 0 (2^e itself overflows above e = 1023; x·2^e need not). */
function mulPow2(x: number, e: number): number {
  let r = x;
  for (; e > 1000 && Number.isFinite(r); e -= 1000) r *= 2 ** 1000;
  return r * 2 ** e;
}

/** x·2^e for a double-double (exact while neither part leaves the double range). */
function scaleDD(x: DD, e: number, out: DD): DD {
  const f = 2 ** e;
  out.hi = x.hi * f;
  out.lo = x.lo * f;
  return out;
}

/** The value inside period p: distances to both ends from exact integer differences plus offsets. */
function kernel(s: number, p: Period, lr0: number, alpha: number): number {
  const a = s - p.firstStep + p.startOffset;
  const b = p.nextFirstStep - s - 1 + p.endOffset;
  if (lr0 === 0) return 0; // exact; 0 · (an overflowed amplitude) would be NaN
  if (a === 0 && p.peak === 1) return lr0; // a peak with m_mul^k = 1: exactly lr0 (see #valueArith)
  if (p.lamp === p.lamp) return p.lamp * cosFactor(b, a, p.k2) + lr0 * alpha; // m^k out of range (rare)
  return lr0 * (p.amp * cosFactor(b, a, p.k2) + alpha);
}

/**
 * lr0·(1 − α)·m^k when m^k = `peak` is outside [2^-900, 2^900] (it may have overflowed
 * to ∞ or underflowed to 0 while lr0·m^k is an ordinary number: lr0 = 1e-300, m = 2,
 * k = 1100 is 1.4e31), else NaN (the caller then uses lr0·((1 − α)·m^k·g + α) as
 * before). With q = m^(k/4) (< 1 ulp, finite whenever the product is): ((lr0·q)·(1 − α))·q·q·q,
 * each partial product between lr0·q and the result, so none overflows or underflows
 * before the result does (for |1 − α| ≤ 2^100); ≲ 9 ulp.
 */
function scaledAmp(lr0: number, oma: number, m: number, k: number, peak: number): number {
  if (oma === 0 || lr0 === 0 || m === 0 || (peak >= 2 ** -900 && peak <= 2 ** 900)) return Number.NaN;
  const q = Math.pow(m, k / 4);
  return lr0 * q * oma * q * q * q;
}

/** (1 − α)·m_mul^k, exactly 0 for α = 1 even when m_mul^k overflows (0 · ∞ would be NaN). */
function ampOf(oma: number, peak: number): number {
  return oma === 0 ? 0 : oma * peak;
}
