/**
 * The messages between a CPU worker pool (pool-core.ts) and its workers (pool-worker.ts), the
 * same in Node (worker_threads) and in browsers (Web Workers). A schedule is sent once
 * (`define`: its kind and resolved config) and named by an id afterwards; a call is a `job`
 * (the row ids, the steps, the shared output when there is one) handed out in `chunk`s of
 * the row-major output, each answered by a `done` (with the values, transferred, when the
 * output is not shared). With shared memory the workers claim the chunks themselves and say
 * which they filled in `filled` messages, at most one per YIELD_MS of a worker's work and one
 * when it runs out (a chunk it could not fill still gets its own `done`).
 */
import type { ScheduleKind } from '../schedules/registry.ts';

export type Def = readonly [id: number, kind: ScheduleKind, config: object];

export type ToWorker =
  | { readonly t: 'define'; readonly defs: readonly Def[] }
  /** Drop every defined schedule (the pool's id table was reset). */
  | { readonly t: 'forget' }
  | {
      readonly t: 'job';
      readonly job: number;
      /** Per row: the schedule's id (−1: a row the calling thread fills). */
      readonly ids: Int32Array;
      readonly cols: number;
      readonly range: { readonly start: number; readonly stride: number } | null;
      /** The step list (on a SharedArrayBuffer when the pool shares memory). */
      readonly list: Float64Array | Uint32Array | null;
      /** The output (rows × cols float32 at byte `offset`), or null: values come back in `done`. */
      readonly out: SharedArrayBuffer | null;
      readonly offset: number;
      /**
       * Shared memory: the job's chunks ([e0, e1) pairs, an Int32Array where every bound is below
       * 2^31: pool-core.ts chunkBounds), cut into one part per worker (chunk indices parts[w] …
       * parts[w + 1]), which the workers claim themselves: Int32Array(ctl)[1 + w] is the next
       * chunk of part w (Atomics.add), ctl[0] = 1 says stop. A worker takes its own part (`home`)
       * first, then what is left of the others'. After filling chunk c it sets ctl[1 + P + c]
       * (P parts) to 1, or to 2 where the calling thread must fill it (a schedule that could not
       * be rebuilt here; no `done` is needed then). null: the pool sends `chunk` messages.
       */
      readonly claim: { readonly ctl: SharedArrayBuffer; readonly chunks: Int32Array | Float64Array; readonly parts: Int32Array } | null;
      /** This worker's part of the claimed chunks (its index in the pool). */
      readonly home: number;
    }
  /** Elements [e0, e1) of the job's row-major output. */
  | { readonly t: 'chunk'; readonly job: number; readonly e0: number; readonly e1: number }
  | { readonly t: 'end'; readonly job: number };

export type FromWorker =
  | {
      readonly t: 'done';
      readonly job: number;
      readonly e0: number;
      readonly e1: number;
      /** The chunk's values when the output is not shared (its buffer transferred). */
      readonly values?: Float32Array;
      /** A schedule of the chunk could not be rebuilt in the worker: the calling thread fills the chunk. */
      readonly local?: true;
      readonly error?: string;
    }
  /** Shared memory: the claimed chunks (indices into the job's `claim.chunks` pairs) a worker filled since its last `filled`. */
  | { readonly t: 'filled'; readonly job: number; readonly chunks: readonly number[] }
  | { readonly t: 'fatal'; readonly error: string };
