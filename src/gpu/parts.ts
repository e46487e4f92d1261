/**
 * The GPU work of one evaluator call that is more than one GpuBackend request: a request
 * cut into parts (sets of rows whose parameters and tables each fit one storage binding),
 * written in place or through a scratch array / buffer; the check of a caller's buffer
 * (an empty compute pass that binds it); the output buffer's creation; the CPU values'
 * upload. Bytes only: the parts come packed from api/ (gpu-plan.ts).
 */

import { BufferUsage, STAGE_COMPUTE } from './constants.ts';
import { GpuOutOfMemoryError, GpuValidationError } from './errors.ts';
import type { GpuBackend } from './gpu-backend.ts';
import { evaluateTiles, evaluateTilesToBuffer, type SegmentTile } from './segments.ts';
import type { GpuRequest, GpuRunStats, GpuSteps } from './types.ts';

/** One GPU request of a call: a set of rows whose parameters and tables each fit one storage binding. */
export interface GpuPart {
  /** Rows of the call, in order. */
  readonly rows: readonly number[];
  /** rows[0] when the rows are consecutive (the part writes its slice of the output in place). */
  readonly first: number | undefined;
  readonly params: ArrayBuffer;
  readonly tables: ArrayBuffer;
  readonly constants: Readonly<Record<string, number>> | undefined;
}

/** A call's GPU work: its parts over M × N values (`rows` × `cols`), all at `steps`. */
export interface GpuPartsJob {
  readonly parts: readonly GpuPart[];
  readonly steps: GpuSteps;
  /** The Sequence rows' segments (src/gpu/segments.ts), run after the parts. */
  readonly tiles?: readonly SegmentTile[] | undefined;
  readonly rows: number;
  readonly cols: number;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

/** An error the device reported in an error scope (GPUError: only its message is read). */
export interface ScopeError {
  readonly message: string;
}

const NO_STATS: GpuRunStats = { dispatches: 0, rowDispatches: 0, tileDispatches: 0, submits: 0, maps: 0 };

/** Sums the counters of several GPU runs. */
function addStats(a: GpuRunStats, b: GpuRunStats): GpuRunStats {
  return {
    dispatches: a.dispatches + b.dispatches,
    rowDispatches: a.rowDispatches + b.rowDispatches,
    tileDispatches: a.tileDispatches + b.tileDispatches,
    submits: a.submits + b.submits,
    maps: a.maps + b.maps,
  };
}

/** The request of one part, its progress reported as progress of the whole job (`before` values done). */
function request(job: GpuPartsJob, part: GpuPart, before: number): GpuRequest {
  const progress = job.onProgress;
  const total = job.rows * job.cols;
  return {
    rows: part.rows.length,
    cols: job.cols,
    params: part.params,
    tables: part.tables,
    steps: job.steps,
    constants: part.constants,
    signal: job.signal,
    onProgress: progress && ((done: number) => progress(before + done, total)),
  };
}

/** Rows of the largest part of scattered rows (the scratch a job needs; 0 when every part is in place). */
export function scratchRows(parts: readonly GpuPart[]): number {
  return parts.reduce((m, p) => (p.first === undefined ? Math.max(m, p.rows.length) : m), 0);
}

/**
 * Evaluates the job's parts into `out` (M × N); a part of scattered rows goes through
 * `scratch` (at least scratchRows(parts) × N values).
 */
export async function evaluateParts(gpu: GpuBackend, job: GpuPartsJob, out: Float32Array, scratch: Float32Array | undefined): Promise<GpuRunStats> {
  const { cols } = job;
  let stats = NO_STATS;
  let done = 0;
  for (const part of job.parts) {
    const n = part.rows.length * cols;
    const req = request(job, part, done);
    if (part.first !== undefined) {
      stats = addStats(stats, await gpu.evaluate(req, out.subarray(part.first * cols, part.first * cols + n)));
    } else {
      const sub = scratch!.subarray(0, n);
      stats = addStats(stats, await gpu.evaluate(req, sub));
      part.rows.forEach((r, i) => out.set(sub.subarray(i * cols, (i + 1) * cols), r * cols));
    }
    done += n;
  }
  if (job.tiles && job.tiles.length > 0) stats = addStats(stats, await evaluateTiles(gpu, job.tiles, out, tileRun(job, done)));
  return stats;
}

/** The tile runs of a job: its N, signal and progress after `before` values of parts. */
function tileRun(job: GpuPartsJob, before: number): { cols: number; signal: AbortSignal | undefined; onTile: (n: number) => void } {
  let done = before;
  const total = job.rows * job.cols;
  return { cols: job.cols, signal: job.signal, onTile: (n) => job.onProgress?.((done += n), total) };
}

/**
 * Evaluates the job's parts into `buffer` at `offset`: a part of consecutive rows in
 * place, a part of scattered rows (a kind group) into a scratch buffer whose rows are then
 * copied into place on the GPU (only planned when the buffer has COPY_DST).
 */
export async function evaluatePartsToBuffer(gpu: GpuBackend, job: GpuPartsJob, buffer: GPUBuffer, offset: number): Promise<GpuRunStats> {
  const device = gpu.device;
  const rowBytes = job.cols * 4;
  const rows = scratchRows(job.parts);
  let scratch: GPUBuffer | undefined;
  let scratchError: Promise<GPUError | null> | undefined;
  if (rows > 0) {
    device.pushErrorScope('out-of-memory');
    scratch = device.createBuffer({ label: 'lr-schedules kind group', size: Math.max(4, rows * rowBytes), usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC });
    scratchError = device.popErrorScope().catch(() => null);
  }
  const copyErrors: Promise<GPUError | null>[] = [];
  try {
    let stats = NO_STATS;
    let done = 0;
    for (const part of job.parts) {
      const req = request(job, part, done);
      if (part.first !== undefined) {
        stats = addStats(stats, await gpu.evaluateToBuffer(req, buffer, offset + part.first * rowBytes));
      } else {
        try {
          stats = addStats(stats, await gpu.evaluateToBuffer(req, scratch!, 0));
        } catch (err) {
          // A scratch buffer that could not be created fails its first use: report the cause.
          const oom = await scratchError;
          if (oom) throw new GpuOutOfMemoryError(`WebGPU out-of-memory: ${oom.message}`);
          throw err;
        }
        // Queue order: these copies run after the part's dispatches and before the next part's.
        device.pushErrorScope('validation');
        const enc = device.createCommandEncoder({ label: 'lr-schedules kind group rows' });
        part.rows.forEach((r, i) => enc.copyBufferToBuffer(scratch!, i * rowBytes, buffer, offset + r * rowBytes, rowBytes));
        device.queue.submit([enc.finish()]);
        copyErrors.push(device.popErrorScope().catch(() => null));
        stats = addStats(stats, { dispatches: 0, rowDispatches: 0, tileDispatches: 0, submits: 1, maps: 0 });
      }
      done += part.rows.length * job.cols;
    }
    if (job.tiles && job.tiles.length > 0) stats = addStats(stats, await evaluateTilesToBuffer(gpu, job.tiles, buffer, offset, tileRun(job, done)));
    for (const e of await Promise.all(copyErrors)) {
      if (e && gpu.lostReason === undefined && !gpu.destroyed) throw new GpuValidationError(`WebGPU validation error (a bug in webgpu-lr-schedules): ${e.message}`);
    }
    return stats;
  } finally {
    scratch?.destroy();
  }
}

/** The caller-side fault a validation error of a caller's buffer names. */
export function bufferFault(message: string): string {
  if (/destroy/i.test(message)) return 'is destroyed (buffer.destroy() was called): pass a live buffer';
  if (/associated with|cannot be used with|another device|different device/i.test(message)) {
    return "belongs to another GPUDevice: create it with the evaluator's device (evaluator.device)";
  }
  return `cannot be used on the evaluator's device (${message.split('\n')[0] ?? message})`;
}

/** The buffer-check layout of each device (made once per device). */
const probeLayouts = new WeakMap<GPUDevice, GPUBindGroupLayout>();

/**
 * Checks a caller's buffer against the backend's device: an empty compute pass that
 * binds it, in its own validation scope (destroyed and foreign buffers fail there).
 * Resolves to the fault (bufferFault()) or undefined. The scope is popped concurrently
 * with the call's work: no extra round trip.
 */
export function probeBuffer(gpu: GpuBackend, buffer: GPUBuffer): Promise<string | undefined> {
  const device = gpu.device;
  device.pushErrorScope('validation');
  let thrown: string | undefined;
  try {
    let layout = probeLayouts.get(device);
    if (!layout) {
      layout = device.createBindGroupLayout({
        label: 'lr-schedules buffer check',
        entries: [{ binding: 0, visibility: STAGE_COMPUTE, buffer: { type: 'storage' } }],
      });
      probeLayouts.set(device, layout);
    }
    const group = device.createBindGroup({ label: 'lr-schedules buffer check', layout, entries: [{ binding: 0, resource: { buffer, offset: 0, size: 4 } }] });
    const enc = device.createCommandEncoder({ label: 'lr-schedules buffer check' });
    const pass = enc.beginComputePass();
    pass.setBindGroup(0, group);
    pass.end();
    device.queue.submit([enc.finish()]);
  } catch (err) {
    thrown = (err as Error).message;
  }
  return device
    .popErrorScope()
    .catch(() => null)
    .then((e) => (thrown !== undefined ? bufferFault(thrown) : e && gpu.lostReason === undefined ? bufferFault(e.message) : undefined));
}

/** A new output buffer (STORAGE | COPY_SRC | COPY_DST) of `size` bytes; `created` resolves to its out-of-memory error, if any. */
export function createValuesBuffer(device: GPUDevice, size: number): { buffer: GPUBuffer; created: Promise<ScopeError | null> } {
  device.pushErrorScope('out-of-memory');
  const buffer = device.createBuffer({ label: 'lr-schedules values', size: Math.max(4, size), usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST });
  return { buffer, created: device.popErrorScope().catch(() => null) };
}

/** Writes `values` (computed on the CPU) into `buffer` at `offset`; resolves to the device's validation error, if any. */
export function writeValues(device: GPUDevice, buffer: GPUBuffer, offset: number, values: Float32Array): Promise<ScopeError | null> {
  device.pushErrorScope('validation');
  device.queue.writeBuffer(buffer, offset, values);
  return device.popErrorScope().catch(() => null);
}
