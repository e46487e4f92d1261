/**
 * Correctly rounded sum of a few doubles with BigInt (internal; rare slow paths only).
 */
import { dyadicSum } from './exact.ts';

/**
 * fl(Σ xs) correctly rounded (round to nearest even) from the exact dyadic sum.
 * @example exactSum(1e16, 1, -1e16) // 1
 */
export function exactSum(...xs: readonly number[]): number {
  const { m, e } = dyadicSum(xs);
  return m === 0n ? 0 : bigRatToNumber(m, 1n, e);
}

/**
 * The double nearest to (n/d)·2^e (d > 0), correctly rounded for results in the
 * normal range (subnormal results are rounded twice, a documented nicety not needed here).
 */
export function bigRatToNumber(n: bigint, d: bigint, e = 0): number {
  if (n === 0n) return 0;
  const neg = n < 0n;
  let a = neg ? -n : n;
  // scale so that the integer quotient has ≥ 66 bits, keep a sticky bit for the rest
  const shift = 66 - (a.toString(2).length - d.toString(2).length);
  if (shift > 0) a <<= BigInt(shift);
  const den = shift < 0 ? d << BigInt(-shift) : d;
  let q = a / den;
  if (q * den !== a) q |= 1n; // sticky: the dropped bits are not all zero
  // Number(q) rounds correctly (q has ≥ 66 bits, the sticky bit breaks exact-half ties)
  const v = Number(q);
  const r = v * 2 ** (e - shift);
  // e − shift may be outside the range of 2^x; apply it in two steps
  const res = Number.isFinite(r) && r !== 0 ? r : v * 2 ** Math.trunc((e - shift) / 2) * 2 ** (e - shift - Math.trunc((e - shift) / 2));
  return neg ? -res : res;
}
