/**
 * Sweep evaluation: the schedules' values over the range, on the page's WebGPU device
 * (into a buffer the plot draws from) or on the CPU, and the sample check of a few rows
 * against the exact reference.
 */
import { verifyPicks } from './build.ts';
import { GpuPlot } from './gpu-plot.ts';
import { gpuDeclinesIn, verifySample, type Schedule, type StepRange, type Steps, type VerifySummary } from './lib.ts';
import type { App } from './state.ts';
import type { DisplayPoints } from './view.ts';

export interface Evaluated {
  /** WebGPU: rows × count f32 from byte 0 (the caller owns and destroys it). */
  readonly gpuValues: GPUBuffer | null;
  /** CPU: rows × count values. */
  readonly cpuValues: Float32Array | null;
  /** Why the evaluator filled (part of) the GPU buffer on the CPU ('' when the GPU did, or on the CPU backend). */
  readonly fallback: string;
  /** Rows computed on the CPU because the GPU declines them (empty when the GPU did all, or on the CPU backend). */
  readonly cpuRows: readonly number[];
}

/** Runs of consecutive rows not in `skip`: [first, end) pairs. */
export function rowRuns(rows: number, skip: ReadonlySet<number>): [number, number][] {
  const runs: [number, number][] = [];
  let a = -1;
  for (let r = 0; r <= rows; r++) {
    const take = r < rows && !skip.has(r);
    if (take && a < 0) a = r;
    if (!take && a >= 0) {
      runs.push([a, r]);
      a = -1;
    }
  }
  return runs;
}

/**
 * Evaluates every schedule over the steps with the page's engine (WebGPU into a buffer when
 * the page draws with WebGPU). The evaluator's 'auto' fills the whole buffer on the CPU
 * when any row is one the GPU declines; then the rows the GPU does take are evaluated on
 * it again, in runs, over the CPU's values, so only the declined rows stay CPU-computed.
 */
export async function evaluateSweep(app: App, schedules: readonly Schedule[], steps: Steps, range: StepRange, x0: number, x1: number): Promise<Evaluated> {
  const { engine, device, plot } = app;
  if (engine.backend === 'webgpu' && device && plot instanceof GpuPlot) {
    const rows = schedules.length;
    const gpuValues = device.createBuffer({ size: Math.max(4, rows * range.count * 4), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    try {
      const fallback = (await engine.sweepToBuffer(schedules, steps, gpuValues)) ?? '';
      if (fallback === '') return { gpuValues, cpuValues: null, fallback, cpuRows: [] };
      const declined = new Set<number>();
      let why = '';
      schedules.forEach((s, r) => {
        const no = gpuDeclinesIn(s, x0, x1);
        if (no === null) return;
        declined.add(r);
        // The first declined row's reason, numbered as the page numbers rows (from #1).
        if (why === '') why = `#${r + 1} ${s.kind}: ${no}`;
      });
      const all = schedules.map((_, r) => r);
      if (declined.size === 0 || declined.size === rows) return { gpuValues, cpuValues: null, fallback, cpuRows: all };
      for (const [a, b] of rowRuns(rows, declined)) {
        const again = await engine.sweepToBuffer(schedules.slice(a, b), steps, gpuValues, a * range.count * 4);
        if (again !== null) return { gpuValues, cpuValues: null, fallback: again, cpuRows: all };
      }
      return { gpuValues, cpuValues: null, fallback: why, cpuRows: [...declined] };
    } catch (e) {
      gpuValues.destroy();
      throw e;
    }
  }
  return { gpuValues: null, cpuValues: await engine.sweep(schedules, steps), fallback: '', cpuRows: [] };
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
export async function verifyRows(app: App, schedules: readonly Schedule[], range: StepRange, steps: Steps, points: DisplayPoints, gpu: GPUBuffer | null, cpu: Float32Array | null): Promise<VerifySummary> {
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
    return verifySample(pick.map((r) => schedules[r] as Schedule), steps, values);
  } catch (e) {
    console.warn('verification did not run', e);
    return { ok: false, checked: 0, maxUlp: Number.NaN };
  }
}
