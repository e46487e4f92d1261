/**
 * Constant on the f32 backends: the WGSL kernel (shaders/kinds/constant.wgsl) on the machine's
 * WebGPU (SwiftShader here) and the evaluator's CPU backend against the f64 reference, judged by
 * the kind's interval (k = 0: exactly Math.fround(value), docs/accuracy.md#the-contract), every
 * failure reported; and the configs the GPU declines, with their reasons.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { createEvaluator } from '../../src/api/index.ts';
import { gpuSupport } from '../../src/kernels/index.ts';
import { Constant } from '../../src/schedules/index.ts';
import { toleranceK } from '../../src/verify/index.ts';
import { requireDevice } from '../helpers/gpu.ts';
import { evalList } from '../helpers/kernels-dispatch.ts';
import { sweepVerified } from '../helpers/gpu-cases.ts';
import { judge, summaryLines, U32_MAX, uniqSteps } from '../helpers/kernels-accuracy.ts';

const VALUES = [0.1, 3e-4, 1, -0.25, 0, 2 ** -126, -(2 ** -126), 3.4e38, 1e-30, 1 / 3, 0.1 + 2 ** -40];
const STEPS = uniqSteps([0, 1, 2, 3, 1000, 2 ** 24 - 1, 2 ** 24, 2 ** 24 + 1, 2 ** 31, U32_MAX - 1, U32_MAX, ...Array.from({ length: 500 }, (_, i) => i * 8_589_934)]);

afterAll(() => {
  console.log(['GPU accuracy (Constant vs f64 reference):', ...summaryLines().filter((l) => l.startsWith('kind') || l.startsWith('Constant'))].join('\n'));
});

describe('Constant on the f32 backends', () => {
  test('the tolerance is exact rounding (k = 0)', () => {
    expect(toleranceK(new Constant({ value: 0.1 }))).toBe(0);
  });

  test('the WebGPU kernel returns exactly Math.fround(value) at every step', async () => {
    const { device } = await requireDevice();
    const schedules = VALUES.map((value) => new Constant({ value }));
    for (const s of schedules) expect(gpuSupport(s), JSON.stringify(s.config)).toBeNull();
    const got = await evalList(device, schedules, STEPS);
    expect(judge(schedules, STEPS, got).join('\n')).toBe('');
  });

  test.each(['cpu', 'webgpu'] as const)('the evaluator (backend %s) gives Math.fround(value), verified', async (backend) => {
    const r = await sweepVerified(backend, VALUES.map((value) => new Constant({ value })), { start: U32_MAX - 99, count: 100 });
    VALUES.forEach((v, i) => expect(r.values[i * 100 + 99]).toBe(Math.fround(v)));
  });

  test('the GPU declines values float32 cannot hold exactly, with the reason, and the evaluator computes them on the CPU', async () => {
    const over = gpuSupport(new Constant({ value: 1e39 }));
    expect(over).toMatchObject({ field: 'value', value: 1e39 });
    expect(over?.rule).toMatch(/finite in float32/);
    const sub = gpuSupport(new Constant({ value: 1e-40 }));
    expect(sub?.rule).toMatch(/subnormal/);
    const ev = await createEvaluator({ backend: 'auto' });
    try {
      const r = await ev.evaluate(new Constant({ value: 1e-40 }), [0, 5]);
      if (ev.backend === 'webgpu') expect(r.fallbackReason).toMatch(/Constant.*value = 1e-40/);
      expect([...r.values]).toEqual([Math.fround(1e-40), Math.fround(1e-40)]);
    } finally {
      ev.destroy();
    }
  });
});
