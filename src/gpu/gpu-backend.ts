/**
 * The GPU backend: runs one evaluation request (M rows × N steps, row-major float32)
 * on a device as few submits as possible. It knows bytes, not schedules: the caller
 * (api/) gives packed parameters, tables and the kernel's WGSL and Job packer.
 *
 * Per request: the output is cut into batches that fit one pooled output buffer
 * (readback) or the caller's buffer (toBuffer); every batch is one command encoder
 * with one compute pass holding all its chunks' dispatches (chunk-planner.ts), one
 * copy to a staging buffer, one submit and one mapAsync. Job uniforms of all chunks go
 * to one uniform buffer at minUniformBufferOffsetAlignment strides, written with one
 * writeBuffer. Error scopes are popped concurrently with the map: no extra round trip.
 */

import { iterateChunks, kernelJob, type Chunk, type PlannerLimits } from './chunk-planner.ts';
import { BufferPool } from './buffer-pool.ts';
import { BufferUsage, MAP_READ } from './constants.ts';
import { GpuDeviceLostError, GpuLimitError, GpuOutOfMemoryError, GpuValidationError } from './errors.ts';
import { ROW_PARAMS_BINDING, checkModule, getPipeline, type EntryKind, type KernelPipeline } from './pipeline-cache.ts';
import type { GpuKernel, GpuLimitOverrides, GpuRequest, GpuRunStats } from './types.ts';

export type { GpuKernel, GpuLimitOverrides, GpuRequest, GpuRunStats, GpuSteps } from './types.ts';

const DEFAULT_BATCH_BYTES = 256 * 2 ** 20;

/**
 * Columns from which a request runs the one-row entry points (eval_range_row, eval_list_row:
 * no division, no row index; each dispatch inside one row, its parameters bound by
 * themselves). Narrower rows run eval_range / eval_list, whose dispatches span rows and keep
 * every lane busy: a row's last workgroup idles up to 255 lanes (under 1 % of a row of 2^15
 * columns), and each row piece is a dispatch of its own: a mixed sweep of 100 rows × 10^4 ran
 * no faster on the one-row path (0.87–1.12× on SwiftShader), 10 × 10^5 1.19–1.34× faster
 * (docs/benchmarks.md, `instructions`: "Where the one-row path starts"); rows of TILE_MIN_COLS and
 * more run the tile entry points instead (tiled()). The choice depends on the columns, not on
 * the number of rows, so a part of one row and a part of several rows of the same columns
 * run the same pipeline (evaluator.prepare compiles a sweep's pipelines from its kind groups).
 */
export const ROW_PATH_MIN_COLS = 2 ** 15;

/**
 * Columns from which rows narrower than rowPathMinCols run the tile entry points
 * (eval_range_tile / eval_list_tile: a dispatch of whole rows, the row from the workgroup, each
 * invocation writing several columns of its row), when the kernel has them (tileLaneColsMax).
 * On SwiftShader, at 2,000 rows (one pipeline of one kind and flags, GPU timestamps): 300
 * columns (2 an invocation) 0.76-1.05x the speed of eval_range, 600 columns (3) 0.86-1.31x,
 * 1,000 (4) 1.6-2.5x, 5,000 (20) 2.0-3.4x (docs/benchmarks.md, "Narrow rows by tiles").
 */
export const TILE_MIN_COLS = 768;
const U = BufferUsage;

/**
 * The label of every evaluation's command encoder and command buffer: a capture, a profiler or
 * a test can tell the evaluator's submits from the page's own (frames, warm-up draws).
 */
export const EVALUATE_LABEL = 'lr-schedules evaluate';

function jobBytes(packed: ArrayBuffer | ArrayBufferView): Uint8Array {
  return packed instanceof ArrayBuffer ? new Uint8Array(packed) : new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength);
}

/** The buffers a request's dispatches share (uploadShared). */
interface SharedBuffers {
  readonly params: GPUBuffer;
  readonly tables: GPUBuffer;
  readonly steps: GPUBuffer;
  readonly paramsSize: number;
  readonly tablesSize: number;
  readonly stepsSize: number;
  readonly windowed: boolean;
  /** The one-row path's parameters: row r is bound at r · stride, `size` bytes. */
  readonly rowParams: { readonly buffer: GPUBuffer; readonly stride: number; readonly size: number } | undefined;
}

/**
 * The GPU backend of one device. Not re-entrant: the evaluator runs one request at a
 * time (its buffers are pooled). After device loss every call throws GpuDeviceLostError.
 */
export class GpuBackend {
  /** Limits after the overrides: what the planner obeys. */
  readonly limits: PlannerLimits & { readonly minUniformBufferOffsetAlignment: number };
  /** Set once the device is lost (device.lost resolved, or a map failed). */
  lostReason: string | undefined;
  /** The pooled buffers (src/gpu/segments.ts takes its own slots). */
  readonly pool: BufferPool;
  private readonly maxChunkElements: number | undefined;
  private readonly rowPathMinCols: number;
  private readonly tileMinCols: number;
  /** The most bytes one readback batch (pooled output and staging buffer) holds. */
  readonly batchBytes: number;
  /** Set by destroy(). */
  destroyed = false;

  constructor(
    readonly device: GPUDevice,
    readonly kernel: GpuKernel,
    overrides: GpuLimitOverrides = {},
  ) {
    const d = device.limits;
    const cap = (k: keyof PlannerLimits): number => Math.min(d[k], overrides[k] ?? Infinity);
    this.limits = {
      maxStorageBufferBindingSize: cap('maxStorageBufferBindingSize'),
      maxBufferSize: cap('maxBufferSize'),
      maxComputeWorkgroupsPerDimension: cap('maxComputeWorkgroupsPerDimension'),
      // An alignment can only be raised (a coarser alignment is still valid).
      minStorageBufferOffsetAlignment: Math.max(d.minStorageBufferOffsetAlignment, overrides.minStorageBufferOffsetAlignment ?? 0),
      minUniformBufferOffsetAlignment: d.minUniformBufferOffsetAlignment,
    };
    this.maxChunkElements = overrides.maxChunkElements;
    this.rowPathMinCols = overrides.rowPathMinCols ?? ROW_PATH_MIN_COLS;
    this.tileMinCols = overrides.tileMinCols ?? TILE_MIN_COLS;
    const align = this.limits.minStorageBufferOffsetAlignment;
    const batch = Math.min(overrides.readbackBatchBytes ?? DEFAULT_BATCH_BYTES, this.limits.maxBufferSize);
    this.batchBytes = Math.max(4, batch - (batch % Math.max(4, Math.min(align, batch))));
    this.pool = new BufferPool(device, this.limits.maxBufferSize);
    void device.lost.then((info) => {
      this.lostReason ??= `device lost (${info.reason}): ${info.message || 'no message'}`;
    });
  }

  /** Buffers created by the pool so far (steady state: no growth). */
  get buffersCreated(): number {
    return this.pool.created;
  }

  /** Checks that the kernel's WGSL compiles (once per device), compiling no pipeline; throws ShaderCompileError. */
  checkKernel(): Promise<void> {
    return checkModule(this.device, this.kernel);
  }

  /**
   * Whether `req` runs the one-row entry points: rows of at least rowPathMinCols columns
   * (ROW_PATH_MIN_COLS). The row count plays no part: rowGroups cuts a request whose aligned
   * row copy would exceed maxBufferSize into groups that fit.
   */
  oneRow(req: Pick<GpuRequest, 'rows' | 'cols'>): boolean {
    return req.rows >= 1 && req.cols >= this.rowPathMinCols;
  }

  /**
   * Whether `req` runs the tile entry points: rows narrower than the one-row path's, of at least
   * tileMinCols columns, on a kernel that has them, where one row fits a chunk, a binding and a
   * readback batch, its workgroups one grid row, and a step list one binding (no window).
   */
  tiled(req: Pick<GpuRequest, 'rows' | 'cols' | 'steps'>): boolean {
    const lanes = this.kernel.tileLaneColsMax;
    if (lanes === undefined || req.rows < 1 || this.oneRow(req) || req.cols < this.tileMinCols) return false;
    const l = this.limits;
    const maxBind = Math.min(l.maxStorageBufferBindingSize, l.maxBufferSize);
    if (req.cols > (this.maxChunkElements ?? Infinity) || req.cols * 4 + l.minStorageBufferOffsetAlignment > maxBind || req.cols * 4 > this.batchBytes) return false;
    if ('list' in req.steps && req.steps.list.byteLength > l.maxStorageBufferBindingSize) return false;
    return Math.ceil(req.cols / (this.kernel.workgroupSize * lanes)) <= l.maxComputeWorkgroupsPerDimension;
  }

  /** Bytes between rows of the one-row path's parameter copy: a row's bytes rounded up to minStorageBufferOffsetAlignment. */
  private rowParamsStride(rowBytes: number): number {
    const align = this.limits.minStorageBufferOffsetAlignment;
    return Math.ceil(rowBytes / align) * align;
  }

  /** The entry point `req` runs: over a list or a range, of one row (oneRow), of whole rows by tiles (tiled) or spanning rows. */
  entryFor(req: Pick<GpuRequest, 'rows' | 'cols' | 'steps'>): EntryKind {
    const list = 'list' in req.steps;
    if (this.oneRow(req)) return list ? 'listRow' : 'rangeRow';
    if (this.tiled(req)) return list ? 'listTile' : 'rangeTile';
    return list ? 'list' : 'range';
  }

  /**
   * The kernel's `entry` specialised by `constants` (its override constants), compiled once per
   * device (pipeline-cache.ts); throws ShaderCompileError. Every pipeline the evaluator runs or
   * prepares comes from here.
   */
  pipeline(entry: EntryKind, constants?: Readonly<Record<string, number>>): Promise<KernelPipeline> {
    return getPipeline(this.device, constants ? { ...this.kernel, constants } : this.kernel, entry);
  }

  /** The one pipeline `req` runs (its entry point and override constants). */
  private pipelineFor(req: GpuRequest): Promise<KernelPipeline> {
    return this.pipeline(this.entryFor(req), req.constants);
  }

  /**
   * Rows per group when the parameters of all rows exceed one storage binding, or (on the
   * one-row path) their copy at offset-aligned strides exceeds maxBufferSize: the request is
   * then run group by group (each group binds its own slice of params).
   */
  private rowGroups(req: GpuRequest): GpuRequest[] {
    const stride = req.rows > 0 ? req.params.byteLength / req.rows : 0;
    const maxBind = this.limits.maxStorageBufferBindingSize;
    const maxBuf = this.limits.maxBufferSize;
    // A single row is bound where it is (no copy); a group of one row always fits maxBufferSize.
    const aligned = this.oneRow(req) && req.rows > 1 ? this.rowParamsStride(stride) : 0;
    if (stride === 0 || (req.params.byteLength <= maxBind && req.rows * aligned <= maxBuf)) return [req];
    if (stride > maxBind) throw new GpuLimitError('schedule parameters of one row', stride, 'maxStorageBufferBindingSize', maxBind);
    const perGroup = Math.min(Math.floor(maxBind / stride), aligned > 0 ? Math.max(1, Math.floor(maxBuf / aligned)) : Infinity);
    const groups: GpuRequest[] = [];
    const total = req.rows * req.cols;
    for (let r0 = 0; r0 < req.rows; r0 += perGroup) {
      const rows = Math.min(perGroup, req.rows - r0);
      const before = r0 * req.cols;
      const progress = req.onProgress;
      groups.push({
        ...req,
        rows,
        params: req.params.slice(r0 * stride, (r0 + rows) * stride),
        onProgress: progress && ((done: number) => progress(before + done, total)),
      });
    }
    return groups;
  }

  /** Evaluates `req` into `out` (length rows · cols), reading back batch by batch. */
  async evaluate(req: GpuRequest, out: Float32Array): Promise<GpuRunStats> {
    this.checkUsable();
    const total = req.rows * req.cols;
    if (out.length !== total) throw new RangeError(`out.length = ${out.length}, expected ${req.rows} × ${req.cols}`);
    const groups = this.rowGroups(req);
    if (groups.length > 1) {
      let row = 0;
      const sum = { dispatches: 0, rowDispatches: 0, tileDispatches: 0, submits: 0, maps: 0 };
      for (const g of groups) {
        const st = await this.evaluate(g, out.subarray(row * req.cols, (row + g.rows) * req.cols));
        row += g.rows;
        sum.dispatches += st.dispatches;
        sum.rowDispatches += st.rowDispatches;
        sum.tileDispatches += st.tileDispatches;
        sum.submits += st.submits;
        sum.maps += st.maps;
      }
      return sum;
    }
    const pipe = await this.pipelineFor(req);
    const tiled = this.tiled(req);
    // Tile dispatches hold whole rows: so does every batch then.
    const batchElems = tiled ? Math.floor(this.batchBytes / 4 / req.cols) * req.cols : this.batchBytes / 4;
    const { shared, sharedOom } = this.uploadSharedScoped(req);
    let dispatches = 0;
    let submits = 0;
    let maps = 0;
    // Two staging buffers: batch k + 1 computes and copies while batch k is mapped and
    // copied out. The output buffer and the Job uniforms are shared: queue order keeps
    // batch k's copy before batch k + 1's dispatches.
    interface Pending {
      readonly staging: GPUBuffer;
      readonly first: number;
      readonly n: number;
      readonly settled: Promise<[PromiseSettledResult<undefined>, PromiseSettledResult<GPUError | null>, PromiseSettledResult<GPUError | null>]>;
    }
    const pending: Pending[] = [];
    // An abort while maps are pending unmaps their staging buffers, which rejects the
    // maps at once and leaves the pooled buffers reusable by the next call.
    const release = (): void => {
      for (const p of pending.splice(0)) p.staging.unmap();
    };
    const finish = async (p: Pending): Promise<void> => {
      const [mapResult, vErr, oErr] = await p.settled;
      try {
        req.signal?.throwIfAborted();
        this.checkScopes({ status: 'fulfilled', value: null }, { status: 'fulfilled', value: await sharedOom });
        this.checkScopes(vErr, oErr);
      } catch (err) {
        // p is no longer in `pending`: unmap its staging buffer here, or the next call's
        // submit fails validation ("used in submit while mapped").
        if (mapResult.status === 'fulfilled' && !this.destroyed) p.staging.unmap();
        throw err;
      }
      if (mapResult.status === 'rejected') {
        if (this.destroyed) throw new GpuDeviceLostError('the evaluator was destroyed during the call', 'destroyed');
        this.lostReason ??= `device lost during the call (mapAsync failed: ${(mapResult.reason as Error)?.message ?? String(mapResult.reason)})`;
        throw new GpuDeviceLostError(this.lostReason);
      }
      let range: ArrayBuffer;
      try {
        range = p.staging.getMappedRange(0, p.n * 4);
      } catch (err) {
        // The map resolved, then the device was destroyed (e.g. from an onProgress callback)
        // and took the mapping with it: that is a lost device, not a bug.
        this.lostReason ??= `device lost during the call (getMappedRange failed: ${(err as Error)?.name ?? String(err)})`;
        throw new GpuDeviceLostError(this.lostReason);
      }
      out.set(new Float32Array(range), p.first);
      p.staging.unmap();
      // A destroyed device may still resolve a map; trust no values from it.
      if (this.lostReason !== undefined) throw new GpuDeviceLostError(this.lostReason);
      req.onProgress?.(p.first + p.n, total);
    };
    req.signal?.addEventListener('abort', release, { once: true });
    try {
      let slot = 0;
      for (let first = 0; first < total; first += batchElems) {
        req.signal?.throwIfAborted();
        this.checkUsable();
        if (pending.length === 2) {
          await finish(pending[0]!); // stays in `pending` while awaited, so an abort can unmap it
          pending.shift();
        }
        const n = Math.min(batchElems, total - first);
        const chunks = [...iterateChunks(this.planInput(req, first, n, 0, shared.windowed))];
        // The scopes cover the pooled buffers' creation too: an out-of-memory there is reported as such.
        this.device.pushErrorScope('out-of-memory');
        this.device.pushErrorScope('validation');
        const outBuf = this.pool.get('out', n * 4, U.STORAGE | U.COPY_SRC);
        const staging = this.pool.get(`staging${slot}`, n * 4, U.MAP_READ | U.COPY_DST);
        slot ^= 1;
        const enc = this.encode(pipe, req, chunks, shared, outBuf);
        enc.copyBufferToBuffer(outBuf, 0, staging, 0, n * 4);
        this.device.queue.submit([enc.finish({ label: EVALUATE_LABEL })]);
        submits++;
        dispatches += chunks.length;
        const validation = this.device.popErrorScope();
        const oom = this.device.popErrorScope();
        const mapped = staging.mapAsync(MAP_READ, 0, n * 4);
        maps++;
        pending.push({ staging, first, n, settled: Promise.allSettled([mapped, validation, oom]) });
      }
      while (pending.length > 0) {
        await finish(pending[0]!);
        pending.shift();
      }
    } finally {
      req.signal?.removeEventListener('abort', release);
      // On an error, leave no map pending on a pooled buffer.
      if (!this.destroyed) release();
    }
    return { dispatches, rowDispatches: this.oneRow(req) ? dispatches : 0, tileDispatches: tiled ? dispatches : 0, submits, maps };
  }

  /**
   * Evaluates `req` into `buffer` at `byteOffset` (f32 row-major, rows · cols · 4
   * bytes) with one submit and no readback. Resolves once the work is submitted and
   * the device reported no error for it.
   */
  async evaluateToBuffer(req: GpuRequest, buffer: GPUBuffer, byteOffset: number): Promise<GpuRunStats> {
    this.checkUsable();
    const total = req.rows * req.cols;
    const groups = this.rowGroups(req);
    if (groups.length > 1) {
      let row = 0;
      let dispatches = 0;
      let rowDispatches = 0;
      let tileDispatches = 0;
      for (const g of groups) {
        const st = await this.evaluateToBuffer(g, buffer, byteOffset + row * req.cols * 4);
        dispatches += st.dispatches;
        rowDispatches += st.rowDispatches;
        tileDispatches += st.tileDispatches;
        row += g.rows;
      }
      return { dispatches, rowDispatches, tileDispatches, submits: groups.length, maps: 0 };
    }
    const pipe = await this.pipelineFor(req);
    req.signal?.throwIfAborted();
    const { shared, sharedOom } = this.uploadSharedScoped(req);
    const chunks = [...iterateChunks(this.planInput(req, 0, total, byteOffset, shared.windowed))];
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
    const enc = this.encode(pipe, req, chunks, shared, buffer);
    this.device.queue.submit([enc.finish({ label: EVALUATE_LABEL })]);
    const [vErr, oErr] = await Promise.allSettled([this.device.popErrorScope(), this.device.popErrorScope()]);
    this.checkScopes({ status: 'fulfilled', value: null }, { status: 'fulfilled', value: await sharedOom });
    this.checkScopes(vErr, oErr);
    if (this.lostReason !== undefined) throw new GpuDeviceLostError(this.lostReason);
    req.onProgress?.(total, total);
    return { dispatches: chunks.length, rowDispatches: this.oneRow(req) ? chunks.length : 0, tileDispatches: this.tiled(req) ? chunks.length : 0, submits: 1, maps: 0 };
  }

  /** Copies `bytes` of `buffer` from `byteOffset` back to the CPU (one submit, one map). */
  async readBack(buffer: GPUBuffer, byteOffset: number, count: number): Promise<Float32Array> {
    this.checkUsable();
    const result = new Float32Array(count);
    const batchElems = this.batchBytes / 4;
    for (let first = 0; first < count; first += batchElems) {
      const n = Math.min(batchElems, count - first);
      const staging = this.pool.get('staging0', n * 4, U.MAP_READ | U.COPY_DST);
      const enc = this.device.createCommandEncoder();
      enc.copyBufferToBuffer(buffer, byteOffset + first * 4, staging, 0, n * 4);
      this.device.queue.submit([enc.finish()]);
      try {
        await staging.mapAsync(MAP_READ, 0, n * 4);
      } catch (err) {
        this.lostReason ??= `device lost during readback (${(err as Error).message})`;
        throw new GpuDeviceLostError(this.lostReason);
      }
      result.set(new Float32Array(staging.getMappedRange(0, n * 4)), first);
      staging.unmap();
    }
    return result;
  }

  /** Frees the pooled buffers; later calls throw. Does not destroy the device. */
  destroy(): void {
    this.destroyed = true;
    this.pool.destroy();
  }

  private checkUsable(): void {
    if (this.destroyed) throw new GpuDeviceLostError('the evaluator was destroyed', 'destroyed');
    if (this.lostReason !== undefined) throw new GpuDeviceLostError(this.lostReason);
  }

  private checkScopes(v: PromiseSettledResult<GPUError | null>, o: PromiseSettledResult<GPUError | null>): void {
    if (o.status === 'fulfilled' && o.value) throw new GpuOutOfMemoryError(`WebGPU out-of-memory: ${o.value.message}`);
    if (v.status === 'fulfilled' && v.value && this.lostReason === undefined && !this.destroyed) {
      throw new GpuValidationError(`WebGPU validation error (a bug in webgpu-lr-schedules): ${v.value.message}`);
    }
  }

  private planInput(req: GpuRequest, first: number, total: number, baseByteOffset: number, windowed: boolean) {
    return {
      rows: req.rows,
      cols: req.cols,
      first,
      total,
      baseByteOffset,
      limits: this.limits,
      // elements a workgroup covers: the one-row entry points write rowValues per invocation
      workgroupSize: this.kernel.workgroupSize * (this.oneRow(req) ? (this.kernel.rowValues ?? 1) : 1),
      flat: true,
      stepsWindow: windowed,
      spanRows: !this.oneRow(req),
      ...(this.tiled(req) ? { tileLaneColsMax: this.kernel.tileLaneColsMax } : {}),
      ...(this.maxChunkElements === undefined ? {} : { maxChunkElements: this.maxChunkElements }),
    };
  }

  /** uploadShared() inside an out-of-memory scope (popped concurrently; null when none). */
  private uploadSharedScoped(req: GpuRequest): { shared: SharedBuffers; sharedOom: Promise<GPUError | null> } {
    const pop = (): Promise<GPUError | null> => this.device.popErrorScope().catch(() => null);
    this.device.pushErrorScope('out-of-memory');
    let shared: SharedBuffers;
    try {
      shared = this.uploadShared(req);
    } catch (err) {
      void pop(); // keep the scope stack balanced on a GpuLimitError
      throw err;
    }
    return { shared, sharedOom: pop() };
  }

  /** Uploads params, tables and the step list (once per request). */
  private uploadShared(req: GpuRequest): SharedBuffers {
    const maxBind = this.limits.maxStorageBufferBindingSize;
    const bytes = (field: string, n: number): number => {
      if (n > maxBind) throw new GpuLimitError(field, n, 'maxStorageBufferBindingSize', maxBind);
      if (n > this.limits.maxBufferSize) throw new GpuLimitError(field, n, 'maxBufferSize', this.limits.maxBufferSize);
      return Math.max(4, n);
    };
    const paramsSize = bytes('schedule parameters', req.params.byteLength);
    const tablesSize = bytes('restart tables', req.tables.byteLength);
    const params = this.pool.get('params', paramsSize, U.STORAGE | U.COPY_DST);
    const tables = this.pool.get('tables', tablesSize, U.STORAGE | U.COPY_DST);
    this.device.queue.writeBuffer(params, 0, req.params);
    if (req.tables.byteLength > 0) this.device.queue.writeBuffer(tables, 0, req.tables);
    let stepsSize = 4;
    let windowed = false;
    if ('list' in req.steps) {
      const list = req.steps.list;
      if (list.byteLength > this.limits.maxBufferSize) throw new GpuLimitError('step list', list.byteLength, 'maxBufferSize', this.limits.maxBufferSize);
      stepsSize = Math.max(4, list.byteLength);
      windowed = stepsSize > maxBind;
    }
    const steps = this.pool.get('steps', stepsSize, U.STORAGE | U.COPY_DST);
    if ('list' in req.steps && req.steps.list.length > 0) {
      const l = req.steps.list;
      this.device.queue.writeBuffer(steps, 0, l.buffer, l.byteOffset, l.byteLength);
    }
    return { params, tables, steps, paramsSize, tablesSize, stepsSize: windowed ? 0 : stepsSize, windowed, rowParams: this.uploadRowParams(req, params) };
  }

  /**
   * The one-row path's parameters (undefined off that path): one row is bound where it is;
   * several rows are copied at rowParamsStride() strides, so that each row's binding offset
   * is aligned.
   */
  private uploadRowParams(req: GpuRequest, params: GPUBuffer): SharedBuffers['rowParams'] {
    if (!this.oneRow(req)) return undefined;
    const size = req.params.byteLength / req.rows;
    if (req.rows === 1) return { buffer: params, stride: 0, size };
    const stride = this.rowParamsStride(size);
    const padded = new Uint8Array(req.rows * stride);
    const src = new Uint8Array(req.params);
    for (let r = 0; r < req.rows; r++) padded.set(src.subarray(r * size, (r + 1) * size), r * stride);
    const buffer = this.pool.get('row params', padded.byteLength, U.STORAGE | U.COPY_DST);
    this.device.queue.writeBuffer(buffer, 0, padded);
    return { buffer, stride, size };
  }

  /** One command encoder: a compute pass with every chunk's dispatch. */
  private encode(
    pipe: KernelPipeline,
    req: GpuRequest,
    chunks: readonly Chunk[],
    shared: SharedBuffers,
    out: GPUBuffer,
  ): GPUCommandEncoder {
    const range = 'list' in req.steps ? undefined : req.steps;
    const stride = Math.max(256, this.limits.minUniformBufferOffsetAlignment);
    const packed = chunks.map((c) => jobBytes(this.kernel.packJob(kernelJob(c, req.cols, range))));
    const jobSize = packed[0]?.byteLength ?? 16;
    const jobs = this.pool.get('jobs', Math.max(1, chunks.length) * stride, U.UNIFORM | U.COPY_DST);
    const staged = new Uint8Array(chunks.length * stride);
    packed.forEach((p, i) => staged.set(p, i * stride));
    if (chunks.length > 0) this.device.queue.writeBuffer(jobs, 0, staged);
    const enc = this.device.createCommandEncoder({ label: EVALUATE_LABEL });
    const pass = enc.beginComputePass();
    pass.setPipeline(pipe.pipeline);
    chunks.forEach((c, i) => {
      const steps: GPUBufferBinding =
        c.stepsByteOffset !== undefined && c.stepsBindingSize !== undefined
          ? { buffer: shared.steps, offset: c.stepsByteOffset, size: c.stepsBindingSize }
          : { buffer: shared.steps, offset: 0, size: shared.stepsSize };
      const group = this.device.createBindGroup({
        layout: pipe.layout,
        entries: [
          { binding: 0, resource: { buffer: jobs, offset: i * stride, size: jobSize } },
          { binding: 1, resource: { buffer: shared.params, offset: 0, size: shared.paramsSize } },
          { binding: 2, resource: { buffer: shared.tables, offset: 0, size: shared.tablesSize } },
          { binding: 3, resource: steps },
          { binding: 4, resource: { buffer: out, offset: c.outByteOffset, size: c.outBindingSize } },
          ...(shared.rowParams ? [{ binding: ROW_PARAMS_BINDING, resource: { buffer: shared.rowParams.buffer, offset: c.row0 * shared.rowParams.stride, size: shared.rowParams.size } }] : []),
        ],
      });
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(c.groupsX, c.groupsY, c.groupsZ);
    });
    pass.end();
    return enc;
  }
}
