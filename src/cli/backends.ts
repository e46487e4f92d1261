/**
 * Backends of the CLI (the value of --backend). Each turns (schedules, steps) into
 * M × N row-major values plus what produced them:
 * - `reference`: the exact f64 reference (`fill`), full-precision doubles;
 * - `auto`, `webgpu`, `cpu`: the library's evaluator (`createEvaluator`), float32.
 *   `auto` runs on the CPU below {@link AUTO_CPU_BELOW} values (M × N), where starting
 *   WebGPU costs more than the CPU takes for all of the work; above it, WebGPU when there
 *   is a device, falling back to the CPU otherwise. On the CPU the result says
 *   `backend: 'cpu'` and why (`fallbackReason`).
 *
 * One evaluator per CLI run: the {@link BackendContext} creates it on first use and
 * destroys it when the run ends.
 */
import {
  GpuDeviceLostError,
  GpuOutOfMemoryError,
  GpuUnavailableError,
  createEvaluator,
  stepCount,
  type BackendChoice,
  type CreateEvaluatorOptions,
  type Evaluator,
  type AnySchedule,
  type Steps,
} from '../index.ts';
import { CliBackendUnavailableError } from './errors.ts';
import type { Computed } from './output.ts';

/** How the CLI makes its evaluator (tests inject a shared or a failing one). */
export type EvaluatorFactory = (options: CreateEvaluatorOptions) => Promise<Evaluator>;

/** The evaluator of one CLI run: created on first use, destroyed by close(). */
export class BackendContext {
  private ev: { choice: BackendChoice; p: Promise<Evaluator> } | undefined;
  constructor(private readonly factory: EvaluatorFactory = createEvaluator) {}

  /** The run's evaluator for `choice` (created once; a later different choice replaces it). */
  async evaluator(choice: BackendChoice): Promise<Evaluator> {
    if (this.ev !== undefined && this.ev.choice !== choice) this.close();
    if (this.ev === undefined) {
      const p = this.factory({ backend: choice });
      this.ev = { choice, p };
      p.catch(() => {
        if (this.ev?.p === p) this.ev = undefined;
      });
    }
    try {
      return await this.ev.p;
    } catch (err) {
      if (err instanceof GpuUnavailableError) throw new CliBackendUnavailableError(`--backend ${choice}: no WebGPU device (${err.message}); use --backend auto or cpu`);
      throw err;
    }
  }

  /** Destroys the evaluator (if one was made). */
  close(): void {
    const ev = this.ev;
    this.ev = undefined;
    void ev?.p.then(
      (e) => e.destroy(),
      () => undefined,
    );
  }
}

/**
 * `--backend auto` takes the CPU for fewer values (M × N) than this: 2^24 = 16,777,216.
 *
 * Measured by `npm run bench -- --only cli-crossover` (bench/cli-crossover.ts), which
 * times the CLI itself (a fresh process: `sweep --format f32 --out /dev/null`) on
 * `--backend cpu` and `--backend webgpu` for M × N = 2^4 … 2^24 values in one run, and
 * reports (a) the size where WebGPU, device start included, first beats the CPU and
 * (b) the guaranteed bound: WebGPU's fixed start cost (Dawn load, adapter, device,
 * pipelines: its wall time for 16 values minus the CPU's) times the CPU's throughput.
 * Below (b) the CPU finishes all of the work before any GPU could have started, however
 * fast its kernels, so (b) holds for every device. Run of 2026-12-01 (2 shared cores,
 * load average ≈ 12, SwiftShader: a GPU emulated on the CPU, see docs/benchmarks.md):
 * WebGPU start ≈ 9.1 s, CPU ≈ 8.4 M values/s (mixed kinds) → (b) ≈ 7.6e7 ≈ 2^26.2;
 * (a) none up to 2^24 (at 2^24: cpu 4.1 s, webgpu 15.1 s). On the idle machine a
 * one-kind eval started WebGPU in ≈ 0.5 s against ≈ 64 M values/s on the CPU (≈ 2^25).
 * 2^24 sits below (b) in both, rounded down to a power of two; on SwiftShader WebGPU
 * stays slower above it too (emulation), on a real GPU it is the smallest size where
 * the GPU can pay off.
 * Steps above 2^32 − 1 run on the CPU at any size (the GPU's steps are u32).
 */
export const AUTO_CPU_BELOW = 2 ** 24;

/** The reason auto took the CPU for `values` values. */
export const autoCpuReason = (values: number): string =>
  `--backend auto: ${values} values, fewer than ${AUTO_CPU_BELOW} (2^24), where the CPU finishes before WebGPU has started (measured: npm run bench -- --only cli-crossover)`;

/** A backend of the CLI. */
export interface CliBackend {
  /** One line for --help. */
  readonly description: string;
  /** False for the f64 reference (verify judges float32 backends against it). */
  readonly float32: boolean;
  /** M × N values, row-major. `schedules` is non-empty; `steps` are validated (maybe empty). */
  run(ctx: BackendContext, schedules: readonly AnySchedule[], steps: Steps): Promise<Computed>;
}

/** The f64 reference (docs/semantics.md#the-reference-value): exact within 1e-12 relative. */
const reference: CliBackend = {
  description: 'the exact f64 reference on the CPU (full-precision doubles)',
  float32: false,
  run(_ctx, schedules, steps) {
    const cols = stepCount(steps);
    const values = new Float64Array(schedules.length * cols);
    schedules.forEach((s, row) => s.fill(steps, values.subarray(row * cols, (row + 1) * cols)));
    return Promise.resolve({ backend: 'reference', device: 'cpu (f64 reference)', rows: schedules.length, cols, values });
  },
};

function evaluatorBackend(choice: BackendChoice, description: string): CliBackend {
  return {
    description,
    float32: true,
    async run(ctx, schedules, steps) {
      const rows = schedules.length;
      const cols = stepCount(steps);
      if (choice === 'auto' && rows * cols < AUTO_CPU_BELOW) {
        const r = await BACKENDS.cpu?.run(ctx, schedules, steps);
        if (r === undefined) throw new Error('the cpu backend is missing');
        return { ...r, fallbackReason: autoCpuReason(rows * cols) };
      }
      const ev = await ctx.evaluator(choice);
      const device = (backend: string): string => (backend === 'webgpu' ? ev.adapter : 'cpu');
      if (cols === 0) {
        // Not reachable from the flags (an empty --range or --steps exits 2 in steps-arg.ts);
        // kept so a direct caller with no steps gets empty arrays rather than the evaluator's StepError.
        return {
          backend: ev.backend,
          device: device(ev.backend),
          ...(ev.fallbackReason === undefined ? {} : { fallbackReason: ev.fallbackReason }),
          rows,
          cols,
          values: new Float32Array(0),
        };
      }
      let r;
      try {
        r = await ev.sweep(schedules, steps);
      } catch (err) {
        if (err instanceof GpuDeviceLostError || err instanceof GpuOutOfMemoryError) throw new CliBackendUnavailableError(`--backend ${choice}: ${err.message}`);
        throw err;
      }
      return {
        backend: r.backend,
        device: device(r.backend),
        ...(r.fallbackReason === undefined ? {} : { fallbackReason: r.fallbackReason }),
        rows,
        cols,
        values: r.values,
      };
    },
  };
}

/** Backends by name (the value of --backend), in the order --help lists them. */
export const BACKENDS: Readonly<Record<string, CliBackend>> = {
  auto: evaluatorBackend(
    'auto',
    [
      'the CPU evaluator below 2^24 values (M × N): there the CPU is done before',
      'WebGPU has started (0.5-9 s here; npm run bench -- --only cli-crossover);',
      'from 2^24 WebGPU if a device is available, else the CPU (float32; the output',
      'says which ran and why)',
    ].join(`\n${' '.repeat(32)}`),
  ),
  webgpu: evaluatorBackend('webgpu', 'WebGPU only (float32); exit 3 when there is no device'),
  cpu: evaluatorBackend('cpu', "the evaluator's CPU backend (float32, the GPU's fallback)"),
  reference,
};

/** The default --backend. */
export const DEFAULT_BACKEND = 'auto';
