/**
 * GPU accuracy of the issue H primitives' kernels (shaders/kinds/{sqrt-anneal,inverse-sqrt,cyclic}.wgsl
 * through a local dispatcher) on the machine's WebGPU (SwiftShader here) against the f64 reference
 * schedule.at(step), judged only by the intervals of docs/accuracy.md#the-contract (src/verify, k from
 * each kind's derived bound). Failures are reported CTS-style all at once; max ULP and max relative
 * error per kind are printed at the end.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { gpuSupport } from '../src/kernels/index.ts';
import { Cyclic, InverseSqrt, SqrtAnneal, type CyclicConfig } from '../src/schedules/index.ts';
import { expectGpuCases, FULL_WINDOW, gpuExactMisses, type GpuCase } from './helpers/gpu-cases.ts';
import { gridFor, summaryLines, U32_MAX, type ScheduleWithAt } from './helpers/kernels-accuracy.ts';

afterAll(() => {
  console.log(['GPU accuracy (issue H primitives vs f64 reference), per kind:', ...summaryLines()].join('\n'));
});

describe('GPU kernels of the primitives meet the bound of docs/accuracy.md', () => {
  test('SqrtAnneal (decay and warmup, integer / fractional / huge steps, both signs)', async () => {
    const cases: GpuCase[] = [];
    let seed = 1100;
    for (const D of [1, 7, 1000, 1e5, 1e7, 2 ** 24 + 1, 3e9, U32_MAX, 1234.5, 0.5, 5e9, 1e20])
      for (const reverse of [false, true])
        for (const [from, to] of [[1e-3, 0], [1e-3, 1e-5], [0, 1e-3], [0.1, 0.2], [-0.5, -1e-6]] as const) {
          const s = new SqrtAnneal({ from, to, steps: D, reverse });
          cases.push({ s, steps: gridFor(D, [D / 2, D / 4, D * 0.99], { seed: seed++, dense: 1024, uniform: 1024, logN: 1024 }) });
        }
    await expectGpuCases(cases);
  });

  test('InverseSqrt (timescales 1e-30 … 1e30, values of both signs)', async () => {
    const cases: GpuCase[] = [];
    let seed = 1300;
    for (const timescale of [1, 10, 1000, 1e4, 1e6, 0.5, 1e-30, 3e9, 1e30])
      for (const value of [1e-3, -2, 5e-5]) {
        const s = new InverseSqrt({ value, timescale });
        cases.push({ s, steps: gridFor(Math.min(timescale, 1e9), [3 * timescale], { seed: seed++, dense: 1024, uniform: 1024, logN: 2048 }) });
      }
    await expectGpuCases(cases);
  });

  test('Cyclic (triangular / triangular2 / exp_range, rising and falling, every cycle boundary and peak ±1)', async () => {
    const cases: GpuCase[] = [];
    let seed = 1500;
    const sizes: [number, number][] = [[1, 1], [7, 13], [2000, 2000], [1000, 3000], [1e6, 3e6], [2 ** 31 - 1, 2 ** 31], [5, 1e9]];
    const lrs: [number, number][] = [[1e-4, 0.1], [0.5, 0.01], [0, 1], [-0.1, -1e-3]];
    for (const [up, down] of sizes)
      for (const [baseLr, maxLr] of lrs)
        for (const [mode, gamma] of [['triangular', 1], ['triangular2', 1], ['exp_range', 0.99994], ['exp_range', 0.97], ['exp_range', 1 - 1e-9]] as const) {
          const s = new Cyclic({ baseLr, maxLr, stepSizeUp: up, stepSizeDown: down, mode, gamma });
          const T = up + down;
          const edges: number[] = [];
          for (let k = 0; k < 6 && k * T <= U32_MAX; k++) edges.push(k * T, k * T + up);
          for (const x of [2 ** 24, 2 ** 31, U32_MAX]) edges.push(Math.floor(x / T) * T, Math.floor(x / T) * T + up);
          cases.push({ s, steps: gridFor(T, edges, { seed: seed++, dense: 1024, uniform: 1024, logN: 1024 }) });
        }
    // exp_range growth (gamma > 1, rising only) inside a window where it stays in float32
    for (const c of [
      { baseLr: 3e-4, maxLr: 3e-3, stepSizeUp: 1000, stepSizeDown: 3000, mode: 'exp_range', gamma: 1.0001 },
      { baseLr: 0, maxLr: 1e-3, stepSizeUp: 10, mode: 'exp_range', gamma: 1.001 },
    ] satisfies CyclicConfig[]) {
      const s = new Cyclic(c);
      cases.push({ s, steps: gridFor(4000, [1000, 4000, 5000, 40_000], { seed: seed++ }).filter((x) => x <= 60_000) });
    }
    await expectGpuCases(cases);
  });

  test('exact ends: step 0, the end of an anneal, cycle starts and the peaks of scale 1 are returned exactly', async () => {
    const failures: string[] = [];
    const check = async (s: ScheduleWithAt, steps: number[]) => {
      failures.push(...(await gpuExactMisses(s, steps)));
    };
    for (const D of [1, 1000, 2 ** 24 + 1, U32_MAX, 100.5]) {
      for (const reverse of [false, true]) await check(new SqrtAnneal({ from: 0.5, to: 0.25, steps: D, reverse }), [0, Math.ceil(D), Math.ceil(D) + 1, U32_MAX]);
      await check(new InverseSqrt({ value: 0.75, timescale: D }), [0]);
    }
    for (const mode of ['triangular', 'triangular2', 'exp_range'] as const) {
      const s = new Cyclic({ baseLr: 0.125, maxLr: 0.5, stepSizeUp: 300, stepSizeDown: 700, mode, gamma: 0.999 });
      await check(s, [0, 300, 1000, 1300, 5000, 5300, 4294967000]);
      const f = new Cyclic({ baseLr: 0.5, maxLr: 0.125, stepSizeUp: 3, stepSizeDown: 2, mode, gamma: 0.9 });
      await check(f, [0, 3, 5, 8, 4294967295]);
    }
    expect(failures.join('\n')).toBe('');
  });
});

describe('gpuSupport of the primitives', () => {
  test('declares the configs the kernels cannot bound, with field, value and rule', () => {
        const cases: [ScheduleWithAt, string][] = [
      [new SqrtAnneal({ from: 0.1, to: 0, steps: 2 ** 101 }), 'steps'],
      [new SqrtAnneal({ from: 2 ** 127, to: 0, steps: 10 }), 'from'],
      [new InverseSqrt({ value: 0.1, timescale: 2 ** 127 }), 'timescale'],
      [new InverseSqrt({ value: 2 ** 100, timescale: 2 ** 60 }), 'timescale'],
      [new Cyclic({ baseLr: 0.1, maxLr: 1, stepSizeUp: 2.5 }), 'stepSizeUp'],
      [new Cyclic({ baseLr: 0.1, maxLr: 1, stepSizeUp: 2, stepSizeDown: 0.5 }), 'stepSizeDown'],
      [new Cyclic({ baseLr: 0.1, maxLr: 1, stepSizeUp: 2 ** 31, stepSizeDown: 2 ** 31 }), 'stepSizeDown'],
      [new Cyclic({ baseLr: 0.1, maxLr: 1, stepSizeUp: 2, mode: 'exp_range', gamma: 1.001 }), 'gamma'],
    ];
    for (const [s, field] of cases) {
      const why = gpuSupport(s, FULL_WINDOW);
      expect(why?.field, JSON.stringify(s.config)).toBe(field);
      expect(why?.rule.length).toBeGreaterThan(10);
    }
    expect(gpuSupport(new Cyclic({ baseLr: 0.1, maxLr: 1, stepSizeUp: 2, mode: 'exp_range', gamma: 1.001 }), { minStep: 0, maxStep: 50_000 })).toBeNull();
  });
});
