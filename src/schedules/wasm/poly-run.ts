/**
 * PolynomialDecay's range fills on the WebAssembly SIMD loop of poly.wat (internal), for the
 * configs fastFill takes with a non-increasing schedule (A ≥ 0) and a power that is a multiple of
 * ½ up to 16 (powUnit's products): the row is filled into the module's memory in chunks
 * (viaModule), each stretch of steps that shares a horizon (the decay; one cycle) is one call of
 * `poly_run`, the ends (step 0, a cycle's end, the floor past the decay) are written or filled in
 * JS, and a short stretch or a horizon above 2^52 runs fastFill. Without WebAssembly SIMD, or with
 * the loops turned off (setWasmLoops in load.ts), fastFill fills the row. The values are those
 * of `at()`, bit for bit (poly.wat's header says why).
 */
import type { FillOutput } from '../schedule.ts';
import { stretchEnd } from '../segments.ts';
import { viaModule, wasmModule, type Kernels } from './load.ts';
import { POLY_WASM } from './poly.generated.ts';

interface PolyExports {
  readonly memory: WebAssembly.Memory;
  poly_run(out: number, n: number, s0: number, ds: number, base: number, D: number, H: number, A: number, E: number, sg: number, e: number, half: number, f32: number): void;
}

const poly = wasmModule<PolyExports>(POLY_WASM);

/** Whether the WebAssembly SIMD loop of PolynomialDecay runs on this engine (false: the JS loop). */
export const polyWasmAvailable = poly.available;

/** Stretches shorter than this run fastFill (a call costs more than it saves). */
const MIN_WASM = 16;

/** The config as poly_run takes it: σ, L, E ≥ 0, A = L − E ≥ 0, an integer D ≤ 2^52, e = ⌊power⌋ and half = power − e (0 or ½), the end value. */
export interface PolyPlan {
  readonly sg: number;
  readonly L: number;
  readonly E: number;
  readonly A: number;
  readonly D: number;
  readonly e: number;
  readonly half: 0 | 1;
  readonly cycle: boolean;
  readonly end: number;
}

/** e and half of a power that is a multiple of ½ in (0, 16] (powUnit's product range), else null. */
export function halfPower(p: number): { e: number; half: 0 | 1 } | null {
  const twice = 2 * p;
  if (!(twice >= 1 && twice <= 32 && twice === Math.floor(twice))) return null;
  return { e: Math.floor(p), half: twice === 2 * Math.floor(p) ? 0 : 1 };
}

/**
 * out[i] = the value at start + i·stride, i < count, for `plan`; `js(o, s0, n)` is fastFill over
 * n steps from s0 into o (the JS loop, for short stretches, far horizons, and without the module).
 */
export function polyRange(out: FillOutput, start: number, stride: number, count: number, plan: PolyPlan, js: (o: FillOutput, s0: number, n: number) => void): void {
  const D = plan.D;
  // stretches of fewer than MIN_WASM steps (a stride near D): fastFill alone
  if (stride * MIN_WASM > D) return js(out, start, count);
  viaModule(poly, out, count, (o, c0, len, K) => (K === null ? js(o, start + c0 * stride, len) : stretches(K, o, start + c0 * stride, stride, len, plan, js)));
}

function stretches(K: Kernels<PolyExports>, out: FillOutput, start: number, stride: number, count: number, plan: PolyPlan, js: (o: FillOutput, s0: number, n: number) => void): void {
  const { D, end } = plan;
  const f32 = out instanceof Float32Array ? 1 : 0;
  const run = (i: number, e: number, base: number, H: number): void => {
    if (e - i >= MIN_WASM && H <= 2 ** 52) K.ex.poly_run(i << (f32 ? 2 : 3), e - i, start + i * stride, stride, base, D, H, plan.A, plan.E, plan.sg, plan.e, plan.half, f32);
    else js(out.subarray(i, e), start + i * stride, e - i);
  };
  let i = 0;
  if (start === 0) {
    out[0] = plan.sg * plan.L; // step 0: lr0
    i = 1;
  }
  if (!plan.cycle) {
    // the decay (s < D), then its end value
    const e = i < count && start + i * stride < D ? stretchEnd(start, stride, i, count, D - 1) : i;
    if (e > i) run(i, e, 0, D);
    out.fill(end, e, count);
    return;
  }
  while (i < count) {
    // one cycle: its end (s mod D = 0) is `end`, the steps after it share H = (q + 1)·D
    const s = start + i * stride;
    const rem = s % D;
    if (rem === 0) {
      out[i++] = end;
      continue;
    }
    const q = (s - rem) / D;
    const top = (q + 1) * D;
    const e = stretchEnd(start, stride, i, count, top <= 2 ** 53 ? top - 1 : Infinity);
    run(i, e, q * D, top);
    i = e;
  }
}
