/**
 * The reference side of the edge fuzz, run in a worker thread so that a hang (a
 * synchronous loop that never returns) is caught by the main thread's watchdog instead
 * of stalling the run: for each config it builds the schedule (or records a named-field
 * refusal), chooses the steps (edges of the config, random steps up to 2^53, a dense
 * run), and judges `at()` and `fill()` against the independent BigInt oracle
 * (test/oracle/schedules.ts) with the reference's 1e-12 contract. It also calls
 * gpuSupport for the u32 window, so that every synchronous call the main thread will
 * make is first made here under the watchdog. Posts {type: 'begin', index} before each
 * config, {type: 'result', index, result} after it and {type: 'done'} at the end of a batch.
 */
import { parentPort } from 'node:worker_threads';
import { mulberry32 } from '../helpers/random.ts';
import { ScheduleConfigError, createSchedule, gpuSupport, type Schedule } from '../../src/index.ts';
import { toNumber } from '../oracle/bigfloat.ts';
import { judgeReference, oracle } from '../oracle/schedules.ts';
import { GLOBAL_EDGES, U32_MAX, configEdges, type AnyConfig } from './arbitraries.ts';

export interface EdgeJob {
  readonly configs: readonly AnyConfig[];
  readonly seeds: readonly number[];
  readonly randomSteps: number;
  readonly dense: number;
}

export interface EdgeResult {
  readonly kind: string;
  /** The named field of a ScheduleConfigError, if construction refused the config. */
  readonly refused?: string;
  /** A problem: construction threw something else, a reference value out of contract, fill ≠ at, … */
  readonly failures: readonly string[];
  /** u32 steps the backends are checked at, and the oracle's value there (rounded once to double). */
  readonly steps: readonly number[];
  readonly exact: readonly number[];
  /** Steps where the oracle declined (see test/oracle/schedules.ts). */
  readonly declined: number;
  /** (config, step) pairs the reference was judged at. */
  readonly pairs: number;
  /** Largest relative error of the reference (over exact values ≥ 2^-1022). */
  readonly maxRel: number;
  readonly nan: number;
  /** gpuSupport's answer for the u32 window. */
  readonly gpuRule: string | null;
  /** Milliseconds this config took here (construction, steps, at/fill, oracle, gpuSupport). */
  ms?: number;
}

const MAX_REF_STEP = 2 ** 53;

/** configEdges, or [] with the error recorded (it reads the public period API, which must not throw for a valid config). */
function edgesOf(s: Schedule, max: number, failures: string[]): number[] {
  try {
    return configEdges(s, max);
  } catch (err) {
    failures.push(`configEdges(max ${max}) threw ${String(err)}`);
    return [];
  }
}

function stepsFor(s: Schedule, seed: number, randomSteps: number, dense: number, failures: string[]): { u32: number[]; big: number[] } {
  const r = mulberry32(seed);
  const u32 = new Set<number>(GLOBAL_EDGES);
  const edges = edgesOf(s, U32_MAX, failures);
  for (const x of edges) u32.add(x);
  for (let i = 0; i < randomSteps; i++) u32.add(Math.min(U32_MAX, Math.floor(2 ** (r() * 32)) - 1));
  const e = edges.length > 0 ? edges[Math.floor(r() * edges.length)]! : Math.floor(r() * 1000);
  for (let i = 0; i < dense; i++) {
    const x = e - (dense >> 1) + i;
    if (x >= 0 && x <= U32_MAX) u32.add(x);
  }
  const big = new Set<number>([2 ** 53, 2 ** 53 - 1, 2 ** 52 + 1, 2 ** 32, 2 ** 40]);
  for (const x of edgesOf(s, MAX_REF_STEP, failures)) if (x > U32_MAX) big.add(x);
  for (let i = 0; i < randomSteps / 8; i++) big.add(Math.floor(2 ** (32 + r() * 21)));
  return { u32: [...u32].filter((x) => x >= 0), big: [...big].filter((x) => x > U32_MAX && x <= MAX_REF_STEP) };
}

export function runOne(cfg: AnyConfig, seed: number, randomSteps: number, dense: number): EdgeResult {
  const failures: string[] = [];
  let s: Schedule;
  try {
    s = createSchedule(cfg.kind, cfg.config as never);
  } catch (err) {
    if (err instanceof ScheduleConfigError && /^[A-Za-z]+\.[A-Za-z]+/.test(err.field)) {
      return { kind: cfg.kind, refused: err.field, failures, steps: [], exact: [], declined: 0, pairs: 0, maxRel: 0, nan: 0, gpuRule: null };
    }
    failures.push(`construction threw ${String(err)} (not a named-field ScheduleConfigError)`);
    return { kind: cfg.kind, failures, steps: [], exact: [], declined: 0, pairs: 0, maxRel: 0, nan: 0, gpuRule: null };
  }
  const { u32, big } = stepsFor(s, seed, randomSteps, dense, failures);
  const all = [...u32, ...big];
  const at = all.map((x) => s.at(x));
  const f64 = s.fill(all);
  const f32 = s.fill(all, new Float32Array(all.length));
  let declined = 0;
  let maxRel = 0;
  let nan = 0;
  const exact: number[] = [];
  all.forEach((x, i) => {
    const a = at[i]!;
    if (Number.isNaN(a)) nan++;
    if (!Object.is(f64[i], a)) failures.push(`fill(list) at step ${x} = ${f64[i]} ≠ at() = ${a}`);
    if (!Object.is(f32[i], Math.fround(a))) failures.push(`Float32 fill(list) at step ${x} = ${f32[i]} ≠ fround(at()) = ${Math.fround(a)}`);
    const ex = oracle(cfg.kind, cfg.config as unknown as Record<string, unknown>, x);
    if (ex === null) {
      declined++;
      if (i < u32.length) exact.push(Number.NaN);
      return;
    }
    const why = judgeReference(ex, a);
    if (why !== null) failures.push(`reference at step ${x}: ${why}`);
    const exn = toNumber(ex);
    if (Math.abs(exn) >= 2 ** -1022 && Number.isFinite(exn) && Number.isFinite(a)) maxRel = Math.max(maxRel, Math.abs(a - exn) / Math.abs(exn));
    if (i < u32.length) exact.push(exn);
  });
  // ranges agree with at() too (the specialised loops), at a few starts
  for (const x of all.slice(0, 4)) {
    const count = Math.min(4, MAX_REF_STEP - x + 1);
    const r = s.fill({ start: x, count });
    for (let j = 0; j < count; j++) if (!Object.is(r[j], s.at(x + j))) failures.push(`fill(range from ${x})[${j}] = ${r[j]} ≠ at(${x + j}) = ${s.at(x + j)}`);
  }
  let minStep = Infinity;
  let maxStep = -Infinity;
  for (const x of u32) {
    if (x < minStep) minStep = x;
    if (x > maxStep) maxStep = x;
  }
  const why = gpuSupport(s, { minStep, maxStep });
  return {
    kind: cfg.kind,
    failures: failures.slice(0, 12),
    steps: u32,
    exact,
    declined,
    pairs: all.length - declined,
    maxRel,
    nan,
    gpuRule: why === null ? null : `${why.field}: ${why.rule}`,
  };
}

parentPort?.on('message', (job: EdgeJob) => {
  job.configs.forEach((cfg, i) => {
    parentPort!.postMessage({ type: 'begin', index: i });
    const t0 = performance.now();
    const result = runOne(cfg, job.seeds[i] ?? i, job.randomSteps, job.dense);
    result.ms = performance.now() - t0;
    parentPort!.postMessage({ type: 'result', index: i, result });
  });
  parentPort!.postMessage({ type: 'done' });
});
