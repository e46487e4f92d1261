/**
 * CosineAnneal on the f32 backends: the WGSL kernel (shaders/kinds/cosine-anneal.wgsl) on the
 * machine's WebGPU (SwiftShader here) and the evaluator's CPU backend against the f64 reference,
 * judged by the kind's interval (k = 20, docs/accuracy.md#the-contract), every failure reported
 * at once; and the configs the GPU declines, with their reasons.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { createEvaluator } from '../../src/api/index.ts';
import { gpuSupport } from '../../src/kernels/index.ts';
import { CosineAnneal, type CosineAnnealConfig } from '../../src/schedules/index.ts';
import { toleranceK } from '../../src/verify/index.ts';
import { requireDevice } from '../helpers/gpu.ts';
import { evalList } from '../helpers/kernels-dispatch.ts';
import { expectGpuCases, FULL_WINDOW, sweepVerified } from '../helpers/gpu-cases.ts';
import { gridFor, summaryLines, uniqSteps, U32_MAX } from '../helpers/kernels-accuracy.ts';

const CONFIGS: CosineAnnealConfig[] = [
  { from: 0.1, to: 0, period: 1000 },
  { from: 3e-4, to: 3e-6, period: 777.25 },
  { from: 1, to: 0.1, period: 9000, offset: -1000 },
  { from: 1, to: 0, period: 2 ** 24 + 3 },
  { from: 0.5, to: 0.05, period: 3e9, offset: -7 },
  { from: 2e-3, to: 1e-5, period: 4e9 + 0.5, offset: -1e8 - 0.25 },
  { from: -0.1, to: -1e-3, period: 12345.5, offset: 0.5 },
  { from: 0.02, to: 0.2, period: 0.75, offset: 3.5 },
  { from: 0.3, to: 0.3, period: 100 },
  { from: 0.1, to: 0.001, period: 100, hold: false },
  { from: 0.1, to: 0, period: 1000, hold: false },
  { from: 1e-3, to: 1e-5, period: 2 ** 20 + 1, offset: -(2 ** 19), hold: false },
  { from: 0.5, to: 0.25, period: 2 ** 30, offset: 12345, hold: false },
  { from: 0.01, to: 1, period: 7, offset: -3, hold: false },
  { from: 1, to: 0.1, period: 1000, exponent: 2 },
  { from: 3e-4, to: 0, period: 777.25, exponent: 3, offset: -50 },
  { from: 0.1, to: 1e-3, period: 2 ** 24 + 3, exponent: 0.5 },
  { from: 1e-3, to: 1e-4, period: 3e9, exponent: 7.25 },
];

function gridOf(c: CosineAnnealConfig): Uint32Array {
  const off = c.offset ?? 0;
  const marks = [0, 1, 2, 3, 4].map((m) => (m * c.period) / 2 - off);
  return uniqSteps([...gridFor(Math.max(c.period - off, 1), marks, { dense: 1500, uniform: 1500, logN: 800 }), ...marks.map(Math.floor), ...marks.map(Math.ceil)]);
}

afterAll(() => {
  console.log(['GPU accuracy (CosineAnneal vs f64 reference):', ...summaryLines().filter((l) => l.startsWith('kind') || l.startsWith('CosineAnneal'))].join('\n'));
});

describe('CosineAnneal on the f32 backends', () => {
  test('the tolerance is k = 20 (the 12.9 eps bound of its WGSL), and grows with an exponent ≠ 1', () => {
    expect(toleranceK(new CosineAnneal({ from: 1, to: 0, period: 10 }))).toBe(20);
    expect(toleranceK(new CosineAnneal({ from: 1, to: 0, period: 10, exponent: 2 }))).toBe(38);
    expect(toleranceK(new CosineAnneal({ from: 1, to: 0, period: 10, exponent: 0.5 }))).toBe(20);
  });

  test('the WebGPU kernel meets the bound at both ends, the halves and between, held and periodic', async () => {
    await expectGpuCases(CONFIGS.map((c) => ({ s: new CosineAnneal(c), steps: gridOf(c), window: FULL_WINDOW })));
  });

  test('exact ends on the GPU: f32(from) at x ≤ 0 and at even x, f32(to) at x ≥ 1 (held) and at odd x', async () => {
    const { device } = await requireDevice();
    const held = new CosineAnneal({ from: 0.1, to: 3e-4, period: 999.5, offset: -200.25 });
    const g1 = await evalList(device, [held], Uint32Array.of(0, 200, 1200, U32_MAX));
    expect([...g1]).toEqual([0.1, 0.1, 3e-4, 3e-4].map((v) => Math.fround(v)));
    const per = new CosineAnneal({ from: 0.1, to: 3e-4, period: 1000, offset: 250, hold: false });
    const g2 = await evalList(device, [per], Uint32Array.of(750, 1750, 2750, 3750));
    expect([...g2]).toEqual([3e-4, 0.1, 3e-4, 0.1].map((v) => Math.fround(v)));
  });

  test.each(['cpu', 'webgpu'] as const)('the evaluator (backend %s) gives values inside the bound, verified', async (backend) => {
    await sweepVerified(backend, CONFIGS.map((c) => new CosineAnneal(c)), { start: 0, count: 3000, stride: 3 });
  });

  test('the GPU declines what it cannot bound, naming field, value and rule, and the evaluator uses the CPU', async () => {
    expect(gpuSupport(new CosineAnneal({ from: 0.1, to: -0.1, period: 10 }))).toMatchObject({ field: 'to', rule: expect.stringMatching(/one sign/) });
    expect(gpuSupport(new CosineAnneal({ from: 0.1, to: 1, period: 10, exponent: 2 }))).toMatchObject({ field: 'exponent', value: 2, rule: expect.stringMatching(/\|from\| ≥ \|to\|/) });
    expect(gpuSupport(new CosineAnneal({ from: 1, to: 0.1, period: 10, exponent: 65 }))?.rule).toMatch(/≤ 64/);
    expect(gpuSupport(new CosineAnneal({ from: 1, to: 0, period: 10.5, hold: false }))?.rule).toMatch(/integer period/);
    expect(gpuSupport(new CosineAnneal({ from: 1, to: 0, period: 10, offset: 0.5, hold: false }))?.rule).toMatch(/integer offset/);
    expect(gpuSupport(new CosineAnneal({ from: 1, to: 0, period: 2 ** 31, hold: false }))?.field).toBe('period');
    expect(gpuSupport(new CosineAnneal({ from: 1, to: 0, period: 5e9 }))?.rule).toMatch(/step of x = 1/);
    const ev = await createEvaluator({ backend: 'auto' });
    try {
      const s = new CosineAnneal({ from: 0.1, to: 1, period: 1000, exponent: 2 });
      const r = await ev.evaluate(s, [0, 500, 1000]);
      if (ev.backend === 'webgpu') expect(r.fallbackReason).toMatch(/CosineAnneal.*exponent = 2/);
      expect([...r.values]).toEqual([0.1, Math.fround(1 - 0.9 * 0.25), 1].map((v) => Math.fround(v)));
    } finally {
      ev.destroy();
    }
  });
});
