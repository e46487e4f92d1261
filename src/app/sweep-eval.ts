/**
 * Sweep evaluation: the schedules' values over the range, on the page's WebGPU device
 * (into a buffer the plot draws from) or on the CPU, and the sample check of a few rows
 * against the exact reference.
 */
import { verifyPicks } from './build.ts';
import { GpuPlot } from './gpu-plot.ts';
import { verifySample, type Schedule, type StepRange, type VerifySummary } from './lib.ts';
import type { App } from './state.ts';
import type { DisplayPoints } from './view.ts';

export interface Evaluated {
  /** WebGPU: rows × count f32 from byte 0 (the caller owns and destroys it). */
  readonly gpuValues: GPUBuffer | null;
  /** CPU: rows × count values. */
  readonly cpuValues: Float32Array | null;
  /** Why the evaluator filled the GPU buffer on the CPU ('' when the GPU did, or on the CPU backend). */
  readonly fallback: string;
}

/** Evaluates every schedule over the range with the page's engine (WebGPU into a buffer when the page draws with WebGPU). */
export async function evaluateSweep(app: App, schedules: readonly Schedule[], range: StepRange): Promise<Evaluated> {
  const { engine, device, plot } = app;
  if (engine.backend === 'webgpu' && device && plot instanceof GpuPlot) {
    const rows = schedules.length;
    const gpuValues = device.createBuffer({ size: Math.max(4, rows * range.count * 4), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    try {
      const fallback = (await engine.sweepToBuffer(schedules, range, gpuValues)) ?? '';
      return { gpuValues, cpuValues: null, fallback };
    } catch (e) {
      gpuValues.destroy();
      throw e;
    }
  }
  return { gpuValues: null, cpuValues: await engine.sweep(schedules, range), fallback: '' };
}

/** Reads `rows` (each `count` f32) of a rows × count GPU buffer back, packed in that order. */
export async function readRows(device: GPUDevice, src: GPUBuffer, rows: readonly number[], count: number): Promise<Float32Array> {
  const bytes = count * 4;
  const read = device.createBuffer({ size: bytes * rows.length, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  const enc = device.createCommandEncoder();
  rows.forEach((r, i) => enc.copyBufferToBuffer(src, r * bytes, read, i * bytes, bytes));
  device.queue.submit([enc.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const v = new Float32Array(read.getMappedRange().slice(0));
  read.destroy();
  return v;
}

/** Checks a few rows (verifyPicks) against the exact reference; the values come from wherever they already are. */
export async function verifyRows(app: App, schedules: readonly Schedule[], range: StepRange, points: DisplayPoints, gpu: GPUBuffer | null, cpu: Float32Array | null): Promise<VerifySummary> {
  const pick = verifyPicks(schedules.length, range.count);
  const values = new Float32Array(pick.length * range.count);
  if (cpu) {
    pick.forEach((r, i) => values.set(cpu.subarray(r * range.count, (r + 1) * range.count), i * range.count));
  } else if (!points.reduced) {
    pick.forEach((r, i) => values.set(points.ys.subarray(r * range.count, (r + 1) * range.count), i * range.count));
  } else if (gpu && app.device) {
    values.set(await readRows(app.device, gpu, pick, range.count));
  }
  try {
    return verifySample(pick.map((r) => schedules[r] as Schedule), range, values);
  } catch (e) {
    console.warn('verification did not run', e);
    return { ok: false, checked: 0, maxUlp: Number.NaN };
  }
}
