/**
 * Issue F.4, concurrency: 100 evaluations and sweeps started at once on one evaluator
 * return correct, non-interleaved results (each bit-identical to the same request run
 * alone, and inside the intervals of docs/accuracy.md#the-contract); destroy() during work settles every
 * pending call cleanly (resolved with verified values, or rejected with
 * EvaluatorDestroyedError), and later calls reject.
 */
import { describe, expect, it } from 'vitest';
import {
  CosineDecay,
  EvaluatorDestroyedError,
  ExponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  createEvaluator,
  verify,
  type Schedule,
  type Steps,
} from '../../src/index.ts';
import { requireDevice } from '../helpers/gpu.ts';

/** Request i: its own schedules (distinct parameters) and steps, so an interleaved result cannot pass. */
function request(i: number): { schedules: Schedule[]; steps: Steps } {
  const lr = 0.001 * (i + 1);
  const kinds: Schedule[] = [
    new CosineDecay({ initialLearningRate: lr, decaySteps: 500 + i, alpha: 0.01 * (i % 7) }),
    new ExponentialDecay({ initialLearningRate: lr, decaySteps: 100 + 3 * i, decayRate: 0.9 }),
    new PolynomialDecay({ initialLearningRate: lr, decaySteps: 700 + i, power: 1 + (i % 3), cycle: i % 2 === 0 }),
    new InverseTimeDecay({ initialLearningRate: lr, decaySteps: 50 + i, decayRate: 0.5 }),
    new PiecewiseConstantDecay({ boundaries: [100 + i, 400 + i], values: [lr, lr / 2, lr / 4] }),
  ];
  const schedules = i % 2 === 0 ? [kinds[i % kinds.length]!] : kinds.slice(0, 1 + (i % kinds.length));
  const steps: Steps = i % 3 === 0 ? Uint32Array.from({ length: 300 + i }, (_, j) => (j * 7919 + i) % 1_000_000) : { start: i * 13, count: 700 + 11 * i, stride: 1 + (i % 4) };
  return { schedules, steps };
}

describe.each(['webgpu', 'cpu'] as const)('concurrency on %s', (backend) => {
  it('100 evaluate/sweep calls started at once: each result is its own, correct, and equal to the call run alone', async () => {
    const device = backend === 'webgpu' ? (await requireDevice()).device : undefined;
    const opts = { backend, ...(device ? { device } : {}), limits: { maxStorageBufferBindingSize: 4096, readbackBatchBytes: 16384 } };
    const ev = await createEvaluator(opts);
    const reqs = Array.from({ length: 100 }, (_, i) => request(i));
    const results = await Promise.all(
      reqs.map((r, i) => (i % 2 === 0 ? ev.evaluate(r.schedules[0]!, r.steps) : ev.sweep(r.schedules, r.steps))),
    );
    const alone = await createEvaluator(opts);
    for (let i = 0; i < reqs.length; i++) {
      const { schedules, steps } = reqs[i]!;
      const got = results[i]!;
      expect(got.backend).toBe(backend);
      const rep = verify(schedules, steps, got.values);
      expect(rep.ok, `request ${i}: ${rep.failures.slice(0, 3).map((f) => `#${f.row} step ${f.step} got ${f.got} exp ${f.expected}`).join('; ')}`).toBe(true);
      const single = await alone.sweep(schedules, steps);
      expect(got.values, `request ${i} differs from the same request run alone`).toEqual(single.values);
    }
    // Streams interleaved with calls: every chunk in order and correct.
    const s = new CosineDecay({ initialLearningRate: 1, decaySteps: 3000 });
    const streamed = (async () => {
      const parts: Float32Array[] = [];
      for await (const c of ev.stream(s, { start: 0, count: 3000 }, { chunkSteps: 256 })) parts.push(c.values);
      return parts;
    })();
    const side = await Promise.all(reqs.slice(0, 20).map((r) => ev.sweep(r.schedules, r.steps, { verify: 'all' })));
    for (const r of side) expect(r.verification?.ok).toBe(true);
    const parts = await streamed;
    const joined = new Float32Array(3000);
    let o = 0;
    for (const p of parts) {
      joined.set(p, o);
      o += p.length;
    }
    expect(o).toBe(3000);
    expect(verify([s], { start: 0, count: 3000 }, joined).ok).toBe(true);
    ev.destroy();
    alone.destroy();
  });

  it('destroy() during work: every pending call settles (verified values or EvaluatorDestroyedError), later calls reject', async () => {
    const device = backend === 'webgpu' ? (await requireDevice()).device : undefined;
    const ev = await createEvaluator({ backend, ...(device ? { device } : {}), limits: { maxStorageBufferBindingSize: 4096, readbackBatchBytes: 8192 } });
    const reqs = Array.from({ length: 30 }, (_, i) => request(i));
    let progressed = 0;
    const calls = reqs.map((r, i) =>
      ev.sweep(r.schedules, r.steps, {
        onProgress: () => {
          progressed++;
          if (i === 2 && progressed > 0) ev.destroy();
        },
      }),
    );
    const settled = await Promise.allSettled(calls);
    let resolved = 0;
    let rejected = 0;
    settled.forEach((s, i) => {
      if (s.status === 'fulfilled') {
        resolved++;
        expect(verify(reqs[i]!.schedules, reqs[i]!.steps, s.value.values).ok).toBe(true);
      } else {
        rejected++;
        expect(s.reason).toBeInstanceOf(EvaluatorDestroyedError);
      }
    });
    expect(resolved).toBeGreaterThanOrEqual(2); // calls 0 and 1 finished before call 2 began
    expect(rejected).toBeGreaterThanOrEqual(27); // call 2 (destroyed mid-call) and every queued call
    await expect(ev.evaluate(reqs[0]!.schedules[0]!, { start: 0, count: 4 })).rejects.toBeInstanceOf(EvaluatorDestroyedError);
    const it = ev.stream(reqs[0]!.schedules[0]!, { start: 0, count: 4 });
    await expect(it.next()).rejects.toBeInstanceOf(EvaluatorDestroyedError);
    if (device) {
      // The shared device was the caller's: destroy() must not have destroyed it.
      const ev2 = await createEvaluator({ backend, device });
      const r = await ev2.evaluate(reqs[0]!.schedules[0]!, { start: 0, count: 16 }, { verify: 'all' });
      expect(r.backend).toBe('webgpu');
      ev2.destroy();
    }
  });
});
