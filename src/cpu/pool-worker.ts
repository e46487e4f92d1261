/**
 * The worker side of the CPU pool, the same in Node and in browsers: rebuilds each defined
 * schedule from its kind and config (createSchedule) and fills the chunks it is handed with
 * the schedule's own fill over the chunk's slice of the steps, which gives the bits of the
 * one-thread path (cpuEvaluate also fills slices; a fill's values do not depend on where a
 * slice starts). pool.node.ts and pool-worker.browser.ts connect it to their port.
 */
import { createSchedule } from '../schedules/registry.ts';
import { sliceSteps, type Steps } from '../schedules/steps.ts';
import { YIELD_MS, type FillableSchedule } from './cpu-backend.ts';
import type { Def, FromWorker, ToWorker } from './pool-protocol.ts';

type JobMsg = Extract<ToWorker, { t: 'job' }>;

/** A worker's schedules by id (null: not defined, or could not be rebuilt here). */
interface Schedules {
  get(id: number): FillableSchedule | null;
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** What the worker loop needs of its port. */
export interface WorkerPort {
  post(msg: FromWorker, transfer?: Transferable[]): void;
}

/**
 * A worker's state: its schedules and the jobs it has open. A defined schedule is rebuilt at the
 * first chunk of its row this worker fills (createSchedule: ~20 µs each), not when it is defined,
 * so each worker builds only the schedules of its own rows (null: could not be rebuilt here).
 */
export function serveWorker(port: WorkerPort): (m: ToWorker) => void {
  const defs = new Map<number, Def>();
  const built = new Map<number, FillableSchedule | null>();
  const schedules: Schedules = {
    get(id) {
      let s = built.get(id);
      if (s !== undefined) return s;
      const def = defs.get(id);
      if (def === undefined) return null;
      try {
        s = createSchedule(def[1], def[2] as never) as FillableSchedule;
      } catch {
        s = null;
      }
      built.set(id, s);
      defs.delete(id);
      return s;
    },
  };
  const jobs = new Map<number, { msg: JobMsg; steps: Steps; out: Float32Array | null }>();

  /**
   * Fills chunk [e0, e1) of a job and says so (with the values when the output is not shared);
   * `quiet`: a claimed chunk, filled into the shared output, is not announced (true returned: the
   * caller batches it into a `filled`).
   */
  const run = (job: number, e0: number, e1: number, quiet = false): boolean => {
    const j = jobs.get(job);
    if (!j) return false;
    const target = j.out ? j.out.subarray(e0, e1) : new Float32Array(e1 - e0);
    let local = false;
    let error: string | undefined;
    try {
      local = !fillChunk(j.msg, j.steps, schedules, e0, e1, target);
    } catch (e) {
      error = String((e as Error).stack ?? e);
    }
    const base = { t: 'done' as const, job, e0, e1 };
    if (error !== undefined) port.post({ ...base, error });
    else if (local) port.post({ ...base, local: true });
    else if (quiet) return true;
    else if (j.out) port.post(base);
    else port.post({ ...base, values: target }, [target.buffer]);
    return false;
  };

  return (m: ToWorker) => {
    switch (m.t) {
      case 'define':
        for (const def of m.defs) defs.set(def[0], def);
        return;
      case 'forget':
        defs.clear();
        built.clear();
        return;
      case 'job': {
        const steps: Steps = m.range ? { start: m.range.start, count: m.cols, stride: m.range.stride } : (m.list as Float64Array | Uint32Array);
        const out = m.out ? new Float32Array(m.out, m.offset, m.ids.length * m.cols) : null;
        jobs.set(m.job, { msg: m, steps, out });
        if (m.claim) {
          // shared memory: take chunks from the job's counters until none is left or the pool says
          // stop, this worker's own part first: the same rows come to the same worker call after
          // call, so a schedule's memos (restart periods: ~0.15 ms per schedule) are built in one
          // worker, not in each in turn; then what is left of the other parts
          const ctl = new Int32Array(m.claim.ctl);
          const { chunks, parts } = m.claim;
          const P = parts.length - 1;
          // the chunks filled are said in batches, at most one message per YIELD_MS of work: the
          // calling thread is not woken per chunk, so chunks can be small enough to even out the cores
          let filled: number[] = [];
          let said = now();
          for (let k = 0; k < P; k++) {
            const p = (m.home + k) % P;
            const end = parts[p + 1] as number;
            for (let c = Atomics.add(ctl, 1 + p, 1); c < end && Atomics.load(ctl, 0) === 0; c = Atomics.add(ctl, 1 + p, 1)) {
              // ctl[1 + P + c]: 1 when this chunk's values are all in the shared output, 2 when the calling thread must fill it
              if (run(m.job, chunks[2 * c] as number, chunks[2 * c + 1] as number, true)) {
                Atomics.store(ctl, 1 + P + c, 1);
                filled.push(c);
              } else Atomics.store(ctl, 1 + P + c, 2);
              if (filled.length > 0 && now() - said >= YIELD_MS) {
                port.post({ t: 'filled', job: m.job, chunks: filled });
                filled = [];
                said = now();
              }
            }
          }
          if (filled.length > 0) port.post({ t: 'filled', job: m.job, chunks: filled });
        }
        return;
      }
      case 'end':
        jobs.delete(m.job);
        return;
      case 'chunk':
        run(m.job, m.e0, m.e1);
    }
  };
}

/** Fills elements [e0, e1) into `target` (its element 0 is e0); false when a schedule there could not be rebuilt. */
function fillChunk(m: JobMsg, steps: Steps, schedules: Schedules, e0: number, e1: number, target: Float32Array): boolean {
  const n = m.cols;
  for (let e = e0; e < e1; ) {
    const r = Math.floor(e / n);
    const c0 = e - r * n;
    const len = Math.min(n - c0, e1 - e);
    const s = schedules.get(m.ids[r] as number);
    if (!s) return false;
    s.fill(sliceSteps(steps, c0, len), target.subarray(e - e0, e - e0 + len));
    e += len;
  }
  return true;
}
