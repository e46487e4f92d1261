/**
 * The evaluator's CPU backend on one thread or on every core (createEvaluator's `threads`
 * option, docs/design.md "The CPU backend on every core"). A call of at least
 * MIN_POOL_VALUES values with more than one thread goes to a pool (`#cpu-pool`: the calling
 * thread and worker_threads in Node, Web Workers in browsers), started at the first such call and
 * stopped by destroy(); smaller calls, and every call after the pool failed to start, run
 * on the calling thread (cpuEvaluate). Both give the same bits.
 */
import { defaultThreads, startCpuPool } from '#cpu-pool';
import { cpuEvaluate, type CpuEvaluateOptions } from '../cpu/cpu-backend.ts';
import { MAX_THREADS, PoolFailedError, type PoolSchedule, type WorkerPool } from '../cpu/pool-core.ts';
import type { Steps } from '../schedules/steps.ts';
import { EvaluatorInputError } from './errors.ts';
import type { EvaluatorInput } from './types.ts';

/** Values below which a call stays on the calling thread (a worker round trip costs more than it saves). */
export const MIN_POOL_VALUES = 2 ** 16;

/** createEvaluator's `threads`, checked: an integer 1 … 256, or 'auto' (the cores the platform reports). */
export function checkThreads(value: unknown): number | 'auto' {
  if (value === undefined) return 1;
  if (value === 'auto') return value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_THREADS) {
    throw new EvaluatorInputError('threads', value, `must be an integer 1 … ${MAX_THREADS} or 'auto' (the cores of this machine); 1 runs the CPU backend on the calling thread`);
  }
  return value;
}

/** The CPU backend of one evaluator: its pool (started lazily) and why it could not be used, if so. */
export class CpuThreads {
  /** Worker threads a large call uses (1: none). */
  readonly threads: number;
  #pool: WorkerPool | undefined;
  /** Why the pool is not used (it failed to start or broke), once it is not. */
  poolError: string | undefined;
  #closed = false;

  constructor(threads: number | 'auto') {
    this.threads = Math.min(MAX_THREADS, threads === 'auto' ? defaultThreads() : threads);
  }

  /** Fills `out` as cpuEvaluate does; returns the threads that did (1, or the pool's size). */
  async run(schedules: readonly EvaluatorInput[], steps: Steps, out: Float32Array, options: Pick<CpuEvaluateOptions, 'signal' | 'onProgress'>): Promise<number> {
    if (this.threads > 1 && out.length >= MIN_POOL_VALUES && this.poolError === undefined && !this.#closed) {
      try {
        this.#pool ??= startCpuPool(this.threads);
        await this.#pool.evaluate(schedules as readonly PoolSchedule[], steps, out, options);
        return this.threads;
      } catch (err) {
        if (!(err instanceof PoolFailedError) || this.#closed) throw err;
        // the pool broke (a worker that could not start, or died): this call and the next run here
        this.poolError = err.message;
        this.#pool?.close();
        this.#pool = undefined;
      }
    }
    await cpuEvaluate(schedules, steps, out, options);
    return 1;
  }

  /** Stops the pool's workers (the evaluator's destroy()). */
  close(): void {
    this.#closed = true;
    this.#pool?.close();
    this.#pool = undefined;
  }
}
