/**
 * Range fills of piecewise-constant stretches (internal): a stretch of steps that share one value
 * is one `out.fill` (a native loop) instead of a store per step, the same value rounded the same
 * way (a Float32Array's fill rounds as its element store does).
 */
import type { FillOutput } from './schedule.ts';

/**
 * The first index e in (j, count] whose step start + e·stride lies above `last` (count if none):
 * the end of the stretch of steps ≤ last that starts at index j (its step ≤ last). A guess from
 * the quotient, then exact comparisons (the steps are integers ≤ 2^53).
 */
export function stretchEnd(start: number, stride: number, j: number, count: number, last: number): number {
  if (!(last < Infinity)) return count;
  let e = Math.min(count, Math.max(j + 1, Math.floor((last - start) / stride) + 1));
  while (e > j + 1 && start + (e - 1) * stride > last) e--;
  while (e < count && start + e * stride <= last) e++;
  return e;
}

/**
 * A staircase over a range: out[i] = valueOfQ(q) for the steps s = start + i·stride with
 * floor(s/D) = q (an integer D ≤ 2^53: q = (s − s mod D)/D exactly), one `out.fill` per q; where
 * valueOfQ gives NaN, `ref` per step.
 */
export function stairRange(out: FillOutput, start: number, stride: number, count: number, D: number, valueOfQ: (q: number) => number, ref: (s: number) => number): void {
  for (let i = 0; i < count; ) {
    const s = start + i * stride;
    const q = (s - (s % D)) / D;
    const top = (q + 1) * D; // the next q's first step (beyond 2^53: no later step leaves q)
    const e = stretchEnd(start, stride, i, count, top <= 2 ** 53 ? top - 1 : Infinity);
    const v = valueOfQ(q);
    if (v === v) out.fill(v, i, e);
    else for (let j = i; j < e; j++) out[j] = ref(start + j * stride);
    i = e;
  }
}
