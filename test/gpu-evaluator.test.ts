import { describe, expect, it } from 'vitest';
import {
  CosineDecay,
  ExponentialDecay,
  GpuDeviceLostError,
  GpuUnavailableError,
  GpuUnsupportedError,
  accepts,
  acquireDevice,
  createEvaluator,
  toleranceK,
  verify,
} from '../src/index.ts';
import { readBuffer, requireDevice, submitDispatch, withErrorScopes } from './helpers/gpu.ts';
import { mixedSchedules } from './helpers/schedules.ts';

const exp = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 });

describe('GPU evaluator: buffers consumed on the GPU', () => {
  it('sweepToBuffer output is read by a second kernel, with no readback of the first', async () => {
    const { device } = await requireDevice();
    const ev = await createEvaluator({ backend: 'webgpu', device });
    const ss = mixedSchedules();
    const N = 4096;
    const lr = await ev.sweepToBuffer(ss, { start: 0, count: N });
    expect(ev.lastBufferReport).toMatchObject({ buffer: lr, offset: 0, byteLength: ss.length * N * 4, backend: 'webgpu', rows: ss.length, cols: N });
    // A consumer kernel: picks lr[row][step] for (row, step) pairs into another buffer.
    const picks = Uint32Array.from({ length: 2000 }, (_, i) => ((i * 7) % ss.length) * 65536 + ((i * 104729) % N));
    const pickBuf = device.createBuffer({ size: picks.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(pickBuf, 0, picks);
    const dst = device.createBuffer({ size: picks.length * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    await withErrorScopes(device, () => {
      const module = device.createShaderModule({
        code: /* wgsl */ `
          @group(0) @binding(0) var<storage, read> lr: array<f32>;
          @group(0) @binding(1) var<storage, read> picks: array<u32>;
          @group(0) @binding(2) var<storage, read_write> dst: array<f32>;
          @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) {
            if (id.x >= arrayLength(&picks)) { return; }
            let p = picks[id.x];
            dst[id.x] = lr[(p >> 16u) * ${N}u + (p & 0xffffu)];
          }`,
      });
      const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      const bind = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [lr, pickBuf, dst].map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      submitDispatch(device, pipeline, bind, Math.ceil(picks.length / 64));
    });
    const got = new Float32Array(await readBuffer(device, dst, picks.length * 4));
    const bad: string[] = [];
    picks.forEach((p, i) => {
      const s = ss[p >>> 16]!;
      const step = p & 0xffff;
      if (!accepts(toleranceK(s), s.at(step), got[i]!)) bad.push(`schedule #${p >>> 16} (${s.kind}), step ${step} → got ${got[i]}`);
    });
    expect(bad).toEqual([]);
    for (const b of [lr, pickBuf, dst]) b.destroy();
    ev.destroy();
  });

  it('writes into the caller buffer at an offset and verifies on request', async () => {
    const { device } = await requireDevice();
    const ev = await createEvaluator({ backend: 'webgpu', device });
    const buffer = device.createBuffer({ size: 4096, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(buffer, 0, new Float32Array(1024).fill(-7));
    const r = await ev.evaluateToBuffer(exp, { start: 10, count: 500 }, { buffer, offset: 400, verify: 'all' });
    expect(r).toBe(buffer);
    expect(ev.lastBufferReport?.verification).toMatchObject({ ok: true, checked: 500 });
    const all = new Float32Array(await readBuffer(device, buffer, 4096));
    expect(all.subarray(0, 100).every((v) => v === -7)).toBe(true);
    expect(all.subarray(600).every((v) => v === -7)).toBe(true);
    expect(verify([exp], { start: 10, count: 500 }, all.subarray(100, 600)).ok).toBe(true);
    await expect(ev.evaluateToBuffer(exp, { start: 0, count: 2000 }, { buffer })).rejects.toThrow(/buffer\.size = 4096: must be ≥/);
    await expect(ev.evaluateToBuffer(exp, { start: 0, count: 2 }, { buffer, offset: 6 })).rejects.toThrow(/offset = 6/);
    buffer.destroy();
    ev.destroy();
  });

  it('fills a buffer from the CPU when the GPU formulation does not support a config (auto)', async () => {
    const { device } = await requireDevice();
    const odd = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100, alpha: 3 });
    const auto = await createEvaluator({ backend: 'auto', device });
    const buf = await auto.evaluateToBuffer(odd, { start: 0, count: 200 }, { verify: 'all' });
    expect(auto.lastBufferReport).toMatchObject({ backend: 'cpu', fallbackReason: expect.stringMatching(/schedule #0 \(CosineDecay\): alpha = 3: GPU CosineDecay needs/) });
    expect(auto.lastBufferReport?.verification?.ok).toBe(true);
    buf.destroy();
    const r = await auto.evaluate(odd, { start: 0, count: 200 }, { verify: 'all' });
    expect(r).toMatchObject({ backend: 'cpu', fallbackReason: expect.stringContaining('alpha = 3') });
    expect(auto.backend).toBe('webgpu'); // only that request went to the CPU
    expect((await auto.evaluate(exp, { start: 0, count: 10 })).backend).toBe('webgpu');
    const strict = await createEvaluator({ backend: 'webgpu', device });
    await expect(strict.evaluate(odd, { start: 0, count: 200 })).rejects.toThrow(GpuUnsupportedError);
    auto.destroy();
    strict.destroy();
  });
});

describe('GPU evaluator: fallback paths', () => {
  it('falls back to the CPU without WebGPU or without an adapter, and says so', async () => {
    const none = await createEvaluator({ backend: 'auto', gpu: null });
    expect(none).toMatchObject({ backend: 'cpu', adapter: 'cpu', device: undefined });
    expect(none.fallbackReason).toMatch(/WebGPU is not available/);
    const r = await none.evaluate(exp, { start: 0, count: 100 }, { verify: 'all' });
    expect(r).toMatchObject({ backend: 'cpu', fallbackReason: expect.stringMatching(/WebGPU is not available/) });
    expect(r.verification?.ok).toBe(true);
    await expect(none.evaluateToBuffer(exp, { start: 0, count: 1 })).rejects.toThrow(GpuUnavailableError);

    const noAdapter = await createEvaluator({ gpu: { requestAdapter: () => Promise.resolve(null) } });
    expect(noAdapter.backend).toBe('cpu');
    expect(noAdapter.fallbackReason).toMatch(/no adapter/);
    await expect(createEvaluator({ backend: 'webgpu', gpu: null })).rejects.toThrow(GpuUnavailableError);
  });

  it('finishes on the CPU when its device is lost before a call, and stays there', async () => {
    const { device } = await acquireDevice();
    const ev = await createEvaluator({ backend: 'auto', device });
    expect(ev.backend).toBe('webgpu');
    device.destroy();
    const r = await ev.evaluate(exp, { start: 0, count: 1000 }, { verify: 'all' });
    expect(r.backend).toBe('cpu');
    expect(r.fallbackReason).toMatch(/lost/);
    expect(r.verification?.ok).toBe(true);
    expect(ev.backend).toBe('cpu');
    expect(ev.fallbackReason).toMatch(/lost/);
    const again = await ev.evaluate(exp, { start: 0, count: 10 });
    expect(again.backend).toBe('cpu');
    expect(again.fallbackReason).toMatch(/lost/);
    await expect(ev.evaluateToBuffer(exp, { start: 0, count: 10 })).rejects.toThrow(GpuDeviceLostError);
    ev.destroy();
  });

  it('completes a call on the CPU when the device is destroyed mid-call', async () => {
    const ss = mixedSchedules();
    // (a) destroyed while the first batch's mapAsync is pending
    {
      const { device } = await acquireDevice();
      const ev = await createEvaluator({ backend: 'auto', device });
      const p = ev.sweep(ss, { start: 0, count: 2 ** 16 }, { verify: 'sample' });
      setTimeout(() => device.destroy(), 0);
      const r = await p;
      expect(r.backend).toBe('cpu');
      expect(r.fallbackReason).toMatch(/lost.*this call was redone on the CPU/); // detected inside the GPU run
      expect(r.verification?.ok).toBe(true);
      expect(verify(ss, { start: 0, count: 2 ** 16 }, r.values, { mode: 'sample', sampleSize: 20000 }).ok).toBe(true);
      ev.destroy();
    }
    // (b) destroyed between two batches (after the first batch's progress report)
    {
      const { device } = await acquireDevice();
      const ev = await createEvaluator({ backend: 'auto', device, limits: { readbackBatchBytes: 16384 } });
      let batches = 0;
      const r = await ev.sweep(ss, { start: 0, count: 3000 }, { verify: 'all', onProgress: () => ++batches === 1 && device.destroy() });
      expect(batches).toBeGreaterThan(1);
      expect(r.backend).toBe('cpu');
      expect(r.fallbackReason).toMatch(/lost.*this call was redone on the CPU/);
      expect(r.verification?.ok).toBe(true);
      ev.destroy();
    }
    // (c) with backend 'webgpu' device loss is an error
    {
      const { device } = await acquireDevice();
      const ev = await createEvaluator({ backend: 'webgpu', device });
      device.destroy();
      await expect(ev.evaluate(exp, { start: 0, count: 100 })).rejects.toThrow(GpuDeviceLostError);
      ev.destroy();
    }
  });

  it('destroys only a device it created', async () => {
    const { device } = await acquireDevice();
    const borrowed = await createEvaluator({ backend: 'webgpu', device });
    borrowed.destroy();
    const own = await createEvaluator({ backend: 'webgpu', device });
    expect((await own.evaluate(exp, { start: 0, count: 10 })).backend).toBe('webgpu'); // device still alive
    own.destroy();
    const created = await createEvaluator({ backend: 'webgpu' });
    const lost = created.device!.lost;
    created.destroy();
    expect((await lost).reason).toBe('destroyed');
    device.destroy();
  });
});
