/**
 * CosineDecay's range fills (α ∈ [0, 1]) on the WebAssembly SIMD loops of cosine.wat, with JS
 * loops of the same operations where WebAssembly SIMD is missing (feature-detected with
 * WebAssembly.validate on the module itself) or turned off (setWasmLoops in load.ts), and for
 * short segments. A range of steps is split into the segments a step's value takes (step 0, the
 * warmup line, cos² from the start, sin² from the end, the floor past the end: each predicate
 * is monotone in the step, so each segment is contiguous), each segment runs one loop, and
 * the values are copied out of the module's memory in chunks. The values are those of `at()`,
 * bit for bit, on either path (cosine.wat's header says why).
 */
import type { FillOutput } from '../schedule.ts';
import { warmup } from '../warmup-line.ts';
import { COSINE_WASM } from './cosine.generated.ts';
import { CHUNK, firstTrue, wasmModule, type Kernels as K } from './load.ts';
import { COS_BIG, COS_SMALL, cosQ, sinQ } from './quarter-trig.ts';

interface CosineExports {
  readonly memory: WebAssembly.Memory;
  cos_small_run(out: number, n: number, s0: number, ds: number, k: number, f: number, oma: number, a: number, f32: number): void;
  cos_mid_run(out: number, n: number, s0: number, ds: number, k: number, f: number, oma: number, a: number, f32: number): void;
  sin_run(out: number, n: number, s0: number, ds: number, D: number, k: number, f: number, oma: number, a: number, f32: number): void;
  warm_run(out: number, n: number, s0: number, ds: number, W: number, lr0: number, wt: number, f32: number): void;
}

const cosine = wasmModule<CosineExports>(COSINE_WASM);
const active = cosine.active;

/** Whether the WebAssembly SIMD loops of CosineDecay run on this engine (false: the JS loops). */
export const cosineWasmAvailable = cosine.available;

/** Segments shorter than this run the JS loop (a call and a copy cost more than they save). */
const MIN_WASM = 16;

type Kernels = K<CosineExports>;

/** Copies `len` values from the module's memory to out[o …]. */
function copyOut(K: Kernels, out: FillOutput, o: number, len: number): void {
  out.set(out instanceof Float32Array ? K.f32.subarray(0, len) : K.f64.subarray(0, len), o);
}

/**
 * out[o + j] = f·(oma·cos²(k·s) + a), s = s0 + j·ds, j < m (2·s < D: the argument is < π/4), by
 * the branch of __kernel_cos that k·s takes (monotone in s): cos_small_run below COS_SMALL,
 * cos_mid_run below COS_BIG, the JS loop for the few steps beyond.
 */
function cosSegment(out: FillOutput, o: number, m: number, s0: number, ds: number, k: number, f: number, oma: number, a: number): void {
  const K = m >= MIN_WASM ? active() : null;
  let j0 = 0;
  if (K !== null) {
    const mid = firstTrue(0, m, Math.ceil((COS_SMALL / k - s0) / ds), (j) => k * (s0 + j * ds) >= COS_SMALL);
    const big = firstTrue(mid, m, Math.ceil((COS_BIG / k - s0) / ds), (j) => k * (s0 + j * ds) >= COS_BIG);
    const f32 = out instanceof Float32Array ? 1 : 0;
    for (let c = 0; c < mid; c += CHUNK) {
      const len = Math.min(CHUNK, mid - c);
      K.ex.cos_small_run(0, len, s0 + c * ds, ds, k, f, oma, a, f32);
      copyOut(K, out, o + c, len);
    }
    for (let c = mid; c < big; c += CHUNK) {
      const len = Math.min(CHUNK, big - c);
      K.ex.cos_mid_run(0, len, s0 + c * ds, ds, k, f, oma, a, f32);
      copyOut(K, out, o + c, len);
    }
    j0 = big;
  }
  const s1 = s0 * 1, d1 = ds * 1, k1 = k * 1, f1 = f * 1, om1 = oma * 1, a1 = a * 1; // unboxed (see cosine-decay.ts)
  for (let j = j0; j < m; j++) {
    const y = cosQ(k1 * (s1 + j * d1));
    out[o + j] = f1 * (om1 * (y * y) + a1);
  }
}

/** out[o + j] = f·(oma·sin²(k·(D − s)) + a), s = s0 + j·ds, j < m (D − s ≤ s, s < D). */
function sinSegment(out: FillOutput, o: number, m: number, s0: number, ds: number, D: number, k: number, f: number, oma: number, a: number): void {
  const K = m >= MIN_WASM ? active() : null;
  if (K === null) {
    const s1 = s0 * 1, d1 = ds * 1, D1 = D * 1, k1 = k * 1, f1 = f * 1, om1 = oma * 1, a1 = a * 1;
    for (let j = 0; j < m; j++) {
      const x = sinQ(k1 * (D1 - (s1 + j * d1)));
      out[o + j] = f1 * (om1 * (x * x) + a1);
    }
    return;
  }
  const f32 = out instanceof Float32Array ? 1 : 0;
  for (let c = 0; c < m; c += CHUNK) {
    const len = Math.min(CHUNK, m - c);
    K.ex.sin_run(0, len, s0 + c * ds, ds, D, k, f, oma, a, f32);
    copyOut(K, out, o + c, len);
  }
}

/** out[o + j] = warmup(s, W, lr0, wt), s = s0 + j·ds, 0 < s < W. */
function warmSegment(out: FillOutput, o: number, m: number, s0: number, ds: number, W: number, lr0: number, wt: number): void {
  const K = m >= MIN_WASM ? active() : null;
  if (K === null) {
    const s1 = s0 * 1, d1 = ds * 1, W1 = W * 1, l1 = lr0 * 1, w1 = wt * 1;
    for (let j = 0; j < m; j++) out[o + j] = warmup(s1 + j * d1, W1, l1, w1);
    return;
  }
  const f32 = out instanceof Float32Array ? 1 : 0;
  for (let c = 0; c < m; c += CHUNK) {
    const len = Math.min(CHUNK, m - c);
    K.ex.warm_run(0, len, s0 + c * ds, ds, W, lr0, wt, f32);
    copyOut(K, out, o + c, len);
  }
}

/**
 * CosineDecay without warmup, α ∈ [0, 1], at the steps s0 + j·ds (j < n) into out[o …]:
 * `from` at step 0, from·((1 − α)·g + α) with g = cos²(k·s) while D − s > s and sin²(k·(D − s))
 * after, from·α from D on (cosine-decay.ts's plain(), bit for bit).
 */
export function cosineRange(out: FillOutput, o: number, n: number, s0: number, ds: number, D: number, k: number, from: number, oma: number, a: number): void {
  let i = 0;
  if (s0 === 0 && n > 0) {
    out[o] = from;
    i = 1;
  }
  const iEnd = firstTrue(i, n, Math.ceil((D - s0) / ds), (j) => s0 + j * ds >= D);
  const iSin = firstTrue(i, iEnd, Math.ceil((D / 2 - s0) / ds), (j) => {
    const s = s0 + j * ds;
    return D - s <= s;
  });
  cosSegment(out, o + i, iSin - i, s0 + i * ds, ds, k, from, oma, a);
  sinSegment(out, o + iSin, iEnd - iSin, s0 + iSin * ds, ds, D, k, from, oma, a);
  const floor = from * a;
  for (let j = iEnd; j < n; j++) out[o + j] = floor;
}

/**
 * CosineDecay with warmup, integer W > 0 and D ≤ 2^53, α ∈ [0, 1], no scaling (cosine-decay.ts's
 * warmInt(), bit for bit): the line below W (lr0 at step 0), then cosineRange on s − W (exact)
 * from wt.
 */
export function cosineWarmRange(out: FillOutput, o: number, n: number, s0: number, ds: number, W: number, D: number, k: number, lr0: number, wt: number, oma: number, a: number): void {
  let i = 0;
  if (s0 === 0 && n > 0) {
    out[o] = lr0;
    i = 1;
  }
  const iW = firstTrue(i, n, Math.ceil((W - s0) / ds), (j) => s0 + j * ds >= W);
  warmSegment(out, o + i, iW - i, s0 + i * ds, ds, W, lr0, wt);
  if (iW < n) cosineRange(out, o + iW, n - iW, s0 + iW * ds - W, ds, D, k, wt, oma, a);
}
