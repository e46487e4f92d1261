import { describe, expect, it } from 'vitest';
import {
  CosineDecay,
  EvaluatorDestroyedError,
  EvaluatorInputError,
  ExponentialDecay,
  StepError,
  VerificationError,
  createEvaluator,
  verify,
  type Evaluator,
  type EvaluatorSchedule,
} from '../src/index.ts';
import { requireDevice } from './helpers/gpu.ts';
import { EDGE_STEPS, mixedSchedules } from './helpers/schedules.ts';

/** The same suite over both backends; every value is judged by verify() 'all' (docs/accuracy.md#the-contract). */
describe.each(['webgpu', 'cpu'] as const)('evaluator on %s', (backend) => {
  // GPU evaluators share the test device, so the kernel compiles once (pipelines are cached per device).
  const make = async (limits = {}): Promise<Evaluator> =>
    createEvaluator({ backend, limits, ...(backend === 'webgpu' ? { device: (await requireDevice()).device } : {}) });

  it('evaluates one schedule over a range, within the bound', async () => {
    const ev = await make();
    expect(ev.backend).toBe(backend);
    const s = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, warmupTarget: 1, warmupSteps: 100 });
    const r = await ev.evaluate(s, { start: 0, count: 1200 }, { verify: 'all' });
    expect(r.backend).toBe(backend);
    expect(r.fallbackReason).toBeUndefined();
    expect(r.values).toHaveLength(1200);
    expect(r.verification).toMatchObject({ ok: true, checked: 1200 });
    expect(r.values[0]).toBe(Math.fround(0.1)); // exact end
    ev.destroy();
  });

  it('sweeps mixed kinds over a strided range and an edge-step list (row-major)', async () => {
    const ev = await make();
    const ss = mixedSchedules();
    const a = await ev.sweep(ss, { start: 3, count: 2000, stride: 3 }, { verify: 'all' });
    expect(a.values).toHaveLength(ss.length * 2000);
    expect(a.verification?.ok).toBe(true);
    const list = Uint32Array.from(EDGE_STEPS);
    const b = await ev.sweep(ss, list, { verify: 'all' });
    expect(b.verification).toMatchObject({ ok: true, checked: ss.length * list.length });
    const c = await ev.sweep(ss, [...EDGE_STEPS], { verify: 'none' });
    expect(c.values).toEqual(b.values); // a plain array of steps is the same request
    expect(c.verification).toBeUndefined();
    ev.destroy();
  });

  it('gives the same values when forced into tiny chunks and batches', async () => {
    const big = await make();
    const tiny = await make({ maxStorageBufferBindingSize: 1024, maxComputeWorkgroupsPerDimension: 2, readbackBatchBytes: 8192 });
    const ss = mixedSchedules();
    const steps = { start: 0, count: 1500 };
    const a = await big.sweep(ss, steps);
    const progress: number[] = [];
    const b = await tiny.sweep(ss, steps, { verify: 'all', onProgress: (d, t) => (expect(t).toBe(ss.length * 1500), progress.push(d)) });
    expect(b.verification?.ok).toBe(true);
    expect(b.values).toEqual(a.values); // same kernel, same inputs: chunking must not change a bit
    if (backend === 'webgpu') {
      // A mixed sweep runs kind group by kind group: each group may add one partial batch.
      const kinds = new Set(ss.map((x) => x.kind)).size;
      expect(b.gpuStats!.maps).toBeGreaterThanOrEqual(Math.ceil((ss.length * 1500 * 4) / 8192));
      expect(b.gpuStats!.maps).toBeLessThanOrEqual(Math.ceil((ss.length * 1500 * 4) / 8192) + kinds - 1);
      expect(b.gpuStats!.dispatches).toBeGreaterThanOrEqual(Math.ceil((ss.length * 1500 * 4) / 1024));
    }
    expect(progress.at(-1)).toBe(ss.length * 1500);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1]!);
    big.destroy();
    tiny.destroy();
  });

  it('streams in small chunks exactly what evaluate gives', async () => {
    const ev = await make();
    const s = mixedSchedules()[2]!;
    const steps = { start: 50, count: 1000, stride: 2 };
    const whole = await ev.evaluate(s, steps);
    const got = new Float32Array(1000);
    const starts: number[] = [];
    const progress: number[] = [];
    for await (const chunk of ev.stream(s, steps, { chunkSteps: 300, onProgress: (d) => progress.push(d) })) {
      starts.push(chunk.start);
      expect(chunk.step).toBe(50 + 2 * chunk.start);
      got.set(chunk.values, chunk.start);
    }
    expect(starts).toEqual([0, 300, 600, 900]);
    expect(progress).toEqual([300, 600, 900, 1000]);
    expect(got).toEqual(whole.values);
    expect(verify([s], steps, got).ok).toBe(true);
    ev.destroy();
  });

  it('rejects with AbortError and returns no partial output', async () => {
    const ev = await make({ readbackBatchBytes: 4096 });
    const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 });
    const pre = new AbortController();
    pre.abort();
    await expect(ev.evaluate(s, { start: 0, count: 100 }, { signal: pre.signal })).rejects.toMatchObject({ name: 'AbortError' });
    const mid = new AbortController();
    let calls = 0;
    const p = ev.evaluate(s, { start: 0, count: 2 ** 21 }, { signal: mid.signal, onProgress: () => ++calls === 1 && mid.abort() });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBeGreaterThanOrEqual(1);
    // The evaluator still works after an abort.
    expect((await ev.evaluate(s, { start: 0, count: 10 }, { verify: 'all' })).verification?.ok).toBe(true);
    ev.destroy();
  });

  it('validates inputs before allocating, naming field, value and rule', async () => {
    const ev = await make({ maxResultBytes: 4000 });
    const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 });
    await expect(ev.evaluate(s, [0, -1])).rejects.toThrow(StepError);
    await expect(ev.evaluate(s, [0, 1.5])).rejects.toThrow(/steps\[1\] = 1\.5/);
    await expect(ev.evaluate(s, { start: 0, count: 0 })).rejects.toThrow(/range\.count = 0: must be ≥ 1/);
    await expect(ev.evaluate(s, [])).rejects.toThrow(/steps\.length = 0/);
    await expect(ev.sweep([], { start: 0, count: 1 })).rejects.toThrow(EvaluatorInputError);
    await expect(ev.sweep([s, s], { start: 0, count: 501 })).rejects.toThrow(/2 × 501 × 4 = 4008.*must be ≤ 4000/);
    const huge = ev.evaluate(s, [2 ** 32]);
    if (backend === 'webgpu') await expect(huge).rejects.toThrow(/steps = 4294967296: GPU steps are u32/);
    else expect((await huge).values[0]).toBe(Math.fround(s.at(2 ** 32)));
    ev.destroy();
  });

  it('throws VerificationError carrying the report, never fixing values', async () => {
    const ev = await make();
    const real = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 });
    // A reference that disagrees with the computed values by 1 %: verification must catch it.
    const wrong: EvaluatorSchedule = { kind: real.kind, config: real.config, at: (s: number) => real.at(s) * 1.01, fill: (st, out) => real.fill(st, out) };
    const err = await ev.evaluate(wrong, { start: 0, count: 300 }, { verify: 'sample' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VerificationError);
    const report = (err as VerificationError).report;
    expect(report.ok).toBe(false);
    expect(report.failedCount).toBe(report.checked);
    expect((err as Error).message).toMatch(/schedule #0 \(ExponentialDecay\), step 0 → got 0\.10000000149011612, expected \[/);
    ev.destroy();
  });

  it('destroy(): pending and later calls reject with a clear error', async () => {
    const ev = await make();
    const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 });
    const first = ev.evaluate(s, { start: 0, count: 2 ** 20 });
    const queued = ev.evaluate(s, { start: 0, count: 10 });
    ev.destroy();
    await expect(first).rejects.toThrow(EvaluatorDestroyedError);
    await expect(queued).rejects.toThrow(EvaluatorDestroyedError);
    await expect(ev.evaluate(s, { start: 0, count: 1 })).rejects.toThrow(/evaluator was destroyed/);
    ev.destroy(); // idempotent
  });
});

describe('abort while the GPU is working', () => {
  it('rejects promptly with AbortError and the evaluator stays usable', async () => {
    const { device } = await requireDevice();
    const ev = await createEvaluator({ backend: 'webgpu', device });
    const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 });
    const ac = new AbortController();
    const p = ev.evaluate(s, { start: 0, count: 2 ** 20 });
    const aborted = ev.evaluate(s, { start: 0, count: 2 ** 20 }, { signal: ac.signal });
    await p; // the second call has started once the first finished
    setTimeout(() => ac.abort(), 0);
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    const r = await ev.evaluate(s, { start: 0, count: 1000 }, { verify: 'all' });
    expect(r.backend).toBe('webgpu');
    expect(r.verification?.ok).toBe(true);
    ev.destroy();
  });
});
