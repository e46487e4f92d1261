/**
 * CosineDecayRestarts over the whole accepted parameter space (issue L): the reference
 * at()/fill(), the CPU backend and the GPU against an independent oracle,
 * test/fixtures/oracle/restarts.json, written by scripts/oracle/restarts.py (mpmath at
 * 4500 bits, exact Fractions for the period index; shares no code with src/).
 *
 * The configs are log-uniform over each field's double range (first_decay_steps 5e-324 …
 * 1e308, t_mul within 1e-15 of 1 … 1e300, m_mul 1e-300 … 1e300, alpha negative and large,
 * lr0 ±1e-300 … ±1e300) plus the cases the issue names; the steps are 0, 1, 2, 3, 2^32 ± 1,
 * 2^53 − 2 … 2^53, random steps, restart boundaries ± 1 and period middles.
 *
 * Every evaluation runs in a child process (test/helpers/restarts-edges-child.ts) under a
 * hard timeout, so a hang or a runaway BigInt fails this test instead of hanging the suite.
 *
 * Bounds: reference |got − exact| ≤ 1e-12·|exact| (+ 2^-1074 for subnormal results, whose
 * grid is absolute), ±Infinity exactly where |exact| rounds beyond the double range, exactly
 * lr0 at step 0 and at restart peaks (step = B_k) with m_mul^k = 1; fill() equal to at();
 * CPU and GPU: the f32 acceptance interval of src/verify (docs/accuracy.md).
 * test/schedules/restarts-overflow.test.ts holds the intermediate overflow near the double maximum.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { gpuSupport } from '../../src/kernels/index.ts';
import { CosineDecayRestarts } from '../../src/schedules/cosine-decay-restarts.ts';
import { acceptanceInterval, accepts, toleranceK } from '../../src/verify/index.ts';
import { report } from '../helpers/failures.ts';
import { requireDevice } from '../helpers/gpu.ts';
import { evalList } from '../helpers/kernels-dispatch.ts';

interface Config {
  lr0: number;
  D: number;
  t: number;
  m: number;
  alpha: number;
}
type Point = [step: number, exact: string, k: string, peak: 0 | 1];
interface OracleCase {
  config: Config;
  points: Point[];
}
interface ChildResult {
  refused?: string;
  at: string[];
  cpu: string[];
  fillMismatch: string[];
  gpu: string | null;
  gpuFull: string | null;
  k: string[];
}

// RESTARTS_ORACLE=file runs the same checks on another generated set (python3
// scripts/oracle/restarts.py 400 777 restarts-777.json), e.g. a larger one.
const FIXTURE = process.env.RESTARTS_ORACLE ?? fileURLToPath(new URL('../fixtures/oracle/restarts.json', import.meta.url));
const CHILD = fileURLToPath(new URL('../helpers/restarts-edges-child.ts', import.meta.url));
const doc = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { generator: string; precision_bits: number; cases: OracleCase[] };
const cases = doc.cases;
const U32_MAX = 0xffffffff;
const REL = 1e-12;
/** Configs per child process and its hard timeout (generous: a chunk takes a few seconds). */
const CHUNK = 30;
const CHILD_TIMEOUT_MS = 180_000;

const results: (ChildResult | string)[] = [];

function runChunk(chunk: readonly OracleCase[]): (ChildResult | string)[] {
  const input = JSON.stringify({ cases: chunk.map((c) => ({ config: c.config, steps: c.points.map((p) => p[0]) })) });
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD], { input, encoding: 'utf8', timeout: CHILD_TIMEOUT_MS, maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    const why = r.error !== undefined ? String(r.error) : `exit ${r.status} ${r.signal ?? ''}: ${r.stderr.slice(-2000)}`;
    return chunk.map((c) => `child failed on the chunk holding ${JSON.stringify(c.config)}: ${why}`);
  }
  return JSON.parse(r.stdout) as ChildResult[];
}

beforeAll(() => {
  for (let i = 0; i < cases.length; i += CHUNK) results.push(...runChunk(cases.slice(i, i + CHUNK)));
}, 20 * CHILD_TIMEOUT_MS);

const F64_MAX = Number.MAX_VALUE;

/** The reference bound: 1e-12 relative (2^-1074 absolute for subnormals), ±∞ where the exact value overflows. */
function refOk(exactStr: string, got: number): boolean {
  const exact = Number(exactStr); // the nearest double (or ±Infinity beyond the range)
  if (Object.is(got, exact) || (got === 0 && exact === 0)) return true;
  if (Number.isNaN(got)) return false;
  if (!Number.isFinite(exact)) return got === exact;
  if (!Number.isFinite(got)) return Math.sign(got) === Math.sign(exact) && Math.abs(exact) >= F64_MAX * (1 - REL);
  return Math.abs(got - exact) <= (REL + 2 ** -53) * Math.abs(exact) + 2 ** -1074;
}

function relErr(exactStr: string, got: number): number {
  const exact = Number(exactStr);
  if (Object.is(got, exact) || got === exact) return 0;
  if (!Number.isFinite(exact) || !Number.isFinite(got)) return refOk(exactStr, got) ? 0 : Infinity;
  if (Math.abs(got - exact) <= 2 ** -1074) return 0;
  return Math.abs(got - exact) / Math.abs(exact);
}

const label = (c: Config): string => `CosineDecayRestarts(lr0 ${c.lr0}, D ${c.D}, t ${c.t}, m ${c.m}, α ${c.alpha})`;
const schedule = (c: Config): CosineDecayRestarts =>
  new CosineDecayRestarts({ initialLearningRate: c.lr0, firstDecaySteps: c.D, tMul: c.t, mMul: c.m, alpha: c.alpha });

describe('CosineDecayRestarts over the whole parameter space, against the mpmath oracle', () => {
  test('the fixture is the generator’s, at ≥ 200 bits, with the edge distributions', () => {
    expect(doc.generator).toBe('scripts/oracle/restarts.py');
    expect(doc.precision_bits).toBeGreaterThanOrEqual(200);
    const points = cases.reduce((n, c) => n + c.points.length, 0);
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(points).toBeGreaterThanOrEqual(3000);
    // the distributions reach the edges
    expect(cases.some((c) => c.config.D < 1e-320)).toBe(true);
    expect(cases.some((c) => c.config.D > 1e300)).toBe(true);
    expect(cases.some((c) => c.config.t > 1 && c.config.t - 1 < 1e-14)).toBe(true);
    expect(cases.some((c) => c.config.t > 1e200)).toBe(true);
    expect(cases.some((c) => c.config.m > 1e200)).toBe(true);
    expect(cases.some((c) => c.config.m > 0 && c.config.m < 1e-200)).toBe(true);
    expect(cases.some((c) => c.config.alpha < -1)).toBe(true);
    expect(cases.some((c) => c.config.alpha > 1e5)).toBe(true);
    expect(cases.some((c) => c.points.some((p) => p[0] === 2 ** 53))).toBe(true);
    expect(cases.some((c) => c.points.some((p) => BigInt(p[2]) > 2n ** 53n))).toBe(true);
  });

  test('every config is accepted and every call returns (child processes under a hard timeout)', () => {
    const failures = results.flatMap((r, i) =>
      typeof r === 'string' ? [r] : r.refused !== undefined ? [`${label(cases[i]!.config)} refused: ${r.refused}`] : [],
    );
    expect(report(failures)).toBe('');
  });

  test('reference at(): within 1e-12 of the oracle, exact at step 0 and at peaks with m_mul^k = 1; the exact period index', () => {
    const failures: string[] = [];
    let worst = 0;
    let worstAt = '';
    let checked = 0;
    results.forEach((r, i) => {
      if (typeof r === 'string' || r.refused !== undefined) return;
      const { config: c, points } = cases[i]!;
      points.forEach(([step, exact, k, peak], j) => {
        const got = Number(r.at[j]);
        checked++;
        const e = relErr(exact, got);
        if (e > worst) {
          worst = e;
          worstAt = `${label(c)} step ${step}: got ${got}, exact ${exact}`;
        }
        if (!refOk(exact, got)) failures.push(`${label(c)} step ${step} → got ${got}, exact ${exact} (rel ${e})`);
        if (peak === 1 && (step === 0 || c.m === 1 || k === '0') && !Object.is(got, c.lr0) && !(got === 0 && c.lr0 === 0)) {
          failures.push(`${label(c)} step ${step}: a restart peak with m_mul^k = 1 must be exactly lr0 = ${c.lr0}, got ${got}`);
        }
        // periodIndex: the nearest double of the exact k (Number.MAX_VALUE beyond the double range)
        const kb = Math.min(Number(BigInt(k)), Number.MAX_VALUE);
        if (Number(r.k[j]) !== kb) failures.push(`${label(c)} step ${step}: periodIndex ${r.k[j]}, exact ${k}`);
      });
    });
    console.log(`restarts edges: ${checked} (config, step) pairs over ${cases.length} configs; reference max relative error ${worst.toExponential(3)} at ${worstAt}`);
    expect(checked).toBeGreaterThan(3000);
    expect(report(failures)).toBe('');
  });

  test('fill() (lists and ranges around every step) equals at() exactly', () => {
    const failures = results.flatMap((r, i) => (typeof r === 'string' || r.refused !== undefined ? [] : r.fillMismatch.map((m) => `${label(cases[i]!.config)}: ${m}`)));
    expect(report(failures)).toBe('');
  });

  test('CPU backend (float32): within the f32 acceptance interval of the oracle value', () => {
    const failures: string[] = [];
    results.forEach((r, i) => {
      if (typeof r === 'string' || r.refused !== undefined) return;
      const { config: c, points } = cases[i]!;
      const kTol = toleranceK({ kind: 'CosineDecayRestarts', config: { tMul: c.t, mMul: c.m } });
      points.forEach(([step, exact], j) => {
        const got = Number(r.cpu[j]);
        const ex = Number(exact);
        if (!accepts(kTol, ex, got)) {
          const [lo, hi] = acceptanceInterval(kTol, ex);
          failures.push(`${label(c)} step ${step} → got ${got}, expected [${lo}, ${hi}]`);
        }
      });
    });
    expect(report(failures)).toBe('');
  });

  test('GPU (float32): configs it accepts are within the f32 bound; the others decline with a named field', async () => {
    const { device } = await requireDevice();
    const failures: string[] = [];
    let run = 0;
    let declined = 0;
    let points = 0;
    for (let i = 0; i < cases.length; i++) {
      const r = results[i];
      if (r === undefined || typeof r === 'string' || r.refused !== undefined) continue;
      const { config: c, points: pts } = cases[i]!;
      const u32 = pts.filter((p) => p[0] <= U32_MAX);
      if (u32.length === 0) continue;
      if (r.gpu !== null) {
        declined++;
        if (!/^[A-Za-z]+: ./.test(r.gpu)) failures.push(`${label(c)}: decline without a field: ${r.gpu}`);
        continue;
      }
      const s = schedule(c);
      const steps = Uint32Array.from(u32, (p) => p[0]);
      // the child showed gpuSupport returns for this window; the packer runs it again in-process
      expect(gpuSupport(s, { minStep: steps[0] ?? 0, maxStep: steps[steps.length - 1] ?? 0 })).toBeNull();
      const got = await evalList(device, [s], steps);
      run++;
      const kTol = toleranceK(s);
      u32.forEach(([step, exact], j) => {
        points++;
        const ex = Number(exact);
        const g = got[j] ?? NaN;
        if (!accepts(kTol, ex, g)) {
          const [lo, hi] = acceptanceInterval(kTol, ex);
          failures.push(`${label(c)} step ${step} → GPU ${g}, expected [${lo}, ${hi}]`);
        }
      });
    }
    console.log(`restarts edges GPU: ${run} configs run (${points} points), ${declined} declined (CPU computes them)`);
    expect(run).toBeGreaterThan(10);
    expect(report(failures)).toBe('');
  }, 600_000);
});

describe('the cases issue L names', () => {
  const find = (p: Partial<Config>): { c: OracleCase; r: ChildResult } => {
    const i = cases.findIndex((x) => Object.entries(p).every(([key, v]) => x.config[key as keyof Config] === v));
    const r = results[i];
    if (i < 0 || r === undefined || typeof r === 'string') throw new Error(`fixture lacks ${JSON.stringify(p)} or its child failed: ${String(r)}`);
    return { c: cases[i]!, r };
  };

  test('t_mul 1.0000000000000002, first_decay_steps 1e-17: step 1 and 2^53 return the exact value (k ~ 1.4e16 … 1.8e17)', () => {
    const { c, r } = find({ D: 1e-17, t: 1.0000000000000002 });
    for (const step of [1, 2 ** 53]) {
      const j = c.points.findIndex((p) => p[0] === step);
      expect(j).toBeGreaterThanOrEqual(0);
      const [, exact, k] = c.points[j]!;
      expect(BigInt(k)).toBeGreaterThan(2n ** 53n);
      expect(refOk(exact, Number(r.at[j]))).toBe(true);
    }
    // the GPU-support check (which ran synchronously and never returned) declines promptly
    expect(r.gpuFull).toMatch(/^tMul: /);
  });

  test('t_mul 1.0000001 at step 2^53 − 1: the exact value, no runaway BigInt', () => {
    const { c, r } = find({ D: 1, t: 1.0000001 });
    const j = c.points.findIndex((p) => p[0] === 2 ** 53 - 1);
    expect(refOk(c.points[j]![1], Number(r.at[j]))).toBe(true);
  });

  test('subnormal first_decay_steps, t_mul 1e300, m_mul overflow: exact values, ±Infinity only where the value overflows', () => {
    for (const p of [{ D: 5e-324, t: 2 }, { D: 5e-324, t: 1, m: 0.5 }, { D: 1000, t: 1e300 }, { lr0: 1e-300, D: 1, t: 1, m: 2 }, { D: 1, t: 2, m: 1e300 }]) {
      const { c, r } = find(p);
      c.points.forEach(([step, exact], j) => {
        const got = Number(r.at[j]);
        expect(Number.isNaN(got), `${label(c.config)} step ${step}`).toBe(false);
        expect(refOk(exact, got), `${label(c.config)} step ${step}: got ${got}, exact ${exact}`).toBe(true);
      });
    }
    // m_mul 1e300 with t_mul 2: +Infinity from step 3 (1e600 · g), the exact finite 1e300 peak at step 1
    const { c, r } = find({ D: 1, t: 2, m: 1e300 });
    expect(Number(r.at[c.points.findIndex((p) => p[0] === 1)])).toBe(1e300);
    expect(Number(r.at[c.points.findIndex((p) => p[0] === 3)])).toBe(Infinity);
  });

  test('alpha outside [0, 1]: exact zeros are 0 (α = −1 at the middle of a period, α = −3 at its first third), in at() and fill()', () => {
    for (const t of [1, 2]) {
      const s = schedule({ lr0: 1, D: 1200, t, m: 1, alpha: -1 });
      expect(s.at(600)).toBe(0);
      expect(s.at(599)).toBeGreaterThan(0);
      expect(s.at(601)).toBeLessThan(0);
      const s3 = schedule({ lr0: 1, D: 1200, t, m: 1, alpha: -3 });
      expect(s3.at(400)).toBe(0);
      // period 1 (t = 2: [1200, 3600), length 2400): its middle and first third
      expect(s.at(t === 1 ? 1800 : 2400)).toBe(0);
      expect(s3.at(t === 1 ? 1600 : 2000)).toBe(0);
      const f = schedule({ lr0: 1, D: 1200, t, m: 1, alpha: -1 }).fill({ start: 598, count: 5 });
      expect(Array.from(f)).toEqual([598, 599, 600, 601, 602].map((x) => s.at(x)));
    }
  });
});
