/**
 * Issue L.6, whose fault: a caller's buffer that the device cannot use (destroyed, mapped,
 * made by another GPUDevice, not a buffer, missing a usage) is an EvaluatorInputError
 * naming `buffer` (or `buffer.usage`), never "a bug in webgpu-lr-schedules". Checked on a
 * real Dawn device, under 'webgpu' and 'auto', on the GPU path and on the CPU-fallback path;
 * the evaluator keeps working afterwards.
 */
import { describe, expect, it } from 'vitest';
import { CosineDecay, CosineDecayRestarts, EvaluatorInputError, ExponentialDecay, acquireDevice, createEvaluator, verify } from '../../src/index.ts';
import { readBuffer, requireDevice } from '../helpers/gpu.ts';
import { mixedSchedules } from '../helpers/schedules.ts';

const exp = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 });
/** Not supported by the GPU formulation (alpha = 3): 'auto' fills the buffer from the CPU. */
const cpuOnly = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100, alpha: 3 });
const steps = { start: 0, count: 256 };
const U = (): typeof GPUBufferUsage => GPUBufferUsage;

async function inputError(p: Promise<unknown>): Promise<EvaluatorInputError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EvaluatorInputError);
  expect((err as Error).message).not.toMatch(/bug in webgpu-lr-schedules/);
  return err as EvaluatorInputError;
}

describe.each(['webgpu', 'auto'] as const)("a caller's buffer the device cannot use (%s)", (backend) => {
  it('destroyed: EvaluatorInputError naming buffer, on the GPU path, the kind-group path and the CPU-fallback path', async () => {
    const { device } = await requireDevice();
    const ev = await createEvaluator({ backend, device });
    const ss = mixedSchedules();
    const b = device.createBuffer({ label: 'mine', size: ss.length * 256 * 4, usage: U().STORAGE | U().COPY_DST | U().COPY_SRC });
    b.destroy();
    const one = await inputError(ev.evaluateToBuffer(exp, steps, { buffer: b }));
    expect(one.field).toBe('buffer');
    expect(one.message).toMatch(/buffer = "GPUBuffer 'mine' of \d+ bytes": is destroyed/);
    expect((await inputError(ev.sweepToBuffer(ss, steps, { buffer: b }))).field).toBe('buffer');
    if (backend === 'auto') expect((await inputError(ev.evaluateToBuffer(cpuOnly, steps, { buffer: b }))).message).toMatch(/destroyed/);
    expect((await ev.evaluate(exp, steps, { verify: 'all' })).backend).toBe('webgpu');
    ev.destroy();
  });

  it('destroyed by the caller during the call (from onProgress, between two parts): EvaluatorInputError naming buffer', async () => {
    const { device } = await requireDevice();
    // Restart tables of 1344 bytes each under a 4096-byte binding: the sweep runs in several parts.
    const ss = Array.from({ length: 8 }, (_, i) => new CosineDecayRestarts({ initialLearningRate: 0.1 + i / 100, firstDecaySteps: 10, tMul: 1.2 }));
    const ev = await createEvaluator({ backend, device, limits: { maxStorageBufferBindingSize: 4096 } });
    const range = { start: 0, count: 100_001 };
    const b = device.createBuffer({ size: ss.length * range.count * 4, usage: U().STORAGE | U().COPY_DST | U().COPY_SRC });
    let reports = 0;
    const err = await inputError(ev.sweepToBuffer(ss, range, { buffer: b, onProgress: () => ++reports === 1 && b.destroy() }));
    expect(reports).toBeGreaterThanOrEqual(1);
    expect(err.field).toBe('buffer');
    expect(err.message).toMatch(/is destroyed/);
    // Destroyed after the work, before verify reads it back: named too, not a VerificationError.
    const c = device.createBuffer({ size: 4096, usage: U().STORAGE | U().COPY_DST | U().COPY_SRC });
    const late = await inputError(ev.evaluateToBuffer(exp, steps, { buffer: c, verify: 'all', onProgress: () => c.destroy() }));
    expect(late.message).toMatch(/is destroyed/);
    expect((await ev.evaluate(exp, steps, { verify: 'all' })).backend).toBe('webgpu');
    ev.destroy();
  });

  it('mapped: a STORAGE buffer mapped at creation, and a MAP_READ buffer after mapAsync', async () => {
    const { device } = await requireDevice();
    const ev = await createEvaluator({ backend, device });
    const mapped = device.createBuffer({ size: 4096, usage: U().STORAGE | U().COPY_DST | U().COPY_SRC, mappedAtCreation: true });
    const e1 = await inputError(ev.evaluateToBuffer(exp, steps, { buffer: mapped }));
    expect(e1.field).toBe('buffer');
    expect(e1.message).toMatch(/is mapped: call buffer\.unmap\(\) first/);
    mapped.unmap();
    await ev.evaluateToBuffer(exp, steps, { buffer: mapped }); // usable once unmapped
    const values = new Float32Array(await readBuffer(device, mapped, 256 * 4));
    expect(verify([exp], steps, values, { mode: 'all' }).ok).toBe(true);
    mapped.destroy();
    const read = device.createBuffer({ size: 4096, usage: U().MAP_READ | U().COPY_DST });
    await read.mapAsync(GPUMapMode.READ);
    expect((await inputError(ev.evaluateToBuffer(exp, steps, { buffer: read }))).field).toBe('buffer');
    read.unmap();
    // Unmapped, it still lacks STORAGE: named as the usage.
    expect((await inputError(ev.evaluateToBuffer(exp, steps, { buffer: read }))).field).toBe('buffer.usage');
    read.destroy();
    ev.destroy();
  });

  it('from another GPUDevice: EvaluatorInputError naming buffer', async () => {
    const { device } = await requireDevice();
    const other = (await acquireDevice()).device;
    const ev = await createEvaluator({ backend, device });
    const foreign = other.createBuffer({ size: 4096, usage: U().STORAGE | U().COPY_DST | U().COPY_SRC });
    const err = await inputError(ev.evaluateToBuffer(exp, steps, { buffer: foreign }));
    expect(err.field).toBe('buffer');
    expect(err.message).toMatch(/belongs to another GPUDevice/);
    expect((await inputError(ev.sweepToBuffer(mixedSchedules(), { start: 0, count: 16 }, { buffer: foreign }))).field).toBe('buffer');
    if (backend === 'auto') expect((await inputError(ev.evaluateToBuffer(cpuOnly, steps, { buffer: foreign }))).field).toBe('buffer');
    expect((await ev.evaluate(exp, steps, { verify: 'all' })).backend).toBe('webgpu');
    ev.destroy();
    other.destroy();
  });

  it('not a buffer, or a usage the call needs: named before any GPU work', async () => {
    const { device } = await requireDevice();
    const ev = await createEvaluator({ backend, device });
    expect((await inputError(ev.evaluateToBuffer(exp, steps, { buffer: {} as GPUBuffer }))).field).toBe('buffer');
    expect((await inputError(ev.evaluateToBuffer(exp, steps, { buffer: 7 as unknown as GPUBuffer }))).field).toBe('buffer');
    const noSrc = device.createBuffer({ size: 4096, usage: U().STORAGE | U().COPY_DST });
    const e = await inputError(ev.evaluateToBuffer(exp, steps, { buffer: noSrc, verify: 'all' }));
    expect(e.field).toBe('buffer.usage');
    expect(e.message).toMatch(/COPY_SRC for verify 'all'/);
    await ev.evaluateToBuffer(exp, steps, { buffer: noSrc }); // no verify: fine
    noSrc.destroy();
    const small = device.createBuffer({ size: 64, usage: U().STORAGE });
    expect((await inputError(ev.evaluateToBuffer(exp, steps, { buffer: small }))).field).toBe('buffer.size');
    small.destroy();
    ev.destroy();
  });
});
