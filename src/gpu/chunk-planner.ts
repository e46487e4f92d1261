/**
 * The chunk planner: a pure function from the shape of an output (M rows × N columns,
 * row-major) and a device's limits to the dispatches that fill it. Each chunk is one
 * compute dispatch writing `count` consecutive elements through one storage binding
 * whose offset is aligned to `minStorageBufferOffsetAlignment` and whose size is at
 * most `maxStorageBufferBindingSize`, with a workgroup grid split over x and y within
 * `maxComputeWorkgroupsPerDimension`. Knows bytes, not schedules.
 */

import type { JobParams } from '../kernels/pack.ts';
import { FieldError } from '../schedules/errors.ts';

/** The device limits the planner obeys (a GPUSupportedLimits satisfies this). */
export interface PlannerLimits {
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  readonly minStorageBufferOffsetAlignment: number;
}

/** What to plan. */
export interface ChunkPlanInput {
  /** M: rows (schedules). */
  readonly rows: number;
  /** N: columns (steps per row). */
  readonly cols: number;
  /** First linear element (row · cols + col) of the window to plan; default 0. */
  readonly first?: number;
  /** Elements in the window; default rows · cols − first. */
  readonly total?: number;
  /** Bytes per element; default 4 (f32). */
  readonly elementSize?: number;
  /** Byte offset in the output buffer where element `first` goes; a multiple of elementSize; default 0. */
  readonly baseByteOffset?: number;
  readonly limits: PlannerLimits;
  /** Invocations per workgroup (WORKGROUP_SIZE of the kernel). */
  readonly workgroupSize: number;
  /** Optional cap on elements per chunk (tests force small chunks with it). */
  readonly maxChunkElements?: number;
  /**
   * When true, every chunk also binds its own window of a step list
   * (`steps[col0 … col0 + count)`, aligned like the output binding), and chunks never
   * span a row boundary. Use it when the whole list does not fit one binding.
   */
  readonly stepsWindow?: boolean;
  /**
   * When true, every chunk is one row of workgroups (groupsY = 1, so at most
   * maxComputeWorkgroupsPerDimension · workgroupSize elements): evaluate.wgsl's eval_range
   * and eval_list index by global_invocation_id.x alone (GpuBackend sets it). Default false:
   * the grid is split over x and y.
   */
  readonly flat?: boolean;
  /**
   * Whether a chunk may span a row boundary (default true). Forced false when
   * `stepsWindow` is set or cols > 2^31 (the kernel's u32 column arithmetic needs
   * col0 + count < 2^32 inside a spanning chunk).
   */
  readonly spanRows?: boolean;
  /**
   * When set, every chunk is a block of whole rows for evaluate.wgsl's eval_range_tile /
   * eval_list_tile: groupsY = its rows (at most maxComputeWorkgroupsPerDimension), groupsX =
   * workgroups per row, each of `laneCols` · workgroupSize columns (laneCols = ceil(cols /
   * (workgroupSize · groupsX)), at most this value). The window must start and end at row
   * boundaries, and one row must fit a chunk (cols ≤ maxChunkElements, one binding).
   */
  readonly tileLaneColsMax?: number;
}

/** One dispatch. */
export interface Chunk {
  /** Linear index (row · cols + col) of the chunk's first element. */
  readonly index: number;
  /** Row and column of the first element. */
  readonly row0: number;
  readonly col0: number;
  /** Elements written. */
  readonly count: number;
  /** Byte offset of the output binding (a multiple of minStorageBufferOffsetAlignment). */
  readonly outByteOffset: number;
  /** Element offset of the first element inside that binding (Job.out_offset). */
  readonly outOffset: number;
  /** Byte size of the output binding: (outOffset + count) · elementSize. */
  readonly outBindingSize: number;
  /** With stepsWindow: the aligned byte offset, element remainder and size of the steps binding. */
  readonly stepsByteOffset?: number;
  readonly stepsOffset?: number;
  readonly stepsBindingSize?: number;
  /** With tileLaneColsMax: the columns each invocation writes (a tile chunk: whole rows, one row per workgroup row). */
  readonly laneCols?: number;
  /** Workgroup grid; groupsX · groupsY · workgroupSize ≥ count (groupsY = 1 when flat). groupsZ is always 1. */
  readonly groupsX: number;
  readonly groupsY: number;
  readonly groupsZ: 1;
}

/** Thrown when a plan is impossible within the limits; names the field, value and rule. */
export class ChunkPlanError extends FieldError {
  override readonly name = 'ChunkPlanError';
  declare readonly value: number;
  constructor(field: string, value: number, rule: string) {
    super(field, value, rule);
  }
}

const U32_SPAN_LIMIT = 2 ** 31;

function checkInt(field: string, v: number, min: number): void {
  if (!Number.isSafeInteger(v) || v < min) throw new ChunkPlanError(field, v, `must be an integer ≥ ${min}`);
}

/**
 * Yields the chunks covering the window [first, first + total) of the M × N output
 * exactly once, in order. Throws ChunkPlanError when the output cannot fit in one
 * buffer (`baseByteOffset + total · elementSize > maxBufferSize`) or the limits leave
 * no room for one element. Example: 3 × 1000 floats with a 1024-byte binding limit and
 * 256-byte alignment give 12 chunks of 256 elements and one of 184.
 */
export function* iterateChunks(input: ChunkPlanInput): Generator<Chunk, void, undefined> {
  const { rows, cols, limits, workgroupSize } = input;
  const es = input.elementSize ?? 4;
  const first = input.first ?? 0;
  const base = input.baseByteOffset ?? 0;
  checkInt('rows', rows, 0);
  checkInt('cols', cols, 0);
  checkInt('first', first, 0);
  checkInt('workgroupSize', workgroupSize, 1);
  checkInt('elementSize', es, 1);
  const total = input.total ?? rows * cols - first;
  checkInt('total', total, 0);
  if (first + total > rows * cols) throw new ChunkPlanError('first + total', first + total, `must be ≤ rows × cols = ${rows * cols}`);
  if (base % es !== 0) throw new ChunkPlanError('baseByteOffset', base, `must be a multiple of the element size ${es}`);
  const align = limits.minStorageBufferOffsetAlignment;
  checkInt('minStorageBufferOffsetAlignment', align, 1);
  if (align % es !== 0) throw new ChunkPlanError('minStorageBufferOffsetAlignment', align, `must be a multiple of the element size ${es}`);
  const maxBind = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const maxBindElems = Math.floor(maxBind / es);
  if (maxBindElems <= (align - es) / es) {
    throw new ChunkPlanError('maxStorageBufferBindingSize', maxBind, `must exceed minStorageBufferOffsetAlignment − ${es} = ${align - es} bytes`);
  }
  if (base + total * es > limits.maxBufferSize) {
    throw new ChunkPlanError('output bytes', base + total * es, `must be ≤ maxBufferSize = ${limits.maxBufferSize}`);
  }
  const maxG = limits.maxComputeWorkgroupsPerDimension;
  checkInt('maxComputeWorkgroupsPerDimension', maxG, 1);
  const cap = Math.min((input.flat ? maxG : maxG * maxG) * workgroupSize, input.maxChunkElements ?? Infinity, U32_SPAN_LIMIT);
  if (!(cap >= 1)) throw new ChunkPlanError('maxChunkElements', input.maxChunkElements ?? 0, 'must be ≥ 1');
  if (input.tileLaneColsMax !== undefined) {
    // The grid bounds a tile chunk's rows (y) and workgroups a row (x), not its elements.
    yield* tileChunks(input, first, total, base, es, align, maxBindElems, Math.min(input.maxChunkElements ?? Infinity, U32_SPAN_LIMIT), maxG);
    return;
  }
  const windowed = input.stepsWindow ?? false;
  const span = (input.spanRows ?? true) && !windowed && cols <= U32_SPAN_LIMIT;
  const end = first + total;
  let index = first;
  while (index < end) {
    const row0 = Math.floor(index / cols);
    const col0 = index - row0 * cols;
    const byte = base + (index - first) * es;
    const outByteOffset = byte - (byte % align);
    const outOffset = (byte - outByteOffset) / es;
    let count = Math.min(cap, end - index, maxBindElems - outOffset);
    if (!span) count = Math.min(count, cols - col0);
    let steps: Pick<Chunk, 'stepsByteOffset' | 'stepsOffset' | 'stepsBindingSize'> = {};
    if (windowed) {
      const sByte = col0 * 4;
      const stepsByteOffset = sByte - (sByte % align);
      const stepsOffset = (sByte - stepsByteOffset) / 4;
      count = Math.min(count, Math.floor(maxBind / 4) - stepsOffset);
      steps = { stepsByteOffset, stepsOffset, stepsBindingSize: (stepsOffset + count) * 4 };
    }
    const groups = Math.ceil(count / workgroupSize);
    const groupsX = Math.min(groups, maxG);
    const groupsY = Math.ceil(groups / groupsX);
    yield {
      index,
      row0,
      col0,
      count,
      outByteOffset,
      outOffset,
      outBindingSize: (outOffset + count) * es,
      ...steps,
      groupsX,
      groupsY,
      groupsZ: 1,
    };
    index += count;
  }
}

/** iterateChunks with tileLaneColsMax: blocks of whole rows (the checks common to every plan done). */
function* tileChunks(
  input: ChunkPlanInput,
  first: number,
  total: number,
  base: number,
  es: number,
  align: number,
  maxBindElems: number,
  cap: number,
  maxG: number,
): Generator<Chunk, void, undefined> {
  const { cols, workgroupSize } = input;
  const laneMax = input.tileLaneColsMax!;
  checkInt('tileLaneColsMax', laneMax, 1);
  if (input.stepsWindow) throw new ChunkPlanError('stepsWindow', 1, 'tile chunks bind the whole step list: a windowed list is planned without tileLaneColsMax');
  if (cols < 1 || first % cols !== 0 || total % cols !== 0) {
    throw new ChunkPlanError('first, total', first, `tile chunks need a window of whole rows (multiples of cols = ${cols})`);
  }
  const groupsX = Math.ceil(cols / (workgroupSize * laneMax));
  if (groupsX > maxG) throw new ChunkPlanError('cols', cols, `a tile row needs ${groupsX} workgroups, more than maxComputeWorkgroupsPerDimension = ${maxG}`);
  const laneCols = Math.ceil(cols / (workgroupSize * groupsX));
  const end = first + total;
  let index = first;
  while (index < end) {
    const row0 = index / cols;
    const byte = base + (index - first) * es;
    const outByteOffset = byte - (byte % align);
    const outOffset = (byte - outByteOffset) / es;
    const rows = Math.min(maxG, Math.floor(Math.min(cap, maxBindElems - outOffset) / cols), (end - index) / cols);
    if (rows < 1) throw new ChunkPlanError('cols', cols, `one row must fit a tile chunk (≤ ${Math.min(cap, maxBindElems - outOffset)} elements)`);
    const count = rows * cols;
    yield { index, row0, col0: 0, count, outByteOffset, outOffset, outBindingSize: (outOffset + count) * es, laneCols, groupsX, groupsY: rows, groupsZ: 1 };
    index += count;
  }
}

/** All chunks of iterateChunks() as an array. */
export function planChunks(input: ChunkPlanInput): Chunk[] {
  return [...iterateChunks(input)];
}

/** The Job uniform of evaluate.wgsl (docs/design.md, layer 1), as numbers. */
export type KernelJob = JobParams;

/** `cols` for a chunk inside one row: linear / cols = 0 and linear % cols = linear for every linear < 2^32 − 1. */
const ONE_ROW_COLS = 0xffffffff;

/**
 * The Job for a chunk, keeping every u32 of the kernel in range. A chunk inside one
 * row is rebased: for a range its start moves to the chunk's first step and col0 to 0;
 * with a steps window col0 becomes the window's element remainder. A chunk spanning
 * rows keeps (row0, col0, cols). `range` is `{ start, stride }` for eval_range and
 * undefined for eval_list. A tile chunk (whole rows) keeps (row0, cols) with col0 = 0 and its laneCols.
 */
export function kernelJob(chunk: Chunk, cols: number, range: { readonly start: number; readonly stride: number } | undefined): KernelJob {
  const common = { count: chunk.count, groupsX: chunk.groupsX, outOffset: chunk.outOffset };
  if (chunk.laneCols !== undefined) {
    return { ...common, row0: chunk.row0, col0: 0, cols, start: range?.start ?? 0, stride: range?.stride ?? 0, laneCols: chunk.laneCols };
  }
  const oneRow = chunk.col0 + chunk.count <= cols;
  if (range) {
    if (oneRow) return { ...common, row0: chunk.row0, col0: 0, cols: ONE_ROW_COLS, start: range.start + chunk.col0 * range.stride, stride: range.stride };
    return { ...common, row0: chunk.row0, col0: chunk.col0, cols, start: range.start, stride: range.stride };
  }
  if (chunk.stepsOffset !== undefined) return { ...common, row0: chunk.row0, col0: chunk.stepsOffset, cols: ONE_ROW_COLS, start: 0, stride: 0 };
  return { ...common, row0: chunk.row0, col0: chunk.col0, cols, start: 0, stride: 0 };
}
