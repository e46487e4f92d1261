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
