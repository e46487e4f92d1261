/**
 * The CPU path on every core (Node): a pool of worker_threads that fill one shared float32
 * output (a SharedArrayBuffer) with the same values as cpuEvaluate, bit for bit: each
 * worker rebuilds each schedule once from its kind and config (createSchedule) and runs the
 * schedule's own fill on its share of the rows × steps.
 *
 * - Work is split into chunks of the row-major output (rows, or slices of one long row),
 *   which the workers take in turn from a shared counter (Atomics), so a slow kind does not
 *   leave the other cores idle.
 * - A schedule is sent to the workers once (its kind and config), then named by an id: a
 *   schedule evaluated again costs nothing to send, and keeps the memos its fill builds (the
 *   restart periods) in every worker.
 * - A schedule whose kind is not in the registry (a Sequence, a user's class) is filled on the
 *   calling thread while the workers run.
 * - The workers run this module itself: a worker started with `workerData.lrCpuPool` imports it
 *   (its own URL), and the check at the bottom starts the worker loop; nothing needs bundling
 *   apart, in this repository (tsx passes its loader to workers) and in the built library.
 */
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createSchedule, isScheduleKind, type ScheduleKind } from '../schedules/registry.ts';
import { checkRange, checkStepList, isStepRange, sliceSteps, type Steps } from '../schedules/steps.ts';
import type { FillableSchedule } from './cpu-backend.ts';

/** What the pool needs of a schedule: its kind and config (to rebuild it in a worker) and its fill (for the calling thread). */
export interface PoolSchedule extends FillableSchedule {
  readonly config: object;
}

export interface CpuPoolOptions {
  /** Worker threads (default: os.availableParallelism()). */
  readonly threads?: number;
}

/** Running from the TypeScript sources (tsx, which registers its loader in the main thread only): workers load tsx too. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** Output elements per chunk (about 0.1 to 1 ms of work): small enough to balance, large enough that the counter is not contended. */
const CHUNK = 1 << 15;

type Def = readonly [id: number, kind: ScheduleKind, config: object];
type Job = {
  readonly type: 'job';
  readonly job: number;
  readonly out: SharedArrayBuffer;
  readonly offset: number;
  readonly ids: SharedArrayBuffer;
  readonly counter: SharedArrayBuffer;
  readonly cols: number;
  readonly range: { readonly start: number; readonly stride: number } | null;
  readonly list: SharedArrayBuffer | null;
};
type ToWorker = { readonly type: 'define'; readonly defs: readonly Def[] } | Job;
type FromWorker = { readonly type: 'done'; readonly job: number; readonly error?: string };

/** A pool of worker threads evaluating schedules on the CPU. */
export class CpuPool {
  readonly threads: number;
  readonly #workers: Worker[];
  readonly #ids = new WeakMap<object, number>();
  #nextId = 0;
  #nextJob = 0;
  readonly #pending = new Map<number, { left: number; error: string | undefined; resolve: () => void; reject: (e: Error) => void }>();
  #failed: Error | undefined;

  constructor(options: CpuPoolOptions = {}) {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1 || threads > 256) throw new RangeError(`CpuPool threads = ${threads}: must be an integer 1 … 256`);
    this.threads = threads;
    // from the sources, the worker registers tsx's loader before it imports this file
    const tsx = FROM_SOURCE ? `await (await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})).register();` : '';
    const code = `(async () => { ${tsx} await import(${JSON.stringify(import.meta.url)}); })().catch((e) => { require('node:worker_threads').parentPort.postMessage({ type: 'fatal', error: String(e && e.stack || e) }); });`;
    this.#workers = Array.from({ length: threads }, () => {
      const w = new Worker(code, { eval: true, workerData: { lrCpuPool: true } });
      w.on('message', (m: FromWorker | { type: 'fatal'; error: string }) => this.#onMessage(m));
      w.on('error', (e) => this.#fail(e));
      w.unref();
      return w;
    });
  }

  /** A float32 array of n elements over a SharedArrayBuffer: evaluate() writes into it without a copy. */
  allocate(n: number): Float32Array {
    return new Float32Array(new SharedArrayBuffer(n * 4));
  }

  /**
   * schedules[r] at steps[c] into out[r · N + c] (float32, as cpuEvaluate). `out` (length M · N)
   * is written in place when it lies on a SharedArrayBuffer (allocate()), else filled by one copy.
   */
  async evaluate(schedules: readonly PoolSchedule[], steps: Steps, out?: Float32Array): Promise<Float32Array> {
    if (this.#failed) throw this.#failed;
    const range = isStepRange(steps) ? checkRange(steps) : null;
    const n = range ? range.count : checkStepList(steps as ArrayLike<number>);
    const total = schedules.length * n;
    if (out !== undefined && out.length !== total) throw new RangeError(`out.length = ${out.length}, expected ${schedules.length} × ${n} = ${total}`);
    const shared = out !== undefined && out.buffer instanceof SharedArrayBuffer ? out : this.allocate(total);
    if (total === 0) return out ?? shared;
    const ids = new Int32Array(new SharedArrayBuffer(schedules.length * 4));
    const defs: Def[] = [];
    const local: number[] = [];
    schedules.forEach((s, r) => {
      if (!isScheduleKind(s.kind)) {
        ids[r] = -1;
        local.push(r);
        return;
      }
      let id = this.#ids.get(s);
      if (id === undefined) {
        id = this.#nextId++;
        this.#ids.set(s, id);
        defs.push([id, s.kind, s.config]);
      }
      ids[r] = id;
    });
    let list: SharedArrayBuffer | null = null;
    if (!range) {
      list = new SharedArrayBuffer(n * 8);
      const l = new Float64Array(list);
      for (let i = 0; i < n; i++) l[i] = (steps as ArrayLike<number>)[i] as number;
    }
    const job = this.#nextJob++;
    const msg: Job = {
      type: 'job',
      job,
      out: shared.buffer as SharedArrayBuffer,
      offset: shared.byteOffset,
      ids: ids.buffer as SharedArrayBuffer,
      counter: new SharedArrayBuffer(4),
      cols: n,
      range: range && { start: range.start, stride: range.stride },
      list,
    };
    const done = new Promise<void>((resolve, reject) => this.#pending.set(job, { left: this.#workers.length, error: undefined, resolve, reject }));
    for (const w of this.#workers) {
      if (defs.length > 0) w.postMessage({ type: 'define', defs } satisfies ToWorker);
      w.postMessage(msg satisfies ToWorker);
    }
    for (const r of local) schedules[r]!.fill(steps, shared.subarray(r * n, (r + 1) * n));
    // the workers keep the process alive while a job runs, not while the pool idles
    for (const w of this.#workers) w.ref();
    try {
      await done;
    } finally {
      if (this.#pending.size === 0) for (const w of this.#workers) w.unref();
    }
    if (out !== undefined && out !== shared) out.set(shared);
    return out ?? shared;
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
    this.#fail(new Error('CpuPool closed'));
  }

  #onMessage(m: FromWorker | { type: 'fatal'; error: string }): void {
    if (m.type === 'fatal') return this.#fail(new Error(`CpuPool worker failed to start: ${m.error}`));
    const p = this.#pending.get(m.job);
    if (!p) return;
    if (m.error !== undefined) p.error ??= m.error;
    if (--p.left > 0) return;
    this.#pending.delete(m.job);
    if (p.error !== undefined) p.reject(new Error(`CpuPool worker: ${p.error}`));
    else p.resolve();
  }

  #fail(e: Error): void {
    this.#failed ??= e;
    for (const p of this.#pending.values()) p.reject(e);
    this.#pending.clear();
  }
}

// ---------------------------------------------------------------------------- the worker side

/** The worker loop: rebuilds defined schedules, then takes chunks of each job until none is left. */
function runWorker(): void {
  const port = parentPort;
  if (!port) return;
  const schedules = new Map<number, FillableSchedule>();
  port.on('message', (m: ToWorker) => {
    if (m.type === 'define') {
      for (const [id, kind, config] of m.defs) schedules.set(id, createSchedule(kind, config as never) as FillableSchedule);
      return;
    }
    let error: string | undefined;
    try {
      fillChunks(m, schedules);
    } catch (e) {
      error = String((e as Error).stack ?? e);
    }
    port.postMessage({ type: 'done', job: m.job, ...(error === undefined ? {} : { error }) } satisfies FromWorker);
  });
}

function fillChunks(m: Job, schedules: ReadonlyMap<number, FillableSchedule>): void {
  const ids = new Int32Array(m.ids);
  const n = m.cols;
  const total = ids.length * n;
  const out = new Float32Array(m.out, m.offset, total);
  const counter = new Int32Array(m.counter);
  const steps: Steps = m.range ? { start: m.range.start, count: n, stride: m.range.stride } : new Float64Array(m.list as SharedArrayBuffer);
  const chunks = Math.ceil(total / CHUNK);
  for (let c = Atomics.add(counter, 0, 1); c < chunks; c = Atomics.add(counter, 0, 1)) {
    const e1 = Math.min(total, (c + 1) * CHUNK);
    for (let e = c * CHUNK; e < e1; ) {
      const r = Math.floor(e / n);
      const c0 = e - r * n;
      const len = Math.min(n - c0, e1 - e);
      const id = ids[r] as number;
      if (id >= 0) (schedules.get(id) as FillableSchedule).fill(sliceSteps(steps, c0, len), out.subarray(e, e + len));
      e += len;
    }
  }
}

if (!isMainThread && (workerData as { lrCpuPool?: unknown } | null)?.lrCpuPool === true) runWorker();
