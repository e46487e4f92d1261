/**
 * CosineDecayRestarts' per-step maths as module-level functions of plain numbers (internal):
 * phaseSq (the cos² factor from the nearer end of a period) and geoRun (the fill loop over
 * one period's steps).
 */
import { HALF_PI, type FillOutput } from './schedule.ts';
import type { StepList } from './types.ts';

/**
 * #kernel over the steps i0, i0 + 1, … that lie in one period [first, next) whose amplitude is
 * the double `ad`, bit for bit (the same operations on the same doubles as #kernel, phaseSq and
 * #combine's double path); returns the index of the first step it did not write: one outside
 * the period, or one whose value needs #kernel (its sum cancels: α outside [0, 1]). Number
 * parameters are copied through `x * 1` (see cosine-decay.ts: V8 unboxes them at every use otherwise).
 */
export function geoRun(
  out: FillOutput,
  list: StepList | null,
  i0: number,
  count: number,
  start: number,
  stride: number,
  first: number,
  next: number,
  nextHi: number,
  startOffset: number,
  endOffset: number,
  length: number,
  ad: number,
  la: number,
  lr0: number,
  peakOne: boolean,
  cancel: boolean,
): number {
  const s0 = start * 1, ds = stride * 1, f1 = first * 1, n1 = next * 1, nh = nextHi * 1, so = startOffset * 1, eo = endOffset * 1;
  const L = length * 1, A = ad * 1, la1 = la * 1, l1 = lr0 * 1;
  for (let i = i0; i < count; i++) {
    const s = list === null ? s0 + i * ds : (list[i] as number);
    if (s < f1 || s >= n1) return i;
    const a = s - f1 + so;
    const b = nh + (2 ** 53 - 1 - s) + eo;
    if (a === 0 && peakOne) {
      out[i] = l1;
      continue;
    }
    let g: number;
    if (b <= a) {
      const x = Math.sin(HALF_PI * (b / L));
      g = x * x;
    } else {
      const y = Math.cos(HALF_PI * (a / L));
      g = y * y;
    }
    const t1 = A * g;
    const v = t1 + la1;
    if (v !== v || (cancel && !(Math.abs(v) >= 2 ** -8 * Math.max(Math.abs(t1), Math.abs(la1))))) return i;
    out[i] = v;
  }
  return count;
}

/**
 * #valueArith (t_mul = 1, an integer D ≤ 2^52) over the steps i0, … of period k (s in
 * [k·D, (k + 1)·D), k = floor(s/D), floorDiv's value, given: the period of step i0 − 1) whose amplitude is the double
 * `ad`, bit for bit; returns the index of the first step it did not write (another period, or a
 * cancelling value). Number parameters are copied through `x * 1` (see cosine-decay.ts).
 */
export function arithRun(
  out: FillOutput,
  list: StepList | null,
  i0: number,
  count: number,
  start: number,
  stride: number,
  D: number,
  k: number,
  ad: number,
  la: number,
  lr0: number,
  peakOne: boolean,
  cancel: boolean,
): number {
  const s0 = start * 1, ds = stride * 1, D1 = D * 1, A = ad * 1, la1 = la * 1, l1 = lr0 * 1;
  // the period [k·D, (k + 1)·D): k·D ≤ a step already in it ≤ 2^53 is exact, so rem = s − k·D is
  // s mod D exactly (no fmod per step); a rounded end (above 2^53) can only end the run early
  const base = k * D1;
  const end = base + D1;
  for (let i = i0; i < count; i++) {
    const s = list === null ? s0 + i * ds : (list[i] as number);
    if (s < base || s >= end) return i;
    const rem = s - base;
    if (rem === 0 && peakOne) {
      out[i] = l1;
      continue;
    }
    const u = D1 - rem;
    let g: number;
    if (u <= rem) {
      const x = Math.sin(HALF_PI * (u / D1));
      g = x * x;
    } else {
      const y = Math.cos(HALF_PI * (rem / D1));
      g = y * y;
    }
    const t1 = A * g;
    const v = t1 + la1;
    if (v !== v || (cancel && !(Math.abs(v) >= 2 ** -8 * Math.max(Math.abs(t1), Math.abs(la1))))) return i;
    out[i] = v;
  }
  return count;
}

/**
 * cos²(π/2·x) at x = a/L, a step's place in a period of length L, from the nearer end:
 * sin²(π/2·b/L) with b = L − a when `fromEnd` (b ≤ a), else cos²(π/2·a/L), so the
 * argument is ≤ π/4 and the small distance keeps its relative accuracy.
 */
export function phaseSq(fromEnd: boolean, b: number, a: number, L: number): number {
  if (fromEnd) {
    const x = Math.sin(HALF_PI * (b / L));
    return x * x;
  }
  const y = Math.cos(HALF_PI * (a / L));
  return y * y;
}
