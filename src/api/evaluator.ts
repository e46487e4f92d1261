/**
 * createEvaluator(): the public surface of layer 3 (docs/design.md). It wires the
 * kernels (layer 1) to the GPU and CPU backends (layer 2), picks one, says which, and
 * falls back to the CPU when the GPU cannot serve a request.
 *
 * Fallback policy (backend 'auto'):
 * - no WebGPU / no adapter / no device at creation: the evaluator runs on the CPU
 *   (`backend: 'cpu'`, `fallbackReason` says why), for its whole life;
 * - a request the GPU formulation does not support (`gpuSupport()` gives a reason, or
 *   a step above 2^32 − 1): that request runs on the CPU, the result's
 *   `fallbackReason` names schedule, field, value and rule; later requests try the GPU;
 * - a GPU out-of-memory error: that request is redone on the CPU;
 * - device loss, before or during a call (device.lost, a rejected mapAsync): the call
 *   is redone completely on the CPU and says so, and the evaluator stays on the CPU for
 *   every later call (`ev.backend` becomes 'cpu'; it does not request a new device).
 *   evaluateToBuffer/sweepToBuffer then reject with GpuDeviceLostError (a CPU cannot
 *   fill a GPUBuffer of a lost device).
 * With backend 'webgpu' each of these is an error instead. Validation errors of the
 * device are bugs and are always thrown; a shader compilation error is thrown by
 * createEvaluator (ShaderCompileError), never hidden by a fallback.
 */

import { cpuEvaluate, sliceSteps, throwIfAborted } from '../cpu/cpu-backend.ts';
import { BufferUsage } from '../gpu/constants.ts';
import { acquireDevice, GpuUnavailableError } from '../gpu/device.ts';
import { GpuDeviceLostError, GpuOutOfMemoryError, ShaderCompileError } from '../gpu/errors.ts';
import { GpuBackend, type GpuKernel, type GpuLimitOverrides, type GpuRequest, type GpuRunStats } from '../gpu/gpu-backend.ts';
import { EVALUATE_WGSL, GpuUnsupportedError, WORKGROUP_SIZE, gpuSupport, packJob, packSchedules, pipelineConstants, type KernelSchedule } from '../kernels/index.ts';
import { StepError } from '../schedules/errors.ts';
import { checkRange, checkStepList, isStepRange } from '../schedules/steps.ts';
import type { StepList, Steps } from '../schedules/types.ts';
import { VerificationError, verify, type VerifyReport } from '../verify/verify.ts';
import { EvaluatorDestroyedError, EvaluatorInputError } from './errors.ts';

/** A schedule the evaluator accepts: the six classes of src/schedules satisfy it. */
export type EvaluatorSchedule = KernelSchedule & {
  /** Exact f64 value (the reference verify() uses). */
  at(step: number): number;
  /** Batch evaluation into a Float32Array (the CPU backend's inner loop). */
  fill(steps: Steps, out: Float32Array): unknown;
};

/** Which backend to use: 'auto' prefers WebGPU and falls back to the CPU. */
export type BackendChoice = 'auto' | 'webgpu' | 'cpu';

/** Lower caps on device limits and result sizes (for tests; never raises a device limit). */
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
}

/** Options every call takes. */
export interface CallOptions {
  /** Aborting rejects the call with the signal's reason (an AbortError by default); no partial output is returned. */
  readonly signal?: AbortSignal;
  /** Called with (elements done, elements total) as batches complete, last with (total, total). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Check the output against the exact reference (accuracy.md §4): a VerificationError on a violation. Default 'none'. */
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
  evaluate(schedule: EvaluatorSchedule, steps: Steps, options?: CallOptions): Promise<EvaluationResult>;
  /** M schedules × N steps, row-major. */
  sweep(schedules: readonly EvaluatorSchedule[], steps: Steps, options?: CallOptions): Promise<EvaluationResult>;
  /**
   * One schedule into a GPUBuffer (the caller's, or a new one with usage STORAGE |
   * COPY_SRC | COPY_DST that the caller then owns): f32 values at `offset + 4 · i`.
   * Resolves once the work is submitted (later GPU work on the same queue sees it).
   */
  evaluateToBuffer(schedule: EvaluatorSchedule, steps: Steps, options?: BufferCallOptions): Promise<GPUBuffer>;
  /** M × N into a GPUBuffer, row-major f32 at `offset + 4 · (r · N + c)`. */
  sweepToBuffer(schedules: readonly EvaluatorSchedule[], steps: Steps, options?: BufferCallOptions): Promise<GPUBuffer>;
  /** `steps` in chunks of `chunkSteps` (memory bounded by the chunk size). */
  stream(schedule: EvaluatorSchedule, steps: Steps, options?: StreamOptions): AsyncIterableIterator<StreamChunk>;
  /** Frees buffers; destroys the device only if the evaluator created it. Pending and later calls reject with EvaluatorDestroyedError. */
  destroy(): void;
}

const U32_MAX = 0xffffffff;
const DEFAULT_MAX_RESULT_BYTES = 2 ** 32;

/** The project's kernel as the GPU backend takes it. */
const KERNEL: GpuKernel = { code: EVALUATE_WGSL, label: 'evaluate.wgsl', workgroupSize: WORKGROUP_SIZE, packJob };

interface Validated {
  readonly rows: number;
  readonly cols: number;
  readonly minStep: number;
  readonly maxStep: number;
  readonly range?: { readonly start: number; readonly stride: number };
  readonly list?: StepList;
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * The rows of a mixed-kind request grouped by kind (each group in row order), or
 * undefined when every row has the same kind. Each group then runs on a pipeline
 * specialised to its kind: on SwiftShader the mixed pipeline's switch over six kinds
 * measured 8-10x slower than a one-kind pipeline.
 */
function kindGroups(schedules: readonly EvaluatorSchedule[]): number[][] | undefined {
  const byKind = new Map<string, number[]>();
  schedules.forEach((s, row) => {
    const rows = byKind.get(s.kind);
    if (rows) rows.push(row);
    else byKind.set(s.kind, [row]);
  });
  return byKind.size > 1 ? [...byKind.values()] : undefined;
}

/** Sums the counters of several GPU runs. */
function addStats(a: GpuRunStats, b: GpuRunStats): GpuRunStats {
  return { dispatches: a.dispatches + b.dispatches, submits: a.submits + b.submits, maps: a.maps + b.maps };
}

/** onProgress of one group, reported as progress of the whole request. */
function groupProgress(options: CallOptions, before: number, total: number): CallOptions {
  const progress = options.onProgress;
  return progress ? { ...options, onProgress: (done: number) => progress(before + done, total) } : options;
}

function describeDevice(device: GPUDevice): string {
  const info = (device as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  const s = info ? [info.vendor, info.architecture, info.description].filter((x) => x).join(' / ') : '';
  return s || 'caller-provided GPUDevice';
}

function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

/** A signal aborted when any of `signals` aborts (with its reason); dispose() removes the listeners. */
function anySignal(signals: readonly (AbortSignal | undefined)[]): { signal: AbortSignal; dispose: () => void } {
  const ctl = new AbortController();
  const undo: (() => void)[] = [];
  for (const s of signals) {
    if (!s) continue;
    if (s.aborted) {
      ctl.abort(s.reason);
      break;
    }
    const on = (): void => ctl.abort(s.reason);
    s.addEventListener('abort', on, { once: true });
    undo.push(() => s.removeEventListener('abort', on));
  }
  return { signal: ctl.signal, dispose: () => undo.forEach((f) => f()) };
}

class EvaluatorImpl implements Evaluator {
  backend: 'webgpu' | 'cpu';
  fallbackReason: string | undefined;
  lastBufferReport: BufferReport | undefined;
  private destroyed = false;
  private readonly destroyCtl = new AbortController();
  private chain: Promise<unknown> = Promise.resolve();
  private readonly maxResultBytes: number;

  constructor(
    private readonly choice: BackendChoice,
    readonly adapter: string,
    readonly device: GPUDevice | undefined,
    private readonly gpu: GpuBackend | undefined,
    private readonly ownsDevice: boolean,
    initFallback: string | undefined,
    limits: EvaluatorLimits,
  ) {
    this.backend = gpu ? 'webgpu' : 'cpu';
    this.fallbackReason = initFallback;
    this.maxResultBytes = Math.min(limits.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES, DEFAULT_MAX_RESULT_BYTES);
  }

  evaluate(schedule: EvaluatorSchedule, steps: Steps, options: CallOptions = {}): Promise<EvaluationResult> {
    return this.enqueue(() => this.runArray([schedule], steps, options));
  }

  sweep(schedules: readonly EvaluatorSchedule[], steps: Steps, options: CallOptions = {}): Promise<EvaluationResult> {
    return this.enqueue(() => this.runArray(schedules, steps, options));
  }

  evaluateToBuffer(schedule: EvaluatorSchedule, steps: Steps, options: BufferCallOptions = {}): Promise<GPUBuffer> {
    return this.enqueue(() => this.runBuffer([schedule], steps, options));
  }

  sweepToBuffer(schedules: readonly EvaluatorSchedule[], steps: Steps, options: BufferCallOptions = {}): Promise<GPUBuffer> {
    return this.enqueue(() => this.runBuffer(schedules, steps, options));
  }

  stream(schedule: EvaluatorSchedule, steps: Steps, options: StreamOptions = {}): AsyncIterableIterator<StreamChunk> {
    const chunkSteps = options.chunkSteps ?? 2 ** 20;
    const { signal, onProgress, verify: verifyMode } = options;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    return (async function* () {
      if (!Number.isSafeInteger(chunkSteps) || chunkSteps < 1) throw new EvaluatorInputError('chunkSteps', chunkSteps, 'must be an integer ≥ 1');
      const v = self.validate([schedule], steps, false);
      for (let c0 = 0; c0 < v.cols; c0 += chunkSteps) {
        const len = Math.min(chunkSteps, v.cols - c0);
        const sub = sliceSteps(steps, c0, len);
        const r = await self.enqueue(() =>
          self.runArray([schedule], sub, { ...(signal ? { signal } : {}), ...(verifyMode ? { verify: verifyMode } : {}) }),
        );
        onProgress?.(c0 + len, v.cols);
        const step = v.range ? v.range.start + c0 * v.range.stride : v.list![c0]!;
        yield { start: c0, step, values: r.values, backend: r.backend, ...(r.fallbackReason === undefined ? {} : { fallbackReason: r.fallbackReason }) };
      }
    })();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.destroyCtl.abort(new EvaluatorDestroyedError());
    this.gpu?.destroy();
    if (this.ownsDevice) this.device?.destroy();
  }

  // ---------------------------------------------------------------------------

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(() => {
      if (this.destroyed) throw new EvaluatorDestroyedError();
      return fn();
    });
    this.chain = p.catch(() => undefined);
    return p;
  }

  /** Validates the request before anything is allocated; throws StepError / EvaluatorInputError. */
  private validate(schedules: readonly EvaluatorSchedule[], steps: Steps, checkBytes: boolean): Validated {
    if (!Array.isArray(schedules) || schedules.length < 1) {
      throw new EvaluatorInputError('schedules.length', Array.isArray(schedules) ? schedules.length : typeof schedules, 'must be an array of at least one schedule');
    }
    schedules.forEach((s, i) => {
      if (typeof s?.at !== 'function' || typeof s.fill !== 'function' || typeof s.kind !== 'string') {
        throw new EvaluatorInputError(`schedules[${i}]`, typeof s, 'must be a schedule (CosineDecay, …) with kind, at() and fill()');
      }
    });
    let v: Validated;
    if (isStepRange(steps)) {
      const { start, count, stride } = checkRange(steps);
      if (count < 1) throw new StepError('range.count', count, 'must be ≥ 1 (a range must not be empty)');
      v = { rows: schedules.length, cols: count, minStep: start, maxStep: start + (count - 1) * stride, range: { start, stride } };
    } else {
      if (steps === null || typeof steps !== 'object' || typeof steps.length !== 'number') {
        throw new StepError('steps', steps, 'must be a range { start, count, stride? } or an array of steps');
      }
      const n = checkStepList(steps);
      if (n < 1) throw new StepError('steps.length', n, 'must be ≥ 1 (a step list must not be empty)');
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < n; i++) {
        const s = steps[i]!;
        if (s < min) min = s;
        if (s > max) max = s;
      }
      v = { rows: schedules.length, cols: n, minStep: min, maxStep: max, list: steps };
    }
    const bytes = v.rows * v.cols * 4;
    if (checkBytes && bytes > this.maxResultBytes) {
      throw new EvaluatorInputError(
        'result bytes (schedules × steps × 4)',
        `${v.rows} × ${v.cols} × 4 = ${bytes}`,
        `must be ≤ ${this.maxResultBytes} to fit one Float32Array; use stream() or fewer steps`,
      );
    }
    return v;
  }

  /** Why this request cannot run on the GPU (undefined: it can). Throws instead under backend 'webgpu'. */
  private gpuBlocked(schedules: readonly EvaluatorSchedule[], v: Validated): string | undefined {
    if (this.choice === 'cpu') return undefined;
    if (!this.gpu || this.backend === 'cpu') return this.fallbackReason ?? 'no WebGPU device';
    if (this.gpu.lostReason !== undefined) {
      const reason = `WebGPU ${this.gpu.lostReason}; this evaluator now runs on the CPU`;
      if (this.choice === 'webgpu') throw new GpuDeviceLostError(reason);
      this.markLost(reason);
      return reason;
    }
    if (v.maxStep > U32_MAX) {
      const rule = 'GPU steps are u32 (0 … 2^32 − 1); larger steps need the CPU backend';
      if (this.choice === 'webgpu') throw new StepError('steps', v.maxStep, rule);
      return `steps = ${v.maxStep}: ${rule}`;
    }
    const window = { minStep: v.minStep, maxStep: v.maxStep };
    for (let i = 0; i < schedules.length; i++) {
      const s = schedules[i]!;
      const r = gpuSupport(s, window);
      if (r) {
        if (this.choice === 'webgpu') throw new GpuUnsupportedError(r.field, r.value, r.rule, i);
        return `schedule #${i} (${s.kind}): ${r.field} = ${String(r.value)}: ${r.rule}`;
      }
    }
    return undefined;
  }

  private markLost(reason: string): void {
    this.backend = 'cpu';
    this.fallbackReason = reason;
  }

  /** Evaluates on the GPU into `out`; a mixed-kind request runs kind group by kind group (see kindGroups). */
  private async gpuEvaluate(schedules: readonly EvaluatorSchedule[], v: Validated, options: CallOptions, out: Float32Array): Promise<GpuRunStats> {
    const gpu = this.gpu!;
    const groups = kindGroups(schedules);
    if (!groups) return gpu.evaluate(this.gpuRequest(schedules, v, options), out);
    const { cols } = v;
    const scratch = new Float32Array(Math.max(...groups.map((g) => g.length)) * cols);
    let stats: GpuRunStats = { dispatches: 0, submits: 0, maps: 0 };
    let done = 0;
    for (const rows of groups) {
      const part = scratch.subarray(0, rows.length * cols);
      const request = this.gpuRequest(rows.map((r) => schedules[r]!), { ...v, rows: rows.length }, groupProgress(options, done, v.rows * cols));
      stats = addStats(stats, await gpu.evaluate(request, part));
      rows.forEach((r, i) => out.set(part.subarray(i * cols, (i + 1) * cols), r * cols));
      done += part.length;
    }
    return stats;
  }

  /**
   * Evaluates on the GPU into `buffer` at `offset`; a mixed-kind request runs kind group by
   * kind group into a scratch buffer whose rows are then copied into place on the GPU.
   */
  private async gpuEvaluateToBuffer(
    schedules: readonly EvaluatorSchedule[],
    v: Validated,
    options: CallOptions,
    buffer: GPUBuffer,
    offset: number,
  ): Promise<GpuRunStats> {
    const gpu = this.gpu!;
    // Grouping copies rows into place, which needs COPY_DST; without it the mixed pipeline runs.
    const groups = (buffer.usage & BufferUsage.COPY_DST) !== 0 ? kindGroups(schedules) : undefined;
    if (!groups) return gpu.evaluateToBuffer(this.gpuRequest(schedules, v, options), buffer, offset);
    const device = this.device!;
    const rowBytes = v.cols * 4;
    const scratch = device.createBuffer({
      label: 'lr-schedules kind group',
      size: Math.max(4, Math.max(...groups.map((g) => g.length)) * rowBytes),
      usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC,
    });
    try {
      let stats: GpuRunStats = { dispatches: 0, submits: 0, maps: 0 };
      let done = 0;
      for (const rows of groups) {
        const request = this.gpuRequest(rows.map((r) => schedules[r]!), { ...v, rows: rows.length }, groupProgress(options, done, v.rows * v.cols));
        stats = addStats(stats, await gpu.evaluateToBuffer(request, scratch, 0));
        // Queue order: these copies run after the group's dispatches and before the next group's.
        const enc = device.createCommandEncoder({ label: 'lr-schedules kind group rows' });
        rows.forEach((r, i) => enc.copyBufferToBuffer(scratch, i * rowBytes, buffer, offset + r * rowBytes, rowBytes));
        device.queue.submit([enc.finish()]);
        stats = addStats(stats, { dispatches: 0, submits: 1, maps: 0 });
        done += rows.length * v.cols;
      }
      return stats;
    } finally {
      scratch.destroy();
    }
  }

  private gpuRequest(schedules: readonly EvaluatorSchedule[], v: Validated, options: CallOptions): GpuRequest {
    const packed = packSchedules(schedules, { minStep: v.minStep, maxStep: v.maxStep });
    const steps = v.range ? v.range : { list: v.list instanceof Uint32Array ? v.list : Uint32Array.from(v.list!) };
    return {
      rows: v.rows,
      cols: v.cols,
      params: packed.params,
      tables: packed.tables,
      steps,
      constants: pipelineConstants(schedules),
      signal: options.signal,
      onProgress: options.onProgress,
    };
  }

  /** Turns a GPU failure into a fallback reason (auto), or rethrows. */
  private gpuFailure(err: unknown): string {
    if (this.destroyed) throw new EvaluatorDestroyedError();
    if (isAbortError(err) || this.choice !== 'auto') throw err;
    if (err instanceof GpuDeviceLostError) {
      const reason = `WebGPU ${err.message}; this call was redone on the CPU and the evaluator now runs on the CPU`;
      this.markLost(reason);
      return reason;
    }
    if (err instanceof GpuOutOfMemoryError) return `${err.message}; this call was redone on the CPU`;
    throw err;
  }

  private async cpuRun(schedules: readonly EvaluatorSchedule[], steps: Steps, out: Float32Array, options: CallOptions): Promise<void> {
    const { signal, dispose } = anySignal([options.signal, this.destroyCtl.signal]);
    try {
      await cpuEvaluate(schedules, steps, out, { signal, onProgress: options.onProgress });
    } finally {
      dispose();
    }
  }

  private check(schedules: readonly EvaluatorSchedule[], steps: Steps, values: Float32Array, mode: CallOptions['verify']): VerifyReport | undefined {
    if (mode === undefined || mode === 'none') return undefined;
    const report = verify(schedules, steps, values, { mode });
    if (!report.ok) throw new VerificationError(report, `verify '${mode}'`);
    return report;
  }

  private async runArray(schedules: readonly EvaluatorSchedule[], steps: Steps, options: CallOptions): Promise<EvaluationResult> {
    const t0 = now();
    const v = this.validate(schedules, steps, true);
    throwIfAborted(options.signal);
    let out: Float32Array;
    try {
      out = new Float32Array(v.rows * v.cols);
    } catch (err) {
      throw new EvaluatorInputError('result bytes', v.rows * v.cols * 4, `could not be allocated (${(err as Error).message})`);
    }
    let fallbackReason = this.gpuBlocked(schedules, v);
    let backend: 'webgpu' | 'cpu' = 'cpu';
    let gpuStats: GpuRunStats | undefined;
    if (this.choice !== 'cpu' && fallbackReason === undefined) {
      try {
        gpuStats = await this.gpuEvaluate(schedules, v, options, out);
        backend = 'webgpu';
      } catch (err) {
        fallbackReason = this.gpuFailure(err);
      }
    }
    if (backend === 'cpu') await this.cpuRun(schedules, steps, out, options);
    if (this.destroyed) throw new EvaluatorDestroyedError();
    throwIfAborted(options.signal);
    const verification = this.check(schedules, steps, out, options.verify);
    return {
      values: out,
      backend,
      ...(fallbackReason === undefined ? {} : { fallbackReason }),
      ...(verification ? { verification } : {}),
      ...(gpuStats ? { gpuStats } : {}),
      elapsedMs: now() - t0,
      rows: v.rows,
      cols: v.cols,
    };
  }

  private async runBuffer(schedules: readonly EvaluatorSchedule[], steps: Steps, options: BufferCallOptions): Promise<GPUBuffer> {
    const t0 = now();
    const gpu = this.gpu;
    const device = this.device;
    if (!gpu || !device || this.choice === 'cpu') {
      throw new GpuUnavailableError(`evaluateToBuffer / sweepToBuffer need a WebGPU device; this evaluator runs on the CPU (${this.fallbackReason ?? 'backend: cpu'})`);
    }
    const v = this.validate(schedules, steps, false);
    const offset = options.offset ?? 0;
    if (!Number.isSafeInteger(offset) || offset < 0 || offset % 4 !== 0) throw new EvaluatorInputError('offset', offset, 'must be a non-negative multiple of 4 (bytes)');
    const bytes = v.rows * v.cols * 4;
    if (offset + bytes > gpu.limits.maxBufferSize) {
      throw new EvaluatorInputError('offset + schedules × steps × 4', offset + bytes, `must be ≤ the device's maxBufferSize = ${gpu.limits.maxBufferSize}`);
    }
    const given = options.buffer;
    if (given) {
      if ((given.usage & BufferUsage.STORAGE) === 0) throw new EvaluatorInputError('buffer.usage', given.usage, 'must include GPUBufferUsage.STORAGE');
      if (given.size < offset + bytes) throw new EvaluatorInputError('buffer.size', given.size, `must be ≥ offset + ${bytes} bytes = ${offset + bytes}`);
    }
    throwIfAborted(options.signal);
    let fallbackReason = this.gpuBlocked(schedules, v);
    if (this.backend === 'cpu') {
      throw new GpuDeviceLostError(`evaluateToBuffer / sweepToBuffer need a WebGPU device: ${this.fallbackReason ?? 'device lost'}`);
    }
    const buffer =
      given ??
      device.createBuffer({ label: 'lr-schedules values', size: Math.max(4, offset + bytes), usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST });
    try {
      let backend: 'webgpu' | 'cpu' = 'cpu';
      let gpuStats: GpuRunStats | undefined;
      let values: Float32Array | undefined;
      if (fallbackReason === undefined) {
        try {
          gpuStats = await this.gpuEvaluateToBuffer(schedules, v, options, buffer, offset);
          backend = 'webgpu';
        } catch (err) {
          fallbackReason = this.gpuFailure(err);
          if (err instanceof GpuDeviceLostError) throw new GpuDeviceLostError(`evaluateToBuffer: ${err.message}; a lost device's buffer cannot be filled`);
        }
      }
      if (backend === 'cpu') {
        if ((buffer.usage & BufferUsage.COPY_DST) === 0) {
          throw new EvaluatorInputError('buffer.usage', buffer.usage, `must include COPY_DST for the CPU fallback to fill it (${fallbackReason})`);
        }
        values = new Float32Array(v.rows * v.cols);
        await this.cpuRun(schedules, steps, values, options);
        device.queue.writeBuffer(buffer, offset, values);
      }
      if (this.destroyed) throw new EvaluatorDestroyedError();
      throwIfAborted(options.signal);
      let verification: VerifyReport | undefined;
      if (options.verify !== undefined && options.verify !== 'none') {
        values ??= await gpu.readBack(buffer, offset, v.rows * v.cols);
        verification = this.check(schedules, steps, values, options.verify);
      }
      this.lastBufferReport = {
        buffer,
        offset,
        byteLength: bytes,
        backend,
        ...(fallbackReason === undefined ? {} : { fallbackReason }),
        ...(verification ? { verification } : {}),
        ...(gpuStats ? { gpuStats } : {}),
        elapsedMs: now() - t0,
        rows: v.rows,
        cols: v.cols,
      };
      return buffer;
    } catch (err) {
      if (!given) buffer.destroy();
      if (this.destroyed && !(err instanceof EvaluatorDestroyedError)) throw new EvaluatorDestroyedError();
      throw err;
    }
  }
}

/**
 * Creates an evaluator. Example:
 * ```ts
 * const ev = await createEvaluator({ backend: 'auto' });
 * const { values, backend } = await ev.evaluate(new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 }), { start: 0, count: 1000 });
 * ```
 * With 'auto', a missing WebGPU/adapter/device gives a CPU evaluator whose
 * `fallbackReason` says why; with 'webgpu' it rejects with GpuUnavailableError. A
 * kernel that fails to compile rejects with ShaderCompileError in both modes.
 */
export async function createEvaluator(options: CreateEvaluatorOptions = {}): Promise<Evaluator> {
  const choice = options.backend ?? 'auto';
  if (choice !== 'auto' && choice !== 'webgpu' && choice !== 'cpu') {
    throw new EvaluatorInputError('backend', choice, "must be 'auto', 'webgpu' or 'cpu'");
  }
  const limits = options.limits ?? {};
  if (choice === 'cpu') return new EvaluatorImpl(choice, 'cpu', undefined, undefined, false, undefined, limits);
  let device = options.device;
  let adapter = device ? describeDevice(device) : '';
  let owns = false;
  let reason: string | undefined;
  if (!device) {
    try {
      const got = await acquireDevice({
        ...(options.powerPreference ? { powerPreference: options.powerPreference } : {}),
        ...(options.gpu !== undefined ? { gpu: options.gpu } : {}),
      });
      device = got.device;
      adapter = got.adapterName;
      owns = true;
    } catch (err) {
      if (choice === 'webgpu') throw err;
      reason = (err as Error).message;
    }
  }
  let gpu: GpuBackend | undefined;
  if (device) {
    gpu = new GpuBackend(device, KERNEL, limits);
    try {
      await gpu.pipelines();
    } catch (err) {
      if (owns) device.destroy();
      if (err instanceof ShaderCompileError || choice === 'webgpu') throw err;
      reason = `WebGPU pipeline creation failed: ${(err as Error).message}`;
      gpu = undefined;
    }
  }
  if (!gpu) return new EvaluatorImpl(choice, 'cpu', undefined, undefined, false, reason ?? 'no WebGPU device', limits);
  return new EvaluatorImpl(choice, adapter, device, gpu, owns, undefined, limits);
}
