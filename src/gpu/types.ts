/** The GPU backend's request and result types (bytes, not schedules). */

import type { KernelJob, PlannerLimits } from './chunk-planner.ts';
import type { KernelSource } from './pipeline-cache.ts';

/** The kernel as the GPU backend needs it (kernels/ provides these; api/ wires them). */
export interface GpuKernel extends KernelSource {
  /** Invocations per workgroup of eval_range / eval_list. */
  readonly workgroupSize: number;
  /** Bytes of the Job uniform for one chunk. */
  packJob(job: KernelJob): ArrayBuffer | ArrayBufferView;
}

/** Lower caps on the device's limits (tests use them to force chunking and batching). */
export interface GpuLimitOverrides extends Partial<PlannerLimits> {
  /** Elements per dispatch at most. */
  readonly maxChunkElements?: number;
  /** Columns from which a request runs the one-row entry points; default ROW_PATH_MIN_COLS (tests force either path with it). */
  readonly rowPathMinCols?: number;
  /** Bytes of one readback batch (pooled output and staging buffers) at most; default 256 MiB. */
  readonly readbackBatchBytes?: number;
}

/** Steps of a request: a range (eval_range) or a u32 list (eval_list). */
export type GpuSteps = { readonly start: number; readonly stride: number } | { readonly list: Uint32Array };

/** One evaluation request in bytes. */
export interface GpuRequest {
  readonly rows: number;
  readonly cols: number;
  /** array<ScheduleParams>, one per row. */
  readonly params: ArrayBuffer;
  /** Restart tables (may be empty; at least 4 bytes are bound). */
  readonly tables: ArrayBuffer;
  readonly steps: GpuSteps;
  /** Pipeline-overridable constants for this request's pipelines (see KernelSource.constants). */
  readonly constants?: Readonly<Record<string, number>> | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

/** Counters of one run, for reports and tests. */
export interface GpuRunStats {
  /** Dispatches (chunks). */
  readonly dispatches: number;
  /** queue.submit calls. */
  readonly submits: number;
  /** mapAsync calls. */
  readonly maps: number;
}
