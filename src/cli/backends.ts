/**
 * Backends of the CLI (the value of --backend). Each turns (schedules, steps) into
 * M × N row-major values plus what produced them:
 * - `reference`: the exact f64 reference (`fill`), full-precision doubles;
 * - `auto`, `webgpu`, `cpu`: the library's evaluator (`createEvaluator`), float32.
 *   `auto` uses WebGPU when there is a device and falls back to the CPU otherwise;
 *   the result then says `backend: 'cpu'` and why (`fallbackReason`).
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
  type Schedule,
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

/** A backend of the CLI. */
export interface CliBackend {
  /** One line for --help. */
  readonly description: string;
  /** False for the f64 reference (verify judges float32 backends against it). */
  readonly float32: boolean;
  /** M × N values, row-major. `schedules` is non-empty; `steps` are validated (maybe empty). */
  run(ctx: BackendContext, schedules: readonly Schedule[], steps: Steps): Promise<Computed>;
}

/** The f64 reference (keras-schedules.md Part A.1): exact within 1e-12 relative. */
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
      const ev = await ctx.evaluator(choice);
      const rows = schedules.length;
      const cols = stepCount(steps);
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
  auto: evaluatorBackend('auto', 'WebGPU if a device is available, else the CPU evaluator (float32; the output says which)'),
  webgpu: evaluatorBackend('webgpu', 'WebGPU only (float32); exit 3 when there is no device'),
  cpu: evaluatorBackend('cpu', "the evaluator's CPU backend (float32, the GPU's fallback)"),
  reference,
};

/** The default --backend. */
export const DEFAULT_BACKEND = 'auto';
