/**
 * CosineDecayRestarts' range fills on the WebAssembly SIMD loop of restarts.wat (internal). A row
 * is filled into the module's memory in chunks (`viaRestartsModule`): the JS loops of
 * restart-fill.ts write there as they would into the caller's array (a period's first step, a
 * peak, an amplitude that needs the scaled form), and each period's other steps are one call of
 * `phase_run` (`phaseWasm`); the chunk is then copied out once. Without WebAssembly SIMD, or with
 * the loops turned off (setWasmLoops in load.ts), the JS loops write the caller's array directly.
 * The values are those of `at()`, bit for bit, on either path (restarts.wat's header says why).
 */
import type { FillOutput } from '../schedule.ts';
import { viaModule, wasmModule, type Kernels } from './load.ts';
import { RESTARTS_WASM } from './restarts.generated.ts';

export interface RestartExports {
  readonly memory: WebAssembly.Memory;
  phase_run(out: number, nc: number, n: number, s0: number, ds: number, f1: number, so: number, nh: number, eo: number, L: number, A: number, la: number, f32: number): void;
}

const restarts = wasmModule<RestartExports>(RESTARTS_WASM);

/** Whether the WebAssembly SIMD loop of CosineDecayRestarts runs on this engine (false: the JS loops). */
export const restartsWasmAvailable = restarts.available;

/** Periods with fewer steps left than this run the JS loops (a call costs more than it saves). */
const MIN_WASM = 16;

/** The module the JS loops hand a period to: set while `out` is that module's memory view. */
export type RestartKernels = Kernels<RestartExports>;

/** viaModule (load.ts) with this module: the row's chunks in its memory, copied out once each. */
export function viaRestartsModule(out: FillOutput, count: number, fill: (o: FillOutput, c0: number, len: number, K: RestartKernels | null) => void): void {
  viaModule(restarts, out, count, fill);
}

/**
 * The steps i0, i0 + 1, … (s = s0 + i·ds, a range) of one period [f1, n1) whose amplitude is the
 * finite double A and whose values cannot cancel (α ∈ [0, 1]) into `out`, the module's memory view:
 * a peak with m_mul^k = 1 (a = 0) is lr0, the other steps are phase_run (restarts.wat, the
 * operations of geoRun). The step at i0 must lie in the period. Returns the index of the first
 * step it did not write (outside the period), or i0 when the period has too few steps left (the
 * caller runs its JS loop).
 */
export function phaseWasm(
  K: RestartKernels,
  out: FillOutput,
  i0: number,
  count: number,
  s0: number,
  ds: number,
  f1: number,
  n1: number,
  so: number,
  nh: number,
  eo: number,
  L: number,
  A: number,
  la: number,
  lr0: number,
  peakOne: boolean,
): number {
  const sI = s0 + i0 * ds;
  // e: the first step at or past n1 (a guess, then exact comparisons; no closures: this runs once per period)
  let e = count;
  if (n1 !== Infinity) {
    e = Math.min(Math.max(i0 + Math.ceil((n1 - sI) / ds), i0), count);
    while (e > i0 && s0 + (e - 1) * ds >= n1) e--;
    while (e < count && s0 + e * ds < n1) e++;
  }
  if (e - i0 < MIN_WASM || !(Math.abs(L) < Infinity) || !(Math.abs(A) < Infinity)) return i0;
  let i = i0;
  if (sI - f1 + so === 0 && peakOne) out[i++] = lr0;
  // nc: the first step from the end (b ≤ a: b falls and a rises with the step), from a guess at the middle
  const mid = i0 + Math.ceil((f1 - so + L / 2 - sI) / ds);
  let nc = Math.min(Math.max(Number.isFinite(mid) ? mid : i, i), e);
  for (let s = s0 + (nc - 1) * ds; nc > i && nh + (2 ** 53 - 1 - s) + eo <= s - f1 + so; s -= ds) nc--;
  for (let s = s0 + nc * ds; nc < e && !(nh + (2 ** 53 - 1 - s) + eo <= s - f1 + so); s += ds) nc++;
  const f32 = out instanceof Float32Array ? 1 : 0;
  K.ex.phase_run(i << (f32 ? 2 : 3), nc - i, e - i, s0 + i * ds, ds, f1, so, nh, eo, L, A, la, f32);
  return e;
}
