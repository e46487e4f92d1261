/**
 * createEvaluator(): the public surface of layer 3 (docs/design.md). It wires the
 * kernels (layer 1) to the GPU and CPU backends (layer 2), picks one, says which, and
 * falls back to the CPU when the GPU cannot serve a request.
 *
 * Fallback policy (backend 'auto'):
 * - no WebGPU / no adapter / no device at creation: the evaluator runs on the CPU
 *   (`backend: 'cpu'`, `fallbackReason` says why), for its whole life;
 * - a request the GPU formulation does not support (the packer gives a reason, or
 *   a step above 2^32 − 1): that request runs on the CPU, the result's
 *   `fallbackReason` names schedule, field, value and rule; later requests try the GPU;
 * - a table over the device's binding limit, or a step list over maxBufferSize: the same,
 *   naming the table and the limit (tables that fit one by one run in parts);
 * - a GPU out-of-memory error: that request is redone on the CPU;
 * - device loss, before or during a call (device.lost, a rejected mapAsync): the call
 *   is redone completely on the CPU and says so, and the evaluator stays on the CPU for
 *   every later call (`ev.backend` becomes 'cpu'; it does not request a new device).
 *   evaluateToBuffer/sweepToBuffer then reject with GpuDeviceLostError (a CPU cannot
 *   fill a GPUBuffer of a lost device).
 * With backend 'webgpu' each of these is an error instead. Validation errors of the
 * device are bugs and are always thrown; a shader compilation error is thrown by
 * createEvaluator (ShaderCompileError), never hidden by a fallback. A caller's buffer
 * that the device cannot use (mapped, destroyed, another device's) is an
 * EvaluatorInputError naming `buffer`.
 *
 * Every call snapshots its inputs when it is made (Call): nothing the caller changes
 * afterwards reaches it. Host-side preparation and CPU loops yield every YIELD_MS and
 * stop at an abort.
 */

import { Pacer, cpuEvaluate } from '../cpu/cpu-backend.ts';
import { BufferUsage, STAGE_COMPUTE } from '../gpu/constants.ts';
import { acquireDevice, GpuUnavailableError } from '../gpu/device.ts';
import { GpuDeviceLostError, GpuLimitError, GpuOutOfMemoryError, GpuValidationError, ShaderCompileError } from '../gpu/errors.ts';
import { GpuBackend, type GpuKernel, type GpuLimitOverrides, type GpuRequest, type GpuRunStats, type GpuSteps } from '../gpu/gpu-backend.ts';
import {
  EVALUATE_WGSL,
  GpuUnsupportedError,
  LAYOUTS,
  WGSL_CONSTS,
  WORKGROUP_SIZE,
  packJob,
  packSchedules,
  pipelineConstants,
  type KernelSchedule,
  type RestartPeriods,
} from '../kernels/index.ts';
import { StepError } from '../schedules/errors.ts';
import { checkRange, checkStep, isStepRange, sliceSteps } from '../schedules/steps.ts';
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

/** Byte offsets inside one packed ScheduleParams row (the reflected layout). */
const PARAMS_STRIDE = LAYOUTS.ScheduleParams.size;
const PARAMS_WORDS = PARAMS_STRIDE / 4;
const FLAGS_WORD = LAYOUTS.ScheduleParams.members.flags.offset / 4;
const TABLE_OFF_WORD = LAYOUTS.ScheduleParams.members.table_off.offset / 4;

interface Validated {
  readonly rows: number;
  readonly cols: number;
  readonly minStep: number;
  readonly maxStep: number;
  readonly range?: { readonly start: number; readonly stride: number };
  readonly list?: Uint32Array | Float64Array;
}

/**
 * A call's inputs, copied and validated once, synchronously, when the call is made
 * (before any await): later changes by the caller to the step list, the schedules array,
 * a schedule's fields or the options object cannot reach a running or queued call.
 */
interface Call {
  readonly schedules: readonly EvaluatorSchedule[];
  /** The validated copy: a resolved range, or a Uint32Array (Float64Array when a step exceeds 2^32 − 1). */
  readonly steps: Steps;
  readonly v: Validated;
  readonly options: CallOptions;
}

interface BufferCall extends Call {
  readonly buffer: GPUBuffer | undefined;
  readonly offset: number;
}

/** One GPU request of a call: a set of rows whose parameters and tables each fit one storage binding. */
interface GpuPart {
  /** Rows of the call, in order. */
  readonly rows: readonly number[];
  /** rows[0] when the rows are consecutive (the part writes its slice of the output in place). */
  readonly first: number | undefined;
  readonly params: ArrayBuffer;
  readonly tables: ArrayBuffer;
  readonly constants: Readonly<Record<string, number>> | undefined;
}

/** How a call runs on the GPU (planGpu), or why it does not. */
type GpuPlan = { readonly parts: readonly GpuPart[]; readonly steps: GpuSteps } | { readonly reason: string };

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

/** onProgress of one part, reported as progress of the whole request. */
function partProgress(options: CallOptions, before: number, total: number): CallOptions['onProgress'] {
  const progress = options.onProgress;
  return progress && ((done: number) => progress(before + done, total));
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

// ---------------------------------------------------------------------------
// Snapshots of the inputs (taken synchronously at call entry).

/** Configs known to be deeply frozen (a permanent property, so it is checked once per object). */
const deeplyFrozen = new WeakSet<object>();

function isDeeplyFrozen(x: object, depth = 0): boolean {
  if (deeplyFrozen.has(x)) return true;
  if (depth > 8 || !Object.isFrozen(x)) return false;
  for (const v of Object.values(x)) {
    if (typeof v === 'object' && v !== null && !isDeeplyFrozen(v as object, depth + 1)) return false;
    if (typeof v === 'function') return false;
  }
  deeplyFrozen.add(x);
  return true;
}

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null) {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

/** The config as it is now: the object itself when deeply frozen (the schedule classes' configs), else a frozen copy. */
function snapshotConfig(config: unknown, i: number): unknown {
  if (typeof config !== 'object' || config === null || isDeeplyFrozen(config)) return config;
  try {
    return deepFreeze(structuredClone(config));
  } catch (err) {
    throw new EvaluatorInputError(`schedules[${i}].config`, typeof config, `must be plain data (numbers, booleans, strings, arrays): ${(err as Error).message}`);
  }
}

/**
 * A frozen stand-in for schedules[i]: its kind and config as they are now, and its methods
 * (captured now) called on the original object. The schedule classes compute from private
 * fields set at construction, so their values cannot change; the GPU packer reads `kind`
 * and `config`, which a caller could otherwise reassign while the call runs.
 */
function snapshotSchedule(s: unknown, i: number): EvaluatorSchedule {
  const o = s as (Partial<EvaluatorSchedule> & Partial<RestartPeriods>) | null | undefined;
  const kind = o?.kind;
  const at = o?.at;
  const fill = o?.fill;
  if (typeof at !== 'function' || typeof fill !== 'function' || typeof kind !== 'string') {
    throw new EvaluatorInputError(`schedules[${i}]`, typeof s, 'must be a schedule (CosineDecay, …) with kind, at() and fill()');
  }
  const periodIndex = o!.periodIndex;
  const period = o!.period;
  const snap = {
    kind,
    config: snapshotConfig(o!.config, i),
    at: (step: number): number => at.call(s, step),
    fill: (steps: Steps, out: Float32Array): unknown => fill.call(s, steps, out),
    ...(typeof periodIndex === 'function' ? { periodIndex: (step: number): number => periodIndex.call(s, step) } : {}),
    ...(typeof period === 'function' ? { period: (k: number) => period.call(s, k) } : {}),
  };
  return Object.freeze(snap) as unknown as EvaluatorSchedule;
}

function snapshotSchedules(schedules: unknown): EvaluatorSchedule[] {
  if (!Array.isArray(schedules) || schedules.length < 1) {
    throw new EvaluatorInputError('schedules.length', Array.isArray(schedules) ? schedules.length : typeof schedules, 'must be an array of at least one schedule');
  }
  const n = schedules.length;
  const out = new Array<EvaluatorSchedule>(n);
  for (let i = 0; i < n; i++) out[i] = snapshotSchedule(schedules[i], i);
  return out;
}

/**
 * A validated copy of a step list: a Uint32Array, or a Float64Array once a step exceeds
 * 2^32 − 1. Each element is read once, and the copy is what is validated (a getter, a
 * Proxy or a shared buffer cannot change it afterwards).
 */
function snapshotList(list: StepList): Uint32Array | Float64Array {
  const n = list.length;
  if (!Number.isSafeInteger(n) || n < 0) throw new StepError('steps.length', n, 'must be a non-negative integer');
  if (n < 1) throw new StepError('steps.length', n, 'must be ≥ 1 (a step list must not be empty)');
  const alloc = <T>(make: () => T): T => {
    try {
      return make();
    } catch (err) {
      throw new EvaluatorInputError('steps.length', n, `a copy of the step list could not be allocated (${(err as Error).message})`);
    }
  };
  if (list instanceof Uint32Array) return alloc(() => list.slice());
  if (list instanceof Uint16Array || list instanceof Uint8Array) return alloc(() => Uint32Array.from(list));
  const u32 = alloc(() => new Uint32Array(n));
  let i = 0;
  for (; i < n; i++) {
    const s = list[i];
    if (typeof s === 'number' && s >= 0 && s <= U32_MAX && Number.isInteger(s)) u32[i] = s;
    else break;
  }
  if (i === n) return u32;
  const f64 = alloc(() => new Float64Array(n));
  f64.set(u32.subarray(0, i));
  for (; i < n; i++) f64[i] = checkStep(list[i], `steps[${i}]`);
  return f64;
}

/** The options object's fields, read once and checked. */
function snapshotOptions(options: unknown): CallOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) throw new EvaluatorInputError('options', options === null ? 'null' : typeof options, 'must be an object (or omitted)');
  const { signal, onProgress, verify: mode } = options as CallOptions;
  if (signal !== undefined) {
    const ok = typeof signal === 'object' && signal !== null && typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function';
    if (!ok) throw new EvaluatorInputError('signal', typeof signal, 'must be an AbortSignal (e.g. new AbortController().signal)');
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') throw new EvaluatorInputError('onProgress', typeof onProgress, 'must be a function (done, total) => void');
  if (mode !== undefined && mode !== 'none' && mode !== 'sample' && mode !== 'all') throw new EvaluatorInputError('verify', mode, "must be 'none', 'sample' or 'all'");
  return { ...(signal ? { signal } : {}), ...(onProgress ? { onProgress } : {}), ...(mode ? { verify: mode } : {}) };
}

/** How a caller's buffer is named in errors. */
function describeBuffer(b: GPUBuffer): string {
  return `GPUBuffer${b.label ? ` '${b.label}'` : ''} of ${b.size} bytes`;
}

/** A mapped (or mapping) buffer cannot be used by the GPU: the caller's to unmap. */
function checkUnmapped(b: GPUBuffer): void {
  const state = b.mapState as GPUBufferMapState | undefined;
  if (state !== undefined && state !== 'unmapped') {
    throw new EvaluatorInputError('buffer', describeBuffer(b), `is ${state === 'pending' ? 'being mapped (mapAsync pending)' : 'mapped'}: call buffer.unmap() first (a mapped buffer cannot be used by the GPU)`);
  }
}

/** The caller-side fault a validation error of the buffer check names. */
function bufferFault(message: string): string {
  if (/destroy/i.test(message)) return 'is destroyed (buffer.destroy() was called): pass a live buffer';
  if (/associated with|cannot be used with|another device|different device/i.test(message)) {
    return "belongs to another GPUDevice: create it with the evaluator's device (evaluator.device)";
  }
  return `cannot be used on the evaluator's device (${message.split('\n')[0] ?? message})`;
}

class EvaluatorImpl implements Evaluator {
  backend: 'webgpu' | 'cpu';
  fallbackReason: string | undefined;
  lastBufferReport: BufferReport | undefined;
  private destroyed = false;
  private readonly destroyCtl = new AbortController();
  private chain: Promise<unknown> = Promise.resolve();
  private readonly maxResultBytes: number;
  private probeLayout: GPUBindGroupLayout | undefined;

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

  evaluate(schedule: EvaluatorSchedule, steps: Steps, options?: CallOptions): Promise<EvaluationResult> {
    return this.call(() => this.snapshot([schedule], steps, options, true), (c) => this.runArray(c));
  }

  sweep(schedules: readonly EvaluatorSchedule[], steps: Steps, options?: CallOptions): Promise<EvaluationResult> {
    return this.call(() => this.snapshot(schedules, steps, options, true), (c) => this.runArray(c));
  }

  evaluateToBuffer(schedule: EvaluatorSchedule, steps: Steps, options?: BufferCallOptions): Promise<GPUBuffer> {
    return this.call(() => this.snapshotBuffer([schedule], steps, options), (c) => this.runBuffer(c));
  }

  sweepToBuffer(schedules: readonly EvaluatorSchedule[], steps: Steps, options?: BufferCallOptions): Promise<GPUBuffer> {
    return this.call(() => this.snapshotBuffer(schedules, steps, options), (c) => this.runBuffer(c));
  }

  stream(schedule: EvaluatorSchedule, steps: Steps, options?: StreamOptions): AsyncIterableIterator<StreamChunk> {
    // Snapshot now (at the call), report a bad input at the first next() as before.
    let c: (Call & { chunkSteps: number }) | undefined;
    let error: unknown;
    try {
      const chunkSteps = (options as StreamOptions | undefined)?.chunkSteps ?? 2 ** 20;
      if (!Number.isSafeInteger(chunkSteps) || chunkSteps < 1) throw new EvaluatorInputError('chunkSteps', chunkSteps, 'must be an integer ≥ 1');
      c = { ...this.snapshot([schedule], steps, options, false), chunkSteps };
    } catch (err) {
      error = err;
    }
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    return (async function* () {
      if (!c) throw error;
      const { v, chunkSteps, options: o } = c;
      const sub: CallOptions = { ...(o.signal ? { signal: o.signal } : {}), ...(o.verify ? { verify: o.verify } : {}) };
      for (let c0 = 0; c0 < v.cols; c0 += chunkSteps) {
        const len = Math.min(chunkSteps, v.cols - c0);
        const chunk = self.slice(c, c0, len, sub);
        const r = await self.enqueue(() => self.runArray(chunk));
        o.onProgress?.(c0 + len, v.cols);
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

  /** Snapshots the inputs now; runs (or reports the input error) in call order. */
  private call<C, T>(prepare: () => C, run: (c: C) => Promise<T>): Promise<T> {
    let c: C;
    try {
      c = prepare();
    } catch (err) {
      return this.enqueue(() => Promise.reject(err as Error));
    }
    return this.enqueue(() => run(c));
  }

  /** Copies and validates a call's inputs before anything is allocated; throws StepError / EvaluatorInputError. */
  private snapshot(schedules: unknown, steps: unknown, options: unknown, checkBytes: boolean): Call {
    const opts = snapshotOptions(options);
    const ss = snapshotSchedules(schedules);
    let v: Validated;
    let snap: Steps;
    if (isStepRange(steps)) {
      const r = checkRange(steps);
      if (r.count < 1) throw new StepError('range.count', r.count, 'must be ≥ 1 (a range must not be empty)');
      // One step: the stride is never used (and may exceed the GPU's u32 stride).
      const stride = r.count === 1 ? 1 : r.stride;
      snap = Object.freeze({ start: r.start, count: r.count, stride });
      v = { rows: ss.length, cols: r.count, minStep: r.start, maxStep: r.start + (r.count - 1) * stride, range: { start: r.start, stride } };
    } else {
      if (steps === null || typeof steps !== 'object' || typeof (steps as StepList).length !== 'number') {
        throw new StepError('steps', steps, 'must be a range { start, count, stride? } or an array of steps');
      }
      const list = snapshotList(steps as StepList);
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < list.length; i++) {
        const s = list[i]!;
        if (s < min) min = s;
        if (s > max) max = s;
      }
      snap = list;
      v = { rows: ss.length, cols: list.length, minStep: min, maxStep: max, list };
    }
    const bytes = v.rows * v.cols * 4;
    if (checkBytes && bytes > this.maxResultBytes) {
      throw new EvaluatorInputError(
        'result bytes (schedules × steps × 4)',
        `${v.rows} × ${v.cols} × 4 = ${bytes}`,
        `must be ≤ ${this.maxResultBytes} to fit one Float32Array; use stream() or fewer steps`,
      );
    }
    return { schedules: ss, steps: snap, v, options: opts };
  }

  /** snapshot() plus the buffer options; the checks that need no GPU round trip. */
  private snapshotBuffer(schedules: unknown, steps: unknown, options: BufferCallOptions | undefined): BufferCall {
    const gpu = this.gpu;
    if (!gpu || !this.device || this.choice === 'cpu') {
      throw new GpuUnavailableError(`evaluateToBuffer / sweepToBuffer need a WebGPU device; this evaluator runs on the CPU (${this.fallbackReason ?? 'backend: cpu'})`);
    }
    const c = this.snapshot(schedules, steps, options, false);
    const { buffer: given, offset = 0 } = options ?? {};
    const { v } = c;
    if (!Number.isSafeInteger(offset) || offset < 0 || offset % 4 !== 0) throw new EvaluatorInputError('offset', offset, 'must be a non-negative multiple of 4 (bytes)');
    const bytes = v.rows * v.cols * 4;
    if (offset + bytes > gpu.limits.maxBufferSize) {
      throw new EvaluatorInputError('offset + schedules × steps × 4', offset + bytes, `must be ≤ the device's maxBufferSize = ${gpu.limits.maxBufferSize}`);
    }
    if (given !== undefined) {
      if (typeof given !== 'object' || given === null || typeof given.usage !== 'number' || typeof given.size !== 'number') {
        throw new EvaluatorInputError('buffer', given === null ? 'null' : typeof given, 'must be a GPUBuffer of the evaluator’s device (or omitted)');
      }
      checkUnmapped(given);
      if ((given.usage & BufferUsage.STORAGE) === 0) throw new EvaluatorInputError('buffer.usage', given.usage, 'must include GPUBufferUsage.STORAGE');
      if (given.size < offset + bytes) throw new EvaluatorInputError('buffer.size', given.size, `must be ≥ offset + ${bytes} bytes = ${offset + bytes}`);
      if (c.options.verify !== undefined && c.options.verify !== 'none' && (given.usage & BufferUsage.COPY_SRC) === 0) {
        throw new EvaluatorInputError('buffer.usage', given.usage, `must include GPUBufferUsage.COPY_SRC for verify '${c.options.verify}' (the values are read back)`);
      }
    }
    return { ...c, buffer: given, offset };
  }

  /** Columns [c0, c0 + n) of a snapshot (stream chunks). */
  private slice(c: Call, c0: number, n: number, options: CallOptions): Call {
    const steps = sliceSteps(c.steps, c0, n);
    const { v } = c;
    if (n * 4 > this.maxResultBytes) {
      throw new EvaluatorInputError('chunkSteps × 4 (bytes per chunk)', n * 4, `must be ≤ ${this.maxResultBytes} to fit one Float32Array; use a smaller chunkSteps`);
    }
    let sub: Validated;
    if (v.range) {
      const start = v.range.start + c0 * v.range.stride;
      sub = { rows: 1, cols: n, minStep: start, maxStep: start + (n - 1) * v.range.stride, range: { start, stride: v.range.stride } };
    } else {
      const list = steps as Uint32Array | Float64Array;
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < list.length; i++) {
        const s = list[i]!;
        if (s < min) min = s;
        if (s > max) max = s;
      }
      sub = { rows: 1, cols: n, minStep: min, maxStep: max, list };
    }
    return { schedules: c.schedules, steps, v: sub, options };
  }

  /** Throws under backend 'webgpu', else returns the fallback reason. */
  private unsupported(row: number | undefined, s: EvaluatorSchedule | undefined, field: string, value: unknown, rule: string): { reason: string } {
    if (this.choice === 'webgpu') throw new GpuUnsupportedError(field, value, rule, row);
    return { reason: `${row === undefined ? '' : `schedule #${row} (${s!.kind}): `}${field} = ${String(value)}: ${rule}` };
  }

  /**
   * Decides whether the request runs on the GPU and prepares it: packs every schedule
   * (the packer is the GPU-support check: a GpuUnsupportedError names the field and rule),
   * checks each table against the device's binding limit, and cuts the rows into parts
   * whose parameters and tables each fit one storage binding (by kind when `byKind`).
   * Yields to the event loop every YIELD_MS and stops at an abort of `signal`.
   * Throws instead of falling back under backend 'webgpu'.
   */
  private async planGpu(schedules: readonly EvaluatorSchedule[], v: Validated, signal: AbortSignal, byKind: boolean): Promise<GpuPlan> {
    if (!this.gpu || this.backend === 'cpu') return { reason: this.fallbackReason ?? 'no WebGPU device' };
    if (this.gpu.lostReason !== undefined) {
      const reason = `WebGPU ${this.gpu.lostReason}; this evaluator now runs on the CPU`;
      if (this.choice === 'webgpu') throw new GpuDeviceLostError(reason);
      this.markLost(reason);
      return { reason };
    }
    if (v.maxStep > U32_MAX) {
      const rule = 'GPU steps are u32 (0 … 2^32 − 1); larger steps need the CPU backend';
      if (this.choice === 'webgpu') throw new StepError('steps', v.maxStep, rule);
      return { reason: `steps = ${v.maxStep}: ${rule}` };
    }
    const limits = this.gpu.limits;
    if (v.list && v.list.length * 4 > limits.maxBufferSize) {
      return this.unsupported(undefined, undefined, 'steps.length', v.list.length, `a GPU step list (4 bytes a step) must fit the device's maxBufferSize = ${limits.maxBufferSize} bytes: pass a range, or fewer steps per call`);
    }
    const bindName = limits.maxStorageBufferBindingSize <= limits.maxBufferSize ? 'maxStorageBufferBindingSize' : 'maxBufferSize';
    const maxBind = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
    if (PARAMS_STRIDE > maxBind) return this.unsupported(undefined, undefined, 'schedule parameters (bytes per row)', PARAMS_STRIDE, `must be ≤ the device's ${bindName} = ${maxBind}`);
    const window = { minStep: v.minStep, maxStep: v.maxStep };
    const pacer = new Pacer(signal);
    const n = schedules.length;
    // Per row: the packed words of its chunk, the row's first word there, and a view of its table.
    const rowWords = new Array<Uint32Array>(n);
    const rowAt = new Uint32Array(n);
    const tables = new Array<Uint32Array | undefined>(n);
    // Rows are packed in chunks (one packSchedules call each: its per-call cost dominates for
    // small schedules), sized so that a chunk takes about 1-4 ms: big restart tables go one by one.
    let size = 1;
    for (let i = 0; i < n; ) {
      await pacer.tick();
      const end = Math.min(n, i + size);
      const t0 = now();
      let packed: ReturnType<typeof packSchedules>;
      try {
        packed = packSchedules(schedules.slice(i, end), window);
      } catch (err) {
        if (err instanceof GpuUnsupportedError && err.scheduleIndex !== undefined) {
          const r = i + err.scheduleIndex;
          return this.unsupported(r, schedules[r], err.field, err.value, err.rule);
        }
        if (end - i > 1) {
          size = 1; // find the row, one by one
          continue;
        }
        // Any other error of the packer (e.g. a schedule method refusing a period index the
        // table would need) means the GPU formulation cannot take this config: the CPU can.
        const e = err as Error | undefined;
        return this.unsupported(i, schedules[i], 'config', schedules[i]!.kind, `the GPU packer cannot pack it (${e?.name ?? 'Error'}: ${e?.message ?? String(err)}); the CPU computes it`);
      }
      const dt = now() - t0;
      const words = new Uint32Array(packed.params);
      const chunkTables = new Uint32Array(packed.tables);
      let last = -1; // the previous row of this chunk with a table: its table ends where the next begins
      const close = (endWord: number): void => {
        if (last >= 0) tables[last] = chunkTables.subarray(words[rowAt[last]! + TABLE_OFF_WORD]!, endWord);
      };
      for (let r = i; r < end; r++) {
        const at = (r - i) * PARAMS_WORDS;
        rowWords[r] = words;
        rowAt[r] = at;
        if ((words[at + FLAGS_WORD]! & WGSL_CONSTS.FLAG_TABLE) !== 0) {
          close(words[at + TABLE_OFF_WORD]!);
          last = r;
        }
      }
      close(chunkTables.length);
      for (let r = i; r < end; r++) {
        const t = tables[r];
        if (t && t.byteLength > maxBind) {
          const s = schedules[r]!;
          const what = s.kind === 'CosineDecayRestarts' ? 'restart table (bytes)' : `${s.kind} table (bytes)`;
          return this.unsupported(r, s, what, t.byteLength, `must be ≤ the device's ${bindName} = ${maxBind} (one storage binding); the CPU computes it`);
        }
      }
      i = end;
      size = dt < 1 ? Math.min(size * 2, 4096) : dt > 4 ? Math.max(1, size >> 1) : size;
    }
    const all = schedules.map((_, i) => i);
    const groups = (byKind ? kindGroups(schedules) : undefined) ?? [all];
    const parts: GpuPart[] = [];
    for (const group of groups) {
      let cur: number[] = [];
      let tableBytes = 0;
      const flush = (): void => {
        if (cur.length > 0) parts.push(this.assemble(schedules, cur, rowWords, rowAt, tables));
        cur = [];
        tableBytes = 0;
      };
      for (const r of group) {
        const tb = tables[r]?.byteLength ?? 0;
        if (cur.length > 0 && ((cur.length + 1) * PARAMS_STRIDE > maxBind || tableBytes + tb > maxBind)) flush();
        cur.push(r);
        tableBytes += tb;
      }
      flush();
      await pacer.tick();
    }
    const steps: GpuSteps = v.range ? v.range : { list: v.list instanceof Uint32Array ? v.list : Uint32Array.from(v.list!) };
    return { parts, steps };
  }

  /** One part's ScheduleParams rows and tables, each row's table_off pointing into the part's tables. */
  private assemble(
    schedules: readonly EvaluatorSchedule[],
    rows: readonly number[],
    rowWords: readonly Uint32Array[],
    rowAt: Uint32Array,
    tables: readonly (Uint32Array | undefined)[],
  ): GpuPart {
    const params = new Uint32Array(rows.length * PARAMS_WORDS);
    let words = 0;
    for (const r of rows) words += tables[r]?.length ?? 0;
    const t = new Uint32Array(Math.max(1, words));
    let w = 0;
    let consecutive = true;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (r !== rows[0]! + i) consecutive = false;
      const src = rowWords[r]!;
      const at = rowAt[r]!;
      const o = i * PARAMS_WORDS;
      for (let k = 0; k < PARAMS_WORDS; k++) params[o + k] = src[at + k]!;
      const table = tables[r];
      if (table) {
        params[o + TABLE_OFF_WORD] = w;
        t.set(table, w);
        w += table.length;
      }
    }
    return { rows, first: consecutive ? rows[0] : undefined, params: params.buffer, tables: t.buffer, constants: pipelineConstants(rows.map((r) => schedules[r]!)) };
  }

  private request(part: GpuPart, cols: number, steps: GpuSteps, signal: AbortSignal | undefined, onProgress: CallOptions['onProgress']): GpuRequest {
    return { rows: part.rows.length, cols, params: part.params, tables: part.tables, steps, constants: part.constants, signal, onProgress };
  }

  private markLost(reason: string): void {
    this.backend = 'cpu';
    this.fallbackReason = reason;
  }

  /** Evaluates the plan's parts on the GPU into `out`; a part of scattered rows goes through a scratch array. */
  private async gpuEvaluate(plan: Extract<GpuPlan, { parts: unknown }>, v: Validated, options: CallOptions, out: Float32Array): Promise<GpuRunStats> {
    const gpu = this.gpu!;
    const { cols } = v;
    const total = v.rows * cols;
    const scratchRows = plan.parts.reduce((m, p) => (p.first === undefined ? Math.max(m, p.rows.length) : m), 0);
    let scratch: Float32Array | undefined;
    try {
      scratch = scratchRows > 0 ? new Float32Array(scratchRows * cols) : undefined;
    } catch (err) {
      throw new EvaluatorInputError('result bytes', total * 4, `could not be allocated twice (a kind group's scratch: ${(err as Error).message}); sweep fewer schedules or steps per call`);
    }
    let stats: GpuRunStats = { dispatches: 0, submits: 0, maps: 0 };
    let done = 0;
    for (const part of plan.parts) {
      const n = part.rows.length * cols;
      const request = this.request(part, cols, plan.steps, options.signal, partProgress(options, done, total));
      if (part.first !== undefined) {
        stats = addStats(stats, await gpu.evaluate(request, out.subarray(part.first * cols, part.first * cols + n)));
      } else {
        const sub = scratch!.subarray(0, n);
        stats = addStats(stats, await gpu.evaluate(request, sub));
        part.rows.forEach((r, i) => out.set(sub.subarray(i * cols, (i + 1) * cols), r * cols));
      }
      done += n;
    }
    return stats;
  }

  /**
   * Evaluates the plan's parts on the GPU into `buffer` at `offset`: a part of consecutive
   * rows in place, a part of scattered rows (a kind group) into a scratch buffer whose rows
   * are then copied into place on the GPU (only planned when the buffer has COPY_DST).
   */
  private async gpuEvaluateToBuffer(plan: Extract<GpuPlan, { parts: unknown }>, v: Validated, options: CallOptions, buffer: GPUBuffer, offset: number): Promise<GpuRunStats> {
    const gpu = this.gpu!;
    const device = this.device!;
    const rowBytes = v.cols * 4;
    const total = v.rows * v.cols;
    const scratchRows = plan.parts.reduce((m, p) => (p.first === undefined ? Math.max(m, p.rows.length) : m), 0);
    let scratch: GPUBuffer | undefined;
    let scratchError: Promise<GPUError | null> | undefined;
    if (scratchRows > 0) {
      device.pushErrorScope('out-of-memory');
      scratch = device.createBuffer({ label: 'lr-schedules kind group', size: Math.max(4, scratchRows * rowBytes), usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC });
      scratchError = device.popErrorScope().catch(() => null);
    }
    const copyErrors: Promise<GPUError | null>[] = [];
    try {
      let stats: GpuRunStats = { dispatches: 0, submits: 0, maps: 0 };
      let done = 0;
      for (const part of plan.parts) {
        const request = this.request(part, v.cols, plan.steps, options.signal, partProgress(options, done, total));
        if (part.first !== undefined) {
          stats = addStats(stats, await gpu.evaluateToBuffer(request, buffer, offset + part.first * rowBytes));
        } else {
          try {
            stats = addStats(stats, await gpu.evaluateToBuffer(request, scratch!, 0));
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
          stats = addStats(stats, { dispatches: 0, submits: 1, maps: 0 });
        }
        done += part.rows.length * v.cols;
      }
      for (const e of await Promise.all(copyErrors)) {
        if (e && gpu.lostReason === undefined && !this.destroyed) throw new GpuValidationError(`WebGPU validation error (a bug in webgpu-lr-schedules): ${e.message}`);
      }
      return stats;
    } finally {
      scratch?.destroy();
    }
  }

  /** Turns a GPU failure into a fallback reason (auto), or rethrows. */
  private gpuFailure(err: unknown): string {
    if (this.destroyed) throw new EvaluatorDestroyedError();
    if (isAbortError(err) || this.choice !== 'auto') {
      if (err instanceof GpuLimitError) throw new GpuUnsupportedError(err.field, err.value, `must be ≤ the device's ${err.limit} = ${err.limitValue} bytes`);
      throw err;
    }
    if (err instanceof GpuDeviceLostError) {
      const reason = `WebGPU ${err.message}; this call was redone on the CPU and the evaluator now runs on the CPU`;
      this.markLost(reason);
      return reason;
    }
    if (err instanceof GpuOutOfMemoryError) return `${err.message}; this call was redone on the CPU`;
    if (err instanceof GpuLimitError) return `${err.message}; this call ran on the CPU`;
    throw err;
  }

  private check(schedules: readonly EvaluatorSchedule[], steps: Steps, values: Float32Array, mode: CallOptions['verify']): VerifyReport | undefined {
    if (mode === undefined || mode === 'none') return undefined;
    const report = verify(schedules, steps, values, { mode });
    if (!report.ok) throw new VerificationError(report, `verify '${mode}'`);
    return report;
  }

  private async runArray(c: Call): Promise<EvaluationResult> {
    const t0 = now();
    const { schedules, steps, v, options } = c;
    options.signal?.throwIfAborted();
    const { signal, dispose } = anySignal([options.signal, this.destroyCtl.signal]);
    try {
      let out: Float32Array;
      try {
        out = new Float32Array(v.rows * v.cols);
      } catch (err) {
        throw new EvaluatorInputError('result bytes', v.rows * v.cols * 4, `could not be allocated (${(err as Error).message})`);
      }
      let fallbackReason: string | undefined;
      let backend: 'webgpu' | 'cpu' = 'cpu';
      let gpuStats: GpuRunStats | undefined;
      if (this.choice !== 'cpu') {
        const plan = await this.planGpu(schedules, v, signal, true);
        if ('reason' in plan) fallbackReason = plan.reason;
        else {
          try {
            gpuStats = await this.gpuEvaluate(plan, v, options, out);
            backend = 'webgpu';
          } catch (err) {
            fallbackReason = this.gpuFailure(err);
          }
        }
      }
      if (backend === 'cpu') await cpuEvaluate(schedules, steps, out, { signal, onProgress: options.onProgress });
      if (this.destroyed) throw new EvaluatorDestroyedError();
      options.signal?.throwIfAborted();
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
    } finally {
      dispose();
    }
  }

  /**
   * Checks a caller's buffer against the evaluator's device: an empty compute pass that
   * binds it, in its own validation scope (destroyed and foreign buffers fail there). The
   * scope is popped concurrently with the call's work: no extra round trip.
   */
  private probeBuffer(device: GPUDevice, buffer: GPUBuffer): Promise<string | undefined> {
    device.pushErrorScope('validation');
    let thrown: string | undefined;
    try {
      this.probeLayout ??= device.createBindGroupLayout({
        label: 'lr-schedules buffer check',
        entries: [{ binding: 0, visibility: STAGE_COMPUTE, buffer: { type: 'storage' } }],
      });
      const group = device.createBindGroup({ label: 'lr-schedules buffer check', layout: this.probeLayout, entries: [{ binding: 0, resource: { buffer, offset: 0, size: 4 } }] });
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
      .then((e) => (thrown !== undefined ? bufferFault(thrown) : e && this.gpu?.lostReason === undefined ? bufferFault(e.message) : undefined));
  }

  private async runBuffer(c: BufferCall): Promise<GPUBuffer> {
    const t0 = now();
    const gpu = this.gpu!;
    const device = this.device!;
    const { schedules, steps, v, options, buffer: given, offset } = c;
    const bytes = v.rows * v.cols * 4;
    options.signal?.throwIfAborted();
    if (given) checkUnmapped(given); // again: the caller may have mapped it while the call was queued
    const { signal, dispose } = anySignal([options.signal, this.destroyCtl.signal]);
    try {
      const byKind = ((given?.usage ?? BufferUsage.COPY_DST) & BufferUsage.COPY_DST) !== 0;
      const plan = await this.planGpu(schedules, v, signal, byKind);
      let fallbackReason = 'reason' in plan ? plan.reason : undefined;
      if (this.backend === 'cpu') {
        throw new GpuDeviceLostError(`evaluateToBuffer / sweepToBuffer need a WebGPU device: ${this.fallbackReason ?? 'device lost'}`);
      }
      const fault = given ? this.probeBuffer(device, given) : Promise.resolve(undefined);
      /** The caller's buffer fault, if any; `again` re-checks it now (the caller may have destroyed it during the call, e.g. from onProgress). */
      const inputError = async (again = false): Promise<EvaluatorInputError | undefined> => {
        let f = await fault;
        if (f === undefined && again && given) f = await this.probeBuffer(device, given);
        return f === undefined ? undefined : new EvaluatorInputError('buffer', describeBuffer(given!), f);
      };
      let created: Promise<GPUError | null> = Promise.resolve(null);
      let buffer = given;
      if (!buffer) {
        device.pushErrorScope('out-of-memory');
        buffer = device.createBuffer({ label: 'lr-schedules values', size: Math.max(4, offset + bytes), usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST });
        created = device.popErrorScope().catch(() => null);
      }
      try {
        let backend: 'webgpu' | 'cpu' = 'cpu';
        let gpuStats: GpuRunStats | undefined;
        let values: Float32Array | undefined;
        if (!('reason' in plan)) {
          try {
            gpuStats = await this.gpuEvaluateToBuffer(plan, v, options, buffer, offset);
            backend = 'webgpu';
          } catch (err) {
            const bad = await inputError(true);
            if (bad) throw bad;
            const oom = await created;
            if (oom) throw new GpuOutOfMemoryError(`WebGPU out-of-memory creating the ${bytes}-byte output buffer: ${oom.message}`);
            fallbackReason = this.gpuFailure(err);
            if (err instanceof GpuDeviceLostError) throw new GpuDeviceLostError(`evaluateToBuffer: ${err.message}; a lost device's buffer cannot be filled`);
          }
        }
        const bad = await inputError();
        if (bad) throw bad;
        const oom = await created;
        if (oom) throw new GpuOutOfMemoryError(`WebGPU out-of-memory creating the ${bytes}-byte output buffer: ${oom.message}`);
        if (backend === 'cpu') {
          if ((buffer.usage & BufferUsage.COPY_DST) === 0) {
            throw new EvaluatorInputError('buffer.usage', buffer.usage, `must include COPY_DST for the CPU fallback to fill it (${fallbackReason})`);
          }
          values = new Float32Array(v.rows * v.cols);
          await cpuEvaluate(schedules, steps, values, { signal, onProgress: options.onProgress });
          device.pushErrorScope('validation');
          device.queue.writeBuffer(buffer, offset, values);
          const e = await device.popErrorScope().catch(() => null);
          if (e && given && gpu.lostReason === undefined) throw new EvaluatorInputError('buffer', describeBuffer(given), bufferFault(e.message));
        }
        if (this.destroyed) throw new EvaluatorDestroyedError();
        options.signal?.throwIfAborted();
        let verification: VerifyReport | undefined;
        if (options.verify !== undefined && options.verify !== 'none') {
          if (!values) {
            // Checked again alongside the readback: a buffer destroyed from onProgress would read back garbage.
            const recheck = given ? this.probeBuffer(device, given) : undefined;
            values = await gpu.readBack(buffer, offset, v.rows * v.cols);
            const f = await recheck;
            if (f !== undefined) throw new EvaluatorInputError('buffer', describeBuffer(given!), f);
          }
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
        throw err;
      }
    } catch (err) {
      if (this.destroyed && !(err instanceof EvaluatorDestroyedError)) throw new EvaluatorDestroyedError();
      throw err;
    } finally {
      dispose();
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
