/**
 * What an explorer "train with this schedule" panel calls: trains the example model
 * with the schedule the user is looking at and returns the loss curve next to the
 * learning-rate curve (data and a ready SVG). On WebGPU the run is the GPU example
 * (lr[step] from the evaluator buffer); without a device it runs the same algorithm
 * on the CPU (trainLogRegReference, f64) with the schedule's f32 values, and says so.
 */
import type { AnySchedule } from '../../src/index.ts';
import { trainingChartSvg, type ChartAxes } from './chart.ts';

export type { AxisTicks, ChartAxes } from './chart.ts';
import { trainLogReg, trainLogRegReference, type LrEvaluator, type Optimizer } from './train.ts';

export interface PanelRun {
  readonly backend: 'webgpu' | 'cpu';
  readonly steps: number;
  readonly initialLoss: number;
  readonly finalLoss: number;
  readonly lossSteps: Uint32Array;
  readonly lossCurve: Float32Array;
  readonly lrSteps: Uint32Array;
  readonly lrUsed: Float32Array;
  readonly msPerStep: number;
  /** trainingChartSvg of the run. */
  readonly svg: string;
}

export interface PanelOptions {
  /** The page's device; omitted or null: the CPU run. */
  readonly device?: GPUDevice | null;
  /** Steps to train (lr[0 … steps − 1]); the panel would pass its plotted range. Default 300. */
  readonly steps?: number;
  readonly optimizer?: Optimizer;
  /** The page's evaluator, reused for the LR buffer (saves its pipeline). */
  readonly evaluator?: LrEvaluator;
  readonly chartSize?: { width: number; height: number };
  /** The charts' ticks and labels (a page passes its own plot's; default: the chart's own). */
  readonly axes?: ChartAxes;
}

export async function trainWithSchedule(schedule: AnySchedule, options: PanelOptions = {}): Promise<PanelRun> {
  const steps = options.steps ?? 300;
  const optimizer = options.optimizer ?? 'adam';
  const every = Math.max(1, Math.ceil(steps / 1000));
  let run: Omit<PanelRun, 'svg'>;
  if (options.device) {
    const r = await trainLogReg({
      device: options.device,
      schedule,
      steps,
      optimizer,
      variant: 'buffer',
      sampleEvery: every,
      ...(options.evaluator ? { evaluator: options.evaluator } : {}),
    });
    run = { backend: 'webgpu', ...r };
  } else {
    const t0 = performance.now();
    const lr = schedule.fill({ start: 0, count: steps }, new Float32Array(steps));
    const ref = trainLogRegReference({ lr, optimizer });
    const msPerStep = (performance.now() - t0) / steps;
    const lossSteps = Uint32Array.from({ length: Math.floor(steps / every) + 1 }, (_, i) => i * every);
    const lrSteps = Uint32Array.from({ length: Math.ceil(steps / every) }, (_, i) => i * every);
    run = {
      backend: 'cpu',
      steps,
      initialLoss: ref.losses[0] ?? Number.NaN,
      finalLoss: ref.losses[steps] ?? Number.NaN,
      lossSteps,
      lossCurve: Float32Array.from(lossSteps, (s) => ref.losses[s] ?? Number.NaN),
      lrSteps,
      lrUsed: Float32Array.from(lrSteps, (s) => lr[s] ?? Number.NaN),
      msPerStep,
    };
  }
  return { ...run, svg: trainingChartSvg(run, options.chartSize, options.axes) };
}
