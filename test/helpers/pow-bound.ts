/** The derived bounds of docs/accuracy.md on powInt (src/schedules/exp-kernel.ts) and on a product with it. */

const u = 2 ** -53;

/** |powInt(rate, q) − rate^q|/rate^q ≤ u (the rounding of the double-double) + (1 + 7u²)^(q−1) − 1, taken with (1 + u). */
export const powIntBound = (q: number): number => u + (1 + u) * Math.expm1((q - 1) * Math.log1p(7 * u * u));

/** x·powInt(rate, q) for an exact x, rounded once: powIntBound(q) and one more rounding. */
export const scaledPowIntBound = (q: number): number => {
  const p = powIntBound(q);
  return p + u * (1 + p);
};
