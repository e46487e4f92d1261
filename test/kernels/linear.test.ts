/**
 * Linear on the f32 backends: the WGSL kernel (shaders/kinds/linear.wgsl) on the machine's
 * WebGPU (SwiftShader here) and the evaluator's CPU backend against the f64 reference, judged by
 * the kind's interval (k = 8, docs/accuracy.md#the-contract), every failure reported at once;
 * and the configs the GPU declines, with their reasons.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { createEvaluator } from '../../src/api/index.ts';
import { gpuSupport } from '../../src/kernels/index.ts';
import { Linear, type LinearConfig } from '../../src/schedules/index.ts';
import { toleranceK } from '../../src/verify/index.ts';
import { requireDevice } from '../helpers/gpu.ts';
import { evalList } from '../helpers/kernels-dispatch.ts';
import { expectGpuCases, sweepVerified } from '../helpers/gpu-cases.ts';
import { gridFor, summaryLines, uniqSteps, U32_MAX } from '../helpers/kernels-accuracy.ts';

const CONFIGS: LinearConfig[] = [
  { from: 0, to: 1e-3, steps: 1000 },
  { from: 0, to: 0.1, steps: 2000, offset: 0 },
  { from: 1e-6, to: 3e-4, steps: 777.25 },
  { from: 0.1, to: 1e-4, steps: 9000, offset: -1000 },
  { from: 1, to: 0, steps: 2 ** 24 + 3 },
  { from: 0.5, to: 0.05, steps: 3e9, offset: -7 },
  { from: 2e-3, to: 1e-5, steps: 4e9 + 0.5, offset: -1e8 - 0.25 },
  { from: 0.3, to: 0.3, steps: 100 },
  { from: -0.1, to: -1e-3, steps: 12345.5, offset: 0.5 },
  { from: 0.02, to: 0.2, steps: 0.75, offset: 3.5 },
  { from: 1, to: 2, steps: 1000, hold: false },
  { from: 0.4, to: 0.1, steps: 5000, offset: -2500, hold: false },
  { from: 1e-3, to: 2e-3, steps: 2 ** 20, offset: 2 ** 19 + 0.5, hold: false },
];

/** The anchors ±2 and a grid over twice the span. */
function gridOf(c: LinearConfig): Uint32Array {
  const off = c.offset ?? 0;
  const a0 = -off;
  const a1 = c.steps - off;
  return uniqSteps([...gridFor(Math.max(a1, 1), [a0, a1, Math.floor(a0), Math.ceil(a1)], { dense: 1500, uniform: 1500, logN: 800 })]);
}

afterAll(() => {
  console.log(['GPU accuracy (Linear vs f64 reference):', ...summaryLines().filter((l) => l.startsWith('kind') || l.startsWith('Linear'))].join('\n'));
});

describe('Linear on the f32 backends', () => {
  test('the tolerance is k = 8 (the 6 eps bound of its WGSL)', () => {
    expect(toleranceK(new Linear({ from: 0, to: 1, steps: 10 }))).toBe(8);
  });

  test('the WebGPU kernel meets the bound at the anchors, between and beyond them (held and extrapolated)', async () => {
    await expectGpuCases(
      CONFIGS.map((c) => {
        const steps = gridOf(c);
        // the extrapolating configs: a window the GPU accepts (the line's fall towards 0 stays bounded)
        const maxStep = Math.min(U32_MAX, Math.floor(c.steps * 1.1 - (c.offset ?? 0)));
        return { s: new Linear(c), steps: c.hold === false ? steps.filter((t) => t <= maxStep) : steps };
      }),
    );
  });

  test('exact ends on the GPU: f32(from) at x ≤ 0 and f32(to) at x ≥ 1 when held', async () => {
    const { device } = await requireDevice();
    const s = new Linear({ from: 0.1, to: 3e-4, steps: 999.5, offset: -200.25 });
    const steps = Uint32Array.of(0, 200, 1199, 1200, 1201, U32_MAX);
    const got = await evalList(device, [s], steps);
    expect([...got]).toEqual([0.1, 0.1, got[2]!, 3e-4, 3e-4, 3e-4].map((v) => Math.fround(v)));
    const t = new Linear({ from: 0.25, to: 0.75, steps: 1000, hold: false });
    const g2 = await evalList(device, [t], Uint32Array.of(0, 1000));
    expect([...g2]).toEqual([0.25, 0.75]);
  });

  test.each(['cpu', 'webgpu'] as const)('the evaluator (backend %s) gives values inside the bound, verified', async (backend) => {
    await sweepVerified(backend, CONFIGS.filter((c) => c.hold !== false).map((c) => new Linear(c)), { start: 0, count: 3000, stride: 3 });
  });

  test('the GPU declines what it cannot bound, naming field, value and rule, and the evaluator uses the CPU', async () => {
    expect(gpuSupport(new Linear({ from: 0.1, to: -0.1, steps: 10 }))).toMatchObject({ field: 'to', value: -0.1, rule: expect.stringMatching(/one sign/) });
    expect(gpuSupport(new Linear({ from: 0, to: 1, steps: 1e-30 }))?.field).toBe('steps');
    expect(gpuSupport(new Linear({ from: 0, to: 1, steps: 5e9 }))?.rule).toMatch(/step of x = 1/);
    expect(gpuSupport(new Linear({ from: 0, to: 1, steps: 10, offset: -5e9 }))?.rule).toMatch(/step of x = 0/);
    expect(gpuSupport(new Linear({ from: 1, to: 3e38, steps: 10 }))?.field).toBe('to');
    // extrapolation towards 0: fine a little past the end, declined where it has fallen by more than a third
    const fall = new Linear({ from: 0.4, to: 0.1, steps: 300, hold: false });
    expect(gpuSupport(fall, { minStep: 0, maxStep: 330 })).toBeNull();
    expect(gpuSupport(fall, { minStep: 0, maxStep: 400 })?.rule).toMatch(/towards 0 by more than a third/);
    expect(gpuSupport(new Linear({ from: 1, to: 2, steps: 2 ** -80, hold: false }))?.rule).toMatch(/within 2\^100/);
    const ev = await createEvaluator({ backend: 'auto' });
    try {
      const r = await ev.evaluate(new Linear({ from: 0.1, to: -0.1, steps: 10 }), [0, 5, 10]);
      if (ev.backend === 'webgpu') expect(r.fallbackReason).toMatch(/Linear.*to = -0\.1/);
      expect([...r.values]).toEqual([Math.fround(0.1), 0, Math.fround(-0.1)]);
    } finally {
      ev.destroy();
    }
  });
});
