/**
 * Issue F.5, memory: a stream keeps the process's memory bounded by its chunk size
 * (RSS measured in Node after every chunk), and a sweep request whose result would
 * exceed the cap (EvaluatorLimits.maxResultBytes, default 2^32 bytes) is refused
 * before anything is allocated. The full 2^32-step stream is the manual
 * bench/stream-2e32.ts (too slow for SwiftShader in CI).
 */
import { describe, expect, it } from 'vitest';
import { CosineDecay, EvaluatorInputError, ExponentialDecay, createEvaluator, verify } from '../../src/index.ts';
import { requireDevice } from '../helpers/gpu.ts';

const MiB = 2 ** 20;
/** The cap this test states for the RSS growth of a stream of 2^22 steps in chunks of 2^18 (1 MiB each). */
const STREAM_RSS_CAP = 96 * MiB;

describe('memory', () => {
  it(`a stream of 2^22 steps in 2^18-step chunks keeps RSS growth under ${STREAM_RSS_CAP / MiB} MiB, with a verified sample per chunk`, async () => {
    const { device } = await requireDevice();
    const ev = await createEvaluator({ backend: 'auto', device });
    const s = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 2 ** 22, warmupTarget: 1, warmupSteps: 4096 });
    const count = 2 ** 22;
    const base = process.memoryUsage().rss;
    let peak = base;
    let steps = 0;
    for await (const chunk of ev.stream(s, { start: 2 ** 32 - count, count }, { chunkSteps: 2 ** 18, verify: 'sample' })) {
      expect(chunk.backend).toBe('webgpu');
      steps += chunk.values.length;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    console.log(`[memory] stream 2^22 steps: RSS base ${(base / MiB).toFixed(0)} MiB, peak ${(peak / MiB).toFixed(0)} MiB, growth ${((peak - base) / MiB).toFixed(0)} MiB`);
    expect(steps).toBe(count);
    expect(peak - base).toBeLessThan(STREAM_RSS_CAP);
    ev.destroy();
  });

  for (const backend of ['webgpu', 'cpu'] as const) {
    it(`${backend}: a sweep over the result cap is refused before allocating (field, value, rule)`, async () => {
      const device = backend === 'webgpu' ? (await requireDevice()).device : undefined;
      const ev = await createEvaluator({ backend, ...(device ? { device } : {}), limits: { maxResultBytes: 8 * MiB } });
      const ss = [new ExponentialDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 0.5 }), new CosineDecay({ initialLearningRate: 1, decaySteps: 10 })];
      const p = ev.sweep(ss, { start: 0, count: MiB + 1 }); // 2 × (2^20 + 1) × 4 bytes > 8 MiB
      await expect(p).rejects.toBeInstanceOf(EvaluatorInputError);
      await expect(p).rejects.toMatchObject({ field: expect.stringMatching(/result bytes/), rule: expect.stringMatching(/≤ 8388608.*stream\(\)/) });
      // Just under the cap is served (and correct).
      const ok = await ev.sweep(ss, { start: 0, count: MiB }, { verify: 'sample' });
      expect(ok.verification?.ok).toBe(true);
      // The default cap (2^32 bytes): 2^30 steps × 2 schedules is refused, not attempted (it would be 8 GiB).
      const dflt = await createEvaluator({ backend, ...(device ? { device } : {}) });
      await expect(dflt.sweep(ss, { start: 0, count: 2 ** 30 })).rejects.toMatchObject({ name: 'EvaluatorInputError', field: expect.stringMatching(/result bytes/) });
      // A stream of the same request is the way through: bounded chunks.
      let n = 0;
      for await (const c of dflt.stream(ss[0]!, { start: 0, count: MiB }, { chunkSteps: MiB / 4 })) {
        expect(verify([ss[0]!], { start: c.step, count: c.values.length }, c.values, { mode: 'sample', sampleSize: 64 }).ok).toBe(true);
        n += c.values.length;
      }
      expect(n).toBe(MiB);
      ev.destroy();
      dflt.destroy();
    });
  }
});
