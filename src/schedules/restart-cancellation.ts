/**
 * The cancellation slow paths of CosineDecayRestarts (internal to src/schedules): where
 * α outside [0, 1] makes A·g and lr0·α cancel by more than 2^8, the value is recomputed
 * at 320 (then 1600) bits as C + A'·sin²(π/2·x) (restart-amplitude.ts cancelValue), with
 * the exact zeros at x = 1/2, 1/3 of a period recognised with exact rationals. The class
 * (cosine-decay-restarts.ts) calls `arith` (t_mul = 1) or `geometric` (t_mul > 1) only
 * after its double path returned NaN.
 */
import {
  BF_ZERO,
  P_EXACT,
  P_HI,
  P_INF,
  P_LO,
  bfAdd,
  bfDiv,
  bfExp,
  bfHuge,
  bfMul,
  bfNeg,
  bfNum,
  bfPow,
  bfSub,
  bfToNumber,
  bitLen,
  powExact,
  type BF,
} from './binary-float.ts';
import { cancelValue, makeAmp } from './restart-amplitude.ts';
import type { GeoPeriod, GeometricPeriods } from './restart-periods.ts';

/** What the slow paths read of a config (all exact; fixed at construction). */
export interface CancellationInputs {
  readonly lr0: number;
  /** m_mul */
  readonly m: number;
  /** m_mul as a BF */
  readonly mBF: BF;
  /** m_mul = m·2^e, m odd (m_mul > 0) */
  readonly mOdd: { m: bigint; e: number };
  /** lr0·α exactly */
  readonly laBF: BF;
  /** lr0·(1 − α) exactly */
  readonly lr0oma: BF;
  /** D = Dm·2^De, Dm odd */
  readonly Dm: bigint;
  readonly De: number;
}

export class RestartCancellation {
  readonly #lr0: number;
  readonly #m: number;
  readonly #mBF: BF;
  readonly #mOdd: { m: bigint; e: number };
  readonly #laBF: BF;
  readonly #lr0oma: BF;
  readonly #Dm: bigint;
  readonly #De: number;
  // the constant part of the last period (#constant)
  #constK = -1n;
  #constVal: { c: BF; err: number } | null = null;

  constructor(c: CancellationInputs) {
    this.#lr0 = c.lr0;
    this.#m = c.m;
    this.#mBF = c.mBF;
    this.#mOdd = c.mOdd;
    this.#laBF = c.laBF;
    this.#lr0oma = c.lr0oma;
    this.#Dm = c.Dm;
    this.#De = c.De;
  }

  /**
   * t = 1, period k, rem = s mod D (exact), `amp` the period's amplitude as a BF (null on
   * the double fast path: formed here), `peakOne`: m_mul^k = 1.
   */
  arith(k: bigint, rem: number, D: number, fromEnd: boolean, amp: BF | null, peakOne: boolean): number {
    // cancellation (α outside [0, 1]): x exactly from rem and D
    const Db = bfNum(D);
    const num = fromEnd ? bfSub(Db, bfNum(rem), P_EXACT) : bfNum(rem);
    const ampBF = amp ?? makeAmp(this.#lr0oma, bfPow(this.#mBF, k, P_LO), P_LO).bf ?? BF_ZERO;
    const xLo = bfDiv(num, Db, P_LO); // num and D exact: one rounding, relative
    const lo = this.#slow(ampBF, k, xLo, fromEnd, P_LO, xLo.m === 0n ? -Infinity : bfExp(xLo) + 1 - P_LO);
    if (lo !== null) return lo;
    const ex = this.#exactAt(k, { m: num.m, e: num.e }, fromEnd); // num: D − rem or rem, exact
    if (ex !== null) return ex;
    const mk = peakOne ? { m: 1n, e: 0 } : bfPow(this.#mBF, k, P_HI);
    const ampHi = makeAmp(this.#lr0oma, mk, P_HI);
    const xHi = bfDiv(num, Db, P_HI);
    return this.#slow(ampHi.bf ?? BF_ZERO, k, xHi, fromEnd, P_HI, xHi.m === 0n ? -Infinity : bfExp(xHi) + 1 - P_HI) ?? 0;
  }

  /** t > 1, step s in period p (`amp` its amplitude as a BF), `geo` the periods it came from. */
  geometric(s: number, p: GeoPeriod, amp: BF | null, fromEnd: boolean, geo: GeometricPeriods): number {
    // cancellation (α outside [0, 1]): x from the period's B_k, B_{k+1}, L_k
    const sb = bfNum(s);
    const lo = this.#slow(amp ?? BF_ZERO, p.k, reduced(sb, p, fromEnd), fromEnd, P_LO, reducedErr(p, fromEnd));
    if (lo !== null) return lo;
    const xr = geo.exactReduced(p.k, s, fromEnd);
    const ex = xr === null ? null : this.#exactAt(p.k, xr, fromEnd);
    if (ex !== null) return ex;
    const hp = geo.periodHi(p.k);
    const ampHi = makeAmp(this.#lr0oma, hp.mk, P_HI);
    return this.#slow(ampHi.bf ?? BF_ZERO, p.k, reduced(sb, hp, fromEnd), fromEnd, hp.p, reducedErr(hp, fromEnd)) ?? 0;
  }

  /**
   * The exact value where it can be an exact zero: x = num/den ∈ {1/3, 1/2} (then g is
   * 1/4, 1/2 (sin², from the end) or 3/4, 1/2 (cos²): dyadic, exact) and m_mul^k exact in
   * 2400 bits (m_mul^k = 1, or k ≤ 40). lr0·α + lr0·(1 − α)·m^k·g is then summed exactly and
   * rounded once: 0 for an exact zero (α = −1 in the middle of a period), without the
   * 1600-bit series. null when x is not such a fraction.
   */
  #exactAt(k: bigint, x: { m: bigint; e: number } | [bigint, bigint], fromEnd: boolean): number | null {
    let num: bigint;
    let den: bigint;
    if (Array.isArray(x)) [num, den] = x;
    else {
      // t = 1: x = n/D with n = m·2^e, D = Dm·2^De
      const sh = x.e - this.#De;
      num = sh >= 0 ? x.m << BigInt(sh) : x.m;
      den = sh >= 0 ? this.#Dm : this.#Dm << BigInt(-sh);
    }
    let g: BF;
    if (2n * num === den) g = { m: 1n, e: -1 };
    else if (3n * num === den) g = fromEnd ? { m: 1n, e: -2 } : { m: 3n, e: -2 };
    else return null;
    const one = this.#m === 1 || k === 0n;
    const mk = one ? { m: 1n, e: 0 } : powExact(this.#mOdd.m, this.#mOdd.e, k);
    if (mk === null) return null;
    // the products exact, the sum exact then kept to 1600 bits (an exact zero stays 0)
    const v = bfAdd(this.#laBF, bfMul(bfMul(this.#lr0oma, mk, P_INF), g, P_INF), P_HI);
    return bfToNumber(v);
  }

  /**
   * The cancellation slow path at precision p (restart-amplitude.ts cancelValue): from the end
   * lr0·α + A·sin²(π/2·x); from the start c − A·sin²(π/2·x) with the constant part
   * c = lr0·((1 − α)·m^k + α) exact (#constant), so that c = 0 (α = −1 with m^k = 1/2, …)
   * right after a restart of a very long period is −A·sin², without cancellation.
   */
  #slow(amp: BF, k: bigint, x: BF, fromEnd: boolean, p: number, xErr: number): number | null {
    const kb = bitLen(k);
    if (fromEnd) return cancelValue(amp, this.#laBF, x, p, xErr, kb);
    // a saturated amplitude (the "huge" marker of an A·g that overflows for every g) is no
    // number to subtract from the exact c: the constant is formed from the marker itself
    const c = (bfHuge(amp) ? null : this.#constant(k)) ?? { c: bfAdd(this.#laBF, amp, p), err: amp.m === 0n ? -Infinity : bfExp(amp) + kb + 4 - p };
    return cancelValue(bfNeg(amp), c.c, x, p, xErr, kb, c.err);
  }

  /**
   * c = lr0·α + lr0·(1 − α)·m^k for period k, with log2 of its absolute error (−∞: exact; an
   * exact 0 is then certain): exact sums of exact products where m^k is exact (m_mul = 1 or
   * k = 0: c = lr0; m_mul a power of two: any k; else k·bitLen ≤ 4096 bits), else at 1600
   * bits. null where m^k saturates (the amplitude is then 0 or ±∞: no cancellation reaches
   * here). Memoised for the last k (a fill visits each period once).
   */
  #constant(k: bigint): { c: BF; err: number } | null {
    if (k === this.#constK) return this.#constVal;
    let r: { c: BF; err: number } | null;
    if (this.#m === 1 || k === 0n) r = { c: bfNum(this.#lr0), err: -Infinity }; // (1 − α) + α = 1
    else if (this.#m === 0) r = { c: this.#laBF, err: -Infinity };
    else {
      const mk = powExact(this.#mOdd.m, this.#mOdd.e, k);
      if (mk !== null) {
        const c = bfAdd(this.#laBF, bfMul(this.#lr0oma, mk, P_INF), P_HI); // exact sum, kept to 1600 bits
        r = { c, err: c.m === 0n ? -Infinity : bfExp(c) + 1 - P_HI };
      } else {
        const mk2 = bfPow(this.#mBF, k, P_HI); // 2k roundings
        if (mk2.m === 0n || bfHuge(mk2) || bfExp(mk2) < -(2 ** 24)) r = null;
        else {
          const prod = bfMul(this.#lr0oma, mk2, P_HI);
          const c = bfAdd(this.#laBF, prod, P_HI);
          r = { c, err: Math.max(bfExp(prod) + bitLen(k) + 3 - P_HI, c.m === 0n ? -Infinity : bfExp(c) + 1 - P_HI) + 1 };
        }
      }
    }
    this.#constK = k;
    this.#constVal = r;
    return r;
  }
}

/** min(a, b)/L as a BF at the period's precision. */
function reduced(sb: BF, p: GeoPeriod, fromEnd: boolean): BF {
  const d = fromEnd ? bfSub(p.bk1, sb, p.p) : bfSub(sb, p.bk, p.p);
  return bfDiv(d, p.len, p.p);
}

/** log2 of reduced's absolute error: B_k's bound (GeometricPeriods) over L_k, plus the rounding. */
function reducedErr(p: GeoPeriod, fromEnd: boolean): number {
  const b = fromEnd ? p.bk1 : p.bk;
  const eb = b.m === 0n ? -Infinity : Math.max(bfExp(b), 0) + bitLen(p.k) + 60 - p.p;
  return Math.max(eb - bfExp(p.len), 2 - p.p);
}
