import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvaluator, type Evaluator } from '../../src/index.ts';
import { fromHuggingFace } from '../../src/dialects/huggingface.ts';
import { fromOptax } from '../../src/dialects/optax.ts';
import { requireDevice } from '../helpers/gpu.ts';
import { dialectFixture, expectGpuRan, type GpuDecline } from './fixture-checks.ts';

/**
 * Every Hugging Face and Optax fixture schedule evaluated in float32 on the CPU fallback and
 * on WebGPU (SwiftShader here), each value judged by verify against its kind's documented
 * bound (docs/accuracy.md): |got − exact| ≤ k·2^-23·|exact| + 2^-126. On WebGPU ('auto'
 * with the device), every config runs on the GPU (dispatches, no fallback) except the listed
 * ones whose kind's GPU rule declines a piece, which run it on the CPU and say so.
 */
const DIALECTS = [
  { dialect: 'huggingface', read: fromHuggingFace, cases: dialectFixture('huggingface').cases },
  { dialect: 'optax', read: fromOptax, cases: dialectFixture('optax').cases },
] as const;

/** The configs the GPU declines in part (a Sequence's piece, by its kind's documented rule); every other one runs on WebGPU alone. */
const DECLINED: Readonly<Record<string, GpuDecline>> = {
  'huggingface cosine/cycles-1.5': { backend: 'webgpu', rule: /pieces\[1\] \(CosineAnneal\): period = 33\.33+6: GPU CosineAnneal without hold needs an integer period/ },
  'optax polynomial_schedule/power-3-rising': { backend: 'webgpu', rule: /pieces\[1\] \(PolynomialDecay\): endLearningRate = 0\.001: GPU PolynomialDecay needs end_learning_rate of the sign of initial_learning_rate/ },
};

it('the declined configs listed are fixture configs', () => {
  expect(Object.keys(DECLINED).filter((k) => !DIALECTS.some(({ dialect, cases }) => cases.some((c) => `${dialect} ${c.id}` === k)))).toEqual([]);
});

for (const backend of ['cpu', 'webgpu'] as const) {
  describe(`Hugging Face and Optax schedules on the ${backend} backend`, () => {
    let ev: Evaluator;
    beforeAll(async () => {
      ev = backend === 'cpu' ? await createEvaluator({ backend: 'cpu' }) : await createEvaluator({ backend: 'auto', device: (await requireDevice()).device });
    });
    afterAll(() => ev?.destroy());
    for (const { dialect, read, cases } of DIALECTS) {
      for (const c of cases) {
        it(`${dialect} ${c.id}: every float32 value lies within its kind's bound`, async () => {
          const r = await ev.evaluate(read(c.input), c.steps, { verify: 'all' });
          if (backend === 'cpu') expect([r.backend, r.fallbackReason]).toEqual(['cpu', undefined]);
          else expectGpuRan(r, `${dialect} ${c.id}`, DECLINED);
          expect(r.verification?.ok, JSON.stringify(r.verification?.failures.slice(0, 3))).toBe(true);
          expect(r.verification?.checked).toBe(c.steps.length);
        });
      }
    }
  });
}
