/**
 * GPU accuracy of the Layer 1 kernels (shaders/*.wgsl through a local dispatcher) on
 * the machine's WebGPU (SwiftShader here) against the f64 reference schedule.at(step),
 * judged only by the intervals of docs/accuracy.md#the-contract (src/verify). Failures are reported
 * CTS-style all at once; max ULP and max relative error per kind are printed at the end.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { gpuSupport, type StepWindow } from '../src/kernels/index.ts';
import { CosineDecay } from '../src/schedules/cosine-decay.ts';
import { CosineDecayRestarts } from '../src/schedules/cosine-decay-restarts.ts';
import { ExponentialDecay } from '../src/schedules/exponential-decay.ts';
import { InverseTimeDecay } from '../src/schedules/inverse-time-decay.ts';
import { PiecewiseConstantDecay } from '../src/schedules/piecewise-constant-decay.ts';
import { PolynomialDecay } from '../src/schedules/polynomial-decay.ts';
import { requireDevice } from './helpers/gpu.ts';
import { evalList } from './helpers/kernels-dispatch.ts';
import { expectGpuCases, failureReport, FULL_WINDOW, gpuExactMisses, type GpuCase } from './helpers/gpu-cases.ts';
import { gridFor, judge, rng, summaryLines, U32_MAX, uniqSteps, type ScheduleWithAt } from './helpers/kernels-accuracy.ts';


afterAll(() => {
  console.log(['GPU accuracy (Layer 1 kernels vs f64 reference), per kind:', ...summaryLines()].join('\n'));
});

describe('GPU kernels meet the bound of docs/accuracy.md for every kind', () => {
  test('CosineDecay (± warmup, fractional D, α ∈ {0, 1e-7, 0.1, 1.5})', async () => {
    const cases: GpuCase[] = [];
    const Ds = [1, 7, 1000, 1e5, 1e7, 2 ** 24 + 1, 1e9, 3e9, U32_MAX, 1234.5, 0.5, 5e9];
    let seed = 1;
    for (const D of Ds)
      for (const alpha of [0, 1e-7, 0.1])
        for (const lr0 of [1, 3e-4]) {
          const s = new CosineDecay({ initialLearningRate: lr0, decaySteps: D, alpha });
          cases.push({ s, steps: gridFor(D, [], { seed: seed++, dense: 1024, uniform: 2048, logN: 1024 }) });
        }
    const warm: ConstructorParameters<typeof CosineDecay>[0][] = [
      { initialLearningRate: 0, decaySteps: 10000, warmupTarget: 0.1, warmupSteps: 1000 },
      { initialLearningRate: 0.1, decaySteps: 1000, warmupTarget: 1, warmupSteps: 100, alpha: 0.01 },
      { initialLearningRate: 1, decaySteps: 2000, warmupTarget: 0.1, warmupSteps: 500, alpha: 0.1 },
      { initialLearningRate: 1e-3, decaySteps: 1e6, warmupTarget: 0.5, warmupSteps: 2 ** 24 + 1 },
      { initialLearningRate: 0.1, decaySteps: 1000, warmupTarget: 0.5 },
      { initialLearningRate: 0.1, decaySteps: 3e9, warmupTarget: 0.2, warmupSteps: 7 },
      { initialLearningRate: 0.1, decaySteps: 1000, alpha: 1.5 },
      { initialLearningRate: 0.1, decaySteps: 100.25, warmupTarget: 0.3, warmupSteps: 10, alpha: 0.2 },
    ];
    for (const c of warm) {
      const s = new CosineDecay(c);
      const W = c.warmupSteps ?? 0;
      cases.push({ s, steps: gridFor(c.decaySteps + W, [W, W + c.decaySteps], { seed: seed++ }) });
    }
    await expectGpuCases(cases);
  });

  test('CosineDecayRestarts (t_mul 1/1.5/2/1.01, m_mul 1/0.9/0.5/1.1, every restart boundary ±1)', async () => {
    const cases: GpuCase[] = [];
    let seed = 100;
    for (const D of [1, 10, 1000, 12345, 1e6, 100.5])
      for (const tMul of [1, 1.5, 2, 1.01])
        for (const mMul of [1, 0.9, 0.5])
          for (const alpha of [0, 0.01]) {
            const s = new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: D, tMul, mMul, alpha });
            // fractional D with t_mul = 1 is table-based: keep the window small enough for the table cap
            const maxStep = tMul === 1 && !Number.isInteger(D) ? 300_000 : U32_MAX;
            const edges: number[] = [];
            const k1 = s.periodIndex(maxStep);
            const ks = k1 <= 3000 ? Array.from({ length: k1 + 1 }, (_, k) => k) : [...Array.from({ length: 300 }, (_, k) => k), ...[2 ** 24, 2 ** 31, U32_MAX - 2 * D].map((x) => s.periodIndex(Math.floor(x)))];
            for (const k of ks) {
              const p = s.period(k);
              if (p.firstStep <= maxStep) edges.push(p.firstStep);
            }
            const grid = gridFor(D * 3, edges, { seed: seed++, dense: 1024, uniform: 1024, logN: 1024 });
            cases.push({ s, steps: grid.filter((x) => x <= maxStep) });
          }
    // growth of the peaks (m_mul > 1) through the table and through the integer path
    const g1 = new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 1000, tMul: 2, mMul: 1.1 });
    cases.push({ s: g1, steps: gridFor(3000, [1000, 3000, 7000, 15000], { seed: seed++ }) });
    const g2 = new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 1000, tMul: 1, mMul: 1.1 });
    cases.push({ s: g2, steps: gridFor(3000, [1000, 2000, 500_000], { seed: seed++ }).filter((x) => x <= 600_000) });
    // windows that start far from step 0: the table holds only the periods from periodIndex(minStep) on
    for (const [D, tMul] of [[1000, 1.01], [7, 1.5], [12.5, 1]] as const) {
      const s = new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: D, tMul, mMul: 0.9, alpha: 0.001 });
      const lo = 1e9;
      const hi = tMul === 1 ? lo + 50_000 : U32_MAX;
      const edges: number[] = [];
      for (let k = s.periodIndex(lo); k <= s.periodIndex(hi); k++) edges.push(s.period(k).firstStep);
      const r = rng(seed++);
      const pts = [...edges, ...Array.from({ length: 4096 }, () => lo + r() * (hi - lo))];
      cases.push({ s, steps: uniqSteps(pts.flatMap((x) => [x - 1, x, x + 1])).filter((x) => x >= lo && x <= hi) });
    }
    await expectGpuCases(cases);
  });

  test('ExponentialDecay (rates 0.5…0.99999, staircase, growth)', async () => {
    const cases: GpuCase[] = [];
    let seed = 300;
    for (const D of [1, 100, 1000, 1e5, 1e7, U32_MAX, 123.25])
      for (const decayRate of [0.5, 0.9, 0.96, 0.99, 0.999, 0.99999])
        for (const staircase of [false, true]) {
          if (staircase && !Number.isInteger(D)) continue;
          const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: D, decayRate, staircase });
          cases.push({ s, steps: gridFor(D, [], { seed: seed++, dense: 1024, uniform: 2048, logN: 2048 }) });
        }
    const up = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1e6, decayRate: 1.0001 });
    cases.push({ s: up, steps: gridFor(1e6, [], { seed: seed++ }) });
    const up2 = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 1.5, staircase: true });
    cases.push({ s: up2, steps: gridFor(1000, [], { seed: seed++ }).filter((x) => x <= 100_000) });
    await expectGpuCases(cases);
  });

  test('PolynomialDecay (powers 0/0.5/0.9/1/2/3, cycle, end 0 / 1e-4 / above initial)', async () => {
    const cases: GpuCase[] = [];
    let seed = 500;
    for (const D of [1, 1000, 1e5, 1e7, 3e9, 999.5])
      for (const power of [1, 0.5, 2, 0.9, 3])
        for (const cycle of [false, true])
          for (const endLearningRate of [1e-4, 0]) {
            if (cycle && !Number.isInteger(D)) continue;
            const s = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: D, endLearningRate, power, cycle });
            cases.push({ s, steps: gridFor(D, [], { seed: seed++, dense: 1024, uniform: 2048, logN: 1024 }) });
          }
    for (const c of [
      { initialLearningRate: 0.1, decaySteps: 1000, endLearningRate: 0.15, power: 2 },
      { initialLearningRate: 0.1, decaySteps: 1000, endLearningRate: 0.01, power: 0 },
      { initialLearningRate: 0.1, decaySteps: 1e5, endLearningRate: 0, power: 7.3 },
    ]) {
      const s = new PolynomialDecay(c);
      cases.push({ s, steps: gridFor(c.decaySteps, [], { seed: seed++ }) });
    }
    await expectGpuCases(cases);
  });

  test('InverseTimeDecay (rates 0/0.5/1/10, staircase, fractional D)', async () => {
    const cases: GpuCase[] = [];
    let seed = 700;
    for (const D of [1, 1000, 1e6, 77.7, U32_MAX])
      for (const decayRate of [0, 0.5, 1, 10])
        for (const staircase of [false, true]) {
          if (staircase && !Number.isInteger(D)) continue;
          const s = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: D, decayRate, staircase });
          cases.push({ s, steps: gridFor(D, [], { seed: seed++ }) });
        }
    await expectGpuCases(cases);
  });

  test('PiecewiseConstantDecay (inline ≤ 8 and table > 8 boundaries; bit-exact f32 values)', async () => {
    const configs: { boundaries: number[]; values: number[] }[] = [
      { boundaries: [100, 110], values: [1, 0.5, 0.1] },
      { boundaries: [0.5, 1000, 3e9], values: [0.1, 0.01, 0.001, 1e-4] },
      { boundaries: [-5, 10.7, 2 ** 24 + 1, 2 ** 31, U32_MAX - 1, U32_MAX, 5e9], values: [9, 8, 7, 6, 5, 4, 3, 2] },
      { boundaries: [1, 2, 3, 4, 5, 6, 7, 8], values: [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1] },
      { boundaries: Array.from({ length: 12 }, (_, i) => 1000 * (i + 1) + 0.5), values: Array.from({ length: 13 }, (_, i) => 1 / (i + 1)) },
      { boundaries: Array.from({ length: 40 }, (_, i) => 2 ** 26 * (i + 1)), values: Array.from({ length: 41 }, (_, i) => 0.3 ** i) },
    ];
    const r = rng(900);
    const cases = configs.map((c) => {
      const s = new PiecewiseConstantDecay(c);
      const pts = [0, 1, 2, U32_MAX, U32_MAX - 1, 2 ** 24, 2 ** 31];
      for (const b of c.boundaries) for (const d of [-1, 0, 1]) pts.push(Math.floor(b) + d);
      for (let i = 0; i < 4096; i++) pts.push(2 ** (r() * 32));
      return { s, steps: uniqSteps(pts) };
    });
    await expectGpuCases(cases);
  });

  test('mixed-kind sweep: M = 12 schedules of all kinds × N = 16 384 steps in one dispatch', async () => {
    const { device } = await requireDevice();
    const schedules: ScheduleWithAt[] = [
      new CosineDecay({ initialLearningRate: 0.1, decaySteps: 5000, alpha: 0.05 }),
      new CosineDecay({ initialLearningRate: 0, decaySteps: 8000, warmupTarget: 0.2, warmupSteps: 300 }),
      new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 700, tMul: 2, mMul: 0.9 }),
      new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 333, tMul: 1, mMul: 0.5, alpha: 0.01 }),
      new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 }),
      new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.5, staircase: true }),
      new PiecewiseConstantDecay({ boundaries: [1000, 5000], values: [0.1, 0.01, 0.001] }),
      new PiecewiseConstantDecay({ boundaries: Array.from({ length: 10 }, (_, i) => 1500 * i), values: Array.from({ length: 11 }, (_, i) => 0.1 / (i + 1)) }),
      new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 9000, power: 2 }),
      new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 900, power: 0.5, cycle: true, endLearningRate: 0 }),
      new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 }),
      new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5, staircase: true }),
    ];
    const steps = Uint32Array.from({ length: 16384 }, (_, i) => i);
    const got = await evalList(device, schedules, steps);
    const failures = judge(schedules, steps, got);
    expect(failureReport(failures)).toBe('');
  });

  test('exact ends: step 0, end of decay with α = 0 / end = 0, restart peaks with m_mul = 1 are returned exactly', async () => {
    const failures: string[] = [];
    const check = async (s: ScheduleWithAt, steps: number[]) => {
      failures.push(...(await gpuExactMisses(s, steps)));
    };
    for (const D of [1, 1000, 2 ** 24 + 1, U32_MAX]) {
      await check(new CosineDecay({ initialLearningRate: 1, decaySteps: D }), [0, D, D + 1, U32_MAX]);
      await check(new CosineDecay({ initialLearningRate: 0.5, decaySteps: D, alpha: 0.25 }), [0]);
      await check(new PolynomialDecay({ initialLearningRate: 1, decaySteps: D, endLearningRate: 0, power: 2 }), [0, D, U32_MAX]);
      await check(new PolynomialDecay({ initialLearningRate: 1, decaySteps: D, endLearningRate: 0, power: 3, cycle: true }), [0, D, 2 * D, 3 * D]);
      await check(new ExponentialDecay({ initialLearningRate: 1, decaySteps: D, decayRate: 0.9 }), [0]);
      await check(new InverseTimeDecay({ initialLearningRate: 1, decaySteps: D, decayRate: 0.7 }), [0]);
    }
    await check(new CosineDecay({ initialLearningRate: 0.25, decaySteps: 1000, warmupTarget: 1, warmupSteps: 3 }), [0, 3, 1003, 5000]);
    for (const tMul of [1, 1.5, 2, 1.01]) {
      const s = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 1000, tMul, mMul: 1, alpha: 0.1 });
      const starts: number[] = [];
      for (let k = 0; k <= Math.min(s.periodIndex(U32_MAX), 2000); k++) {
        const p = s.period(k);
        if (p.startOffset === 0) starts.push(p.firstStep);
      }
      await check(s, starts);
    }
    expect(failures.join('\n')).toBe('');
  });
});

describe('gpuSupport', () => {
  test('declares the unsupported configs with field, value and rule', () => {
    const cases: [ScheduleWithAt, string, StepWindow?][] = [
      [new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10.5, decayRate: 0.9, staircase: true }), 'decaySteps'],
      [new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10.5, decayRate: 0.9, staircase: true }), 'decaySteps'],
      [new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10.5, cycle: true }), 'decaySteps'],
      [new PolynomialDecay({ initialLearningRate: 0.01, decaySteps: 10, endLearningRate: 1 }), 'endLearningRate'],
      [new CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, alpha: -0.5 }), 'alpha'],
      [new CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupTarget: 1, warmupSteps: 2.5 }), 'warmupSteps'],
      [new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 1.5 }), 'decayRate'],
      [new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 1.0001 }), 'tMul'],
      [new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 100.5, tMul: 1 }), 'tMul'],
    ];
    for (const [s, field, w] of cases) {
      const why = gpuSupport(s, w ?? FULL_WINDOW);
      expect(why?.field, JSON.stringify(s.config)).toBe(field);
      expect(why?.rule.length).toBeGreaterThan(10);
    }
    expect(gpuSupport(new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 1.5 }), { minStep: 0, maxStep: 100_000 })).toBeNull();
    expect(gpuSupport(new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 1000, tMul: 1.01 }))).toBeNull();
  });
});
