/**
 * Issue F.3, faults: device loss in the middle of a sweep (device.destroy() from the
 * progress callback at a chosen readback batch), out-of-memory reported by the device,
 * and a shader that fails to compile. Values are judged by verify() 'all'.
 *
 * Policy under test (src/api/evaluator.ts, docs/bad-inputs.md "Faults"):
 * - 'auto': a device lost during a call → the call is redone on the CPU, returns correct
 *   values with backend 'cpu' and a fallbackReason; the evaluator then STAYS on the CPU
 *   (ev.backend 'cpu'), it does not request a new device.
 * - 'webgpu': the call rejects with GpuDeviceLostError.
 * - out-of-memory: that call is redone on the CPU ('auto'; the next call tries the GPU
 *   again) or rejects with GpuOutOfMemoryError ('webgpu').
 * - shader compile failure: createEvaluator rejects with ShaderCompileError in both
 *   modes; never a silent CPU evaluator.
 */
import { describe, expect, it } from 'vitest';
import {
  CosineDecayRestarts,
  ExponentialDecay,
  GpuDeviceLostError,
  GpuOutOfMemoryError,
  ShaderCompileError,
  acquireDevice,
  createEvaluator,
  type EvaluatorLimits,
} from '../../src/index.ts';
import { mixedSchedules } from '../helpers/schedules.ts';

/** Small chunks and readback batches: a 6 × 3000 sweep becomes many batches, one onProgress each. */
const SMALL: EvaluatorLimits = { maxStorageBufferBindingSize: 4096, readbackBatchBytes: 8192 };

/** A proxy of a real device with some methods replaced (methods of the real device keep their `this`). */
function patchDevice(device: GPUDevice, patch: Partial<Record<keyof GPUDevice, unknown>>): GPUDevice {
  return new Proxy(device, {
    get(target, key, _receiver) {
      if (Object.hasOwn(patch, key)) return patch[key as keyof GPUDevice];
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

describe('device lost in the middle of a sweep', () => {
  for (const atBatch of [1, 3]) {
    it(`'auto': destroy() at readback batch ${atBatch} → correct values from the CPU, reported; later calls stay on the CPU`, async () => {
      const { device } = await acquireDevice();
      const ev = await createEvaluator({ backend: 'auto', device, limits: SMALL });
      expect(ev.backend).toBe('webgpu');
      const ss = mixedSchedules();
      const steps = { start: 0, count: 3000 };
      let batches = 0;
      let destroyed = false;
      const r = await ev.sweep(ss, steps, {
        verify: 'all',
        onProgress: () => {
          batches++;
          if (!destroyed && batches === atBatch) {
            destroyed = true;
            device.destroy();
          }
        },
      });
      expect(destroyed).toBe(true);
      expect(r.backend).toBe('cpu');
      expect(r.fallbackReason).toMatch(/lost|destroy/i);
      expect(r.fallbackReason).toMatch(/CPU/);
      expect(r.verification).toMatchObject({ ok: true, checked: ss.length * 3000 });
      // Policy: the evaluator stays on the CPU and says why.
      expect(ev.backend).toBe('cpu');
      expect(ev.fallbackReason).toMatch(/lost|destroy/i);
      const next = await ev.evaluate(ss[0]!, [0, 1, 2 ** 32 - 1], { verify: 'all' });
      expect(next.backend).toBe('cpu');
      expect(next.fallbackReason).toMatch(/lost|destroy/i);
      expect(next.verification?.ok).toBe(true);
      // A stream after the loss runs on the CPU too, chunk by chunk.
      for await (const chunk of ev.stream(ss[1]!, { start: 0, count: 100 }, { chunkSteps: 40, verify: 'all' })) expect(chunk.backend).toBe('cpu');
      ev.destroy();
    });
  }

  it("'webgpu': the call rejects with GpuDeviceLostError, never a partial or zero result", async () => {
    const { device } = await acquireDevice();
    const ev = await createEvaluator({ backend: 'webgpu', device, limits: SMALL });
    const p = ev.sweep(mixedSchedules(), { start: 0, count: 3000 }, { onProgress: (d) => d > 0 && device.destroy() });
    await expect(p).rejects.toBeInstanceOf(GpuDeviceLostError);
    await expect(ev.evaluate(mixedSchedules()[0]!, { start: 0, count: 10 })).rejects.toBeInstanceOf(GpuDeviceLostError);
    ev.destroy();
  });

  it("'auto': a stream whose device is lost between chunks goes on with correct CPU chunks, each flagged", async () => {
    const { device } = await acquireDevice();
    const ev = await createEvaluator({ backend: 'auto', device });
    const s = new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 100, tMul: 2, mMul: 0.9, alpha: 0.01 });
    const seen: { backend: string; reason: string | undefined }[] = [];
    for await (const chunk of ev.stream(s, { start: 0, count: 5000 }, { chunkSteps: 1000, verify: 'all' })) {
      seen.push({ backend: chunk.backend, reason: chunk.fallbackReason });
      if (seen.length === 2) device.destroy();
    }
    expect(seen.map((x) => x.backend)).toEqual(['webgpu', 'webgpu', 'cpu', 'cpu', 'cpu']);
    for (const x of seen.slice(2)) expect(x.reason).toMatch(/lost|destroy/i);
    ev.destroy();
  });

  it("'auto' on a device that was lost before the first call: CPU with the reason", async () => {
    const { device } = await acquireDevice();
    const ev = await createEvaluator({ backend: 'auto', device });
    device.destroy();
    await device.lost;
    const r = await ev.evaluate(new ExponentialDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 0.5 }), { start: 0, count: 100 }, { verify: 'all' });
    expect(r.backend).toBe('cpu');
    expect(r.fallbackReason).toMatch(/lost|destroy/i);
    ev.destroy();
  });
});

describe('out-of-memory on buffer creation', () => {
  /** A device whose 'out-of-memory' error scopes report an error while `armed` (what Dawn reports when createBuffer cannot allocate). */
  async function oomDevice(): Promise<{ device: GPUDevice; real: GPUDevice; arm: (n: number) => void; fired: () => number }> {
    const { device: real } = await acquireDevice();
    const filters: GPUErrorFilter[] = [];
    let armed = 0;
    let fired = 0;
    const device = patchDevice(real, {
      pushErrorScope: (f: GPUErrorFilter) => {
        filters.push(f);
        real.pushErrorScope(f);
      },
      popErrorScope: async () => {
        const f = filters.pop();
        const e = await real.popErrorScope();
        if (f === 'out-of-memory' && armed > 0) {
          armed--;
          fired++;
          return { message: 'Out of memory: injected by test/evaluator/faults.test.ts (createBuffer)' };
        }
        return e;
      },
    });
    return { device, real, arm: (n) => (armed = n), fired: () => fired };
  }

  it("'auto': the call is redone on the CPU and says so; the next call uses the GPU again", async () => {
    const { device, real, arm, fired } = await oomDevice();
    const ev = await createEvaluator({ backend: 'auto', device, limits: SMALL });
    const ss = mixedSchedules();
    arm(1);
    const r = await ev.sweep(ss, { start: 0, count: 3000 }, { verify: 'all' });
    expect(fired()).toBe(1);
    expect(r.backend).toBe('cpu');
    expect(r.fallbackReason).toMatch(/out-of-memory/i);
    expect(r.verification?.ok).toBe(true);
    expect(ev.backend).toBe('webgpu');
    const again = await ev.sweep(ss, { start: 0, count: 3000 }, { verify: 'all' });
    expect(again.backend).toBe('webgpu');
    expect(again.verification?.ok).toBe(true);
    ev.destroy();
    real.destroy();
  });

  it("'webgpu': a clear GpuOutOfMemoryError", async () => {
    const { device, real, arm } = await oomDevice();
    const ev = await createEvaluator({ backend: 'webgpu', device, limits: SMALL });
    arm(1);
    const p = ev.sweep(mixedSchedules(), { start: 0, count: 3000 });
    await expect(p).rejects.toBeInstanceOf(GpuOutOfMemoryError);
    await expect(p).rejects.toThrow(/out-of-memory/i);
    ev.destroy();
    real.destroy();
  });
});

describe('shader compile failure', () => {
  const BROKEN = 'fn broken( -> { let x: f32 = ; }'; // not WGSL

  for (const backend of ['auto', 'webgpu'] as const) {
    it(`'${backend}': createEvaluator rejects with ShaderCompileError (line:column), never a silent CPU evaluator`, async () => {
      const { device: real } = await acquireDevice();
      const device = patchDevice(real, {
        createShaderModule: (d: GPUShaderModuleDescriptor) => real.createShaderModule({ ...d, code: BROKEN }),
      });
      const p = createEvaluator({ backend, device });
      await expect(p).rejects.toBeInstanceOf(ShaderCompileError);
      const err = (await p.then(
        () => undefined,
        (e: unknown) => e,
      )) as ShaderCompileError;
      expect(err.messages.length).toBeGreaterThan(0);
      expect(err.message).toMatch(/evaluate\.wgsl:\d+:\d+/);
      real.destroy();
    });
  }
});
