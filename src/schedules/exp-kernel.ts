import { mulPow2, prodErr, split } from './exact.ts';
/**
 * e^y for |y| ≤ 700 as fdlibm's __ieee754_exp computes it (internal): y = k·ln 2 + r with
 * |r| ≤ ½·ln 2 (k·ln2_hi exact, ln 2 split in two), e^r = 1 − ((lo − r·c/(2 − c)) − hi) with
 * fdlibm's degree-5 rational remainder c, then ·2^k exactly. Error: fdlibm's, < 1 ulp. One
 * function for ExponentialDecay's at() and its fills (a few times cheaper than Math.pow), so the
 * two give the same doubles on every engine, whatever its Math.pow.
 */

const LN2_HI = 6.93147180369123816490e-1; // 0x3FE62E42_FEE00000: k·LN2_HI is exact for |k| < 2^21
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.4426950408889634074;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;

/** 2^k at index k + 1023, k = −1022 … 1023 (exact: repeated doubling and halving). */
const POW2 = new Float64Array(2046);
POW2[1023] = 1;
for (let k = 1; k <= 1023; k++) POW2[1023 + k] = (POW2[1022 + k] as number) * 2;
for (let k = 1; k <= 1022; k++) POW2[1023 - k] = (POW2[1024 - k] as number) / 2;

/** e^y for |y| ≤ 700 (fdlibm's algorithm, < 1 ulp; see the header). */
export function expQ(y: number): number {
  const k = Math.floor(y * INV_LN2 + 0.5);
  const hi = y - k * LN2_HI;
  const lo = k * LN2_LO;
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  return (1 - (lo - (r * c) / (2 - c) - hi)) * (POW2[k + 1023] as number);
}

/**
 * A positive double as m·2^e exactly, m ∈ [√½, √2), with L = |log2| of it (Math.log2: only a
 * cutoff uses it), for `powInt`.
 */
export interface PowBase {
  readonly rate: number;
  readonly m: number;
  readonly e: number;
  readonly L: number;
}

/** `rate` (finite, > 0) as a PowBase. */
export function powBase(rate: number): PowBase {
  const [m0, e0] = split(rate); // m0·2^e0 = rate exactly, m0 ∈ [1, 2); halving m0 is exact
  const big = m0 >= Math.SQRT2;
  return { rate, m: big ? m0 / 2 : m0, e: big ? e0 + 1 : e0, L: Math.abs(Math.log2(rate)) };
}

/** |log2 rate^q| beyond which lr0·rate^(q+f) is ±0 or ±∞ for every double lr0 and f ∈ [0, 1) (see powDD). */
export const POW_LOG2_CUTOFF = 2200;

/** powDD's result: rate^q = (hi + lo)·2^e, hi = fl(hi + lo) ∈ [2^-250, 2^250]. */
export const POW = { hi: 1, lo: 0, e: 0 };

const R_HI = 2 ** 250;
const R_LO = 2 ** -250;

/**
 * rate^q for an integer q ≥ 0 by binary powering in double-double on m (rate = m·2^e
 * exactly, so rate^q = m^q·2^(e·q)), into POW; false (POW untouched) where q·L > POW_LOG2_CUTOFF
 * or q is not finite: then lr0·rate^(q+f) is certainly ±0 (rate < 1: ≤ 2^1024·2^-2200) or ±∞
 * (rate > 1: ≥ 2^-1074·2^2200). Only +, −, · (IEEE, correctly rounded on every engine), so the
 * doubles and the bound are the code's, not an engine's pow's. Each product is Dekker's TwoProd
 * plus the cross terms and a Fast2Sum (ddMul in exact.ts: DWTimesDW1 of Joldes, Muller and
 * Popescu, 2017, relative error ≤ 7u², u = 2^-53); operands are kept in [2^-250, 2^250] by exact
 * power-of-two rescaling, so no product or error term under- or overflows. Binary powering
 * multiplies q − 1 rounded factors' worth ((1 + ε)^(2^k − 1) per squared base, one more per
 * product into the accumulator): relative error ≤ (1 + 7u²)^(q−1) − 1 ≈ 7(q − 1)u² (docs/accuracy.md).
 * At most 2·log2(q) products (≤ 128).
 */
export function powDD(b: PowBase, q: number): boolean {
  if (!(q * b.L <= POW_LOG2_CUTOFF)) return false;
  let ah = 1, al = 0, ae = 0; // the accumulator (ah + al)·2^ae
  let bh = b.m, bl = 0, be = 0; // the base m^(2^k) = (bh + bl)·2^be
  let n = q;
  for (;;) {
    const bit = n % 2;
    n = (n - bit) / 2; // exact: n − bit is even
    if (bit === 1) {
      const p = ah * bh;
      const t = prodErr(ah, bh, p) + (ah * bl + al * bh);
      ah = p + t;
      al = t - (ah - p);
      ae += be;
      if (!(ah <= R_HI && ah >= R_LO)) {
        const big = ah > 1; // exact rescaling by 2^∓250
        ah *= big ? R_LO : R_HI;
        al *= big ? R_LO : R_HI;
        ae += big ? 250 : -250;
      }
    }
    if (n === 0) break;
    const p = bh * bh;
    const t = prodErr(bh, bh, p) + 2 * bh * bl;
    bh = p + t;
    bl = t - (bh - p);
    be *= 2;
    if (!(bh <= R_HI && bh >= R_LO)) {
      const big = bh > 1; // exact rescaling by 2^∓250
      bh *= big ? R_LO : R_HI;
      bl *= big ? R_LO : R_HI;
      be += big ? 250 : -250;
    }
  }
  POW.hi = ah;
  POW.lo = al;
  POW.e = ae + b.e * q; // b.e ≠ 0 only where L ≥ ½, so q ≤ 4400: exact
  return true;
}

/** rate^q for an integer q ≥ 0 (powDD), rounded once: within u + 7(q − 1)u² relative where normal; 0 or ∞ beyond the cutoff. */
export function powInt(b: PowBase, q: number): number {
  if (q === 0) return 1;
  if (!powDD(b, q)) return b.rate > 1 ? Infinity : 0;
  return mulPow2(POW.hi, POW.e);
}
