import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvaluator, type Evaluator } from '../../src/index.ts';
import { fromHuggingFace } from '../../src/dialects/huggingface.ts';
import { fromOptax } from '../../src/dialects/optax.ts';
import { requireDevice } from '../helpers/gpu.ts';
import { dialectFixture } from './fixture-checks.ts';

/**
 * Every Hugging Face and Optax fixture schedule evaluated in float32 on the CPU fallback and
 * on WebGPU (SwiftShader here), each value judged by verify against its kind's documented
 * bound (docs/accuracy.md): |got − exact| ≤ k·2^-23·|exact| + 2^-126. On WebGPU ('auto'
 * with the device), a config whose kind's GPU rule declines it runs on the CPU and says so.
 */
const DIALECTS = [
  { dialect: 'huggingface', read: fromHuggingFace, cases: dialectFixture('huggingface').cases },
  { dialect: 'optax', read: fromOptax, cases: dialectFixture('optax').cases },
] as const;

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
          // a config the GPU formulation declines (its packer's documented rule) runs on the CPU, saying why
          expect(r.backend === backend || /GPU/.test(r.fallbackReason ?? ''), r.fallbackReason).toBe(true);
          expect(r.verification?.ok, JSON.stringify(r.verification?.failures.slice(0, 3))).toBe(true);
          expect(r.verification?.checked).toBe(c.steps.length);
        });
      }
    }
  });
}
