/**
 * The CPU path on every core in Node: worker_threads driven by the pool of pool-core.ts
 * (chunks, ids, abort, progress), writing into one SharedArrayBuffer, with the bits of
 * cpuEvaluate. Two doors:
 * - `startCpuPool(threads)` / `defaultThreads()`: what createEvaluator's `threads` option
 *   uses (through `#cpu-pool`, package.json `imports`; pool.slot.ts in the built library);
 * - `CpuPool` (the `./node` entry): the pool on its own, for callers that fill their own
 *   float32 arrays (the benchmark's all-cores row goes through the evaluator instead).
 *
 * The workers run this module itself: a worker started with `workerData.lrCpuPool` imports
 * it (its own URL), and the check at the bottom starts the worker loop (pool-worker.ts);
 * nothing needs bundling apart, in this repository (from the sources the worker registers
 * tsx's loader first) and in the built library. Idle workers are unref'd: a pool never keeps
 * the process alive between calls, and destroy() / close() terminate them.
 */
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { checkRange, checkStepList, isStepRange, type Steps } from '../schedules/steps.ts';
import { MAX_THREADS, PoolFailedError, WorkerPool, type PoolSchedule, type SpawnWorker } from './pool-core.ts';
import type { FromWorker, ToWorker } from './pool-protocol.ts';
import { serveWorker } from './pool-worker.ts';

export type { PoolSchedule } from './pool-core.ts';

export interface CpuPoolOptions {
  /** Threads (default: os.availableParallelism()), an integer 1 … 256: the calling thread and threads − 1 workers. */
  readonly threads?: number;
}

/** Running from the TypeScript sources (tsx, which registers its loader in the main thread only): workers load tsx too. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** The cores this process may use (os.availableParallelism()). */
export const defaultThreads = (): number => availableParallelism();

const spawnNode: SpawnWorker = (onMessage, onError) => {
  // from the sources, the worker registers tsx's loader before it imports this file
  const tsx = FROM_SOURCE ? `await (await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})).register();` : '';
  const code = `(async () => { ${tsx} await import(${JSON.stringify(import.meta.url)}); })().catch((e) => { require('node:worker_threads').parentPort.postMessage({ t: 'fatal', error: String(e && e.stack || e) }); });`;
  const w = new Worker(code, { eval: true, workerData: { lrCpuPool: true } });
  let closing = false;
  w.on('message', (m: FromWorker) => onMessage(m));
  w.on('error', (e) => onError(e));
  w.on('exit', (code) => closing || onError(new Error(`a worker exited (code ${code})`)));
  w.unref();
  return {
    post: (m: ToWorker) => w.postMessage(m),
    terminate: () => {
      closing = true;
      void w.terminate();
    },
    hold: (on) => (on ? w.ref() : w.unref()),
  };
};

/** A pool of `threads` threads, the calling thread and threads − 1 workers (the evaluator's; `#cpu-pool`). */
export function startCpuPool(threads: number): WorkerPool {
  return new WorkerPool(threads, true, spawnNode);
}

/** A pool of threads (the calling thread and workers) evaluating schedules on the CPU, with the bits of cpuEvaluate. */
export class CpuPool {
  readonly threads: number;
  readonly #pool: WorkerPool;

  constructor(options: CpuPoolOptions = {}) {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) throw new RangeError(`CpuPool threads = ${threads}: must be an integer 1 … ${MAX_THREADS}`);
    this.threads = threads;
    this.#pool = startCpuPool(threads);
  }

  /** A float32 array of n elements over a SharedArrayBuffer: evaluate() writes into it without a copy. */
  allocate(n: number): Float32Array {
    return new Float32Array(new SharedArrayBuffer(n * 4));
  }

  /**
   * schedules[r] at steps[c] into out[r · N + c] (float32, as cpuEvaluate). `out` (length M · N)
   * is written in place when it lies on a SharedArrayBuffer (allocate()), else filled by one copy.
   */
  async evaluate(schedules: readonly PoolSchedule[], steps: Steps, out?: Float32Array, options: { readonly signal?: AbortSignal } = {}): Promise<Float32Array> {
    const range = isStepRange(steps) ? checkRange(steps) : null;
    const n = range ? range.count : checkStepList(steps as ArrayLike<number>);
    const target = out ?? this.allocate(schedules.length * n);
    await this.#pool.evaluate(schedules, range ?? steps, target, options);
    return target;
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.#pool.close();
  }
}

export { PoolFailedError };

if (!isMainThread && (workerData as { lrCpuPool?: unknown } | null)?.lrCpuPool === true && parentPort) {
  const port = parentPort;
  const handle = serveWorker({ post: (m, transfer) => port.postMessage(m, transfer as never) });
  port.on('message', handle);
}
