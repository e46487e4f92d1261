/**
 * The peers the fused kernel and the CPU fallback are compared with, computing the
 * same formula: cosine decay with α = 0 and no warmup,
 * lr(s) = lr0 · 0.5 · (1 + cos(π · min(s, D) / D)).
 * - a naive JavaScript loop with Math.cos (f64, stored to float32);
 * - the same formula composed from @tensorflow/tfjs ops (cast, minimum, div, mul,
 *   cos, add, mul), one kernel per op, on tfjs's `webgpu` or `cpu` backend.
 * tfjs comes in from the environment (bench/run.ts, bench/page.ts): this file only
 * needs its types.
 */
import type * as TF from '@tensorflow/tfjs-core';

export type Tf = typeof TF;

/** The cosine-decay parameters the peers share with the project's CosineDecay. */
export interface CosineParams {
  readonly lr0: number;
  readonly decaySteps: number;
}

/** The naive loop: no tricks, Math.cos in f64, one float32 store per step. */
export function naiveCosine(p: CosineParams, start: number, out: Float32Array): Float32Array {
  const { lr0, decaySteps: d } = p;
  for (let i = 0; i < out.length; i++) {
    const s = Math.min(start + i, d);
    out[i] = lr0 * 0.5 * (1 + Math.cos((Math.PI * s) / d));
  }
  return out;
}

/** A tfjs backend made ready by the environment. */
export interface TfHandle {
  readonly tf: Tf;
  readonly backend: 'webgpu' | 'cpu';
  /** tfjs-webgpu's own device (not the project's), to time its passes and wait for its queue. */
  readonly device?: GPUDevice;
}

/** The WebGPU backend's fields this file uses (tfjs-backend-webgpu 4.x). */
interface WebGpuBackendLike {
  readonly device: GPUDevice;
  /** Null when nothing is encoded (submitQueue would throw). */
  readonly commandEncoder: GPUCommandEncoder | null;
  /** Ends the open compute pass (finish() fails while one is open). */
  endComputePassEncoder(): void;
  submitQueue(): void;
}

function isWebGpuBackend(b: unknown): b is WebGpuBackendLike {
  if (typeof b !== 'object' || b === null || !('device' in b)) return false;
  const o = b as { submitQueue?: unknown; endComputePassEncoder?: unknown };
  return typeof o.submitQueue === 'function' && typeof o.endComputePassEncoder === 'function';
}

/** Switches tfjs to `backend` and returns the handle (with the device for webgpu). Throws when the backend cannot start. */
export async function readyTf(tf: Tf, backend: 'webgpu' | 'cpu'): Promise<TfHandle> {
  const ok = await tf.setBackend(backend);
  await tf.ready();
  if (!ok || tf.getBackend() !== backend) throw new Error(`tfjs backend '${backend}' did not start (active: ${tf.getBackend()})`);
  const b = tf.backend();
  if (backend === 'webgpu') {
    if (!isWebGpuBackend(b)) throw new Error('tfjs webgpu backend exposes no device');
    return { tf, backend, device: b.device };
  }
  return { tf, backend };
}

/** The input of the tfjs formula: steps start … start + n − 1 as an int32 tensor (made once, outside the timing). */
export function tfSteps(h: TfHandle, start: number, n: number): TF.Tensor1D {
  const { tf } = h;
  if (tf.getBackend() !== h.backend) throw new Error(`tfjs backend is '${tf.getBackend()}', expected '${h.backend}'`);
  return tf.tidy(() => tf.range(start, start + n, 1, 'int32') as TF.Tensor1D);
}

/** lr0 · 0.5 · (1 + cos(π · min(f32(s), D) / D)), op by op. */
export function tfCosine(h: TfHandle, steps: TF.Tensor1D, p: CosineParams): TF.Tensor1D {
  const { tf } = h;
  return tf.tidy(() => {
    const s = tf.cast(steps, 'float32');
    const clipped = tf.minimum(s, p.decaySteps);
    const frac = tf.div(clipped, p.decaySteps);
    const c = tf.cos(tf.mul(frac, Math.PI));
    return tf.mul(tf.add(c, 1), 0.5 * p.lr0) as TF.Tensor1D;
  });
}

/**
 * Submits what tfjs-webgpu has encoded (it batches dispatches until a read), so
 * that "kept on the GPU" can be timed to the queue's completion.
 */
export function tfFlush(h: TfHandle): void {
  const b = h.tf.backend();
  if (isWebGpuBackend(b) && b.commandEncoder) {
    b.endComputePassEncoder();
    b.submitQueue();
  }
}
