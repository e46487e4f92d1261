/**
 * CosineDecayRestarts' per-step maths as module-level functions of plain numbers (internal):
 * phaseSq (the cos² factor from the nearer end of a period), geoRun and arithRun (the fill loops
 * over one period's steps, which hand a range's period to the WebAssembly loop when given its
 * module). sin and cos on [0, π/4] are quarter-trig.ts's sinQ and cosQ (fdlibm's kernels, which
 * restarts.wat repeats op for op; on V8 also Math.sin's and Math.cos's bits there).
 */
import { HALF_PI, type FillOutput } from './schedule.ts';
import type { StepList } from './types.ts';
import { phaseWasm, type RestartKernels } from './wasm/restart-run.ts';
import { cosQ, sinQ } from './wasm/quarter-trig.ts';

/**
 * #kernel over the steps i0, i0 + 1, … that lie in one period [first, next) whose amplitude is
 * the double `ad`, bit for bit (the same operations on the same doubles as #kernel, phaseSq and
 * #combine's double path); returns the index of the first step it did not write: one outside
 * the period, or one whose value needs #kernel (its sum cancels: α outside [0, 1]). With K (then
 * `out` is K's memory view and `list` null), a range's steps in the period run on phase_run.
 * Number parameters are copied through `x * 1` (see cosine-decay.ts: V8 unboxes them at every use
 * otherwise).
 */
export function geoRun(
  K: RestartKernels | null,
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
  if (K !== null && list === null && !cancel) {
    const e = phaseWasm(K, out, i0, count, s0, ds, f1, n1, so, nh, eo, L, A, la1, l1, peakOne);
    if (e > i0) return e;
  }
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
      const x = sinQ(HALF_PI * (b / L));
      g = x * x;
    } else {
      const y = cosQ(HALF_PI * (a / L));
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
 * #valueArith (t_mul = 1, an integer D ≤ 2^52) over the steps i0, … (given: the period k of step
 * i0 − 1, k = floor(s/D), floorDiv's value), bit for bit, period after period: the period
 * [k·D, (k + 1)·D) of a step is k = (s − s mod D)/D (exact), its amplitude the double
 * `ampAt(k)`, NaN where #valueArith takes another path. Returns the index of the first step it did
 * not write (an amplitude that is not a double, a cancelling value, an end beyond 2^53). With K,
 * each period is geoRun's with first step k·D, start offset 0, nextHi (k + 1)·D − 2^53 and end
 * offset 1 (a, b are then the exact integers rem and D − rem) on phase_run. Number parameters are
 * copied through `x * 1` (see cosine-decay.ts).
 */
export function arithRun(
  K: RestartKernels | null,
  out: FillOutput,
  list: StepList | null,
  i0: number,
  count: number,
  start: number,
  stride: number,
  D: number,
  k: number,
  la: number,
  lr0: number,
  mOne: boolean,
  cancel: boolean,
  ampAt: (k: number) => number,
): number {
  const s0 = start * 1, ds = stride * 1, D1 = D * 1, la1 = la * 1, l1 = lr0 * 1;
  // the period [k·D, (k + 1)·D): k·D ≤ a step already in it ≤ 2^53 is exact, so rem = s − k·D is
  // s mod D exactly (no fmod per step); a rounded end (above 2^53) can only end the run early
  let base = k * D1;
  let end = base + D1;
  let A = ampAt(k);
  let peakOne = mOne || k === 0;
  let i = i0;
  while (i < count) {
    if (A !== A) return i;
    if (K !== null && list === null && !cancel && end < 2 ** 53) i = phaseWasm(K, out, i, count, s0, ds, base, end, 0, end - 2 ** 53, 1, D1, A, la1, l1, peakOne);
    for (; i < count; i++) {
      const s = list === null ? s0 + i * ds : (list[i] as number);
      if (s < base || s >= end) break;
      const rem = s - base;
      if (rem === 0 && peakOne) {
        out[i] = l1;
        continue;
      }
      const u = D1 - rem;
      let g: number;
      if (u <= rem) {
        const x = sinQ(HALF_PI * (u / D1));
        g = x * x;
      } else {
        const y = cosQ(HALF_PI * (rem / D1));
        g = y * y;
      }
      const t1 = A * g;
      const v = t1 + la1;
      if (v !== v || (cancel && !(Math.abs(v) >= 2 ** -8 * Math.max(Math.abs(t1), Math.abs(la1))))) return i;
      out[i] = v;
    }
    if (i >= count) break;
    // step i lies in another period
    const s = list === null ? s0 + i * ds : (list[i] as number);
    const kk = (s - (s % D1)) / D1;
    base = kk * D1;
    end = base + D1;
    if (!(s < end)) return i;
    A = ampAt(kk);
    peakOne = mOne || kk === 0;
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
    const x = sinQ(HALF_PI * (b / L));
    return x * x;
  }
  const y = cosQ(HALF_PI * (a / L));
  return y * y;
}
