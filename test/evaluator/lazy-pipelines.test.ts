/**
 * Pipelines are compiled only when a call needs them (src/gpu/pipeline-cache.ts):
 * createEvaluator checks the WGSL and compiles nothing; a call compiles the one entry
 * point and schedule kind (and, when its rows share them, flags) it runs, once per device.
 */
import { describe, expect, it } from 'vitest';
import { CosineDecay, ExponentialDecay, Sequence, acquireDevice, createEvaluator } from '../../src/index.ts';
import { FLAGS_OVERRIDE, KIND_CODES, KIND_OVERRIDE } from '../../src/kernels/wgsl.generated.ts';
import { countingDevice } from '../helpers/counting-device.ts';
import { ROW_PATH_MIN_COLS } from '../../src/gpu/gpu-backend.ts';

/** The constants of a part of one kind whose rows share flags word 0 (no warmup, no staircase, …). */
const kindOf = (code: number): string => JSON.stringify({ [KIND_OVERRIDE]: code, [FLAGS_OVERRIDE]: 0 });

describe('pipelines compiled on first use', () => {
  it('createEvaluator compiles no pipeline; a call compiles the entry point (spanning or one-row) and kind it runs, once', async () => {
    const { device: real } = await acquireDevice();
    const { device, compiled } = countingDevice(real);
    const ev = await createEvaluator({ backend: 'webgpu', device });
    expect(compiled).toEqual([]);
    const cosine = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100 });
    const a = await ev.evaluate(cosine, { start: 0, count: 64 });
    expect(a.backend).toBe('webgpu');
    expect(compiled).toEqual([`eval_range ${kindOf(KIND_CODES.CosineDecay)}`]);
    // The same kind again, and a sweep of that kind: nothing new.
    await ev.sweep([cosine, new CosineDecay({ initialLearningRate: 0.2, decaySteps: 50 })], { start: 0, count: 32 });
    expect(compiled).toHaveLength(1);
    // Rows of at least ROW_PATH_MIN_COLS columns, one or several: the one-row entry point, once.
    await ev.evaluate(cosine, { start: 0, count: ROW_PATH_MIN_COLS });
    await ev.sweep([cosine, new CosineDecay({ initialLearningRate: 0.2, decaySteps: 50 })], { start: 0, count: ROW_PATH_MIN_COLS + 1 });
    expect(compiled).toEqual([`eval_range ${kindOf(KIND_CODES.CosineDecay)}`, `eval_range_row ${kindOf(KIND_CODES.CosineDecay)}`]);
    // Another kind, then a step list: one pipeline each.
    const expo = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    await ev.evaluate(expo, { start: 0, count: 16 });
    await ev.evaluate(expo, Uint32Array.of(0, 5, 70));
    expect(compiled.slice(2)).toEqual([`eval_range ${kindOf(KIND_CODES.ExponentialDecay)}`, `eval_list ${kindOf(KIND_CODES.ExponentialDecay)}`]);
    // A mixed sweep runs kind group by kind group: kinds compiled already are reused.
    await ev.sweep([cosine, expo, cosine], { start: 0, count: 8 });
    expect(compiled).toHaveLength(4);
    ev.destroy();
    real.destroy();
  });
});

describe('pipelines of a mixed-kind sweep', () => {
  it('runs each kind and flags word on its own pipeline (specialised for both); a one-kind sweep of mixed flags keeps one kind pipeline', async () => {
    const { device: real } = await acquireDevice();
    const { device, compiled } = countingDevice(real);
    const ev = await createEvaluator({ backend: 'webgpu', device });
    const cos = (warmup: boolean): CosineDecay =>
      new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100, ...(warmup ? { warmupTarget: 0.2, warmupSteps: 10 } : {}) });
    const expo = (staircase: boolean): ExponentialDecay => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase });
    const steps = { start: 0, count: 64 };
    const flagsOf = (c: string): string => c.slice(c.indexOf(' ') + 1);
    // Rows of two kinds, each kind with two flags words: four groups, four pipelines, each with
    // its kind and its flags (no kind-only pipeline, which runs every flag path).
    const mixed = [cos(false), expo(false), cos(true), expo(true), cos(false)];
    const r = await ev.sweep(mixed, steps);
    expect(r.backend).toBe('webgpu');
    expect(compiled).toHaveLength(4);
    for (const c of compiled) expect(Object.keys(JSON.parse(flagsOf(c)) as object).sort()).toEqual([FLAGS_OVERRIDE, KIND_OVERRIDE].sort());
    // The values are each row's own (the same as evaluating it alone).
    for (const [i, s] of mixed.entries()) expect(r.values.subarray(i * 64, (i + 1) * 64)).toEqual((await ev.evaluate(s, steps)).values);
    // One kind with two flags words: one part in place, the kind-only pipeline.
    const before = compiled.length;
    await ev.sweep([cos(false), cos(true)], steps);
    expect(compiled.slice(before)).toEqual([`eval_range ${JSON.stringify({ [KIND_OVERRIDE]: KIND_CODES.CosineDecay })}`]);
    ev.destroy();
    real.destroy();
  });
});

describe('prepare', () => {
  it('compiles exactly the pipelines a sweep of those rows runs (kind groups, shared flags, Sequence segments), and evaluates nothing', async () => {
    const { device: real } = await acquireDevice();
    const { device, compiled } = countingDevice(real);
    const ev = await createEvaluator({ backend: 'webgpu', device });
    // Cosine rows that all warm up (one flags word), Exponential rows with and without staircase
    // (no shared word: the kind-only pipeline) and a Sequence (its pieces' segment pipeline).
    const warm = [1, 2, 3].map((k) => new CosineDecay({ initialLearningRate: 0, decaySteps: 800, warmupTarget: 0.01 * k, warmupSteps: 100 * k }));
    const expo = [false, true].map((staircase) => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase }));
    const seq = new Sequence({ pieces: [{ begin: 0, schedule: warm[0]! }, { begin: 50, schedule: expo[0]!, scale: 0.5 }] });
    const rows = [...warm, ...expo, seq];
    const steps = { start: 0, count: 200 };
    // The default CosineDecay's pipeline is another one: preparing it leaves the sweep's to compile.
    await ev.prepare([new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 })], steps);
    expect(compiled).toEqual([`eval_range ${kindOf(KIND_CODES.CosineDecay)}`]);
    await ev.prepare(rows, steps);
    const prepared = compiled.length;
    expect(prepared).toBeGreaterThan(1);
    expect(new Set(compiled).size).toBe(prepared);
    const buffer = real.createBuffer({ size: rows.length * steps.count * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
    await ev.sweepToBuffer(rows, steps, { buffer });
    await ev.sweep(rows, steps);
    expect(ev.lastBufferReport?.backend).toBe('webgpu');
    expect(compiled).toHaveLength(prepared);
    // A step list is another entry point: prepared the same way.
    const list = Uint32Array.of(0, 99, 150);
    await ev.prepare(rows, list);
    const withList = compiled.length;
    expect(withList).toBeGreaterThan(prepared);
    await ev.sweep(rows, list);
    expect(compiled).toHaveLength(withList);
    buffer.destroy();
    ev.destroy();
    real.destroy();
  });

  it('refuses what sweepToBuffer refuses, naming the device\'s maxBufferSize (not a Float32Array\'s limit)', async () => {
    const ev = await createEvaluator({ backend: 'webgpu' });
    const max = ev.device!.limits.maxBufferSize;
    const row = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 10 });
    // One step over the device's limit, and (two rows) over the 4 GiB of one Float32Array: neither allocates here.
    for (const [rows, count] of [[[row], max / 4 + 1], [[row, row], 2 ** 29 + 1]] as const) {
      const steps = { start: 0, count };
      const bytes = rows.length * count * 4;
      const limit = `must be ≤ the device's maxBufferSize = ${max}`;
      await expect(ev.sweepToBuffer(rows, steps)).rejects.toThrow(limit);
      const refused = ev.prepare(rows, steps);
      await expect(refused).rejects.toThrow(limit);
      await expect(refused).rejects.toThrow(String(bytes));
      await expect(refused).rejects.not.toThrow('Float32Array');
    }
    ev.destroy();
  });

  it('does nothing on the CPU backend', async () => {
    const ev = await createEvaluator({ backend: 'cpu' });
    await expect(ev.prepare([new CosineDecay({ initialLearningRate: 0.1, decaySteps: 10 })], { start: 0, count: 4 })).resolves.toBeUndefined();
    ev.destroy();
  });
});
