/**
 * The edge fuzz (issue L.8): random configs from test/fuzz/edge-arbitraries.ts (whole
 * double range), judged against the independent BigInt oracle (test/oracle/) on every
 * backend:
 * - the f64 reference (`at`, `fill`): 1e-12 relative (+ one subnormal ulp), ±Infinity / 0
 *   exactly where the exact value overflows / underflows, fill = at; steps up to 2^53;
 * - the CPU backend and the WebGPU backend: the float32 interval of src/verify/tolerance.ts
 *   (accuracy bound per kind); a config gpuSupport declines goes to 'auto', which must
 *   fall back to the CPU and say why;
 * - validation: a config is either computed or refused with a named-field ScheduleConfigError;
 * - no NaN anywhere, and every synchronous call returns: the reference side runs in a
 *   worker thread under a watchdog (a config with no answer within `configLimitMs` is a
 *   failure naming the config; the worker is replaced and the run goes on).
 * Failures are collected (not thrown at the first), grouped by kind, with replayable configs.
 */
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { accepts, acceptanceInterval, toleranceK, ulpDistance, type Evaluator, type Schedule } from '../../src/index.ts';
import { build, type AnyConfig } from './arbitraries.ts';
import { edgeConfig } from './edge-arbitraries.ts';
import type { EdgeJob, EdgeResult } from './edge-worker.ts';

export interface EdgeProfile {
  readonly batches: number;
  readonly configsPerBatch: number;
  readonly randomSteps: number;
  readonly dense: number;
  /** Watchdog: the most one config may take on the reference side (construction, steps, oracle, at/fill, gpuSupport). */
  readonly configLimitMs: number;
}

export interface EdgeStats {
  pairs: number;
  failures: number;
  nan: number;
  /** reference: max relative error; cpu/webgpu: max ULP and max relative error in 2^-23 (exact values that are normal float32). */
  maxRel: number;
  maxUlp: number;
}

export interface EdgeReport {
  configs: number;
  refused: Record<string, number>;
  declinedByGpu: Record<string, number>;
  oracleDeclined: number;
  /** stats[backend][kind], backend ∈ reference, cpu, webgpu, fallback */
  stats: Record<string, Record<string, EdgeStats>>;
  failures: { kind: string; text: string }[];
  hangs: number;
  /** Seconds spent on the reference side (worker) and on the backends (main thread). */
  workerSeconds: number;
  backendSeconds: number;
  /** Reference-side milliseconds per kind, and the slowest config. */
  msByKind: Record<string, number>;
  slowest: { ms: number; config: string };
}

function stat(r: EdgeReport, backend: string, kind: string): EdgeStats {
  const b = (r.stats[backend] ??= {});
  return (b[kind] ??= { pairs: 0, failures: 0, nan: 0, maxRel: 0, maxUlp: 0 });
}

const BOOT = new URL('./edge-worker-boot.mjs', import.meta.url);
const FILE = new URL('./edge-worker.ts', import.meta.url).href;

/** Runs one job in `worker`, with a per-config watchdog: the results so far, and the index that hung (if one did). */
function runJob(worker: Worker, job: EdgeJob, limitMs: number): Promise<{ results: EdgeResult[]; hung?: number; error?: string }> {
  return new Promise((resolve) => {
    const results: EdgeResult[] = [];
    let current = -1;
    let timer: NodeJS.Timeout | undefined;
    const finish = (extra: { hung?: number; error?: string }): void => {
      if (timer) clearTimeout(timer);
      worker.off('message', onMsg);
      worker.off('error', onErr);
      resolve({ results, ...extra });
    };
    const arm = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => finish({ hung: Math.max(0, current) }), limitMs);
    };
    const onMsg = (m: { type: 'begin'; index: number } | { type: 'result'; index: number; result: EdgeResult } | { type: 'done' }): void => {
      if (m.type === 'begin') {
        current = m.index;
        arm();
      } else if (m.type === 'result') results.push(m.result);
      else finish({});
    };
    const onErr = (e: Error): void => finish({ hung: Math.max(0, current), error: String(e.stack ?? e) });
    worker.on('message', onMsg);
    worker.on('error', onErr);
    arm();
    worker.postMessage(job);
  });
}

function spawn(): Worker {
  return new Worker(BOOT, { workerData: { file: FILE } });
}

/** The batches (configs and step seeds) of a run: deterministic for a seed. */
function batches(profile: EdgeProfile, seed: number | undefined): { configs: AnyConfig[]; seeds: number[] }[] {
  const arb = fc.record({
    configs: fc.array(edgeConfig, { minLength: profile.configsPerBatch, maxLength: profile.configsPerBatch }),
    seeds: fc.array(fc.nat(), { minLength: profile.configsPerBatch, maxLength: profile.configsPerBatch }),
  });
  return fc.sample(arb, { numRuns: profile.batches, ...(seed === undefined ? {} : { seed }) });
}

async function checkBackend(
  report: EdgeReport,
  backend: 'cpu' | 'webgpu' | 'fallback',
  ev: Evaluator,
  rows: readonly { s: Schedule; cfg: AnyConfig; res: EdgeResult }[],
  steps: Uint32Array,
  index: Map<number, number>,
): Promise<void> {
  if (rows.length === 0) return;
  const schedules = rows.map((r) => r.s);
  let out;
  try {
    out = await ev.sweep(schedules, steps, { verify: 'none' });
  } catch (err) {
    for (const r of rows) report.failures.push({ kind: r.cfg.kind, text: `${backend} sweep threw ${String(err)}\nconfig: ${JSON.stringify(r.cfg)}` });
    return;
  }
  const want = backend === 'webgpu' ? 'webgpu' : 'cpu';
  if (out.backend !== want) report.failures.push({ kind: 'all', text: `${backend} sweep ran on ${out.backend} (${out.fallbackReason ?? ''}); configs ${rows.map((r) => JSON.stringify(r.cfg)).join('\n')}` });
  if (backend === 'fallback' && out.fallbackReason === undefined) report.failures.push({ kind: 'all', text: `'auto' fell back without a fallbackReason` });
  rows.forEach((r, row) => {
    const st = stat(report, backend, r.cfg.kind);
    const k = toleranceK(r.s);
    const bad: string[] = [];
    r.res.steps.forEach((step, j) => {
      const exact = r.res.exact[j]!;
      if (Number.isNaN(exact)) return; // oracle declined
      const got = out.values[row * out.cols + index.get(step)!]!;
      st.pairs++;
      if (Number.isNaN(got)) st.nan++;
      if (!accepts(k, exact, got)) {
        const [lo, hi] = acceptanceInterval(k, exact);
        bad.push(`step ${step} → got ${got}, expected [${lo}, ${hi}] (exact ${exact})`);
      } else if (Math.abs(exact) >= 2 ** -126 && Math.abs(exact) <= 3.4028234663852886e38) {
        st.maxUlp = Math.max(st.maxUlp, ulpDistance(got, exact));
        st.maxRel = Math.max(st.maxRel, Math.abs(got - exact) / Math.abs(exact) / 2 ** -23);
      }
    });
    if (bad.length > 0) {
      st.failures += bad.length;
      report.failures.push({ kind: r.cfg.kind, text: `${backend}: ${r.cfg.kind} ${JSON.stringify(r.cfg.config)}${r.res.gpuRule ? ` (gpuSupport: ${r.res.gpuRule})` : ''}\n  ${bad.slice(0, 5).join('\n  ')}${bad.length > 5 ? `\n  … ${bad.length} in all` : ''}` });
    }
  });
}

/** Runs the edge property; never throws for a wrong value (the caller asserts on the report). */
export async function edgeProperty(profile: EdgeProfile, evs: { gpu: Evaluator; auto: Evaluator; cpu: Evaluator }, seed?: number): Promise<EdgeReport> {
  const report: EdgeReport = { configs: 0, refused: {}, declinedByGpu: {}, oracleDeclined: 0, stats: {}, failures: [], hangs: 0, workerSeconds: 0, backendSeconds: 0, msByKind: {}, slowest: { ms: 0, config: '' } };
  let worker = spawn();
  try {
    for (const b of batches(profile, seed)) {
      // the reference side, under the watchdog; a hang is recorded and the rest of the batch re-run
      const results: (EdgeResult | null)[] = [];
      const tw = performance.now();
      let from = 0;
      while (from < b.configs.length) {
        const job: EdgeJob = { configs: b.configs.slice(from), seeds: b.seeds.slice(from), randomSteps: profile.randomSteps, dense: profile.dense };
        const r = await runJob(worker, job, profile.configLimitMs);
        results.push(...r.results);
        if (r.hung === undefined) break;
        const i = from + r.hung;
        const cfg = b.configs[i]!;
        report.hangs++;
        report.failures.push({ kind: cfg.kind, text: `${r.error ? `worker error ${r.error}` : `no answer within ${profile.configLimitMs} ms (hang or runaway work)`}: ${cfg.kind} ${JSON.stringify(cfg.config)}` });
        await worker.terminate();
        worker = spawn();
        results.push(null);
        from = i + 1;
      }
      report.workerSeconds += (performance.now() - tw) / 1000;
      const rows: { s: Schedule; cfg: AnyConfig; res: EdgeResult }[] = [];
      results.forEach((res, i) => {
        const cfg = b.configs[i]!;
        report.configs++;
        if (res === null) return;
        const st = stat(report, 'reference', cfg.kind);
        report.msByKind[cfg.kind] = (report.msByKind[cfg.kind] ?? 0) + (res.ms ?? 0);
        if ((res.ms ?? 0) > report.slowest.ms) report.slowest = { ms: res.ms ?? 0, config: `${cfg.kind} ${JSON.stringify(cfg.config)}` };
        st.pairs += res.pairs;
        st.nan += res.nan;
        st.maxRel = Math.max(st.maxRel, res.maxRel);
        report.oracleDeclined += res.declined;
        if (res.failures.length > 0) {
          st.failures += res.failures.length;
          report.failures.push({ kind: cfg.kind, text: `reference: ${cfg.kind} ${JSON.stringify(cfg.config)}\n  ${res.failures.join('\n  ')}` });
        }
        if (res.refused !== undefined) {
          report.refused[res.refused] = (report.refused[res.refused] ?? 0) + 1;
          return;
        }
        if (res.steps.length > 0 && res.failures.every((f) => !f.startsWith('construction'))) rows.push({ s: build(cfg), cfg, res });
      });
      if (rows.length === 0) continue;
      const union = [...new Set(rows.flatMap((r) => r.res.steps))];
      const steps = Uint32Array.from(union);
      const index = new Map(union.map((x, i) => [x, i]));
      const sup = rows.filter((r) => r.res.gpuRule === null);
      const unsup = rows.filter((r) => r.res.gpuRule !== null);
      for (const r of unsup) report.declinedByGpu[r.cfg.kind] = (report.declinedByGpu[r.cfg.kind] ?? 0) + 1;
      const tb = performance.now();
      await checkBackend(report, 'cpu', evs.cpu, rows, steps, index);
      await checkBackend(report, 'webgpu', evs.gpu, sup, steps, index);
      await checkBackend(report, 'fallback', evs.auto, unsup, steps, index);
      report.backendSeconds += (performance.now() - tb) / 1000;
    }
  } finally {
    await worker.terminate();
  }
  return report;
}

/** Human-readable summary lines of a report. */
export function summarize(r: EdgeReport): string[] {
  const lines = [`configs ${r.configs}, refused by validation ${JSON.stringify(r.refused)}, GPU-declined ${JSON.stringify(r.declinedByGpu)}, oracle-declined steps ${r.oracleDeclined}, hangs ${r.hangs}, reference side ${r.workerSeconds.toFixed(1)} s, backends ${r.backendSeconds.toFixed(1)} s`];
  lines.push(`reference-side ms by kind ${JSON.stringify(Object.fromEntries(Object.entries(r.msByKind).map(([k, v]) => [k, Math.round(v)])))}; slowest config ${r.slowest.ms.toFixed(0)} ms: ${r.slowest.config}`);
  lines.push('backend | kind | pairs | failures | NaN | max rel (reference: absolute ratio; f32: ×2^-23) | max ULP (f32)');
  for (const [b, kinds] of Object.entries(r.stats)) {
    for (const [k, s] of Object.entries(kinds).sort()) lines.push(`${b} | ${k} | ${s.pairs} | ${s.failures} | ${s.nan} | ${s.maxRel.toExponential(3)} | ${s.maxUlp.toFixed(2)}`);
  }
  return lines;
}

/** Total (config, step) pairs judged, over every backend. */
export function totalPairs(r: EdgeReport): number {
  let n = 0;
  for (const kinds of Object.values(r.stats)) for (const s of Object.values(kinds)) n += s.pairs;
  return n;
}

/** Several rounds' reports as one (sums, maxima, all failures). */
export function mergeReports(rs: readonly EdgeReport[]): EdgeReport {
  const out: EdgeReport = { configs: 0, refused: {}, declinedByGpu: {}, oracleDeclined: 0, stats: {}, failures: [], hangs: 0, workerSeconds: 0, backendSeconds: 0, msByKind: {}, slowest: { ms: 0, config: '' } };
  const addAll = (a: Record<string, number>, b: Record<string, number>): void => {
    for (const [k, v] of Object.entries(b)) a[k] = (a[k] ?? 0) + v;
  };
  for (const r of rs) {
    out.configs += r.configs;
    addAll(out.refused, r.refused);
    addAll(out.declinedByGpu, r.declinedByGpu);
    addAll(out.msByKind, r.msByKind);
    out.oracleDeclined += r.oracleDeclined;
    out.failures.push(...r.failures);
    out.hangs += r.hangs;
    out.workerSeconds += r.workerSeconds;
    out.backendSeconds += r.backendSeconds;
    if (r.slowest.ms > out.slowest.ms) out.slowest = r.slowest;
    for (const [b, kinds] of Object.entries(r.stats)) {
      for (const [k, s] of Object.entries(kinds)) {
        const t = stat(out, b, k);
        t.pairs += s.pairs;
        t.failures += s.failures;
        t.nan += s.nan;
        t.maxRel = Math.max(t.maxRel, s.maxRel);
        t.maxUlp = Math.max(t.maxUlp, s.maxUlp);
      }
    }
  }
  return out;
}
