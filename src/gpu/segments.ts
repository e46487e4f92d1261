/**
 * Sequences on the GPU (docs/design.md, "Sequences on the GPU"): bytes only. The host
 * (api/sequence-plan.ts) splits each Sequence's steps into per-piece segments and packs
 * them as tiles: a tile is a block of rows × a column window whose output fits one
 * storage binding and one readback batch; per piece kind it holds one group (the pieces'
 * ScheduleParams, their tables, and the segment table of evaluate.wgsl's eval_segments
 * followed by the tile's step list, if any) and a few dispatches, one per size bucket of
 * segments. One tile is one command encoder and one submit (one map on the array path).
 */

import { GpuDeviceLostError, GpuOutOfMemoryError, GpuValidationError } from './errors.ts';
import { BufferUsage, MAP_READ } from './constants.ts';
import type { GpuBackend } from './gpu-backend.ts';
import type { KernelPipeline } from './pipeline-cache.ts';
import type { GpuRunStats } from './types.ts';
import { packJob } from '../kernels/index.ts';

/** One dispatch of a group: segment entries [first, first + count), groupsX workgroups along x each. */
export interface SegmentDispatch {
  readonly first: number;
  readonly count: number;
  readonly groupsX: number;
}

/** The segments of one piece kind in a tile (one pipeline). */
export interface SegmentGroup {
  readonly params: ArrayBuffer;
  readonly tables: ArrayBuffer;
  readonly constants: Readonly<Record<string, number>> | undefined;
  /** Binding 3: the segment entries (SEGMENT_WORDS u32 each), then the tile's step list (list calls). */
  readonly data: Uint32Array;
  readonly dispatches: readonly SegmentDispatch[];
}

/** A block of Sequence rows × a column window; its output is rows.length × cols f32, row-major. */
export interface SegmentTile {
  /** The call's rows, in the tile's row order. */
  readonly rows: readonly number[];
  /** The first column and the number of columns of the window. */
  readonly col0: number;
  readonly cols: number;
  readonly groups: readonly SegmentGroup[];
}

const U = BufferUsage;

/** Bytes of one uniform Job slot (the Job struct at minUniformBufferOffsetAlignment strides). */
function jobStride(gpu: GpuBackend): number {
  return Math.max(256, gpu.limits.minUniformBufferOffsetAlignment);
}

function usable(gpu: GpuBackend): void {
  if (gpu.destroyed) throw new GpuDeviceLostError('the evaluator was destroyed', 'destroyed');
  if (gpu.lostReason !== undefined) throw new GpuDeviceLostError(gpu.lostReason);
}

/** Encodes tile `t` into a compute pass writing `out` (bound from 0, t's element count). */
async function encodeTile(gpu: GpuBackend, t: SegmentTile, out: GPUBuffer): Promise<{ enc: GPUCommandEncoder; dispatches: number }> {
  const device = gpu.device;
  const pipes: KernelPipeline[] = await Promise.all(t.groups.map((g) => gpu.pipeline('segments', g.constants)));
  const stride = jobStride(gpu);
  const total = t.groups.reduce((n, g) => n + g.dispatches.length, 0);
  const jobs = gpu.pool.get('segment jobs', Math.max(1, total) * stride, U.UNIFORM | U.COPY_DST);
  const staged = new Uint8Array(Math.max(1, total) * stride);
  const jobSize = packSegmentJob(0, 0, 1).byteLength;
  let slot = 0;
  for (const g of t.groups) {
    for (const d of g.dispatches) staged.set(new Uint8Array(packSegmentJob(d.first, d.count, d.groupsX)), slot++ * stride);
  }
  device.queue.writeBuffer(jobs, 0, staged);
  const outBytes = Math.max(4, t.rows.length * t.cols * 4);
  const enc = device.createCommandEncoder({ label: 'lr-schedules segments' });
  const pass = enc.beginComputePass();
  slot = 0;
  t.groups.forEach((g, gi) => {
    const bytes = (x: { byteLength: number }): number => Math.max(4, x.byteLength);
    const params = gpu.pool.get(`segment params ${gi}`, bytes(g.params), U.STORAGE | U.COPY_DST);
    const tables = gpu.pool.get(`segment tables ${gi}`, bytes(g.tables), U.STORAGE | U.COPY_DST);
    const data = gpu.pool.get(`segment data ${gi}`, bytes(g.data), U.STORAGE | U.COPY_DST);
    device.queue.writeBuffer(params, 0, g.params);
    if (g.tables.byteLength > 0) device.queue.writeBuffer(tables, 0, g.tables);
    device.queue.writeBuffer(data, 0, g.data.buffer, g.data.byteOffset, g.data.byteLength);
    const p = pipes[gi]!;
    pass.setPipeline(p.pipeline);
    for (const d of g.dispatches) {
      const group = device.createBindGroup({
        layout: p.layout,
        entries: [
          { binding: 0, resource: { buffer: jobs, offset: slot++ * stride, size: jobSize } },
          { binding: 1, resource: { buffer: params, offset: 0, size: bytes(g.params) } },
          { binding: 2, resource: { buffer: tables, offset: 0, size: bytes(g.tables) } },
          { binding: 3, resource: { buffer: data, offset: 0, size: bytes(g.data) } },
          { binding: 4, resource: { buffer: out, offset: 0, size: outBytes } },
        ],
      });
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(d.groupsX, d.count, 1);
    }
  });
  pass.end();
  return { enc, dispatches: total };
}

/** Throws what the error scopes of a submit reported. */
function checkScopes(gpu: GpuBackend, validation: GPUError | null, oom: GPUError | null): void {
  if (oom) throw new GpuOutOfMemoryError(`WebGPU out-of-memory: ${oom.message}`);
  if (validation && gpu.lostReason === undefined && !gpu.destroyed) {
    throw new GpuValidationError(`WebGPU validation error (a bug in webgpu-lr-schedules): ${validation.message}`);
  }
}

/** The Job uniform of one eval_segments dispatch: row0 = its first entry, groups_x its workgroups along x. */
export function packSegmentJob(first: number, count: number, groupsX: number): ArrayBuffer {
  return packJob({ row0: first, col0: 0, cols: 1, count, start: 0, stride: 0, groupsX, outOffset: 0 });
}

/** Options of the tile runs: the call's N, its signal and progress. */
export interface TileRun {
  /** Columns of the whole call (N): row r, column c of the call is element r·N + c. */
  readonly cols: number;
  readonly signal?: AbortSignal | undefined;
  /** Called with the number of values a tile finished. */
  readonly onTile?: ((values: number) => void) | undefined;
}

/** The popped error scopes of one tile's submit: validation, then out-of-memory. */
type TileScopes = readonly [Promise<GPUError | null>, Promise<GPUError | null>];

/**
 * Adds to tile `t`'s encoder the copies that take its `n` values from `outBuf` to where
 * they go, and returns what finishes the tile once it is submitted (given its scopes).
 */
type PlaceTile = (t: SegmentTile, n: number, outBuf: GPUBuffer, enc: GPUCommandEncoder) => (scopes: TileScopes) => Promise<void>;

/**
 * The loop both paths share: per tile, check the signal and the device, encode the tile
 * into the pooled output inside out-of-memory and validation scopes, let `place` add its
 * copies, submit, settle, and report progress. Returns the dispatches.
 */
async function runTiles(gpu: GpuBackend, tiles: readonly SegmentTile[], run: TileRun, place: PlaceTile): Promise<number> {
  let dispatches = 0;
  for (const t of tiles) {
    run.signal?.throwIfAborted();
    usable(gpu);
    const n = t.rows.length * t.cols;
    const device = gpu.device;
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    const outBuf = gpu.pool.get('segment out', n * 4, U.STORAGE | U.COPY_SRC);
    const { enc, dispatches: d } = await encodeTile(gpu, t, outBuf);
    const settle = place(t, n, outBuf, enc);
    device.queue.submit([enc.finish()]);
    dispatches += d;
    const validation = device.popErrorScope();
    const oom = device.popErrorScope();
    await settle([validation, oom]);
    if (gpu.lostReason !== undefined) throw new GpuDeviceLostError(gpu.lostReason);
    run.onTile?.(n);
  }
  return dispatches;
}

/** What settled scopes say: the error each reported, null where none (or where it failed). */
function settledScope(r: PromiseSettledResult<GPUError | null>): GPUError | null {
  return r.status === 'fulfilled' ? r.value : null;
}

/** Evaluates every tile and writes its rows into `out` (the call's M × N values). */
export async function evaluateTiles(gpu: GpuBackend, tiles: readonly SegmentTile[], out: Float32Array, run: TileRun): Promise<GpuRunStats> {
  const dispatches = await runTiles(gpu, tiles, run, (t, n, outBuf, enc) => {
    const staging = gpu.pool.get('segment staging', n * 4, U.MAP_READ | U.COPY_DST);
    enc.copyBufferToBuffer(outBuf, 0, staging, 0, n * 4);
    return async ([validation, oom]) => {
      const [mapped, v, o] = await Promise.allSettled([staging.mapAsync(MAP_READ, 0, n * 4), validation, oom]);
      try {
        checkScopes(gpu, settledScope(v), settledScope(o));
        if (mapped.status === 'rejected') {
          if (gpu.destroyed) throw new GpuDeviceLostError('the evaluator was destroyed during the call', 'destroyed');
          gpu.lostReason ??= `device lost during the call (mapAsync failed: ${(mapped.reason as Error)?.message ?? String(mapped.reason)})`;
          throw new GpuDeviceLostError(gpu.lostReason);
        }
        const values = new Float32Array(staging.getMappedRange(0, n * 4));
        t.rows.forEach((r, i) => out.set(values.subarray(i * t.cols, (i + 1) * t.cols), r * run.cols + t.col0));
      } finally {
        if (mapped.status === 'fulfilled' && !gpu.destroyed) staging.unmap();
      }
    };
  });
  return { dispatches, rowDispatches: 0, tileDispatches: 0, submits: tiles.length, maps: tiles.length };
}

/**
 * Evaluates every tile into `buffer` at `byteOffset` (the call's M × N values, row-major):
 * each tile computes into a pooled buffer whose rows are then copied into place, in the
 * same submit.
 */
export async function evaluateTilesToBuffer(gpu: GpuBackend, tiles: readonly SegmentTile[], buffer: GPUBuffer, byteOffset: number, run: TileRun): Promise<GpuRunStats> {
  const dispatches = await runTiles(gpu, tiles, run, (t, _n, outBuf, enc) => {
    const rowBytes = t.cols * 4;
    t.rows.forEach((r, i) => enc.copyBufferToBuffer(outBuf, i * rowBytes, buffer, byteOffset + (r * run.cols + t.col0) * 4, rowBytes));
    return async ([validation, oom]) => {
      const [v, o] = await Promise.allSettled([validation, oom]);
      checkScopes(gpu, settledScope(v), settledScope(o));
    };
  });
  return { dispatches, rowDispatches: 0, tileDispatches: 0, submits: tiles.length, maps: 0 };
}
