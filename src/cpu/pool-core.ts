/**
 * The calling-thread side of the CPU worker pool, the same in Node and in browsers
 * (pool.node.ts and pool.browser.ts give it workers): the evaluator's CPU backend on every
 * core, with the bits of the one-thread path (cpuEvaluate).
 *
 * - A call's output (rows × steps, row-major) is cut into chunks (whole rows of a sweep,
 *   slices of one long row) that the threads take as they finish, so a slow kind does not
 *   leave the other cores idle: with shared memory from shared counters (Atomics), one part
 *   per thread first, by the calling thread too (threads − 1 workers: no worker waits on the
 *   calling thread, which is warm and already running, and the call wakes one thread fewer);
 *   else handed out to `threads` workers two at a time per worker.
 * - With shared memory (always in Node; in a browser when the page is cross-origin isolated)
 *   the workers write into one SharedArrayBuffer; otherwise each chunk's values come back
 *   transferred (no copy on the way). Either way a chunk is copied into the caller's array
 *   as it lands (unless that array is the shared one), while the workers go on.
 * - A schedule is sent once (kind and resolved config) and named by an id afterwards, keyed
 *   by its config object (the classes' configs are frozen, one per schedule), so a schedule
 *   evaluated again costs nothing to send and keeps its memos (restart periods) in every worker.
 * - Rows of a kind the registry does not know (a Sequence) and chunks a worker could not
 *   rebuild are filled on the calling thread, in slices, between which it yields.
 * - An abort rejects at once with the signal's reason (the chunks in flight finish in the
 *   background and are dropped); onProgress gets (done, total) at most every YIELD_MS and last
 *   (total, total), as cpuEvaluate does.
 */
import { isScheduleKind } from '../schedules/registry.ts';
import { sliceSteps, stepsLength, isStepRange, type Steps } from '../schedules/steps.ts';
import { Pacer, YIELD_MS, type CpuEvaluateOptions, type FillableSchedule } from './cpu-backend.ts';
import type { Def, FromWorker, ToWorker } from './pool-protocol.ts';

/** A worker as the pool drives it. */
export interface PoolPort {
  post(msg: ToWorker): void;
  terminate(): void;
  /** Node: keep the process alive while a job runs (ref), not while the pool idles (unref). */
  hold?(on: boolean): void;
}

/** Starts one worker whose messages go to `onMessage` and whose failure to `onError`. */
export type SpawnWorker = (onMessage: (m: FromWorker) => void, onError: (e: Error) => void) => PoolPort;

/** What the pool evaluates: a schedule with its config (registry kinds go to the workers). */
export interface PoolSchedule extends FillableSchedule {
  readonly config?: unknown;
}

/** Most worker threads a pool takes (createEvaluator's `threads`, CpuPool's). */
export const MAX_THREADS = 256;

/** A worker failed (to start, or while running): the pool cannot be used. */
export class PoolFailedError extends Error {
  override readonly name = 'PoolFailedError';
}

/**
 * Output elements per chunk: at least 2^12 (a message costs ~10-50 µs, more where the cores are
 * oversubscribed and a thread waits to be scheduled), at most 2^18 handed out (a few ms of work).
 * Claimed from shared memory: about 32 per thread (no message per chunk, so a worker that the
 * machine's other jobs keep off its core for a while leaves only a short last chunk to wait for),
 * 2^14 … 2^17 elements (well under a millisecond each). A chunk is whole rows where a row is
 * shorter than that, as cpuEvaluate fills them (no row split between two fills).
 */
const MIN_CHUNK = 2 ** 12;
const MAX_CHUNK = 2 ** 18;
const MIN_CLAIMED_CHUNK = 2 ** 14;
const MAX_CLAIMED_CHUNK = 2 ** 17;
const CLAIMED_PER_THREAD = 32;
const IN_FLIGHT = 2;
/** Largest shared output kept between calls (bytes). */
const MAX_SCRATCH = 2 ** 26;
/** Defined schedules kept in the workers before the table is cleared (bounds their memory). */
const MAX_DEFINED = 1 << 16;
/** Elements per fill() on the calling thread (as cpuEvaluate). */
const LOCAL_SLICE = 2 ** 14;

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

interface Running {
  readonly chunks: (readonly [number, number])[];
  next: number;
  remaining: number;
  readonly local: (readonly [number, number])[];
  readonly out: Float32Array;
  readonly shared: Float32Array | null;
  done: number;
  error: unknown;
  wake: (() => void) | undefined;
  /** Shared memory: the stop flag, the parts' chunk counters and each chunk's state (claim[stateAt + c]: 1 filled by a worker, 2 left to the calling thread). */
  readonly claim: Int32Array | null;
  readonly stateAt: number;
  /** Shared memory: the chunks whose values are in `out` (filled here, or copied from the shared output). */
  readonly covered: Uint8Array;
}

export class WorkerPool {
  readonly threads: number;
  readonly shared: boolean;
  readonly #ports: PoolPort[];
  readonly #inFlight: number[];
  #ids = new WeakMap<object, number>();
  #defined = 0;
  #nextId = 0;
  #nextJob = 0;
  readonly #jobs = new Map<number, Running>();
  #failed: Error | undefined;
  #scratch: SharedArrayBuffer | undefined;
  /** Chunks of the last call on the scratch that a worker may still be writing (their states in `claim`, still 0): the scratch is not reused until they are done. */
  #late: { readonly claim: Int32Array; readonly at: readonly number[] } | undefined;

  /**
   * `threads` threads evaluate a call: with shared memory the calling thread and threads − 1
   * workers (the calling thread claims chunks as the workers do, between yields to its event
   * loop), else `threads` workers.
   */
  constructor(threads: number, shared: boolean, spawn: SpawnWorker) {
    this.threads = threads;
    this.shared = shared;
    const workers = shared ? threads - 1 : threads;
    this.#inFlight = new Array<number>(workers).fill(0);
    this.#ports = [];
    try {
      for (let w = 0; w < workers; w++) this.#ports.push(spawn((m) => this.#onMessage(w, m), (e) => this.#fail(e)));
    } catch (err) {
      // a worker that cannot even be constructed (a cross-origin script URL throws SecurityError):
      // stop those already started; the caller falls back to the calling thread
      for (const p of this.#ports) p.terminate();
      throw new PoolFailedError(`a CPU pool worker could not be started: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * Fills `out` (length M · N) with schedules[r] at steps[c] at r · N + c, as cpuEvaluate does.
   * Rejects with the signal's reason on an abort (leaving `out` partly written: callers must
   * not hand it out), with PoolFailedError when a worker fails.
   */
  async evaluate(schedules: readonly PoolSchedule[], steps: Steps, out: Float32Array, options: Pick<CpuEvaluateOptions, 'signal' | 'onProgress'> = {}): Promise<void> {
    const { signal, onProgress } = options;
    signal?.throwIfAborted();
    if (this.#failed) throw this.#failed;
    const n = stepsLength(steps);
    const rows = schedules.length;
    const total = rows * n;
    if (out.length !== total) throw new RangeError(`out.length = ${out.length}, expected ${rows} × ${n} = ${total}`);
    if (total === 0) return;
    const ids = this.#assignIds(schedules);
    const sharedOut = this.shared ? (out.buffer instanceof SharedArrayBuffer ? out : this.#sharedScratch(total)) : null;
    const job = this.#nextJob++;
    const chunks = planPoolChunks(ids, n, this.threads, sharedOut !== null);
    // shared memory: the calling thread and the workers take the chunks themselves, one part each
    // first (claim[1 + w]: part w's next chunk; part 0 the calling thread's, part w + 1 worker w's;
    // claim[0] = 1: stop)
    const parts = Int32Array.from({ length: this.threads + 1 }, (_, w) => Math.round((w * chunks.length) / this.threads));
    const stateAt = 1 + this.threads;
    const claim = sharedOut ? new Int32Array(new SharedArrayBuffer(4 * (stateAt + chunks.length))) : null;
    claim?.set(parts.subarray(0, this.threads), 1);
    const covered = new Uint8Array(claim ? chunks.length : 0);
    const run: Running = { chunks, next: 0, remaining: 0, local: [], out, shared: sharedOut, done: 0, error: undefined, wake: undefined, claim, stateAt, covered };
    run.remaining = run.chunks.length;
    this.#jobs.set(job, run);
    const range = isStepRange(steps) ? { start: steps.start, stride: steps.stride ?? 1 } : null;
    const list = range ? null : this.#shareList(steps as ArrayLike<number>);
    const msg: ToWorker = {
      t: 'job',
      job,
      ids,
      cols: n,
      range,
      list,
      out: sharedOut ? (sharedOut.buffer as SharedArrayBuffer) : null,
      offset: sharedOut ? sharedOut.byteOffset : 0,
      claim: claim ? { ctl: claim.buffer as SharedArrayBuffer, chunks: chunkBounds(chunks, total), parts } : null,
      home: 0,
    };
    const onAbort = (): void => {
      run.error ??= signal!.reason;
      run.wake?.();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (run.remaining > 0) for (const p of this.#ports) p.hold?.(true);
    const late: number[] = []; // chunks filled here while a worker may still have been filling them
    try {
      this.#ports.forEach((p, w) => p.post({ ...msg, home: w + 1 }));
      for (let w = 0; w < this.#ports.length; w++) this.#dispatch(job, run, w);
      const pacer = new Pacer(signal);
      let lastReport = now();
      const report = (): void => {
        if (run.done < total && now() - lastReport >= YIELD_MS) {
          lastReport = now();
          onProgress?.(run.done, total);
        }
      };
      ids.forEach((id, r) => id < 0 && run.local.push([r * n, (r + 1) * n]));
      // shared memory: the calling thread's own part of the chunks first, then what the workers left
      // unclaimed; then every chunk not yet in `out`: one a worker finished is copied (if `out` is
      // not the shared output), one left to this thread or still being filled is filled here (a
      // worker the machine's other jobs keep off its core does not hold the call up), except
      // into the caller's own shared array, where this thread waits for the worker instead (its
      // late writes would land after the call). Same values either way: each chunk's fill is
      // deterministic.
      const cover = (c: number, fill: boolean): void => {
        const [e0, e1] = chunks[c]!;
        if (fill) fillLocal(schedules, steps, n, e0, e1, out);
        else if (sharedOut !== out) out.set(sharedOut!.subarray(e0, e1), e0);
        covered[c] = 1;
        run.done += e1 - e0;
        run.remaining--;
      };
      // the calling thread's turn to yield: progress, then its event loop, then a failure or an abort
      const pause = async (): Promise<void> => {
        report();
        await pacer.yield();
        if (run.error !== undefined) throw run.error;
        signal?.throwIfAborted();
      };
      let part = 0;
      const claimNext = (): number => {
        for (; claim && part < this.threads; part++) {
          const c = Atomics.add(claim, 1 + part, 1);
          if (c < (parts[part + 1] as number)) return c;
        }
        return -1;
      };
      for (;;) {
        if (run.error !== undefined) throw run.error;
        const next = run.local.shift();
        if (next) {
          for (let e = next[0]; e < next[1]; e += LOCAL_SLICE) {
            const e1 = Math.min(next[1], e + LOCAL_SLICE);
            fillLocal(schedules, steps, n, e, e1, out);
            run.done += e1 - e;
            if (pacer.due()) await pause();
          }
          continue;
        }
        let c = claimNext();
        if (c < 0 && claim && run.remaining > 0) {
          for (let k = 0; k < chunks.length && c < 0; k++) {
            if (covered[k] === 1) continue;
            const state = Atomics.load(claim, stateAt + k);
            if (state === 1) cover(k, false);
            else if (state === 2 || sharedOut !== out) {
              if (state === 0) late.push(k);
              c = k;
            }
          }
        }
        if (c >= 0) {
          // into the caller's array directly (its schedules, their memos warm from the calling thread's own calls)
          cover(c, true);
          if (pacer.due()) await pause();
          continue;
        }
        if (run.remaining === 0) break;
        await new Promise<void>((resolve) => (run.wake = resolve));
        run.wake = undefined;
        report();
      }
      onProgress?.(total, total);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (claim) Atomics.store(claim, 0, 1);
      // after an abort or a failure, chunks in flight may still write into the scratch: never reuse it
      if (run.remaining > 0 && sharedOut && sharedOut.buffer === this.#scratch) this.#scratch = undefined;
      // chunks filled here while a worker was still on them: the scratch waits for those workers' writes
      else if (late.length > 0 && sharedOut && sharedOut.buffer === this.#scratch) this.#late = { claim: claim!, at: late.map((k) => stateAt + k) };
      this.#jobs.delete(job);
      if (!this.#failed) for (const p of this.#ports) p.post({ t: 'end', job });
      if (this.#jobs.size === 0) for (const p of this.#ports) p.hold?.(false);
    }
  }

  /**
   * The shared output of a call into a plain array: one buffer kept between calls (up to
   * MAX_SCRATCH bytes, while no other call uses it; dropped when a call using it ends before its
   * chunks do), so a call does not allocate and fault in fresh shared pages each time; a larger
   * or concurrent call gets its own.
   */
  #sharedScratch(total: number): Float32Array {
    const bytes = total * 4;
    if (this.#late && this.#late.at.every((i) => Atomics.load(this.#late!.claim, i) !== 0)) this.#late = undefined;
    if (bytes > MAX_SCRATCH || this.#jobs.size > 0 || this.#late) return new Float32Array(new SharedArrayBuffer(bytes));
    if (!this.#scratch || this.#scratch.byteLength < bytes) this.#scratch = new SharedArrayBuffer(bytes);
    return new Float32Array(this.#scratch, 0, total);
  }

  /** Stops the workers now (calls in progress reject with PoolFailedError). */
  close(): void {
    if (!this.#failed) this.#fail(new PoolFailedError('the CPU worker pool was closed'));
    this.#scratch = undefined;
  }

  /** Each row's id (−1: filled on the calling thread), defining new schedules in every worker. */
  #assignIds(schedules: readonly PoolSchedule[]): Int32Array {
    const ids = new Int32Array(schedules.length);
    const defs: Def[] = [];
    if (this.#defined + schedules.length > MAX_DEFINED) {
      this.#ids = new WeakMap();
      this.#defined = 0;
      for (const p of this.#ports) p.post({ t: 'forget' });
    }
    schedules.forEach((s, r) => {
      const config = s.config;
      if (!isScheduleKind(s.kind) || typeof config !== 'object' || config === null) {
        ids[r] = -1;
        return;
      }
      let id = this.#ids.get(config);
      if (id === undefined) {
        id = this.#nextId++;
        this.#defined++;
        this.#ids.set(config, id);
        defs.push([id, s.kind, config]);
      }
      ids[r] = id;
    });
    if (defs.length > 0) for (const p of this.#ports) p.post({ t: 'define', defs });
    return ids;
  }

  #shareList(list: ArrayLike<number>): Float64Array | Uint32Array {
    const n = list.length;
    const u32 = list instanceof Uint32Array;
    const bytes = n * (u32 ? 4 : 8);
    const buf = this.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    const copy = u32 ? new Uint32Array(buf) : new Float64Array(buf);
    for (let i = 0; i < n; i++) copy[i] = list[i] as number;
    return copy;
  }

  #dispatch(job: number, run: Running, w: number): void {
    const port = this.#ports[w] as PoolPort;
    if (run.claim) return;
    while (this.#inFlight[w]! < IN_FLIGHT && run.next < run.chunks.length && run.error === undefined) {
      const [e0, e1] = run.chunks[run.next++]!;
      this.#inFlight[w]!++;
      port.post({ t: 'chunk', job, e0, e1 });
    }
  }

  #onMessage(w: number, m: FromWorker): void {
    if (m.t === 'fatal') return this.#fail(new PoolFailedError(`a CPU pool worker failed to start: ${m.error}`));
    if (m.t === 'filled') return this.#onFilled(m.job, m.chunks);
    if (!this.shared) this.#inFlight[w]!--;
    const run = this.#jobs.get(m.job);
    if (!run) {
      // a chunk of an aborted job: the worker is free for the jobs running now
      for (const [job, r] of this.#jobs) this.#dispatch(job, r, w);
      return;
    }
    if (m.error !== undefined) run.error ??= new PoolFailedError(`a CPU pool worker failed: ${m.error}`);
    else if (run.claim) {
      // a claimed chunk left to the calling thread: its state says so (2), and that thread fills it
      run.wake?.();
      return;
    } else if (m.local) run.local.push([m.e0, m.e1]);
    else {
      // each chunk is copied into the caller's array as it lands, while the workers go on
      if (m.values) run.out.set(m.values, m.e0);
      else if (run.shared && run.shared !== run.out) run.out.set(run.shared.subarray(m.e0, m.e1), m.e0);
      run.done += m.e1 - m.e0;
    }
    run.remaining--;
    // the worker is free: give it chunks of any running job (without shared memory two calls can share a pool)
    for (const [job, r] of this.#jobs) this.#dispatch(job, r, w);
    run.wake?.();
  }

  /** Claimed chunks a worker filled (shared memory): each copied into the caller's array unless that is the shared one. */
  #onFilled(job: number, filled: readonly number[]): void {
    const run = this.#jobs.get(job);
    if (!run) return;
    for (const c of filled) {
      if (run.covered[c] === 1) continue; // the calling thread filled it too
      const [e0, e1] = run.chunks[c]!;
      if (run.shared && run.shared !== run.out) run.out.set(run.shared.subarray(e0, e1), e0);
      run.covered[c] = 1;
      run.done += e1 - e0;
      run.remaining--;
    }
    run.wake?.();
  }

  #fail(e: Error): void {
    this.#failed ??= e instanceof PoolFailedError ? e : new PoolFailedError(`a CPU pool worker failed: ${e.message}`);
    for (const p of this.#ports) p.terminate();
    for (const run of this.#jobs.values()) {
      run.error ??= this.#failed;
      run.wake?.();
    }
  }
}

/**
 * The chunks of the rows with an id (consecutive such rows as one span): whole rows, as many as
 * make the chunk size, or near-equal slices of a row longer than it.
 */
export function planPoolChunks(ids: Int32Array, n: number, threads: number, claimed: boolean): [number, number][] {
  let pooled = 0;
  for (const id of ids) if (id >= 0) pooled += n;
  const size = claimed
    ? Math.min(MAX_CLAIMED_CHUNK, Math.max(MIN_CLAIMED_CHUNK, Math.ceil(pooled / (threads * CLAIMED_PER_THREAD))))
    : Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, Math.ceil(pooled / (threads * 8))));
  const rowsPer = n < size ? Math.round(size / n) : 0; // 0: a row is sliced
  const slices = rowsPer === 0 ? Math.ceil(n / size) : 1;
  const chunks: [number, number][] = [];
  for (let r = 0; r < ids.length; ) {
    if ((ids[r] as number) < 0) {
      r++;
      continue;
    }
    let r1 = r + 1;
    while (r1 < ids.length && (ids[r1] as number) >= 0) r1++;
    if (rowsPer > 0) for (let q = r; q < r1; q += rowsPer) chunks.push([q * n, Math.min(r1, q + rowsPer) * n]);
    else for (let q = r; q < r1; q++) for (let k = 0; k < slices; k++) chunks.push([q * n + Math.floor((k * n) / slices), q * n + Math.floor(((k + 1) * n) / slices)]);
    r = r1;
  }
  return chunks;
}

/**
 * The chunks' bounds for the workers to claim: an Int32Array where they all fit (below 2^31), so
 * that a worker's fills get their steps as small integers, as cpuEvaluate gives them on the calling
 * thread. V8 boxes an integer read from a Float64Array as a heap number, and a fill whose steps
 * arrive so, after running on small integers, deoptimises ("not a Smi") and is optimised again for
 * doubles: powInt, the kinds' fills and their WebAssembly drivers (in powDD `n % 2` becomes an fmod
 * call). That cost a worker up to a quarter more CPU per value than the calling thread.
 */
function chunkBounds(chunks: readonly (readonly [number, number])[], total: number): Int32Array | Float64Array {
  const flat = chunks.flat();
  return total <= 0x7fffffff ? Int32Array.from(flat) : Float64Array.from(flat);
}

/** Elements [e0, e1) of the output on the calling thread (a row or a chunk a worker gave back). */
function fillLocal(schedules: readonly FillableSchedule[], steps: Steps, n: number, e0: number, e1: number, out: Float32Array): void {
  for (let e = e0; e < e1; ) {
    const r = Math.floor(e / n);
    const c0 = e - r * n;
    const len = Math.min(n - c0, e1 - e);
    schedules[r]!.fill(sliceSteps(steps, c0, len), out.subarray(e, e + len));
    e += len;
  }
}
