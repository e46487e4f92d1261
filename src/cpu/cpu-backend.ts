/**
 * The CPU backend: the same job as the GPU backend (M schedules × N steps, row-major
 * float32 out), done by each schedule's own batch `fill(steps, out)` into a subarray of
 * the output: no per-element allocation and no per-element dispatch on the kind. Long
 * rows are filled in slices so that an AbortSignal can stop the work and progress can
 * be reported between slices: the loop yields to the event loop (where an abort can
 * land) at least every YIELD_MS of work, however slow a schedule's fill is per value.
 */

import { sliceSteps, stepsLength, type Steps } from '../schedules/steps.ts';
import type { ScheduleKind } from '../schedules/registry.ts';

/** What the CPU backend needs from a schedule: its batch evaluator. */
export interface FillableSchedule {
  /** A registry kind, or 'Sequence' (whose fill splits the steps by piece itself). */
  readonly kind: ScheduleKind | 'Sequence';
  /** Writes the values at `steps` into `out` (float32, rounded once from the f64 value). */
  fill(steps: Steps, out: Float32Array): unknown;
}

/** Options of cpuEvaluate(). */
export interface CpuEvaluateOptions {
  readonly signal?: AbortSignal | undefined;
  /** Called after each slice with (elements done, elements total). */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
  /**
   * Elements per fill() call. Given: the loop yields (progress, abort check) after every
   * slice. Default: slices of 2^14 elements, yielding after 2^20 elements or YIELD_MS of work.
   */
  readonly sliceElements?: number;
}

/** Most milliseconds of synchronous work between two yields to the event loop (an abort lands at a yield). */
export const YIELD_MS = 10;
const DEFAULT_SLICE = 2 ** 14;
const DEFAULT_YIELD_ELEMENTS = 2 ** 20;

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Resolves on a later turn of the event loop (timers and abort events run first). */
export const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/**
 * Paces a long synchronous loop: tick() checks the signal each time, and every YIELD_MS
 * of work yields to the event loop first, so that an abort (a timer, a user event) can land.
 */
export class Pacer {
  private last = now();
  constructor(private readonly signal: AbortSignal | undefined) {}

  /** True when YIELD_MS have passed since the last yield. */
  due(): boolean {
    return now() - this.last >= YIELD_MS;
  }

  /** Yields first when due(); then throws the abort error if the signal is aborted. */
  async tick(): Promise<void> {
    if (this.due()) await this.yield();
    this.signal?.throwIfAborted();
  }

  /** Yields now. */
  async yield(): Promise<void> {
    await yieldToEventLoop();
    this.last = now();
  }
}

/**
 * Fills `out` (length M · N) with schedules[r] at steps[c] at index r · N + c. Between
 * slices it checks the signal (rejecting with its reason, leaving `out` partly written:
 * callers must not hand it out), and at least every YIELD_MS (and every `sliceElements`
 * when given) it reports progress and yields to the event loop.
 */
export async function cpuEvaluate(
  schedules: readonly FillableSchedule[],
  steps: Steps,
  out: Float32Array,
  options: CpuEvaluateOptions = {},
): Promise<void> {
  const n = stepsLength(steps);
  const total = schedules.length * n;
  if (out.length !== total) throw new RangeError(`out.length = ${out.length}, expected ${schedules.length} × ${n} = ${total}`);
  const slice = Math.max(1, options.sliceElements ?? DEFAULT_SLICE);
  const yieldEvery = options.sliceElements === undefined ? DEFAULT_YIELD_ELEMENTS : slice;
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  const pacer = new Pacer(signal);
  let done = 0;
  let sinceYield = 0;
  for (let r = 0; r < schedules.length; r++) {
    const schedule = schedules[r]!;
    for (let c0 = 0; c0 < n; c0 += slice) {
      const len = Math.min(slice, n - c0);
      schedule.fill(sliceSteps(steps, c0, len), out.subarray(r * n + c0, r * n + c0 + len));
      done += len;
      sinceYield += len;
      if (done < total && (sinceYield >= yieldEvery || pacer.due())) {
        sinceYield = 0;
        onProgress?.(done, total);
        await pacer.yield();
        signal?.throwIfAborted();
      }
    }
  }
  onProgress?.(total, total);
}
