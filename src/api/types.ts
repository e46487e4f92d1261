/**
 * The evaluator's public types (layer 3): what createEvaluator() takes, what its calls
 * take and give back. The behaviour lives in evaluator.ts (wiring), validate.ts (the
 * input snapshot), fallback.ts (the fallback policy) and src/gpu/ (GPU work).
 */

import type { GpuLimitOverrides, GpuRunStats } from '../gpu/gpu-backend.ts';
import type { KernelSchedule } from '../kernels/index.ts';
import type { Steps } from '../schedules/steps.ts';
import type { VerifyReport } from '../verify/verify.ts';

/** A schedule the evaluator accepts: the six classes of src/schedules satisfy it. */
export type EvaluatorSchedule = KernelSchedule & {
  /** Exact f64 value (the reference verify() uses). */
  at(step: number): number;
  /** Batch evaluation into a Float32Array (the CPU backend's inner loop). */
  fill(steps: Steps, out: Float32Array): unknown;
};

/** One piece of a Sequence as the evaluator reads it (src/schedules/sequence.ts). */
export interface EvaluatorPiece {
  readonly begin: number;
  readonly scale: number;
  readonly shift: number;
  readonly schedule: EvaluatorSchedule;
}

/** A Sequence as the evaluator reads it: kind 'Sequence', its pieces and lastStep in `config`. */
export interface EvaluatorSequence {
  readonly kind: 'Sequence';
  readonly config: { readonly pieces: readonly EvaluatorPiece[]; readonly lastStep: number | null };
  at(step: number): number;
  fill(steps: Steps, out: Float32Array): unknown;
}

/** What every evaluator call accepts: a schedule of a registry kind, or a Sequence of them. */
export type EvaluatorInput = EvaluatorSchedule | EvaluatorSequence;

/** Which backend to use: 'auto' prefers WebGPU and falls back to the CPU. */
export type BackendChoice = 'auto' | 'webgpu' | 'cpu';

/**
 * Lower caps on device limits and result sizes (for tests; never raises a device limit),
 * and two tuning thresholds, rowPathMinCols and tileMinCols (see GpuLimitOverrides: default 2^15
 * and 768 columns, from the measurements in docs/benchmarks.md).
 */
export interface EvaluatorLimits extends GpuLimitOverrides {
  /** Largest Float32Array a call may return, in bytes (default 2^32). */
  readonly maxResultBytes?: number;
}

/** Options of createEvaluator(). */
export interface CreateEvaluatorOptions {
  /** Default 'auto'. */
  readonly backend?: BackendChoice;
  /** Use this device (the evaluator never destroys it); otherwise one is requested. */
  readonly device?: GPUDevice;
  readonly limits?: EvaluatorLimits;
  readonly powerPreference?: GPUPowerPreference;
  /** A GPU object to request the adapter from instead of the platform's; `null` = none (tests). */
  readonly gpu?: Pick<GPU, 'requestAdapter'> | null;
  /**
   * Threads of the CPU backend (docs/design.md#the-cpu-backend-on-every-core): 1 (default)
   * runs it on the calling thread; n (an integer 1 … 256) or 'auto' (the cores the platform
   * reports) splits each CPU call of at least 2^16 values across that many threads: with shared
   * memory (Node; a cross-origin isolated page) the calling thread (between yields to its event
   * loop, as with 1) and n − 1 workers, else n workers (worker_threads in Node, Web Workers in
   * browsers), started at the first such call and stopped by destroy(). The values are the same
   * bits either way.
   */
  readonly threads?: number | 'auto';
}

/** Options every call takes. */
export interface CallOptions {
  /** Aborting rejects the call with the signal's reason (an AbortError by default); no partial output is returned. */
  readonly signal?: AbortSignal;
  /** Called with (elements done, elements total) as batches complete, last with (total, total). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Check the output against the exact reference (docs/accuracy.md#what-verify-checks): a VerificationError on a violation. Default 'none'. */
  readonly verify?: 'none' | 'sample' | 'all';
}

/** Options of evaluateToBuffer / sweepToBuffer. */
export interface BufferCallOptions extends CallOptions {
  /** Write into this buffer (usage must include STORAGE; COPY_DST too if the CPU may fill it). Default: a new buffer. */
  readonly buffer?: GPUBuffer;
  /** Byte offset of the first value in the buffer, a multiple of 4 (default 0). */
  readonly offset?: number;
}

/** Options of stream(). */
export interface StreamOptions extends CallOptions {
  /** Steps per chunk (default 2^20). */
  readonly chunkSteps?: number;
}

/** What a call did. */
export interface RunReport {
  /** The backend that produced the values ('cpu' after a fallback). */
  readonly backend: 'webgpu' | 'cpu';
  /** Why the GPU was not used (absent when it was, or when the CPU was chosen explicitly). */
  readonly fallbackReason?: string;
  /** The verification report, when asked for. */
  readonly verification?: VerifyReport;
  /** Wall time of the call (validation to result), ms. */
  readonly elapsedMs: number;
  /** M and N. */
  readonly rows: number;
  readonly cols: number;
  /** Dispatches, submits and maps on the GPU path. */
  readonly gpuStats?: GpuRunStats;
  /** Worker threads the CPU backend split the call across (absent: the calling thread alone, or the GPU). */
  readonly cpuThreads?: number;
}

/** The result of evaluate() / sweep(): M × N values, row-major (`values[r · N + c]`). */
export interface EvaluationResult extends RunReport {
  readonly values: Float32Array;
}

/** The report of evaluateToBuffer() / sweepToBuffer() (see Evaluator.lastBufferReport). */
export interface BufferReport extends RunReport {
  readonly buffer: GPUBuffer;
  /** Byte offset of value 0; value (r, c) is the f32 at `offset + 4 · (r · N + c)`. */
  readonly offset: number;
  readonly byteLength: number;
}

/** One chunk of stream(). */
export interface StreamChunk {
  /** Index (within the requested steps) of values[0]. */
  readonly start: number;
  /** The step of values[0]. */
  readonly step: number;
  /** A new array per chunk: the consumer may keep it. */
  readonly values: Float32Array;
  readonly backend: 'webgpu' | 'cpu';
  readonly fallbackReason?: string;
}

/** An evaluator: made by createEvaluator(). Calls run one at a time, in call order. */
export interface Evaluator {
  /** Where requests go now: 'webgpu', or 'cpu' (chosen, no GPU, or after device loss). */
  readonly backend: 'webgpu' | 'cpu';
  /** Adapter description (`vendor / architecture / description`), or 'cpu'. */
  readonly adapter: string;
  /** The device in use (undefined on the CPU backend). */
  readonly device: GPUDevice | undefined;
  /** Why the evaluator as a whole runs on the CPU under 'auto' (no adapter, device lost, …). */
  readonly fallbackReason: string | undefined;
  /** What the latest finished evaluateToBuffer / sweepToBuffer did (backend, timing, verification). */
  readonly lastBufferReport: BufferReport | undefined;
  /** One schedule at `steps` (a range or a list). */
  evaluate(schedule: EvaluatorInput, steps: Steps, options?: CallOptions): Promise<EvaluationResult>;
  /** M schedules × N steps, row-major. */
  sweep(schedules: readonly EvaluatorInput[], steps: Steps, options?: CallOptions): Promise<EvaluationResult>;
  /**
   * One schedule into a GPUBuffer (the caller's, or a new one with usage STORAGE |
   * COPY_SRC | COPY_DST that the caller then owns): f32 values at `offset + 4 · i`.
   * Resolves once the work is submitted (later GPU work on the same queue sees it).
   */
  evaluateToBuffer(schedule: EvaluatorInput, steps: Steps, options?: BufferCallOptions): Promise<GPUBuffer>;
  /** M × N into a GPUBuffer, row-major f32 at `offset + 4 · (r · N + c)`. */
  sweepToBuffer(schedules: readonly EvaluatorInput[], steps: Steps, options?: BufferCallOptions): Promise<GPUBuffer>;
  /**
   * Compiles the GPU pipelines that `sweep` (or `sweepToBuffer` into a buffer with COPY_DST) of
   * `schedules` at `steps` runs (rows of one kind: one, specialised to their flags word when they
   * share one; rows of several kinds: one per kind and flags word; and the
   * Sequence pieces' segment pipelines), and evaluates nothing: a later call of those rows then
   * starts with its pipelines ready. Queued in call order like the other calls; resolves once
   * they are compiled. Nothing to do on the CPU backend, or for a request the GPU would not run.
   * On the GPU its inputs are checked as sweepToBuffer's: rows × steps × 4 bytes over the device's
   * maxBufferSize are refused, naming that limit.
   */
  prepare(schedules: readonly EvaluatorInput[], steps: Steps): Promise<void>;
  /** `steps` in chunks of `chunkSteps` (memory bounded by the chunk size). */
  stream(schedule: EvaluatorInput, steps: Steps, options?: StreamOptions): AsyncIterableIterator<StreamChunk>;
  /** Frees buffers; destroys the device only if the evaluator created it. Pending and later calls reject with EvaluatorDestroyedError. */
  destroy(): void;
}
