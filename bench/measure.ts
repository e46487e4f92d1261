/**
 * Measurement: the repetition plan of a case (warm-ups, repetitions, time limits), the timed
 * repetitions, and the run loop's state (SuiteRun): its rows, what was skipped or failed, and
 * the GPU objects its groups share. The groups (bench/groups/) only say what to time and check.
 */
import type { CheckReport } from './check.ts';
import { describeCheck } from './check.ts';
import { PassTimer, SimpleKernel, type TimedRun, type TimingMethod } from './gpu.ts';
import { verdictOf, runOk, computeRatios } from './ratios.ts';
import { summarize, valuesPerSecond } from './stats.ts';
import type { BenchEnv, BenchEvaluator, Group, Row, SuiteOptions, SuiteResult } from './types.ts';

export interface Sample {
  readonly wallMs: number;
  readonly gpuMs: number | undefined;
}

export interface Plan {
  readonly warmup: number;
  readonly minReps: number;
  readonly maxReps: number;
  readonly budgetMs: number;
  /** Why this case is not run (its estimated time per run is over the limit). */
  readonly skip?: string | undefined;
  /** Limits applied to the warm-up's time when nothing was known beforehand. */
  readonly limits?: { readonly slowRunMs: number; readonly maxRunMs: number } | undefined;
  /** Called with the median wall time once measured (feeds the estimate of the next size). */
  readonly record?: ((medianWallMs: number) => void) | undefined;
}

export interface Measured {
  readonly wall: number[];
  readonly gpu: number[];
  readonly skip?: string | undefined;
}

export async function repeat(once: () => Promise<Sample>, plan: Plan): Promise<Measured> {
  if (plan.skip) return { wall: [], gpu: [], skip: plan.skip };
  let minReps = plan.minReps;
  let maxReps = plan.maxReps;
  for (let i = 0; i < plan.warmup; i++) {
    // The warm-up doubles as a probe when nothing was known about this case.
    const probe = (await once()).wallMs;
    if (plan.limits && probe > plan.limits.maxRunMs) {
      plan.record?.(probe);
      return { wall: [], gpu: [], skip: `one untimed run took ${(probe / 1000).toFixed(1)} s > limit ${(plan.limits.maxRunMs / 1000).toFixed(0)} s` };
    }
    if (plan.limits && probe > plan.limits.slowRunMs) {
      minReps = Math.min(minReps, 2);
      maxReps = Math.min(maxReps, 2);
    }
  }
  const wall: number[] = [];
  const gpu: number[] = [];
  let spent = 0;
  while (wall.length < maxReps && (wall.length < minReps || spent < plan.budgetMs)) {
    const s = await once();
    wall.push(s.wallMs);
    if (s.gpuMs !== undefined) gpu.push(s.gpuMs);
    spent += s.wallMs;
  }
  plan.record?.(summarize(wall).median);
  return { wall, gpu };
}

/**
 * Warm-ups and repetitions for a case from the estimated time of one run (the same
 * variant's last median, scaled by size): a warm-up the first time a variant runs
 * (pipelines, pooled buffers) and whenever a run is cheap; fewer repetitions for
 * runs over `slowRunMs`; none over `maxRunMs` (the case is skipped and says so).
 */
export function planFor(
  opts: Pick<SuiteOptions, 'minReps' | 'maxReps' | 'budgetMs' | 'slowRunMs' | 'maxRunMs'>,
  firstTime: boolean,
  estimateMs: number | undefined,
): Plan {
  if (estimateMs !== undefined && estimateMs > opts.maxRunMs) {
    return { warmup: 0, minReps: 0, maxReps: 0, budgetMs: 0, skip: `estimated ${(estimateMs / 1000).toFixed(1)} s per run > limit ${(opts.maxRunMs / 1000).toFixed(0)} s` };
  }
  const slow = estimateMs !== undefined && estimateMs > opts.slowRunMs;
  const warmup = firstTime || (estimateMs !== undefined && estimateMs < 250) ? 1 : 0;
  return slow ? { warmup, minReps: 2, maxReps: 2, budgetMs: 0 } : { warmup, minReps: opts.minReps, maxReps: opts.maxReps, budgetMs: opts.budgetMs };
}

export function toSample<T>(t: TimedRun<T>): Sample {
  return { wallMs: t.wallMs, gpuMs: t.gpuMs };
}

/** The values at `indices` (a sample of an array read back whole). */
export function gather(values: ArrayLike<number>, indices: readonly number[]): Float64Array {
  const out = new Float64Array(indices.length);
  for (let j = 0; j < indices.length; j++) out[j] = values[indices[j] as number] as number;
  return out;
}

/** What a row is, before it is measured. */
export interface RowBase {
  readonly group: Group;
  readonly variant: string;
  readonly kind: string;
  readonly shape: string;
  readonly values: number;
  readonly note?: string | undefined;
}

/** The evaluator's cases (their cost per value seeds the estimate of a new case). */
const isEvaluatorKey = (key: string): boolean => /(^|\/)(kept|readback)(\/|$)/.test(key);

/** One run of the suite: the state its groups share, from the first case to the result. */
export class SuiteRun {
  readonly rows: Row[] = [];
  /** Cases that ran out of time or were not available. */
  readonly skipped: string[] = [];
  /** Cases that threw. */
  readonly errors: string[] = [];
  readonly device: GPUDevice | undefined;
  /** Times GPU work; undefined without a device. */
  readonly timer: PassTimer | undefined;
  private readonly t0: number;
  private readonly warmed = new Set<string>();
  private readonly lastRun = new Map<string, { values: number; ms: number }>();
  // The evaluator's cost per value, over every evaluator case so far (the slowest): a
  // first estimate for evaluator cases of a new kind, size or shape.
  private evaluatorMsPerValue: number | undefined;
  private readonly kernels = new Map<string, SimpleKernel>();
  private gpuEv: BenchEvaluator | undefined;
  private cpuEv: BenchEvaluator | undefined;

  constructor(
    readonly env: BenchEnv,
    readonly opts: SuiteOptions,
  ) {
    this.t0 = env.now();
    this.device = env.device;
    this.timer = this.device ? new PassTimer(this.device, () => env.now()) : undefined;
  }

  /** A test kernel of the bench (bench/gpu.ts), compiled once per label. */
  kernel(code: string, label: string): SimpleKernel {
    if (!this.device) throw new Error('no device');
    let k = this.kernels.get(label);
    if (!k) this.kernels.set(label, (k = new SimpleKernel(this.device, code, label)));
    return k;
  }

  /** The project's GPU evaluator on the bench's device, made once. */
  async gpuEvaluator(): Promise<BenchEvaluator> {
    this.gpuEv ??= await this.env.project.evaluator('webgpu', this.device);
    return this.gpuEv;
  }

  /** The project's CPU fallback, made once. */
  async cpuEvaluator(): Promise<BenchEvaluator> {
    this.cpuEv ??= await this.env.project.evaluator('cpu');
    return this.cpuEv;
  }

  /** The plan of case `key` for `values` outputs, from the case's last run (scaled by size) and the suite's deadline. */
  plan(key: string, values: number): Plan {
    const { opts, env } = this;
    const last = this.lastRun.get(key);
    const estimate = last ? (last.ms * values) / last.values : isEvaluatorKey(key) && this.evaluatorMsPerValue !== undefined ? this.evaluatorMsPerValue * values : undefined;
    let p: Plan = { ...planFor(opts, !this.lastRun.has(key) && !this.warmed.has(key), estimate), limits: { slowRunMs: opts.slowRunMs, maxRunMs: opts.maxRunMs } };
    this.warmed.add(key);
    const left = opts.deadlineMs - (env.now() - this.t0);
    if (!p.skip && estimate !== undefined && estimate * (p.warmup + p.minReps) > left) {
      p = { ...p, skip: `over the suite's time budget (${(opts.deadlineMs / 1000).toFixed(0)} s; estimated ${((estimate * (p.warmup + p.minReps)) / 1000).toFixed(1)} s, ${(Math.max(0, left) / 1000).toFixed(0)} s left)` };
    }
    return {
      ...p,
      record: (ms) => {
        this.lastRun.set(key, { values, ms });
        if (isEvaluatorKey(key)) this.evaluatorMsPerValue = Math.max(this.evaluatorMsPerValue ?? 0, ms / values);
      },
    };
  }

  /** Adds the row of a measured case (or lists it as skipped), logs it and lets the page redraw. */
  async push(base: RowBase, m: Measured, primary: 'gpu' | 'wall', warmup: number, check: CheckReport | undefined, expect: 'pass' | 'fail' = 'pass'): Promise<void> {
    const { env } = this;
    if (m.wall.length === 0) {
      const why = `${base.group}/${base.variant}/${base.kind}/${base.shape}: ${m.skip ?? 'not run'}`;
      this.skipped.push(why);
      env.log(`skipped   ${why}`);
      return;
    }
    const wall = summarize(m.wall);
    const gpu = m.gpu.length === m.wall.length && m.gpu.length > 0 ? summarize(m.gpu) : undefined;
    const useGpu = primary === 'gpu' && gpu !== undefined;
    const time = useGpu ? gpu : wall;
    const verdict = verdictOf(check, expect);
    const row: Row = {
      id: `${base.group}/${base.variant}/${base.kind}/${base.shape}`,
      group: base.group,
      variant: base.variant,
      kind: base.kind,
      shape: base.shape,
      values: base.values,
      timing: useGpu ? 'timestamp-query' : 'wall',
      time,
      wall,
      gpu,
      valuesPerSecond: valuesPerSecond(base.values, time.median),
      warmup,
      check,
      expect,
      verdict,
      ...(base.note ? { note: base.note } : {}),
    };
    this.rows.push(row);
    env.log(
      `${row.group.padEnd(9)} ${row.variant.padEnd(30)} ${row.kind.padEnd(22)} ${row.shape.padEnd(14)} ` +
        `${time.median.toFixed(2).padStart(9)} ms (${row.timing}, n=${time.n}, spread ${(time.spread * 100).toFixed(0)}%)  ` +
        `${verdict}${check ? ` [${describeCheck(check)}]` : ''}${row.note ? ` (${row.note})` : ''}`,
    );
    env.onRow?.(row);
    await env.pause?.();
  }

  /** Runs a case; an error (a fallback refused, a device error) is listed with the reason instead of ending the run. */
  async guard(what: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      const why = `${what}: ${(err as Error).message}`;
      this.errors.push(why);
      this.env.log(`error     ${why}`);
    }
  }

  /** Wall time of a CPU case. */
  async wallOnly(fn: () => Promise<unknown> | unknown): Promise<Sample> {
    const t = this.env.now();
    await fn();
    return { wallMs: this.env.now() - t, gpuMs: undefined };
  }

  /** Destroys what the run made (kernels, the timer, the evaluators). */
  destroy(): void {
    for (const k of this.kernels.values()) k.destroy();
    this.timer?.destroy();
    this.gpuEv?.destroy();
    this.cpuEv?.destroy();
  }

  result(): SuiteResult {
    const { rows, errors, opts } = this;
    const methods = new Set<TimingMethod>(rows.filter((r) => r.group !== 'peers' || r.variant.includes('kernel')).map((r) => r.timing));
    return {
      ok: runOk(rows) && rows.length > 0 && errors.length === 0,
      rows,
      errors,
      ratios: computeRatios(rows),
      skipped: this.skipped,
      totalMs: this.env.now() - this.t0,
      timingMethod: methods.has('timestamp-query') ? 'timestamp-query' : rows.length ? 'wall' : 'none',
      options: { ...opts, groups: [...opts.groups] },
    };
  }
}
