/**
 * The WebAssembly SIMD modules of the CPU path (cosine.wat, restarts.wat, …): each instantiated
 * lazily from its generated base64 bytes, where the engine validates it (WebAssembly SIMD) and
 * allows synchronous instantiation; one switch turns every module's loops off (setWasmLoops:
 * tests and the benchmark's "no wasm" row run the JS loops of the same operations).
 */

/** Values per call into a module (its memory holds 4 pages: 256 KiB; a chunk of f64 takes 64 KiB). */
export const CHUNK = 8192;

/** A module instance and the views of its memory that receive values (f32 and f64, CHUNK + 4 long: the loops may write up to 3 values past the last one). */
export interface Kernels<E> {
  readonly ex: E;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
}

let enabled = true;

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** One module: `active()` is its instance (null where it cannot run or the loops are turned off), `available()` whether it runs on this engine. */
export interface WasmModule<E> {
  active(): Kernels<E> | null;
  available(): boolean;
}

/** The lazily instantiated module of `base64` (exports: `memory` and the loops E). */
export function wasmModule<E extends { readonly memory: WebAssembly.Memory }>(base64: string): WasmModule<E> {
  let kernels: Kernels<E> | null | undefined; // undefined: not tried yet; null: unavailable
  const load = (): Kernels<E> | null => {
    try {
      if (typeof WebAssembly === 'undefined') return null;
      const bytes = decode(base64);
      if (!WebAssembly.validate(bytes)) return null; // no SIMD
      const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as E;
      return { ex, f32: new Float32Array(ex.memory.buffer, 0, CHUNK + 4), f64: new Float64Array(ex.memory.buffer, 0, CHUNK + 4) };
    } catch {
      return null; // e.g. a main thread that refuses synchronous compilation
    }
  };
  const available = (): boolean => {
    if (kernels === undefined) kernels = load();
    return kernels !== null;
  };
  return { active: () => (enabled && available() ? (kernels as Kernels<E>) : null), available };
}

/** Turns every module's WebAssembly loops on or off (tests and benchmarks of the JS paths, which give the same values); returns the previous setting. */
export function setWasmLoops(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** Rows shorter than this run the JS loops directly (a call and a copy cost more than they save). */
const MIN_VIA = 16;

/**
 * Runs `fill(o, c0, len, K)` over a row's chunks for loops that write many short stretches: with
 * the module, `o` is its memory view of out's type (the JS loops write there too) and each chunk
 * is copied to out[c0 …] after; without it (or for a short row), once over the whole row into
 * `out` with K null.
 */
export function viaModule<E>(mod: WasmModule<E>, out: Float32Array | Float64Array, count: number, fill: (o: Float32Array | Float64Array, c0: number, len: number, K: Kernels<E> | null) => void): void {
  const K = count >= MIN_VIA ? mod.active() : null;
  if (K === null) {
    fill(out, 0, count, null);
    return;
  }
  const view = out instanceof Float32Array ? K.f32 : K.f64;
  for (let c0 = 0; c0 < count; c0 += CHUNK) {
    const len = Math.min(CHUNK, count - c0);
    fill(view, c0, len, K);
    out.set(view.subarray(0, len), c0);
  }
}

/** The first j in [lo, hi) where `pred` (false, then true from some j on) holds, else hi; searched from `guess`. */
export function firstTrue(lo: number, hi: number, guess: number, pred: (j: number) => boolean): number {
  let j = Math.min(Math.max(guess, lo), hi);
  while (j > lo && pred(j - 1)) j--;
  while (j < hi && !pred(j)) j++;
  return j;
}
