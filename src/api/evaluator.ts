/**
 * createEvaluator(): the public surface of layer 3 (docs/design.md). It wires the
 * kernels (layer 1) to the GPU and CPU backends (layer 2), picks one, says which, and
 * falls back to the CPU when the GPU cannot serve a request. The jobs are apart:
 * - types.ts: the public types;
 * - validate.ts: the input snapshot (copied and validated once, at the call, before any
 *   await: nothing the caller changes afterwards reaches the call);
 * - fallback.ts: the fallback policy, pure (choice, state, cause → GPU, CPU with the
 *   reason, or throw; the table is there and in docs/design.md);
 * - gpu-plan.ts: the packing of a request into GPU parts (or the cause that keeps it off);
 * - src/gpu/: all GPU encoding and submission (gpu-backend.ts, parts.ts);
 * - cpu-threads.ts: the CPU backend on the calling thread or on worker threads.
 * This file only orders the calls (one at a time, in call order), runs each through those
 * steps and reports what it did. Host-side preparation and CPU loops yield every YIELD_MS.
 */

import { BufferUsage } from '../gpu/constants.ts';
import { acquireDevice, GpuUnavailableError } from '../gpu/device.ts';
import { GpuDeviceLostError, GpuOutOfMemoryError, ShaderCompileError } from '../gpu/errors.ts';
import { GpuBackend, type GpuKernel, type GpuRunStats } from '../gpu/gpu-backend.ts';
import type { KernelPipeline } from '../gpu/pipeline-cache.ts';
import { bufferFault, createValuesBuffer, evaluateParts, evaluatePartsToBuffer, probeBuffer, scratchRows, writeValues, type GpuPartsJob, type ScopeError } from '../gpu/parts.ts';
import { finishCpuRuns, planCall, type CallJob } from './call-plan.ts';
import { checkThreads, CpuThreads } from './cpu-threads.ts';
import { EVALUATE_WGSL, WGSL_CONSTS, WORKGROUP_SIZE, packJob } from '../kernels/index.ts';
import type { Steps } from '../schedules/steps.ts';
import { VerificationError, verify, type VerifyReport } from '../verify/verify.ts';
import { EvaluatorDestroyedError, EvaluatorInputError } from './errors.ts';
import { decideBackend, type CpuDecision, type FallbackCause, type FallbackDecision, type FallbackState } from './fallback.ts';
import type {
  BackendChoice,
  BufferCallOptions,
  BufferReport,
  CallOptions,
  CreateEvaluatorOptions,
  EvaluationResult,
  Evaluator,
  EvaluatorLimits,
  EvaluatorInput,
  RunReport,
  StreamChunk,
  StreamOptions,
} from './types.ts';
import { checkChunkSteps, checkUnmapped, describeBuffer, sliceCall, snapshotBufferCall, snapshotCall, type BufferCall, type Call } from './validate.ts';

const DEFAULT_MAX_RESULT_BYTES = 2 ** 32;

/** The project's kernel as the GPU backend takes it. */
/**
 * Columns one invocation of eval_range_tile / eval_list_tile writes at most: a row of up to
 * 64 · 256 = 16,384 columns is one workgroup (docs/benchmarks.md, "Narrow rows by tiles").
 */
const TILE_LANE_COLS_MAX = 64;
const KERNEL: GpuKernel = { code: EVALUATE_WGSL, label: 'evaluate.wgsl', workgroupSize: WORKGROUP_SIZE, packJob, tileLaneColsMax: TILE_LANE_COLS_MAX, rowValues: WGSL_CONSTS.ROW_VALUES };

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * Compiles (through the per-device cache) every pipeline `job` runs: each part's entry point
 * with its override constants, as GpuBackend runs a request, and each segment group's.
 */
function jobPipelines(gpu: GpuBackend, job: GpuPartsJob): Promise<KernelPipeline>[] {
  return [
    ...job.parts.filter((p) => p.rows.length > 0).map((p) => gpu.pipeline(gpu.entryFor({ rows: p.rows.length, cols: job.cols, steps: job.steps }), p.constants)),
    ...(job.tiles ?? []).flatMap((t) => t.groups.map((g) => gpu.pipeline('segments', g.constants))),
  ];
}

/** `limits` as given, once its tuning thresholds are ones: rowPathMinCols and tileMinCols integers ≥ 1 or Infinity (NaN would send every request down the one-row or tile path). */
function checkLimits(limits: EvaluatorLimits): EvaluatorLimits {
  const thresholds = [
    ['rowPathMinCols', limits.rowPathMinCols, 'the one-row entry points'],
    ['tileMinCols', limits.tileMinCols, 'the tile entry points'],
  ] as const;
  for (const [name, v, what] of thresholds) {
    if (v !== undefined && !(Number.isSafeInteger(v) && v >= 1) && v !== Infinity) {
      throw new EvaluatorInputError(`limits.${name}`, v, `must be an integer ≥ 1 (columns from which a request runs ${what}) or Infinity (never)`);
    }
  }
  return limits;
}

/**
 * What a call did (RunReport), its optional fields present only when set; started at `t0` (now()).
 * A GPU job whose every run the GPU declined (a Sequence of declined pieces: no dispatch, the
 * values all from the CPU, a fallbackReason saying why) reports the backend that produced them: 'cpu'.
 */
function runReport(
  backend: 'webgpu' | 'cpu',
  fallbackReason: string | undefined,
  verification: VerifyReport | undefined,
  gpuStats: GpuRunStats | undefined,
  t0: number,
  v: { readonly rows: number; readonly cols: number },
): RunReport {
  const cpuOnly = backend === 'webgpu' && gpuStats?.dispatches === 0 && fallbackReason !== undefined;
  return {
    backend: cpuOnly ? 'cpu' : backend,
    ...(fallbackReason === undefined ? {} : { fallbackReason }),
    ...(verification ? { verification } : {}),
    ...(gpuStats ? { gpuStats } : {}),
    elapsedMs: now() - t0,
    rows: v.rows,
    cols: v.cols,
  };
}

function describeDevice(device: GPUDevice): string {
  const info = (device as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  const s = info ? [info.vendor, info.architecture, info.description].filter((x) => x).join(' / ') : '';
  return s || 'caller-provided GPUDevice';
}

class EvaluatorImpl implements Evaluator {
  backend: 'webgpu' | 'cpu';
  fallbackReason: string | undefined;
  lastBufferReport: BufferReport | undefined;
  private destroyed = false;
  private readonly destroyCtl = new AbortController();
  private chain: Promise<unknown> = Promise.resolve();
  private readonly maxResultBytes: number;
  private readonly cpu: CpuThreads;

  constructor(
    private readonly choice: BackendChoice,
    readonly adapter: string,
    readonly device: GPUDevice | undefined,
    private readonly gpu: GpuBackend | undefined,
    private readonly ownsDevice: boolean,
    initFallback: string | undefined,
    limits: EvaluatorLimits,
    threads: number | 'auto',
  ) {
    this.cpu = new CpuThreads(threads);
    this.backend = gpu ? 'webgpu' : 'cpu';
    this.fallbackReason = initFallback;
    this.maxResultBytes = Math.min(limits.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES, DEFAULT_MAX_RESULT_BYTES);
  }

  evaluate(schedule: EvaluatorInput, steps: Steps, options?: CallOptions): Promise<EvaluationResult> {
    return this.call(() => snapshotCall([schedule], steps, options, this.maxResultBytes), (c) => this.runArray(c));
  }

  sweep(schedules: readonly EvaluatorInput[], steps: Steps, options?: CallOptions): Promise<EvaluationResult> {
    return this.call(() => snapshotCall(schedules, steps, options, this.maxResultBytes), (c) => this.runArray(c));
  }

  evaluateToBuffer(schedule: EvaluatorInput, steps: Steps, options?: BufferCallOptions): Promise<GPUBuffer> {
    return this.call(() => this.snapshotBuffer([schedule], steps, options), (c) => this.runBuffer(c));
  }

  sweepToBuffer(schedules: readonly EvaluatorInput[], steps: Steps, options?: BufferCallOptions): Promise<GPUBuffer> {
    return this.call(() => this.snapshotBuffer(schedules, steps, options), (c) => this.runBuffer(c));
  }

  prepare(schedules: readonly EvaluatorInput[], steps: Steps): Promise<void> {
    // It allocates nothing: what it warms (sweepToBuffer) is bounded by the device's maxBufferSize,
    // so it checks what sweepToBuffer checks. On the CPU (nothing to compile) the inputs only.
    const maxBufferSize = this.maxBufferSize();
    return this.call(() => (maxBufferSize === undefined ? snapshotCall(schedules, steps, undefined, undefined) : snapshotBufferCall(schedules, steps, undefined, maxBufferSize)), (c) => this.runPrepare(c));
  }

  stream(schedule: EvaluatorInput, steps: Steps, options?: StreamOptions): AsyncIterableIterator<StreamChunk> {
    // Snapshot now (at the call), report a bad input at the first next() as before.
    let c: (Call & { chunkSteps: number }) | undefined;
    let error: unknown;
    try {
      const chunkSteps = checkChunkSteps(options);
      c = { ...snapshotCall([schedule], steps, options, undefined), chunkSteps };
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
        const chunk = sliceCall(c, c0, len, sub, self.maxResultBytes);
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
    this.cpu.close();
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

  /** The buffer calls' snapshot: they need the GPU (checked first). */
  private snapshotBuffer(schedules: unknown, steps: unknown, options: BufferCallOptions | undefined): BufferCall {
    const maxBufferSize = this.maxBufferSize();
    if (maxBufferSize === undefined) {
      throw new GpuUnavailableError(`evaluateToBuffer / sweepToBuffer need a WebGPU device; this evaluator runs on the CPU (${this.fallbackReason ?? 'backend: cpu'})`);
    }
    return snapshotBufferCall(schedules, steps, options, maxBufferSize);
  }

  /** The device's maxBufferSize, which bounds the buffer calls; undefined when they cannot run (no GPU). */
  private maxBufferSize(): number | undefined {
    return this.gpu && this.device && this.choice !== 'cpu' ? this.gpu.limits.maxBufferSize : undefined;
  }

  private get state(): FallbackState {
    return { choice: this.choice, hasGpu: this.gpu !== undefined && this.backend !== 'cpu', fallbackReason: this.fallbackReason, destroyed: this.destroyed };
  }

  /** The fallback policy's decision on `cause` (fallback.ts); a switch of the evaluator to the CPU is applied here. */
  private decide(cause: FallbackCause): CpuDecision {
    const d = decideBackend(this.state, cause);
    if (d.switchToCpu) {
      this.backend = 'cpu';
      this.fallbackReason = d.reason;
    }
    return d;
  }

  /** The call's GPU parts, or the CPU decision (with its reason) when the GPU is not used. */
  private async plan(c: Call, signal: AbortSignal, byKind: boolean): Promise<CallJob | CpuDecision> {
    const first: FallbackDecision = decideBackend(this.state);
    if (first.backend === 'cpu') return first;
    const plan = await planCall(this.gpu!, c.schedules, c.v, signal, byKind, this.choice === 'webgpu');
    if ('cause' in plan) return this.decide(plan.cause);
    const { v, options } = c;
    const job = { ...plan, rows: v.rows, cols: v.cols, signal: options.signal, onProgress: options.onProgress };
    // Start compiling every pipeline of the job at once (the per-device cache keeps the
    // promises; each part then awaits its own, which reports a failure: one is not cached).
    // A mixed sweep runs one pipeline per kind and flags word, part after part: compiled one
    // by one they took 2.6-3.1 s for 14 on SwiftShader at load 9, concurrently 1.9-2.1 s.
    for (const p of jobPipelines(this.gpu!, job)) p.catch(() => undefined);
    return job;
  }

  private check(schedules: readonly EvaluatorInput[], steps: Steps, values: Float32Array, mode: CallOptions['verify']): VerifyReport | undefined {
    if (mode === undefined || mode === 'none') return undefined;
    const report = verify(schedules, steps, values, { mode });
    if (!report.ok) throw new VerificationError(report, `verify '${mode}'`);
    return report;
  }

  /** The call's signal, aborted also by destroy(). */
  private callSignal(options: CallOptions): AbortSignal {
    return options.signal ? AbortSignal.any([options.signal, this.destroyCtl.signal]) : this.destroyCtl.signal;
  }

  private async runArray(c: Call): Promise<EvaluationResult> {
    const t0 = now();
    const { schedules, steps, v, options } = c;
    options.signal?.throwIfAborted();
    const signal = this.callSignal(options);
    let out: Float32Array;
    try {
      out = new Float32Array(v.rows * v.cols);
    } catch (err) {
      throw new EvaluatorInputError('result bytes', v.rows * v.cols * 4, `could not be allocated (${(err as Error).message}); evaluate fewer schedules or steps per call`);
    }
    let fallbackReason: string | undefined;
    let backend: 'webgpu' | 'cpu' = 'cpu';
    let gpuStats: GpuRunStats | undefined;
    if (this.choice !== 'cpu') {
      const job = await this.plan(c, signal, true);
      if ('backend' in job) fallbackReason = job.reason;
      else {
        try {
          gpuStats = await evaluateParts(this.gpu!, job, out, this.scratch(job));
          backend = 'webgpu';
          fallbackReason = await finishCpuRuns(job, schedules, steps, signal, out);
        } catch (err) {
          fallbackReason = this.decide({ kind: 'gpu-failure', error: err }).reason;
        }
      }
    }
    const threads = backend === 'cpu' ? await this.cpu.run(schedules, steps, out, { signal, onProgress: options.onProgress }) : 1;
    if (this.destroyed) throw new EvaluatorDestroyedError();
    options.signal?.throwIfAborted();
    const verification = this.check(schedules, steps, out, options.verify);
    return { values: out, ...runReport(backend, fallbackReason, verification, gpuStats, t0, v), ...(threads > 1 ? { cpuThreads: threads } : {}) };
  }

  /** The pipelines of the call's GPU plan (as `sweep` plans it: by kind), compiled; no evaluation. */
  private async runPrepare(c: Call): Promise<void> {
    if (this.choice === 'cpu' || !this.gpu) return;
    const job = await this.plan(c, this.destroyCtl.signal, true);
    if ('backend' in job) return;
    await Promise.all(jobPipelines(this.gpu, job));
  }

  /** The scratch array a job's scattered parts need (kind groups), or undefined. */
  private scratch(job: GpuPartsJob): Float32Array | undefined {
    const rows = scratchRows(job.parts);
    try {
      return rows > 0 ? new Float32Array(rows * job.cols) : undefined;
    } catch (err) {
      throw new EvaluatorInputError('result bytes', job.rows * job.cols * 4, `could not be allocated twice (a kind group's scratch: ${(err as Error).message}); sweep fewer schedules or steps per call`);
    }
  }

  private async runBuffer(c: BufferCall): Promise<GPUBuffer> {
    const t0 = now();
    const gpu = this.gpu!;
    const device = gpu.device;
    const { schedules, steps, v, options, buffer: given, offset } = c;
    const bytes = v.rows * v.cols * 4;
    options.signal?.throwIfAborted();
    if (given) checkUnmapped(given); // again: the caller may have mapped it while the call was queued
    const signal = this.callSignal(options);
    try {
      const byKind = ((given?.usage ?? BufferUsage.COPY_DST) & BufferUsage.COPY_DST) !== 0;
      const job = await this.plan(c, signal, byKind);
      let fallbackReason = 'backend' in job ? job.reason : undefined;
      if (this.backend === 'cpu') {
        throw new GpuDeviceLostError(`evaluateToBuffer / sweepToBuffer need a WebGPU device: ${this.fallbackReason ?? 'device lost'}`);
      }
      const fault = given ? probeBuffer(gpu, given) : Promise.resolve(undefined);
      /** The caller's buffer fault, if any; `again` re-checks it now (the caller may have destroyed it during the call, e.g. from onProgress). */
      const inputError = async (again = false): Promise<EvaluatorInputError | undefined> => {
        let f = await fault;
        if (f === undefined && again && given) f = await probeBuffer(gpu, given);
        return f === undefined ? undefined : new EvaluatorInputError('buffer', describeBuffer(given!), f);
      };
      const outOfMemory = (e: ScopeError | null): GpuOutOfMemoryError | undefined =>
        e ? new GpuOutOfMemoryError(`WebGPU out-of-memory creating the ${bytes}-byte output buffer: ${e.message}`) : undefined;
      const { buffer, created } = given ? { buffer: given, created: Promise.resolve(null) } : createValuesBuffer(device, offset + bytes);
      try {
        let backend: 'webgpu' | 'cpu' = 'cpu';
        let gpuStats: GpuRunStats | undefined;
        let values: Float32Array | undefined;
        if (!('backend' in job)) {
          try {
            gpuStats = await evaluatePartsToBuffer(gpu, job, buffer, offset);
            backend = 'webgpu';
            fallbackReason = await finishCpuRuns(job, schedules, steps, signal, { device, buffer, offset });
          } catch (err) {
            const bad = (await inputError(true)) ?? outOfMemory(await created);
            if (bad) throw bad;
            fallbackReason = this.decide({ kind: 'gpu-failure', error: err }).reason;
            if (err instanceof GpuDeviceLostError) throw new GpuDeviceLostError(`evaluateToBuffer: ${err.message}; a lost device's buffer cannot be filled`);
          }
        }
        const bad = (await inputError()) ?? outOfMemory(await created);
        if (bad) throw bad;
        if (backend === 'cpu') {
          if ((buffer.usage & BufferUsage.COPY_DST) === 0) {
            throw new EvaluatorInputError('buffer.usage', buffer.usage, `must include COPY_DST for the CPU fallback to fill it (${fallbackReason})`);
          }
          values = new Float32Array(v.rows * v.cols);
          await this.cpu.run(schedules, steps, values, { signal, onProgress: options.onProgress });
          const e = await writeValues(device, buffer, offset, values);
          if (e && given && gpu.lostReason === undefined) throw new EvaluatorInputError('buffer', describeBuffer(given), bufferFault(e.message));
        }
        if (this.destroyed) throw new EvaluatorDestroyedError();
        options.signal?.throwIfAborted();
        let verification: VerifyReport | undefined;
        if (options.verify !== undefined && options.verify !== 'none') {
          if (!values) {
            // Checked again alongside the readback: a buffer destroyed from onProgress would read back garbage.
            const recheck = given ? probeBuffer(gpu, given) : undefined;
            values = await gpu.readBack(buffer, offset, v.rows * v.cols);
            const f = await recheck;
            if (f !== undefined) throw new EvaluatorInputError('buffer', describeBuffer(given!), f);
          }
          verification = this.check(schedules, steps, values, options.verify);
        }
        this.lastBufferReport = { buffer, offset, byteLength: bytes, ...runReport(backend, fallbackReason, verification, gpuStats, t0, v) };
        return buffer;
      } catch (err) {
        if (!given) buffer.destroy();
        throw err;
      }
    } catch (err) {
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
 * With 'auto', a missing WebGPU/adapter/device gives a CPU evaluator whose `fallbackReason`
 * says why; with 'webgpu' it rejects with GpuUnavailableError. A kernel whose WGSL does not
 * compile rejects with ShaderCompileError in both modes. No pipeline is compiled here: each
 * (entry point, kind) is compiled by the first call that runs it (a refused pipeline rejects
 * that call with ShaderCompileError). `threads` (cpu-threads.ts) splits CPU calls across workers.
 */
export async function createEvaluator(options: CreateEvaluatorOptions = {}): Promise<Evaluator> {
  const choice = options.backend ?? 'auto';
  if (choice !== 'auto' && choice !== 'webgpu' && choice !== 'cpu') {
    throw new EvaluatorInputError('backend', choice, "must be 'auto', 'webgpu' or 'cpu'");
  }
  const threads = checkThreads(options.threads);
  const limits = checkLimits(options.limits ?? {});
  if (choice === 'cpu') return new EvaluatorImpl(choice, 'cpu', undefined, undefined, false, undefined, limits, threads);
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
      // Only the WGSL is checked here; each pipeline is compiled when a request first
      // needs it (compiling one is the expensive step, and most callers use one or two).
      await gpu.checkKernel();
    } catch (err) {
      if (owns) device.destroy();
      if (err instanceof ShaderCompileError || choice === 'webgpu') throw err;
      reason = `WebGPU pipeline creation failed: ${(err as Error).message}`;
      gpu = undefined;
    }
  }
  if (!gpu) return new EvaluatorImpl(choice, 'cpu', undefined, undefined, false, reason ?? 'no WebGPU device', limits, threads);
  return new EvaluatorImpl(choice, adapter, device, gpu, owns, undefined, limits, threads);
}
