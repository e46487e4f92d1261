/**
 * Issue L.6, tables and lists over the device's limits: a restart or piecewise table larger
 * than one storage binding, or a step list larger than one buffer, is not a bug and not a bare
 * RangeError. Under 'auto' the request runs on the CPU and says why (naming the table and the
 * limit); under 'webgpu' it is a GpuUnsupportedError naming them. Tables that fit one by one
 * but not together run on the GPU in several parts. Limits are lowered with the evaluator's
 * `limits` (GpuLimitOverrides); every value is judged by verify() 'all'.
 */
import { describe, expect, it } from 'vitest';
import {
  CosineDecay,
  CosineDecayRestarts,
  ExponentialDecay,
  GpuUnsupportedError,
  PiecewiseConstantDecay,
  createEvaluator,
  verify,
  type EvaluatorLimits,
} from '../../src/index.ts';
import { packSchedules, gpuSupport } from '../../src/kernels/index.ts';
import { readBuffer, requireDevice } from '../helpers/gpu.ts';
import { mixedSchedules } from '../helpers/schedules.ts';

const LIMITS: EvaluatorLimits = { maxStorageBufferBindingSize: 4096 };
const steps = { start: 0, count: 100_001 };
/** A restart table of 464 periods (14848 bytes) for steps 0 … 100000. */
const bigRestarts = new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 1.01 });
/** A piecewise table of 2000 boundaries (16004 bytes). */
const bounds = Array.from({ length: 2000 }, (_, i) => 10 * (i + 1));
const bigPiecewise = new PiecewiseConstantDecay({ boundaries: bounds, values: [...bounds.map((b) => 1 / b), 0] });
/** Restart tables of 1344 bytes each: fit one binding alone, not eight together. */
const smallRestarts = Array.from({ length: 8 }, (_, i) => new CosineDecayRestarts({ initialLearningRate: 0.1 + i / 100, firstDecaySteps: 10, tMul: 1.2 }));
const exp = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 });
const cos = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 50_000 });

describe('GPU tables over the binding limit', () => {
  for (const [name, big, what] of [
    ['restart', bigRestarts, /restart table \(bytes\) = 14848/],
    ['piecewise', bigPiecewise, /PiecewiseConstantDecay table \(bytes\) = 16004/],
  ] as const) {
    it(`a ${name} table over maxStorageBufferBindingSize: 'auto' runs on the CPU and says why, 'webgpu' is GpuUnsupportedError`, async () => {
      const { device } = await requireDevice();
      const auto = await createEvaluator({ backend: 'auto', device, limits: LIMITS });
      const r = await auto.sweep([exp, big], steps, { verify: 'all' });
      expect(r.backend).toBe('cpu');
      expect(r.fallbackReason).toMatch(/^schedule #1 /);
      expect(r.fallbackReason).toMatch(what);
      expect(r.fallbackReason).toMatch(/maxStorageBufferBindingSize = 4096/);
      expect(r.verification).toMatchObject({ ok: true, checked: 2 * steps.count });
      expect(auto.backend).toBe('webgpu'); // only that request went to the CPU
      const buf = await auto.sweepToBuffer([exp, big], steps, { verify: 'all' });
      expect(auto.lastBufferReport).toMatchObject({ backend: 'cpu', fallbackReason: expect.stringMatching(what) });
      expect(auto.lastBufferReport?.verification?.ok).toBe(true);
      buf.destroy();

      const strict = await createEvaluator({ backend: 'webgpu', device, limits: LIMITS });
      for (const call of [() => strict.sweep([exp, big], steps), () => strict.sweepToBuffer([exp, big], steps)]) {
        const err = await call().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(GpuUnsupportedError);
        expect(err).toMatchObject({ scheduleIndex: 1, field: expect.stringMatching(/table/) });
        expect((err as Error).message).toMatch(what);
        expect((err as Error).message).toMatch(/maxStorageBufferBindingSize = 4096/);
      }
      // The same request within the default limits runs on the GPU.
      const roomy = await createEvaluator({ backend: 'webgpu', device });
      expect((await roomy.sweep([exp, big], steps, { verify: 'all' })).verification?.ok).toBe(true);
      for (const ev of [auto, strict, roomy]) ev.destroy();
    });
  }

  it('tables that fit one by one but not together run on the GPU in parts (readback and buffer, kind groups and not)', async () => {
    const { device } = await requireDevice();
    const ev = await createEvaluator({ backend: 'webgpu', device, limits: { ...LIMITS, readbackBatchBytes: 1 << 20 } });
    // Interleaved kinds: the restart rows are scattered, so their parts go through scratch.
    const ss = [exp, ...smallRestarts.slice(0, 4), cos, ...smallRestarts.slice(4)];
    const r = await ev.sweep(ss, steps, { verify: 'all' });
    expect(r.backend).toBe('webgpu');
    expect(r.verification).toMatchObject({ ok: true, checked: ss.length * steps.count });
    const single = await ev.sweep(smallRestarts, steps, { verify: 'all' });
    expect(single.verification?.ok).toBe(true);
    expect(single.gpuStats!.submits).toBeGreaterThanOrEqual(3); // ≥ 3 parts of ≤ 3 tables of 1344 bytes
    const buf = await ev.sweepToBuffer(ss, steps, { verify: 'all' });
    expect(ev.lastBufferReport).toMatchObject({ backend: 'webgpu', verification: { ok: true } });
    buf.destroy();
    // A caller buffer without COPY_DST: no kind groups, consecutive parts written in place.
    const bytes = ss.length * steps.count * 4;
    const own = device.createBuffer({ size: bytes + 256, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    await ev.sweepToBuffer(ss, steps, { buffer: own, offset: 256 });
    const values = new Float32Array(await readBuffer(device, own, bytes, 256));
    expect(verify(ss, steps, values, { mode: 'all' }).ok).toBe(true);
    own.destroy();
    ev.destroy();
  });
});

describe('other limits and edges of the GPU path', () => {
  it("a step list over maxBufferSize: 'auto' runs on the CPU naming steps.length and the limit, 'webgpu' is GpuUnsupportedError", async () => {
    const { device } = await requireDevice();
    const limits: EvaluatorLimits = { maxBufferSize: 65536 };
    const list = Uint32Array.from({ length: 20_000 }, (_, i) => i * 3);
    const auto = await createEvaluator({ backend: 'auto', device, limits });
    const r = await auto.evaluate(exp, list, { verify: 'all' });
    expect(r.backend).toBe('cpu');
    expect(r.fallbackReason).toMatch(/steps\.length = 20000: .*maxBufferSize = 65536/);
    expect(r.verification?.ok).toBe(true);
    const strict = await createEvaluator({ backend: 'webgpu', device, limits });
    await expect(strict.evaluate(exp, list)).rejects.toThrow(GpuUnsupportedError);
    // Within the limit the list runs on the GPU.
    expect((await strict.evaluate(exp, list.subarray(0, 10_000), { verify: 'all' })).verification?.ok).toBe(true);
    auto.destroy();
    strict.destroy();
  });

  it("a config the GPU packer cannot pack is never a bare error: 'auto' gives values within the bound, 'webgpu' those or GpuUnsupportedError", async () => {
    const { device } = await requireDevice();
    const auto = await createEvaluator({ backend: 'auto', device });
    const strict = await createEvaluator({ backend: 'webgpu', device });
    // Restart periods with index ≥ 2^53 (first_decay_steps ≲ 1e-290 with t_mul 1) made the packer throw a ScheduleConfigError.
    const cases = [
      { s: new CosineDecayRestarts({ initialLearningRate: 0.5, firstDecaySteps: 1e-300, tMul: 1, alpha: 1 }), steps: [100] },
      { s: new CosineDecayRestarts({ initialLearningRate: 0.5, firstDecaySteps: 5e-324, tMul: 1, mMul: 0.5, alpha: 0.5 }), steps: [3490874880] },
    ];
    for (const { s, steps: list } of cases) {
      const r = await auto.evaluate(s, list, { verify: 'all' });
      expect(r.verification?.ok).toBe(true);
      if (r.backend === 'cpu') expect(r.fallbackReason).toMatch(/^schedule #0 \(CosineDecayRestarts\): /);
      const g = await strict.evaluate(s, list, { verify: 'all' }).then(
        (x) => x.verification?.ok,
        (e: unknown) => e,
      );
      if (g !== true) expect(g).toBeInstanceOf(GpuUnsupportedError);
    }
    auto.destroy();
    strict.destroy();
  });

  it('a one-step range with a stride beyond u32 runs on the GPU (the stride is never used)', async () => {
    const { device } = await requireDevice();
    const ev = await createEvaluator({ backend: 'webgpu', device });
    const r = await ev.sweep([exp, bigRestarts], { start: 12345, count: 1, stride: 2 ** 40 }, { verify: 'all' });
    expect(r.backend).toBe('webgpu');
    expect(r.verification).toMatchObject({ ok: true, checked: 2 });
    const buf = await ev.evaluateToBuffer(exp, { start: 7, count: 1, stride: 2 ** 52 }, { verify: 'all' });
    expect(ev.lastBufferReport?.verification?.ok).toBe(true);
    buf.destroy();
    ev.destroy();
  });
});

describe('the evaluator decides GPU support by packing', () => {
  it('packSchedules refuses exactly what gpuSupport declines (the evaluator packs once and takes the packer’s GpuUnsupportedError as the reason)', () => {
    const ss = [
      ...mixedSchedules(),
      bigRestarts,
      bigPiecewise,
      new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100, alpha: 3 }),
      new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 2 }),
      new ExponentialDecay({ initialLearningRate: 1e-40, decaySteps: 1e6, decayRate: 1.5 }),
      new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 1e-17, tMul: 1.0000000000000002 }),
    ];
    const windows = [
      { minStep: 0, maxStep: 0 },
      { minStep: 0, maxStep: 1000 },
      { minStep: 5000, maxStep: 2 ** 20 },
      { minStep: 0, maxStep: 2 ** 32 - 1 },
    ];
    for (const s of ss) {
      for (const w of windows) {
        const declined = gpuSupport(s, w);
        const packed = (() => {
          try {
            packSchedules([s], w);
            return null;
          } catch (e) {
            return e;
          }
        })();
        if (declined) expect(packed).toMatchObject({ name: 'GpuUnsupportedError', field: declined.field, rule: declined.rule });
        else expect(packed).toBeNull();
      }
    }
  });
});
