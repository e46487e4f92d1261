/** The GPU backend's request and result types (bytes, not schedules). */

import type { KernelJob, PlannerLimits } from './chunk-planner.ts';
import type { KernelSource } from './pipeline-cache.ts';

/** The kernel as the GPU backend needs it (kernels/ provides these; api/ wires them). */
export interface GpuKernel extends KernelSource {
  /** Invocations per workgroup of eval_range / eval_list. */
  readonly workgroupSize: number;
  /** Bytes of the Job uniform for one chunk. */
  packJob(job: KernelJob): ArrayBuffer | ArrayBufferView;
  /**
   * Whether the kernel has the tile entry points (eval_range_tile / eval_list_tile: whole rows,
   * Job.lane_cols columns per invocation), and the most columns one invocation may write there;
   * undefined: it has none, and narrow rows run eval_range / eval_list.
   */
  readonly tileLaneColsMax?: number;
  /** Consecutive elements each invocation of the one-row entry points (eval_range_row / eval_list_row) writes; undefined: 1. */
  readonly rowValues?: number;
}

/** Lower caps on the device's limits (tests use them to force chunking and batching), and the one-row path's threshold. */
export interface GpuLimitOverrides extends Partial<PlannerLimits> {
  /** Elements per dispatch at most. */
  readonly maxChunkElements?: number;
  /**
   * Not a cap but a tuning threshold: columns from which a request runs the one-row entry
   * points (an integer ≥ 1, or Infinity: never). Default ROW_PATH_MIN_COLS = 2^15, where the
   * one-row path starts to pay on SwiftShader (docs/benchmarks.md, `instructions`:
   * "Where the one-row path starts": 100 rows × 10^4 no faster, 10 × 10^5 1.19–1.34× faster). Tests force either path with it.
   */
  readonly rowPathMinCols?: number;
  /**
   * The same for the tile entry points (eval_range_tile / eval_list_tile), which rows narrower
   * than rowPathMinCols run from this many columns (an integer ≥ 1, or Infinity: never).
   * Default TILE_MIN_COLS = 768: at 600 columns (3 columns an invocation) they ran 0.86-1.3x
   * as fast as eval_range on SwiftShader, at 1,000 and more 1.6-3.4x (docs/benchmarks.md,
   * "Narrow rows by tiles"). Tests force either path with it.
   */
  readonly tileMinCols?: number;
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
  /** Of those, the dispatches of the one-row entry points (eval_range_row, eval_list_row: rows of at least rowPathMinCols columns). */
  readonly rowDispatches: number;
  /** Of those, the dispatches of the tile entry points (eval_range_tile, eval_list_tile: whole rows of tileMinCols … rowPathMinCols columns). */
  readonly tileDispatches: number;
  /** queue.submit calls. */
  readonly submits: number;
  /** mapAsync calls. */
  readonly maps: number;
}
