import { describe, expect, it } from 'vitest';
import { CosineDecayRestarts, GpuUnsupportedError, PiecewiseConstantDecay, PolynomialDecay, createEvaluator, fromHuggingFace } from '../src/index.ts';
import { defaultSchedule, trainLogReg, trainLogRegReference, type TrainResult } from '../examples/train/train.ts';
import { trainWithSchedule } from '../examples/train/panel.ts';
import { readBuffer, requireDevice, withErrorScopes } from './helpers/gpu.ts';

const STEPS = 300;

/** Bitwise equality of two Float32Arrays (NaN payloads and ±0 included), with the first difference in the message. */
function expectSameBits(got: Float32Array, want: Float32Array, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  const a = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const b = new Uint32Array(want.buffer, want.byteOffset, want.length);
  const i = a.findIndex((bits, j) => bits !== b[j]);
  expect(i === -1 ? null : `${what}: index ${i}: ${got[i]} vs ${want[i]}`).toBeNull();
}

describe('examples/train: logistic regression trained on WebGPU with lr[step] read on the GPU', () => {
  const runs = new Map<string, Promise<TrainResult>>();
  function run(variant: 'buffer' | 'inline', optimizer: 'adam' | 'momentum' = 'adam'): Promise<TrainResult> {
    const key = `${variant}/${optimizer}`;
    let r = runs.get(key);
    if (!r) {
      r = requireDevice().then(({ device }) => withErrorScopes(device, () => trainLogReg({ device, steps: STEPS, variant, optimizer, sampleEvery: 1 })));
      runs.set(key, r);
    }
    return r;
  }

  it('buffer variant: the loss falls well below its start', async () => {
    const r = await run('buffer');
    // Zero weights give exactly ln 2. The dataset is nearly separable (label noise only
    // near the hyperplane), so 300 Adam steps reach ≈ 0.09 (13 % of the start); a
    // quarter of the start leaves room for other devices' rounding while failing any
    // run that does not really learn.
    expect(r.initialLoss).toBeCloseTo(Math.LN2, 6);
    expect(r.finalLoss).toBeLessThan(0.25 * r.initialLoss);
    expect(r.lossCurve).toHaveLength(STEPS + 1);
    expect(r.lossCurve[STEPS]).toBe(r.finalLoss);
    console.log(`[example-train] Node/Dawn ${STEPS} steps: loss ${r.initialLoss.toFixed(4)} -> ${r.finalLoss.toFixed(4)}, ${r.msPerStep.toFixed(2)} ms/step`);
  });

  it('buffer variant: the lr the kernel used equals the evaluator values bit for bit', async () => {
    const { device } = await requireDevice();
    const r = await run('buffer');
    const schedule = defaultSchedule(STEPS);
    const ev = await createEvaluator({ backend: 'webgpu', device });
    const buffer = await ev.evaluateToBuffer(schedule, { start: 0, count: STEPS });
    const table = new Float32Array(await readBuffer(device, buffer, STEPS * 4));
    buffer.destroy();
    expectSameBits(r.lrUsed, table, 'lr used vs evaluateToBuffer');
    // And against the evaluator's values at sampled steps (evaluate, not the table).
    const sampled = Uint32Array.of(0, 1, 7, 29, 30, 31, 100, 150, 299);
    const { values } = await ev.evaluate(schedule, sampled);
    expectSameBits(Float32Array.from(sampled, (s) => r.lrUsed[s] ?? Number.NaN), values, 'lr used vs evaluate');
    ev.destroy();
    // Warmup, peak and decay are all in there (guards against an all-constant table).
    expect(r.lrUsed[0]).toBe(Math.fround(0.001));
    expect(r.lrUsed[30]).toBe(Math.fround(0.1));
    expect(r.lrUsed[STEPS - 1]).toBeLessThan(1e-4);
  });

  it('inline variant (SCHEDULES_WGSL in the training kernel) uses the same lr sequence and trains identically', async () => {
    const buffer = await run('buffer');
    const inline = await run('inline');
    expectSameBits(inline.lrUsed, buffer.lrUsed, 'inline vs buffer lr');
    expectSameBits(inline.lossCurve, buffer.lossCurve, 'inline vs buffer loss');
    expectSameBits(inline.weights, buffer.weights, 'inline vs buffer weights');
  });

  it('the GPU run follows the f64 CPU reference fed the same learning rates', async () => {
    const r = await run('buffer');
    const ref = trainLogRegReference({ lr: r.lrUsed });
    // f32 sums over 1024 samples vs f64: agree to ~1e-5 relative early on; allow 1e-3 at the end.
    for (const s of [0, 1, 10, 100, STEPS]) expect(Math.abs((r.lossCurve[s] ?? NaN) - (ref.losses[s] ?? NaN))).toBeLessThan(1e-3 * (ref.losses[s] ?? NaN) + 1e-6);
    r.weights.forEach((w, k) => expect(Math.abs(w - (ref.weights[k] ?? NaN))).toBeLessThan(1e-2 * (1 + Math.abs(ref.weights[k] ?? NaN))));
  });

  it('inline variant matches the buffer variant bit for bit for other kinds too', async () => {
    const { device } = await requireDevice();
    const steps = 120;
    const schedules = [
      new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 25, tMul: 1, mMul: 0.8, alpha: 0.01 }),
      new PiecewiseConstantDecay({ boundaries: [10, 30, 60, 90], values: [0.1, 0.05, 0.02, 0.01, 0.005] }),
      new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 100, endLearningRate: 0.001, power: 2 }),
    ];
    for (const schedule of schedules) {
      const [buffer, inline] = await withErrorScopes(device, () =>
        Promise.all((['buffer', 'inline'] as const).map((variant) => trainLogReg({ device, steps, schedule, variant, sampleEvery: 1 }))),
      );
      expectSameBits(inline!.lrUsed, buffer!.lrUsed, `${schedule.kind}: inline vs buffer lr`);
      expectSameBits(inline!.lossCurve, buffer!.lossCurve, `${schedule.kind}: inline vs buffer loss`);
      expect(buffer!.finalLoss).toBeLessThan(buffer!.initialLoss);
    }
  });

  it('inline variant refuses a config that needs a table (packScheduleParams), the buffer variant takes it', async () => {
    const { device } = await requireDevice();
    const restarts = new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 2 });
    await expect(trainLogReg({ device, steps: 50, schedule: restarts, variant: 'inline' })).rejects.toBeInstanceOf(GpuUnsupportedError);
    const r = await withErrorScopes(device, () => trainLogReg({ device, steps: 50, schedule: restarts, variant: 'buffer', sampleEvery: 1 }));
    const ev = await createEvaluator({ backend: 'webgpu', device });
    const { values } = await ev.evaluate(restarts, { start: 0, count: 50 });
    ev.destroy();
    expectSameBits(r.lrUsed, values, 'restarts (table) lr used vs evaluate');
  });

  it('a Sequence (a Hugging Face warmup_stable_decay) trains in both variants, lr[step] equal to the evaluator values bit for bit', async () => {
    const { device } = await requireDevice();
    const wsd = fromHuggingFace({ lr_scheduler_type: 'warmup_stable_decay', learning_rate: 0.1, warmup_steps: 20, max_steps: 120, lr_scheduler_kwargs: { num_decay_steps: 40, decay_type: 'cosine' } });
    const ev = await createEvaluator({ backend: 'webgpu', device });
    const { values } = await ev.evaluate(wsd, { start: 0, count: 120 });
    ev.destroy();
    for (const variant of ['buffer', 'inline'] as const) {
      const r = await withErrorScopes(device, () => trainLogReg({ device, steps: 120, schedule: wsd, variant, sampleEvery: 1 }));
      expectSameBits(r.lrUsed, values, `${variant}: WSD lr used vs evaluate`);
      expect(r.finalLoss).toBeLessThan(r.initialLoss);
    }
  });

  it('SGD with momentum also trains, and agrees with the reference', async () => {
    const r = await run('buffer', 'momentum');
    expect(r.finalLoss).toBeLessThan(0.25 * r.initialLoss);
    const ref = trainLogRegReference({ lr: r.lrUsed, optimizer: 'momentum' });
    expect(Math.abs(r.finalLoss - (ref.losses[STEPS] ?? NaN))).toBeLessThan(1e-3 * (ref.losses[STEPS] ?? NaN));
  });

  it('the explorer-panel entry trains on the GPU or, without a device, on the CPU, to the same curves', async () => {
    const { device } = await requireDevice();
    const schedule = defaultSchedule(200);
    const gpu = await withErrorScopes(device, () => trainWithSchedule(schedule, { device, steps: 200 }));
    const cpu = await trainWithSchedule(schedule, { steps: 200 });
    expect([gpu.backend, cpu.backend]).toEqual(['webgpu', 'cpu']);
    expect(gpu.lossCurve).toHaveLength(201);
    expect(gpu.finalLoss).toBeLessThan(0.3 * gpu.initialLoss);
    expect(Math.abs(gpu.finalLoss - cpu.finalLoss)).toBeLessThan(1e-3 * cpu.finalLoss);
    gpu.lrUsed.forEach((lr, i) => expect(Math.abs(lr - (cpu.lrUsed[i] ?? NaN))).toBeLessThanOrEqual(1e-6 * Math.abs(lr) + 1e-12));
    for (const run of [gpu, cpu]) expect(run.svg.match(/<polyline/g)).toHaveLength(2);
  });
});
