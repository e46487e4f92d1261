import { describe, expect, it } from 'vitest';
import { GpuBackend } from '../src/gpu/gpu-backend.ts';
import { GpuLimitError, ShaderCompileError } from '../src/gpu/errors.ts';
import { getPipelines } from '../src/gpu/pipeline-cache.ts';
import { FAKE_KERNEL, fakeExpected } from './helpers/fake-kernel.ts';
import { readBuffer, requireDevice, withErrorScopes } from './helpers/gpu.ts';

const range = (start: number, count: number, stride = 1): number[] => Array.from({ length: count }, (_, i) => start + i * stride);

describe('GPU backend (bytes, with a stand-in kernel)', () => {
  it('evaluates a sweep in one dispatch, one submit, one map', async () => {
    const { device } = await requireDevice();
    const gpu = new GpuBackend(device, FAKE_KERNEL);
    const bases = [0, 1000, 2000];
    const out = new Float32Array(3 * 500);
    const stats = await withErrorScopes(device, () =>
      gpu.evaluate({ rows: 3, cols: 500, params: Float32Array.from(bases).buffer, tables: new ArrayBuffer(0), steps: { start: 5, stride: 2 } }, out),
    );
    expect(stats).toEqual({ dispatches: 1, rowDispatches: 0, tileDispatches: 0, submits: 1, maps: 1 });
    expect(out).toEqual(fakeExpected(bases, range(5, 500, 2)));
    gpu.destroy();
  });

  it('gives the same values when forced into tiny chunks and batches, and reuses its buffers', async () => {
    const { device } = await requireDevice();
    const gpu = new GpuBackend(device, FAKE_KERNEL, {
      maxStorageBufferBindingSize: 1024,
      maxComputeWorkgroupsPerDimension: 2,
      readbackBatchBytes: 4096,
    });
    const bases = [0, 1e4, 2e4, 3e4, 4e4];
    const list = Uint32Array.from(range(0, 777).map((i) => (i * 7919) % 5000));
    const out = new Float32Array(5 * 777);
    const progress: number[] = [];
    const stats = await withErrorScopes(device, () =>
      gpu.evaluate({ rows: 5, cols: 777, params: Float32Array.from(bases).buffer, tables: new ArrayBuffer(0), steps: { list }, onProgress: (d) => progress.push(d) }, out),
    );
    expect(out).toEqual(fakeExpected(bases, [...list]));
    expect(stats.maps).toBe(Math.ceil((5 * 777 * 4) / 4096));
    expect(stats.submits).toBe(stats.maps);
    expect(stats.dispatches).toBeGreaterThanOrEqual(Math.ceil((5 * 777 * 4) / 1024));
    expect(progress.at(-1)).toBe(5 * 777);
    const created = gpu.buffersCreated;
    await gpu.evaluate({ rows: 5, cols: 777, params: Float32Array.from(bases).buffer, tables: new ArrayBuffer(0), steps: { list } }, out);
    expect(gpu.buffersCreated).toBe(created);
    gpu.destroy();
  });

  it('runs wide rows on the one-row entry points: dispatches cut at row boundaries, each row its own parameters', async () => {
    const { device } = await requireDevice();
    const bases = [0, 1e4, 2e4, 3e4, 4e4];
    const params = Float32Array.from(bases).buffer;
    const steps = { start: 7, stride: 3 };
    const list = Uint32Array.from(range(0, 300).map((i) => (i * 7919) % 5000));
    // rowPathMinCols 300: these rows are wide; 301: narrow (one dispatch spans them all).
    for (const [minCols, dispatches] of [
      [300, 5],
      [301, 1],
    ] as const) {
      const gpu = new GpuBackend(device, FAKE_KERNEL, { rowPathMinCols: minCols });
      const out = new Float32Array(5 * 300);
      const st = await withErrorScopes(device, () => gpu.evaluate({ rows: 5, cols: 300, params, tables: new ArrayBuffer(0), steps }, out));
      expect(st.dispatches).toBe(dispatches);
      expect(st.rowDispatches).toBe(minCols === 300 ? 5 : 0);
      expect(out).toEqual(fakeExpected(bases, range(7, 300, 3)));
      await withErrorScopes(device, () => gpu.evaluate({ rows: 5, cols: 300, params, tables: new ArrayBuffer(0), steps: { list } }, out));
      expect(out).toEqual(fakeExpected(bases, [...list]));
      gpu.destroy();
    }
    // Tiny chunks and batches: chunk and batch boundaries inside rows, into a buffer at an odd offset too.
    const gpu = new GpuBackend(device, FAKE_KERNEL, { rowPathMinCols: 1, maxChunkElements: 70, readbackBatchBytes: 4 * 130, minStorageBufferOffsetAlignment: 256 });
    const out = new Float32Array(5 * 300);
    const st = await withErrorScopes(device, () => gpu.evaluate({ rows: 5, cols: 300, params, tables: new ArrayBuffer(0), steps }, out));
    expect(out).toEqual(fakeExpected(bases, range(7, 300, 3)));
    expect(st.dispatches).toBeGreaterThan(5 * Math.ceil(300 / 70));
    const buffer = device.createBuffer({ size: 4 * 1600, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    await withErrorScopes(device, () => gpu.evaluateToBuffer({ rows: 5, cols: 300, params, tables: new ArrayBuffer(0), steps: { list } }, buffer, 4 * 37));
    expect(new Float32Array(await readBuffer(device, buffer, 4 * 1500, 4 * 37))).toEqual(fakeExpected(bases, [...list]));
    // One row: bound where it is (no copy of the parameters).
    const one = new Float32Array(300);
    await withErrorScopes(device, () => gpu.evaluate({ rows: 1, cols: 300, params: Float32Array.of(5e4).buffer, tables: new ArrayBuffer(0), steps }, one));
    expect(one).toEqual(fakeExpected([5e4], range(7, 300, 3)));
    buffer.destroy();
    gpu.destroy();
  });

  it('keeps wide rows on the one-row path when their aligned parameter copy exceeds maxBufferSize: it runs them in groups', async () => {
    const { device } = await requireDevice();
    // 5 rows × 256-byte strides = 1280 bytes > 600: groups of 2, 2 and 1 rows, each copy ≤ 512 bytes.
    const gpu = new GpuBackend(device, FAKE_KERNEL, { rowPathMinCols: 1, maxBufferSize: 600, minStorageBufferOffsetAlignment: 256 });
    const bases = [0, 1e4, 2e4, 3e4, 4e4];
    const out = new Float32Array(5 * 300);
    const st = await withErrorScopes(device, () => gpu.evaluate({ rows: 5, cols: 300, params: Float32Array.from(bases).buffer, tables: new ArrayBuffer(0), steps: { start: 7, stride: 3 } }, out));
    expect(out).toEqual(fakeExpected(bases, range(7, 300, 3)));
    expect(st.rowDispatches).toBe(st.dispatches);
    gpu.destroy();
  });

  it('binds windows of a step list larger than one binding', async () => {
    const { device } = await requireDevice();
    const gpu = new GpuBackend(device, FAKE_KERNEL, { maxStorageBufferBindingSize: 1024 });
    const list = Uint32Array.from(range(100, 600));
    const out = new Float32Array(2 * 600);
    await withErrorScopes(device, () => gpu.evaluate({ rows: 2, cols: 600, params: Float32Array.of(0, 1e4).buffer, tables: new ArrayBuffer(0), steps: { list } }, out));
    expect(out).toEqual(fakeExpected([0, 1e4], [...list]));
    gpu.destroy();
  });

  it('writes into a caller buffer at an offset without touching the rest', async () => {
    const { device } = await requireDevice();
    const gpu = new GpuBackend(device, FAKE_KERNEL, { maxStorageBufferBindingSize: 1024 });
    const buffer = device.createBuffer({ size: 4 * 1000, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(buffer, 0, new Float32Array(1000).fill(-1));
    await withErrorScopes(device, () => gpu.evaluateToBuffer({ rows: 2, cols: 300, params: Float32Array.of(0, 1e4).buffer, tables: new ArrayBuffer(0), steps: { start: 0, stride: 1 } }, buffer, 4 * 37));
    const got = new Float32Array(await readBuffer(device, buffer, 4000));
    expect(got.subarray(0, 37).every((v) => v === -1)).toBe(true);
    expect(got.subarray(37, 637)).toEqual(fakeExpected([0, 1e4], range(0, 300)));
    expect(got.subarray(637).every((v) => v === -1)).toBe(true);
    buffer.destroy();
    gpu.destroy();
  });

  it('a table or list over a device limit is a GpuLimitError naming it and the limit (and leaves no error scope open)', async () => {
    const { device } = await requireDevice();
    const gpu = new GpuBackend(device, FAKE_KERNEL, { maxStorageBufferBindingSize: 1024, maxBufferSize: 4096 });
    const req = { rows: 1, cols: 4, params: Float32Array.of(0).buffer, steps: { start: 0, stride: 1 } };
    const out = new Float32Array(4);
    const t = await gpu.evaluate({ ...req, tables: new ArrayBuffer(2048) }, out).catch((e: unknown) => e);
    expect(t).toBeInstanceOf(GpuLimitError);
    expect(t).toMatchObject({ field: 'restart tables', value: 2048, limit: 'maxStorageBufferBindingSize', limitValue: 1024 });
    const l = await gpu.evaluate({ ...req, cols: 2000, tables: new ArrayBuffer(0), steps: { list: new Uint32Array(2000) } }, new Float32Array(2000)).catch((e: unknown) => e);
    expect(l).toMatchObject({ name: 'GpuLimitError', field: 'step list', limit: 'maxBufferSize', limitValue: 4096 });
    const target = device.createBuffer({ size: 64, usage: GPUBufferUsage.STORAGE });
    const b = await gpu.evaluateToBuffer({ ...req, tables: new ArrayBuffer(2048) }, target, 0).catch((e: unknown) => e);
    expect(b).toBeInstanceOf(GpuLimitError);
    target.destroy();
    // No error scope was left open: the device's scope stack is empty (popping rejects).
    await expect(device.popErrorScope()).rejects.toThrow();
    // Still usable.
    await withErrorScopes(device, () => gpu.evaluate({ ...req, tables: new ArrayBuffer(0) }, out));
    expect(out).toEqual(fakeExpected([0], range(0, 4)));
    gpu.destroy();
  });

  it('reports WGSL errors with line:column and caches pipelines per device', async () => {
    const { device } = await requireDevice();
    const bad = { code: 'fn f() -> u32 {\n  return 1.5;\n}\n', label: 'bad.wgsl' };
    const err = await getPipelines(device, bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShaderCompileError);
    expect((err as ShaderCompileError).message).toMatch(/bad\.wgsl:2:\d+: /);
    const [a, b] = await Promise.all([getPipelines(device, FAKE_KERNEL), getPipelines(device, FAKE_KERNEL)]);
    expect(a.range).toBe(b.range);
    expect(a.list).toBe(b.list);
    expect(a.layout).toBe(b.layout);
    expect(a.range).not.toBe(a.list);
  });
});
