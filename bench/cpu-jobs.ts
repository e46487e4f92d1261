/**
 * `npm run bench -- --only cpu-jobs` (Node; also in the default run): the CPU path against its
 * peers on three jobs, side by side in one process:
 *   (a) one CosineDecay with warmup, 2^24 steps;
 *   (b) 10,000 CosineDecay × 1,000 steps;
 *   (c) 6,000 schedules of the six Keras kinds in turn × 1,000 steps.
 * Variants: this project's CPU path on one thread (cpuEvaluate, what the evaluator's CPU backend
 * runs with the default threads: 1; again with CosineDecay's WebAssembly SIMD loops turned off) and on
 * every core (CpuPool: the calling thread and worker_threads), each into one array kept between calls
 * (for the pool a shared one, and a plain one as the 1-thread row's); the same two
 * through the evaluator (createEvaluator({ backend: 'cpu', threads }) and sweep(): a fresh
 * array each call, after the input checks); the naive JS loop and tfjs-cpu (Keras's
 * formulas, bench/cpu-formulas.ts); numpy f32/f64 and JAX jit f32 from bench/cpu_peers.py when
 * a Python with numpy is given (BENCH_PYTHON, else `python3` on PATH; none: one line saying so).
 * Each variant: one warm-up, then repetitions until 7 or 2 s (at least 2; 1 after a warm-up over 3 s); the least process CPU time, the minimum and
 * median wall time; the max ULP of its float32 output against the exact value (the f64
 * reference) over every value (exact values below 2^-126 left out, as verify does).
 * The schedules are built once per job and evaluated again each repetition (as a plot or a
 * sweep is): the memos the CPU path keeps per schedule (restart periods) are warm after the first.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TF from '@tensorflow/tfjs-core';
import { cpuEvaluate } from '../src/cpu/cpu-backend.ts';
import { CpuPool } from '../src/cpu/pool.node.ts';
import { createEvaluator, createSchedule, type EvaluatorSchedule, type ScheduleKind } from '../src/index.ts';
import { KERAS_KINDS, type KerasKind } from '../src/schedules/registry.ts';
import { setWasmLoops } from '../src/schedules/wasm/load.ts';
import { ulpF32 } from '../src/verify/ulp.ts';
import { naiveRow, tfRows, type JobRow } from './cpu-formulas.ts';
import { kindRowConfig } from './configs.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface CpuJobVariant {
  readonly variant: string;
  readonly minMs: number;
  readonly medianMs: number;
  readonly reps: number;
  /** M values/s at the minimum time. */
  readonly mValuesPerSecond: number;
  /** The least process CPU time of a repetition (ms; Node variants only): robust to other jobs on the cores for the one-thread rows. */
  readonly cpuMinMs?: number;
  readonly maxUlp: number;
}

export interface CpuJob {
  readonly id: 'a' | 'b' | 'c';
  readonly label: string;
  readonly values: number;
  readonly variants: readonly CpuJobVariant[];
  /** Throughput ratios: CPU path 1 thread ÷ naive JS; CPU path all cores ÷ JAX jit f32 (when run). */
  readonly oneThreadOverNaive: number;
  /** The same ratio by process CPU time (cpuMinMs): what a loaded machine does not distort. */
  readonly oneThreadOverNaiveCpu: number;
  readonly allCoresOverJax: number | undefined;
  /** CPU path all cores ÷ 1 thread, into the shared array and into the plain one (by wall time at the minimum). */
  readonly allCoresOverOneThread: number;
  readonly allCoresPlainOverOneThread: number;
  /** The same through the evaluator's sweep() (a fresh array each call, the input checks included). */
  readonly allCoresSweepOverJax: number | undefined;
}

export interface CpuJobsReport {
  readonly cores: number;
  readonly threads: number;
  readonly loadAverageStart: readonly number[];
  readonly loadAverageEnd: readonly number[];
  readonly jobs: readonly CpuJob[];
  readonly skipped: readonly string[];
  readonly python?: unknown;
}

/** Row r of job (c): the six Keras kinds in turn, each kind's rows through its variants (bench/configs.ts's kindRowConfig, as the sweeps). */
function mixedRow(r: number, steps: number): JobRow {
  const kind = KERAS_KINDS[r % KERAS_KINDS.length] as KerasKind;
  return { kind, config: kindRowConfig(kind, r, Math.floor(r / KERAS_KINDS.length), steps) };
}

/** The three jobs (quick: smaller, for a smoke run). */
export function cpuJobDefs(quick: boolean): { id: 'a' | 'b' | 'c'; label: string; n: number; rows: JobRow[] }[] {
  const na = quick ? 2 ** 20 : 2 ** 24;
  const mb = quick ? 1000 : 10_000;
  const mc = quick ? 600 : 6000;
  return [
    { id: 'a', label: `(a) one CosineDecay with warmup, 2^${Math.log2(na)} steps`, n: na, rows: [{ kind: 'CosineDecay', config: { initialLearningRate: 0, decaySteps: na - na / 8, warmupTarget: 0.1, warmupSteps: na / 16, alpha: 0 } }] },
    {
      id: 'b',
      label: `(b) ${mb.toLocaleString('en-US')} CosineDecay × 1,000 steps`,
      n: 1000,
      rows: Array.from({ length: mb }, (_, r) => ({ kind: 'CosineDecay', config: { initialLearningRate: 0.1 * (1 + (r % 7) / 7), decaySteps: Math.round(1000 * (0.5 + ((r * 37) % 100) / 100)), alpha: (r % 3) * 0.01 } })),
    },
    { id: 'c', label: `(c) ${mc.toLocaleString('en-US')} mixed Keras kinds × 1,000 steps`, n: 1000, rows: Array.from({ length: mc }, (_, r) => mixedRow(r, 1000)) },
  ];
}

/** Max ULP of got against exact over every value (a value left out where both exact and got are below 2^-126; NaN or a wrong infinity: Infinity). */
export function maxUlp(got: ArrayLike<number>, exact: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < exact.length; i++) {
    const e = exact[i] as number;
    const g = got[i] as number;
    if (Object.is(g, Math.fround(e))) continue;
    if (!(Math.abs(e) >= 2 ** -126) && Math.abs(g) <= 2 ** -126) continue;
    const u = Math.abs(g - e) / ulpF32(e);
    if (!(u <= worst)) worst = u !== u ? Infinity : u;
  }
  return worst;
}

interface Timing {
  readonly min: number;
  readonly median: number;
  readonly reps: number;
  readonly cpuMin?: number;
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function time(once: () => Promise<void> | void): Promise<Timing> {
  const t0 = performance.now();
  await once();
  // a run over 3 s (tfjs-cpu on job (a)) is timed once more only
  const least = performance.now() - t0 > 3000 ? 1 : 2;
  const ms: number[] = [];
  let spent = 0;
  let cpuMin = Infinity;
  while (ms.length < 7 && (ms.length < least || spent < 2000)) {
    const t = performance.now();
    const c = cpuMs();
    await once();
    cpuMin = Math.min(cpuMin, cpuMs() - c);
    const d = performance.now() - t;
    ms.push(d);
    spent += d;
  }
  ms.sort((x, y) => x - y);
  return { min: ms[0] as number, median: ms[Math.floor(ms.length / 2)] as number, reps: ms.length, cpuMin };
}

/** Runs the jobs; tf: tfjs on its cpu backend (undefined: the tfjs-cpu rows are skipped). */
export async function runCpuJobs(quick: boolean, tf: typeof TF | undefined, log: (line: string) => void): Promise<CpuJobsReport> {
  const loadAverageStart = loadavg().map((x) => Math.round(x * 100) / 100);
  const threads = availableParallelism();
  const ev = await createEvaluator({ backend: 'cpu', threads });
  const ev1 = await createEvaluator({ backend: 'cpu' });
  const pool = new CpuPool({ threads });
  const skipped: string[] = [];
  const defs = cpuJobDefs(quick);
  const python = runPython(defs, quick, skipped, log);
  const jobs: CpuJob[] = [];
  try {
    for (const def of defs) {
      const { n, rows } = def;
      const values = rows.length * n;
      const schedules = rows.map((r) => createSchedule(r.kind as ScheduleKind, r.config as never) as unknown as EvaluatorSchedule);
      const exact = new Float64Array(values);
      schedules.forEach((s, r) => (s as unknown as { fill(st: object, o: Float64Array): void }).fill({ start: 0, count: n }, exact.subarray(r * n, (r + 1) * n)));
      const variants: CpuJobVariant[] = [];
      const push = (variant: string, t: Timing, got: ArrayLike<number>): void => {
        const v = { variant, minMs: t.min, medianMs: t.median, reps: t.reps, mValuesPerSecond: values / t.min / 1e3, maxUlp: maxUlp(got, exact), ...(t.cpuMin === undefined ? {} : { cpuMinMs: t.cpuMin }) };
        variants.push(v);
        log(`cpu-jobs  ${def.id}  ${variant.padEnd(24)} ${v.mValuesPerSecond.toFixed(1).padStart(8)} M values/s  (min ${t.min.toFixed(1)} ms, median ${t.median.toFixed(1)} ms, ${t.reps} reps)  max ${fmtUlp(v.maxUlp)} ULP`);
      };
      const out = new Float32Array(values);
      push('CPU path, 1 thread', await time(() => cpuEvaluate(schedules, { start: 0, count: n }, out)), out);
      // the same without WebAssembly SIMD (setWasmLoops turns off every module's loops, CosineDecay's, CosineDecayRestarts' and PolynomialDecay's: the JS loops an engine without it runs)
      out.fill(0);
      setWasmLoops(false);
      try {
        push('CPU path, 1 thread, no wasm', await time(() => cpuEvaluate(schedules, { start: 0, count: n }, out)), out);
      } finally {
        setWasmLoops(true);
      }
      // every core as the 1-thread row runs: into one array kept between calls (shared, so the
      // workers write it without a copy), through CpuPool (the ./node entry)
      const shared = pool.allocate(values);
      push(`CPU path, ${threads} threads`, await time(async () => void (await pool.evaluate(schedules, { start: 0, count: n }, shared))), shared);
      // the same into a plain array kept between calls, as the 1-thread row's: the workers write the
      // pool's shared scratch and their chunks are copied over; the calling thread fills again a
      // chunk a worker is still on when nothing else is left (into a shared array it waits instead)
      const plain = new Float32Array(values);
      push(`CPU path, ${threads} threads, plain array`, await time(async () => void (await pool.evaluate(schedules, { start: 0, count: n }, plain))), plain);
      // what a caller of the evaluator gets: a fresh array each call, after the input checks
      let swept: Float32Array = new Float32Array(0);
      push('CPU path, 1 thread, sweep()', await time(async () => void ({ values: swept } = await ev1.sweep(schedules, { start: 0, count: n }))), swept);
      push(`CPU path, ${threads} threads, sweep()`, await time(async () => void ({ values: swept } = await ev.sweep(schedules, { start: 0, count: n }))), swept);
      const nv = new Float32Array(values);
      push('naive JS', await time(() => rows.forEach((r, i) => naiveRow(r, 0, n, nv, i * n))), nv);
      if (tf) {
        const byKind = new Map<string, number[]>();
        rows.forEach((r, i) => byKind.set(r.kind, [...(byKind.get(r.kind) ?? []), i]));
        const tv = new Float32Array(values);
        const t = await time(async () => {
          for (const [kind, idx] of byKind) {
            const y = tfRows(tf, kind, idx.map((i) => rows[i] as JobRow), 0, n);
            const d = await y.data();
            y.dispose();
            idx.forEach((row, j) => tv.set(d.subarray(j * n, (j + 1) * n), row * n));
          }
        });
        push('tfjs-cpu', t, tv);
      }
      for (const p of python?.variants ?? []) {
        if (p.job !== def.id) continue;
        const got = new Float32Array(readFileSync(p.file).buffer.slice(0));
        const ms = [...p.ms].sort((x, y) => x - y);
        push(`${p.variant} (Python)`, { min: ms[0] as number, median: ms[Math.floor(ms.length / 2)] as number, reps: ms.length }, got);
      }
      const rate = (name: string): number | undefined => variants.find((v) => v.variant === name)?.mValuesPerSecond;
      const jax = rate('JAX jit f32 (Python)');
      const one = rate('CPU path, 1 thread') as number;
      const all = rate(`CPU path, ${threads} threads`) as number;
      const allSweep = rate(`CPU path, ${threads} threads, sweep()`) as number;
      const allPlain = rate(`CPU path, ${threads} threads, plain array`) as number;
      const cpuOf = (name: string): number => variants.find((v) => v.variant === name)?.cpuMinMs ?? NaN;
      const oneThreadOverNaiveCpu = cpuOf('naive JS') / cpuOf('CPU path, 1 thread');
      jobs.push({ id: def.id, label: def.label, values, variants, oneThreadOverNaive: one / (rate('naive JS') as number), oneThreadOverNaiveCpu, allCoresOverOneThread: all / one, allCoresPlainOverOneThread: allPlain / one, allCoresOverJax: jax === undefined ? undefined : all / jax, allCoresSweepOverJax: jax === undefined ? undefined : allSweep / jax });
    }
  } finally {
    ev.destroy();
    ev1.destroy();
    pool.close();
    if (python) rmSync(python.dir, { recursive: true, force: true });
  }
  const report = { cores: availableParallelism(), threads, loadAverageStart, loadAverageEnd: loadavg().map((x) => Math.round(x * 100) / 100), jobs, skipped, ...(python ? { python: python.versions } : {}) };
  for (const l of formatCpuJobs(report)) log(l);
  return report;
}

function fmtUlp(u: number): string {
  return u === Infinity ? '∞' : u < 10 ? u.toFixed(2) : u.toExponential(2);
}

/** The closing lines: each job's ratios and the load. */
function formatCpuJobs(r: CpuJobsReport): string[] {
  const lines = [`cpu-jobs: ${r.cores} cores, ${r.threads} threads (the calling thread and ${r.threads - 1} workers), load average ${r.loadAverageStart.join(' ')} at start, ${r.loadAverageEnd.join(' ')} at end`];
  for (const j of r.jobs) {
    lines.push(`  ${j.label}: CPU path 1 thread ÷ naive JS ${j.oneThreadOverNaive.toFixed(2)}× (goal ≥ 2; by CPU time ${j.oneThreadOverNaiveCpu.toFixed(2)}×); all cores ÷ 1 thread ${j.allCoresOverOneThread.toFixed(2)}× (plain array ${j.allCoresPlainOverOneThread.toFixed(2)}×)${j.allCoresOverJax === undefined ? '' : `; CPU path all cores ÷ JAX jit f32 ${j.allCoresOverJax.toFixed(2)}×${j.id === 'a' ? '' : ' (goal ≥ 1)'}, through sweep() ${(j.allCoresSweepOverJax ?? NaN).toFixed(2)}×`}`);
  }
  for (const s of r.skipped) lines.push(`  skipped: ${s}`);
  return lines;
}

interface PythonRun {
  readonly dir: string;
  readonly variants: readonly { job: string; variant: string; ms: number[]; file: string }[];
  readonly versions: unknown;
}

/** bench/cpu_peers.py on the jobs, or undefined (with a skipped line) when no Python with numpy runs it. */
function runPython(defs: ReturnType<typeof cpuJobDefs>, quick: boolean, skipped: string[], log: (line: string) => void): PythonRun | undefined {
  const py = process.env.BENCH_PYTHON ?? 'python3';
  const dir = mkdtempSync(join(tmpdir(), 'lr-cpu-peers-'));
  const spec = join(dir, 'spec.json');
  writeFileSync(spec, JSON.stringify({ reps: quick ? 3 : 7, jobs: defs.map((d) => ({ id: d.id, n: d.n, rows: d.rows })) }));
  log(`cpu-jobs  running the Python peers (${py} bench/cpu_peers.py) …`);
  const r = spawnSync(py, [join(HERE, 'cpu_peers.py'), spec, dir], { encoding: 'utf8', maxBuffer: 16 << 20, timeout: 600_000 });
  if (r.status !== 0) {
    const why = r.error ? String(r.error.message) : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`);
    skipped.push(`numpy / JAX peers: ${py} bench/cpu_peers.py did not run (${why}); set BENCH_PYTHON to a Python with numpy (and jax for the JAX row)`);
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  const out = JSON.parse(r.stdout) as { variants: PythonRun['variants']; skipped: string[]; versions: unknown };
  skipped.push(...out.skipped);
  return { dir, variants: out.variants, versions: out.versions };
}
