/**
 * The benchmark suite, shared by the Node runner (bench/run.ts) and the page
 * (bench.html → bench/page.ts). Everything that differs between them comes in
 * through BenchEnv: the project's API, the device, tfjs, the clock, logging.
 *
 * Groups:
 * - baseline: the device's own write rate (a write-only fill kernel, clearBuffer) and
 *   copy rate (a copy kernel, copyBufferToBuffer) at every size of `single`;
 * - single: one schedule of every kind, 2^16 … 2^26 steps, kept on the GPU
 *   (evaluateToBuffer) and with readback (evaluate);
 * - sweep: 100 × 10^5, 1,000 × 10^4, 10,000 × 10^3, kinds mixed row by row;
 * - peers: the same cosine formula as tfjs-webgpu, tfjs-cpu, a naive JS loop and
 *   the project's CPU fallback, next to the fused kernel;
 * - self-test: deliberately wrong fast kernels, which the verification must flag.
 * Every row verifies a sample of its own output (bench/check.ts).
 */
import { checkSample, describeCheck, sampleIndices, type CheckReport, type Tolerance } from './check.ts';
import {
  COPY_WGSL,
  FILL_WGSL,
  LINEAR_WRONG_WGSL,
  NAIVE_COSINE_WGSL,
  PassTimer,
  SimpleKernel,
  clearBuffer,
  copyBuffer,
  createStorage,
  readSample,
  type TimedRun,
  type TimingMethod,
} from './gpu.ts';
import { naiveCosine, tfCosine, tfFlush, tfSteps, type CosineParams, type TfHandle } from './peers.ts';
import { speedRatio, summarize, throughputRatio, valuesPerSecond, type Summary } from './stats.ts';

export const KINDS = [
  'CosineDecay',
  'CosineDecayRestarts',
  'ExponentialDecay',
  'PiecewiseConstantDecay',
  'PolynomialDecay',
  'InverseTimeDecay',
] as const;
export type Kind = (typeof KINDS)[number];

export const GROUPS = ['baseline', 'single', 'sweep', 'peers', 'self-test'] as const;
export type Group = (typeof GROUPS)[number];

/** A step range as the evaluator takes it. */
export interface Range {
  readonly start: number;
  readonly count: number;
}

/** What the suite needs of a schedule (the project's schedule classes have it). */
export interface BenchSchedule {
  readonly kind: string;
  readonly config: object;
  at(step: number): number;
}

export interface EvalResult {
  readonly values: Float32Array;
  /** The backend that produced the values ('cpu' after a fallback). */
  readonly backend: string;
  readonly fallbackReason?: string | undefined;
}

/** The project's evaluator, narrowed to what the bench calls. */
export interface BenchEvaluator {
  readonly backend: string;
  evaluate(schedule: BenchSchedule, range: Range): Promise<EvalResult>;
  sweep(schedules: readonly BenchSchedule[], range: Range): Promise<EvalResult>;
  /** Evaluates into `buffer` from byte 0; resolves once the work is submitted (or done). */
  evaluateToBuffer(schedule: BenchSchedule, range: Range, buffer: GPUBuffer): Promise<void>;
  sweepToBuffer(schedules: readonly BenchSchedule[], range: Range, buffer: GPUBuffer): Promise<void>;
  destroy(): void;
}

/** The project, through its public entry (bench/project.ts). */
export interface ProjectApi {
  schedule(kind: Kind, config: Record<string, unknown>): BenchSchedule;
  /** k of docs/accuracy.md#the-contract (0: exact float32 rounding required). */
  toleranceK(schedule: BenchSchedule): number;
  /** An evaluator on `device` ('webgpu') or the CPU fallback ('cpu'). */
  evaluator(backend: 'webgpu' | 'cpu', device?: GPUDevice): Promise<BenchEvaluator>;
}

export interface BenchEnv {
  readonly platform: 'node' | 'browser';
  readonly project: ProjectApi;
  /** The project's device (shared by the evaluator and the baselines); undefined: GPU rows are skipped. */
  readonly device: GPUDevice | undefined;
  /** tfjs on a backend, or a thrown reason why not. */
  tfjs(backend: 'webgpu' | 'cpu'): Promise<TfHandle>;
  now(): number;
  log(line: string): void;
  /** Called after each row (the page redraws). */
  onRow?(row: Row): void;
  /** Lets the page breathe between cases. */
  pause?(): Promise<void>;
}

export interface SuiteOptions {
  readonly groups: ReadonlySet<Group>;
  readonly kinds: readonly Kind[];
  /** log2 of the single-schedule sizes. */
  readonly log2Sizes: readonly number[];
  /** [schedules, steps] of each sweep. */
  readonly sweeps: readonly (readonly [number, number])[];
  /** log2 of the peers' size. */
  readonly peerLog2: number;
  readonly selfTestLog2: number;
  /** Stop repeating a case once it has minReps and this many ms of timed runs. */
  readonly budgetMs: number;
  readonly minReps: number;
  readonly maxReps: number;
  /** Evenly spread + random sampled outputs checked per row (plus edges). */
  readonly sampleCount: number;
  /** A case whose estimated run is longer gets 2 repetitions instead of minReps…maxReps. */
  readonly slowRunMs: number;
  /** A case whose estimated run is longer is skipped (and listed as skipped). */
  readonly maxRunMs: number;
  /** Cases that would end after this many ms from the start are skipped (and listed), so the suite ends in time. */
  readonly deadlineMs: number;
}

export function defaultOptions(quick: boolean, groups: ReadonlySet<Group> = new Set(GROUPS)): SuiteOptions {
  return quick
    ? {
        groups,
        kinds: KINDS,
        log2Sizes: [16, 18, 20],
        sweeps: [
          [100, 1e4],
          [1000, 1e3],
          [10000, 1e2],
        ],
        peerLog2: 18,
        selfTestLog2: 18,
        budgetMs: 250,
        minReps: 3,
        maxReps: 5,
        sampleCount: 256,
        slowRunMs: 1000,
        maxRunMs: 4000,
        deadlineMs: 90_000,
      }
    : {
        groups,
        kinds: KINDS,
        log2Sizes: [16, 18, 20, 22, 24, 26],
        sweeps: [
          [100, 1e5],
          [1000, 1e4],
          [10000, 1e3],
        ],
        peerLog2: 20,
        selfTestLog2: 20,
        budgetMs: 1200,
        minReps: 3,
        maxReps: 11,
        sampleCount: 1024,
        slowRunMs: 1500,
        maxRunMs: 8_000,
        deadlineMs: 270_000,
      };
}

export type Verdict = 'ok' | 'WRONG' | 'flagged' | 'MISSED' | 'skipped';

export interface Row {
  readonly id: string;
  readonly group: Group;
  readonly variant: string;
  /** Schedule kind, 'mixed' (sweeps) or '-' (baselines). */
  readonly kind: string;
  /** '2^22', '100 × 10^5'. */
  readonly shape: string;
  /** Output values per run. */
  readonly values: number;
  /** Which clock gave `time`. */
  readonly timing: TimingMethod;
  /** The primary time (ms): GPU timestamps for GPU work kept on the GPU where available, else wall. */
  readonly time: Summary;
  readonly wall: Summary;
  readonly gpu: Summary | undefined;
  /** values / median primary time. */
  readonly valuesPerSecond: number;
  readonly warmup: number;
  readonly check: CheckReport | undefined;
  /** Self-test rows are expected to fail verification. */
  readonly expect: 'pass' | 'fail';
  readonly verdict: Verdict;
  readonly note?: string;
}

export interface KernelFillRatio {
  readonly kind: string;
  readonly shape: string;
  readonly values: number;
  readonly timing: TimingMethod;
  /** kernel throughput / fill-kernel throughput (same clock). */
  readonly overFillKernel: number;
  /** kernel throughput (primary clock) / clearBuffer throughput (wall). */
  readonly overClearBuffer: number;
}

export interface Ratios {
  readonly kernelOverFill: readonly KernelFillRatio[];
  /** time(tfjs-webgpu) / time(fused kernel), both kept on the GPU, same clock; >1: the fused kernel is faster. */
  readonly fusedVsTfjsWebgpu: { readonly ratio: number; readonly timing: TimingMethod; readonly withReadback: number } | undefined;
  /** time(naive JS) / time(CPU fallback); >1: the fallback is faster. */
  readonly cpuFallbackVsNaiveJs: number | undefined;
  /** time(tfjs-cpu) / time(CPU fallback); >1: the fallback is faster. */
  readonly cpuFallbackVsTfjsCpu: number | undefined;
}

export interface SuiteResult {
  readonly ok: boolean;
  readonly rows: readonly Row[];
  readonly ratios: Ratios;
  /** Cases that ran out of time or were not available (the run can still be ok). */
  readonly skipped: readonly string[];
  /** Cases that threw (the run is not ok). */
  readonly errors: readonly string[];
  readonly totalMs: number;
  readonly timingMethod: TimingMethod | 'none';
  readonly options: Omit<SuiteOptions, 'groups'> & { readonly groups: readonly Group[] };
}

// ---------------------------------------------------------------------------
// Schedules

/** Representative config of each kind for n steps: decays end inside the range, restarts and boundaries fall in it. */
export function singleConfig(kind: Kind, n: number): { config: Record<string, unknown>; edges: number[] } {
  const d = Math.max(1, Math.round(n * 0.9));
  switch (kind) {
    case 'CosineDecay':
      return { config: { initialLearningRate: 0.1, decaySteps: d, alpha: 0 }, edges: [d - 1, d, d + 1] };
    case 'CosineDecayRestarts': {
      const l0 = Math.max(1, Math.floor(n / 64));
      const edges: number[] = [];
      for (let k = 1, b = l0; b < n; k++, b += l0 * 2 ** k) edges.push(b - 1, b, b + 1);
      return { config: { initialLearningRate: 0.1, firstDecaySteps: l0, tMul: 2, mMul: 0.9, alpha: 0.01 }, edges };
    }
    case 'ExponentialDecay':
      return { config: { initialLearningRate: 0.1, decaySteps: Math.max(1, Math.floor(n / 8)), decayRate: 0.5 }, edges: [] };
    case 'PiecewiseConstantDecay': {
      const b = [Math.floor(n / 4), Math.floor(n / 2), Math.floor((3 * n) / 4)];
      return { config: { boundaries: b, values: [0.1, 0.05, 0.01, 0.001] }, edges: b.flatMap((x) => [x - 1, x, x + 1]) };
    }
    case 'PolynomialDecay':
      return { config: { initialLearningRate: 0.1, decaySteps: d, endLearningRate: 1e-4, power: 2 }, edges: [d - 1, d, d + 1] };
    case 'InverseTimeDecay':
      return { config: { initialLearningRate: 0.1, decaySteps: Math.max(1, Math.floor(n / 16)), decayRate: 0.5 }, edges: [] };
  }
}

/** Row r of a mixed sweep over `steps` steps: kinds in turn, parameters varied by r. */
export function sweepConfig(r: number, steps: number): { kind: Kind; config: Record<string, unknown> } {
  const kind = KINDS[r % KINDS.length] as Kind;
  const scale = 0.5 + ((r * 37) % 100) / 100; // 0.5 … 1.49
  const lr0 = 0.1 * (1 + (r % 7) / 7);
  const n = Math.max(2, Math.round(steps * scale));
  switch (kind) {
    case 'CosineDecay':
      return { kind, config: { initialLearningRate: lr0, decaySteps: n, alpha: (r % 3) * 0.01, warmupTarget: r % 2 ? lr0 * 2 : null, warmupSteps: r % 2 ? Math.floor(n / 10) : 0 } };
    case 'CosineDecayRestarts':
      return { kind, config: { initialLearningRate: lr0, firstDecaySteps: Math.max(1, Math.floor(n / 20)), tMul: r % 2 ? 2 : 1, mMul: 0.9, alpha: 0.01 } };
    case 'ExponentialDecay':
      return { kind, config: { initialLearningRate: lr0, decaySteps: Math.max(1, Math.floor(n / 10)), decayRate: 0.9, staircase: r % 2 === 1 } };
    case 'PiecewiseConstantDecay': {
      const b = [Math.floor(n / 5), Math.floor(n / 3), Math.floor(n / 2)];
      return { kind, config: { boundaries: b, values: [lr0, lr0 / 2, lr0 / 4, lr0 / 8] } };
    }
    case 'PolynomialDecay':
      return { kind, config: { initialLearningRate: lr0, decaySteps: n, endLearningRate: lr0 / 100, power: 1 + (r % 3) * 0.5, cycle: r % 2 === 1 } };
    case 'InverseTimeDecay':
      return { kind, config: { initialLearningRate: lr0, decaySteps: Math.max(1, Math.floor(n / 10)), decayRate: 0.5, staircase: r % 2 === 1 } };
  }
}

export function pow2Label(log2: number): string {
  return `2^${log2}`;
}

export function sweepLabel(m: number, n: number): string {
  const p = (x: number): string => (Number.isInteger(Math.log10(x)) ? `10^${Math.log10(x)}` : String(x));
  return `${m.toLocaleString('en-US')} × ${p(n)}`;
}

// ---------------------------------------------------------------------------
// Ratios (pure)

function findRow(rows: readonly Row[], group: Group, variant: string, kind?: string, shape?: string): Row | undefined {
  return rows.find((r) => r.group === group && r.variant === variant && (kind === undefined || r.kind === kind) && (shape === undefined || r.shape === shape));
}

/** Same-clock times of two rows: primary when both used the same method, else wall. */
function sameClock(a: Row, b: Row): { ta: number; tb: number; timing: TimingMethod } {
  if (a.timing === b.timing) return { ta: a.time.median, tb: b.time.median, timing: a.timing };
  return { ta: a.wall.median, tb: b.wall.median, timing: 'wall' };
}

export const V = {
  fill: 'fill kernel',
  clear: 'clearBuffer',
  copyKernel: 'copy kernel',
  copy: 'copyBufferToBuffer',
  kept: 'kernel, kept on GPU',
  readback: 'kernel + readback',
  tfWebgpuKept: 'tfjs-webgpu, kept on GPU',
  tfWebgpuReadback: 'tfjs-webgpu + readback',
  tfCpu: 'tfjs-cpu',
  naive: 'naive JS (Math.cos)',
  cpuFallback: 'CPU fallback',
  naiveKernel: 'WRONG: naive f32 cosine kernel',
  linearKernel: 'WRONG: linear "cosine" kernel',
} as const;

/** The closing-note ratios from a run's rows. */
export function computeRatios(rows: readonly Row[]): Ratios {
  const kernelOverFill: KernelFillRatio[] = [];
  for (const r of rows) {
    if (r.variant !== V.kept || (r.group !== 'single' && r.group !== 'sweep')) continue;
    const fillGroup: Group = r.group === 'single' ? 'baseline' : 'sweep';
    const fill = findRow(rows, fillGroup, V.fill, '-', r.group === 'single' ? r.shape : `${r.values}`);
    const clear = findRow(rows, fillGroup, V.clear, '-', r.group === 'single' ? r.shape : `${r.values}`);
    if (!fill) continue;
    const c = sameClock(r, fill);
    kernelOverFill.push({
      kind: r.kind,
      shape: r.shape,
      values: r.values,
      timing: c.timing,
      overFillKernel: throughputRatio(r.values, c.ta, fill.values, c.tb),
      overClearBuffer: clear ? throughputRatio(r.values, r.time.median, clear.values, clear.wall.median) : Number.NaN,
    });
  }
  const fused = findRow(rows, 'peers', V.kept);
  const fusedRb = findRow(rows, 'peers', V.readback);
  const tfw = findRow(rows, 'peers', V.tfWebgpuKept);
  const tfwRb = findRow(rows, 'peers', V.tfWebgpuReadback);
  let fusedVsTfjsWebgpu: Ratios['fusedVsTfjsWebgpu'];
  if (fused && tfw) {
    const c = sameClock(fused, tfw);
    fusedVsTfjsWebgpu = {
      ratio: speedRatio(c.ta, c.tb),
      timing: c.timing,
      withReadback: fusedRb && tfwRb ? speedRatio(fusedRb.wall.median, tfwRb.wall.median) : Number.NaN,
    };
  }
  const cpu = findRow(rows, 'peers', V.cpuFallback);
  const naive = findRow(rows, 'peers', V.naive);
  const tfc = findRow(rows, 'peers', V.tfCpu);
  return {
    kernelOverFill,
    fusedVsTfjsWebgpu,
    cpuFallbackVsNaiveJs: cpu && naive ? speedRatio(cpu.wall.median, naive.wall.median) : undefined,
    cpuFallbackVsTfjsCpu: cpu && tfc ? speedRatio(cpu.wall.median, tfc.wall.median) : undefined,
  };
}

/** A row's verdict from its check and expectation. */
export function verdictOf(check: CheckReport | undefined, expect: 'pass' | 'fail'): Verdict {
  if (!check) return 'skipped';
  if (expect === 'pass') return check.ok ? 'ok' : 'WRONG';
  return check.ok ? 'MISSED' : 'flagged';
}

/** A run passes when every checked row meets its expectation: right rows right, wrong kernels flagged. */
export function runOk(rows: readonly Row[]): boolean {
  return rows.every((r) => r.verdict === 'ok' || r.verdict === 'flagged');
}

// ---------------------------------------------------------------------------
// Measuring

interface Sample {
  readonly wallMs: number;
  readonly gpuMs: number | undefined;
}

interface Plan {
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

interface Measured {
  readonly wall: number[];
  readonly gpu: number[];
  readonly skip?: string | undefined;
}

async function repeat(once: () => Promise<Sample>, plan: Plan): Promise<Measured> {
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

function toSample<T>(t: TimedRun<T>): Sample {
  return { wallMs: t.wallMs, gpuMs: t.gpuMs };
}

/** Sampled check against f64 references: `step(i)` and `exact(i)` of output index i. */
function verifyValues(
  indices: readonly number[],
  got: ArrayLike<number>,
  step: (i: number) => number,
  exact: (i: number) => number,
  tol: Tolerance,
): CheckReport {
  const steps = indices.map(step);
  const ex = indices.map(exact);
  return checkSample({ indices, steps, got, exact: ex }, tol);
}

function gather(values: ArrayLike<number>, indices: readonly number[]): Float64Array {
  const out = new Float64Array(indices.length);
  for (let j = 0; j < indices.length; j++) out[j] = values[indices[j] as number] as number;
  return out;
}

function toleranceOf(project: ProjectApi, s: BenchSchedule): Tolerance {
  const k = project.toleranceK(s);
  return k === 0 ? { kind: 'exact' } : { kind: 'bound', k };
}

/** Runs the suite. */
export async function runSuite(env: BenchEnv, opts: SuiteOptions): Promise<SuiteResult> {
  const t0 = env.now();
  const rows: Row[] = [];
  const skipped: string[] = [];
  const errors: string[] = [];
  const warmed = new Set<string>();
  const device = env.device;
  const timer = device ? new PassTimer(device, () => env.now()) : undefined;
  const kernels = new Map<string, SimpleKernel>();
  const kernel = (code: string, label: string): SimpleKernel => {
    if (!device) throw new Error('no device');
    let k = kernels.get(label);
    if (!k) kernels.set(label, (k = new SimpleKernel(device, code, label)));
    return k;
  };
  let gpuEv: BenchEvaluator | undefined;
  let cpuEv: BenchEvaluator | undefined;

  const lastRun = new Map<string, { values: number; ms: number }>();
  // The evaluator's cost per value, over every evaluator case so far (the slowest): a
  // first estimate for evaluator cases of a new kind, size or shape.
  let evaluatorMsPerValue: number | undefined;
  const isEvaluatorKey = (key: string): boolean => /(^|\/)(kept|readback)(\/|$)/.test(key);
  const plan = (key: string, values: number): Plan => {
    const last = lastRun.get(key);
    const estimate = last ? (last.ms * values) / last.values : isEvaluatorKey(key) && evaluatorMsPerValue !== undefined ? evaluatorMsPerValue * values : undefined;
    let p: Plan = { ...planFor(opts, !lastRun.has(key) && !warmed.has(key), estimate), limits: { slowRunMs: opts.slowRunMs, maxRunMs: opts.maxRunMs } };
    warmed.add(key);
    const left = opts.deadlineMs - (env.now() - t0);
    if (!p.skip && estimate !== undefined && estimate * (p.warmup + p.minReps) > left) {
      p = { ...p, skip: `over the suite's time budget (${(opts.deadlineMs / 1000).toFixed(0)} s; estimated ${((estimate * (p.warmup + p.minReps)) / 1000).toFixed(1)} s, ${(Math.max(0, left) / 1000).toFixed(0)} s left)` };
    }
    return {
      ...p,
      record: (ms) => {
        lastRun.set(key, { values, ms });
        if (isEvaluatorKey(key)) evaluatorMsPerValue = Math.max(evaluatorMsPerValue ?? 0, ms / values);
      },
    };
  };

  const push = async (
    base: { group: Group; variant: string; kind: string; shape: string; values: number; note?: string | undefined },
    m: Measured,
    primary: 'gpu' | 'wall',
    warmup: number,
    check: CheckReport | undefined,
    expect: 'pass' | 'fail' = 'pass',
  ): Promise<void> => {
    if (m.wall.length === 0) {
      const why = `${base.group}/${base.variant}/${base.kind}/${base.shape}: ${m.skip ?? 'not run'}`;
      skipped.push(why);
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
    rows.push(row);
    env.log(
      `${row.group.padEnd(9)} ${row.variant.padEnd(30)} ${row.kind.padEnd(22)} ${row.shape.padEnd(14)} ` +
        `${time.median.toFixed(2).padStart(9)} ms (${row.timing}, n=${time.n}, spread ${(time.spread * 100).toFixed(0)}%)  ` +
        `${verdict}${check ? ` [${describeCheck(check)}]` : ''}${row.note ? ` (${row.note})` : ''}`,
    );
    env.onRow?.(row);
    await env.pause?.();
  };

  const ensureGpuEv = async (): Promise<BenchEvaluator> => {
    gpuEv ??= await env.project.evaluator('webgpu', device);
    return gpuEv;
  };

  /** Runs a case; an error (a fallback refused, a device error) skips it with the reason instead of ending the run. */
  const guard = async (what: string, fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      const why = `${what}: ${(err as Error).message}`;
      errors.push(why);
      env.log(`error     ${why}`);
    }
  };

  // ---- GPU evaluator rows (single and sweep) --------------------------------------------
  const measureEvaluator = async (
    group: Group,
    kind: string,
    shape: string,
    schedules: readonly BenchSchedule[],
    range: Range,
    out: GPUBuffer,
    sample: number[],
    tolFor: (row: number) => Tolerance,
  ): Promise<void> => {
    if (!device || !timer) return;
    const ev = await ensureGpuEv();
    const isSweep = group === 'sweep';
    const values = schedules.length * range.count;
    const step = (i: number): number => range.start + (i % range.count);
    const exact = (i: number): number => (schedules[Math.floor(i / range.count)] as BenchSchedule).at(step(i));
    const checkGot = (got: ArrayLike<number>): CheckReport => {
      // Judge each sampled value with its own row's tolerance.
      const groups = new Map<string, number[]>();
      const tols = new Map<string, Tolerance>();
      sample.forEach((i, j) => {
        const t = tolFor(Math.floor(i / range.count));
        const key = JSON.stringify(t);
        tols.set(key, t);
        const list = groups.get(key) ?? [];
        list.push(j);
        groups.set(key, list);
      });
      let merged: CheckReport | undefined;
      for (const [key, js] of groups) {
        const idx = js.map((j) => sample[j] as number);
        const r = verifyValues(idx, js.map((j) => got[j] as number), step, exact, tols.get(key) as Tolerance);
        merged = merged ? mergeReports(merged, r) : r;
      }
      return merged as CheckReport;
    };

    // kept on the GPU
    const keyKept = `${group}/kept/${kind}`;
    const p1 = plan(keyKept, values);
    const kept = await repeat(async () => toSample(await timer.time(() => (isSweep ? ev.sweepToBuffer(schedules, range, out) : ev.evaluateToBuffer(schedules[0] as BenchSchedule, range, out)))), p1);
    const gotKept = await readSample(device, out, sample);
    await push({ group, variant: V.kept, kind, shape, values }, kept, 'gpu', p1.warmup, checkGot(gotKept));

    // with readback
    const keyRb = `${group}/readback/${kind}`;
    const p2 = plan(keyRb, values);
    let last: EvalResult | undefined;
    const rb = await repeat(async () => {
      last = undefined; // let the previous result go before the next one is allocated
      return toSample(
        await timer.time(async () => {
          last = await (isSweep ? ev.sweep(schedules, range) : ev.evaluate(schedules[0] as BenchSchedule, range));
        }),
      );
    }, p2);
    const res = last as EvalResult | undefined;
    const note = res && res.backend !== 'webgpu' ? `ran on ${res.backend}: ${res.fallbackReason ?? 'no reason given'}` : undefined;
    await push({ group, variant: V.readback, kind, shape, values, note }, rb, 'wall', p2.warmup, res ? checkGot(gather(res.values, sample)) : undefined);
    last = undefined;
  };

  // ---- device baselines at n floats ---------------------------------------------------------
  const measureBaselines = async (group: Group, shape: string, n: number, a: GPUBuffer, b: GPUBuffer, withCopies: boolean): Promise<void> => {
    if (!device || !timer) return;
    const sample = sampleIndices(n, { count: Math.min(256, opts.sampleCount) });
    const scale = 2 ** -20;
    const fillExact = (i: number): number => Math.fround(Math.fround(i) * scale);
    const exactTol: Tolerance = { kind: 'exact' };
    const fill = kernel(FILL_WGSL, 'fill');
    const pf = plan(`${group}/fill`, n);
    const mf = await repeat(async () => toSample(await timer.time(() => fill.run([a], n, { scale }))), pf);
    const fillCheck = verifyValues(sample, await readSample(device, a, sample), (i) => i, fillExact, exactTol);
    await push({ group, variant: V.fill, kind: '-', shape, values: n }, mf, 'gpu', pf.warmup, fillCheck);

    const pc = plan(`${group}/clear`, n);
    const mc = await repeat(async () => toSample(await timer.time(() => clearBuffer(device, b, n * 4))), pc);
    const clearCheck = verifyValues(sample, await readSample(device, b, sample), (i) => i, () => 0, exactTol);
    await push({ group, variant: V.clear, kind: '-', shape, values: n }, mc, 'wall', pc.warmup, clearCheck);
    if (!withCopies) return;

    const copyK = kernel(COPY_WGSL, 'copy');
    const pk = plan(`${group}/copyk`, n);
    const mk = await repeat(async () => toSample(await timer.time(() => copyK.run([a, b], n))), pk);
    const copyKCheck = verifyValues(sample, await readSample(device, b, sample), (i) => i, fillExact, exactTol);
    await push({ group, variant: V.copyKernel, kind: '-', shape, values: n }, mk, 'gpu', pk.warmup, copyKCheck);

    clearBuffer(device, b, n * 4);
    const pb = plan(`${group}/copy`, n);
    const mb = await repeat(async () => toSample(await timer.time(() => copyBuffer(device, a, b, n * 4))), pb);
    const copyCheck = verifyValues(sample, await readSample(device, b, sample), (i) => i, fillExact, exactTol);
    await push({ group, variant: V.copy, kind: '-', shape, values: n }, mb, 'wall', pb.warmup, copyCheck);
  };

  try {
    const wantGpu = opts.groups.has('baseline') || opts.groups.has('single') || opts.groups.has('sweep') || opts.groups.has('self-test');
    if (wantGpu && !device) skipped.push('GPU rows: no WebGPU device');

    // ---- self-test: wrong kernels must be flagged ----------------------------------------------
    if (device && timer && opts.groups.has('self-test')) {
      const n = 2 ** opts.selfTestLog2;
      const shape = pow2Label(opts.selfTestLog2);
      const lr0 = 0.1;
      const s = env.project.schedule('CosineDecay', { initialLearningRate: lr0, decaySteps: n, alpha: 0 });
      const tol = toleranceOf(env.project, s);
      const sample = sampleIndices(n, { count: opts.sampleCount, extra: [n - 2, n - 1] });
      const buf = await createStorage(device, n * 4, 'bench self-test');
      try {
        for (const [label, code] of [
          [V.naiveKernel, NAIVE_COSINE_WGSL],
          [V.linearKernel, LINEAR_WRONG_WGSL],
        ] as const) {
          const k = kernel(code, label);
          const p = plan(`self/${label}`, n);
          const m = await repeat(async () => toSample(await timer.time(() => k.run([buf], n, { scale: lr0, start: n }))), p);
          const check = verifyValues(sample, await readSample(device, buf, sample), (i) => i, (i) => s.at(i), tol);
          await push({ group: 'self-test', variant: label, kind: 'CosineDecay', shape, values: n }, m, 'gpu', p.warmup, check, 'fail');
        }
      } finally {
        buf.destroy();
      }
    }
    // ---- peers ------------------------------------------------------------------------------
    if (opts.groups.has('peers')) await runPeers(env, opts, { timer, ensureGpuEv, push, plan, getCpuEv: async () => (cpuEv ??= await env.project.evaluator('cpu')), skipped });

    // ---- sweeps -----------------------------------------------------------------------------
    if (device && opts.groups.has('sweep')) {
      for (const [m, steps] of opts.sweeps) {
        const shape = sweepLabel(m, steps);
        const values = m * steps;
        const schedules: BenchSchedule[] = [];
        for (let r = 0; r < m; r++) {
          const { kind, config } = sweepConfig(r, steps);
          schedules.push(env.project.schedule(kind, config));
        }
        const tols = schedules.map((s) => toleranceOf(env.project, s));
        const a = await createStorage(device, values * 4, `bench sweep ${shape}`);
        const b = await createStorage(device, values * 4, `bench sweep b ${shape}`);
        try {
          await measureBaselines('sweep', `${values}`, values, a, b, false);
          const sample = sampleIndices(values, { count: opts.sampleCount, seed: m });
          await guard(`sweep/${shape}`, () => measureEvaluator('sweep', 'mixed', shape, schedules, { start: 0, count: steps }, a, sample, (r) => tols[r] as Tolerance));
        } finally {
          a.destroy();
          b.destroy();
        }
      }
    }

    // ---- baseline + single, interleaved by size -----------------------------------------
    if (device && (opts.groups.has('baseline') || opts.groups.has('single'))) {
      for (const log2 of opts.log2Sizes) {
        const n = 2 ** log2;
        const shape = pow2Label(log2);
        const a = await createStorage(device, n * 4, `bench a ${shape}`);
        const b = await createStorage(device, n * 4, `bench b ${shape}`);
        try {
          if (opts.groups.has('baseline')) await measureBaselines('baseline', shape, n, a, b, true);
          if (opts.groups.has('single')) {
            for (const kind of opts.kinds) {
              const { config, edges } = singleConfig(kind, n);
              const s = env.project.schedule(kind, config);
              const tol = toleranceOf(env.project, s);
              const sample = sampleIndices(n, { count: opts.sampleCount, extra: edges, seed: log2 * 131 + KINDS.indexOf(kind) });
              await guard(`single/${kind}/${shape}`, () => measureEvaluator('single', kind, shape, [s], { start: 0, count: n }, a, sample, () => tol));
            }
          }
        } finally {
          a.destroy();
          b.destroy();
        }
      }
    }

  } finally {
    for (const k of kernels.values()) k.destroy();
    timer?.destroy();
    gpuEv?.destroy();
    cpuEv?.destroy();
  }

  const methods = new Set(rows.filter((r) => r.group !== 'peers' || r.variant.includes('kernel')).map((r) => r.timing));
  return {
    ok: runOk(rows) && rows.length > 0 && errors.length === 0,
    rows,
    errors,
    ratios: computeRatios(rows),
    skipped,
    totalMs: env.now() - t0,
    timingMethod: methods.has('timestamp-query') ? 'timestamp-query' : rows.length ? 'wall' : 'none',
    options: { ...opts, groups: [...opts.groups] },
  };
}

/** Two reports of disjoint samples as one (for sweeps whose rows have different tolerances). */
export function mergeReports(a: CheckReport, b: CheckReport): CheckReport {
  return {
    ok: a.ok && b.ok,
    tolerance: a.tolerance,
    checked: a.checked + b.checked,
    failed: a.failed + b.failed,
    failures: [...a.failures, ...b.failures].slice(0, 8),
    maxUlp: Math.max(a.maxUlp, b.maxUlp),
    maxK: Math.max(a.maxK, b.maxK),
  };
}

interface PeerContext {
  readonly timer: PassTimer | undefined;
  ensureGpuEv(): Promise<BenchEvaluator>;
  getCpuEv(): Promise<BenchEvaluator>;
  push(
    base: { group: Group; variant: string; kind: string; shape: string; values: number; note?: string | undefined },
    m: Measured,
    primary: 'gpu' | 'wall',
    warmup: number,
    check: CheckReport | undefined,
    expect?: 'pass' | 'fail',
  ): Promise<void>;
  plan(key: string, values: number): Plan;
  readonly skipped: string[];
}

async function runPeers(env: BenchEnv, opts: SuiteOptions, ctx: PeerContext): Promise<void> {
  const n = 2 ** opts.peerLog2;
  const shape = pow2Label(opts.peerLog2);
  const params: CosineParams = { lr0: 0.1, decaySteps: n };
  const s = env.project.schedule('CosineDecay', { initialLearningRate: params.lr0, decaySteps: params.decaySteps, alpha: 0 });
  const tol = toleranceOf(env.project, s);
  // Peers never promised the project's bound: check that they compute the same formula.
  // On the GPU they use WGSL's builtin cos, whose only guarantee is an absolute error
  // of 2^-11 on [−π, π] (the WGSL spec's accuracy table): lr0 · 0.5 · 2^-11, with a 2× margin.
  // On the CPU, Math.cos is close to exact: lr0 · 2^-20.
  const gpuPeerTol: Tolerance = { kind: 'abs', abs: params.lr0 * 2 ** -11 };
  const peerTol: Tolerance = { kind: 'abs', abs: params.lr0 * 2 ** -20 };
  const sample = sampleIndices(n, { count: opts.sampleCount, extra: [n - 2, n - 1] });
  const exact = (i: number): number => s.at(i);
  const check = (got: ArrayLike<number>, t: Tolerance): CheckReport => verifyValues(sample, gather(got, sample), (i) => i, exact, t);
  const base = { group: 'peers' as const, kind: 'CosineDecay', shape, values: n };
  const wallOnly = async (fn: () => Promise<unknown> | unknown): Promise<Sample> => {
    const t = env.now();
    await fn();
    return { wallMs: env.now() - t, gpuMs: undefined };
  };

  // The fused kernel (the project's GPU evaluator).
  const device = env.device;
  let ev: BenchEvaluator | undefined;
  if (device && ctx.timer) {
    try {
      ev = await ctx.ensureGpuEv();
    } catch (err) {
      ctx.skipped.push(`fused kernel peer: ${(err as Error).message}`);
    }
  } else ctx.skipped.push('fused kernel peer: no WebGPU device');
  if (device && ctx.timer && ev) {
    const timer = ctx.timer;
    const out = await createStorage(device, n * 4, 'bench peers');
    try {
      const p1 = ctx.plan('peers/kept', n);
      const kept = await repeat(async () => toSample(await timer.time(() => ev.evaluateToBuffer(s, { start: 0, count: n }, out))), p1);
      const got = await readSample(device, out, sample);
      await ctx.push({ ...base, variant: V.kept }, kept, 'gpu', p1.warmup, verifyValues(sample, got, (i) => i, exact, tol));
    } finally {
      out.destroy();
    }
    const p2 = ctx.plan('peers/readback', n);
    let last: EvalResult | undefined;
    const rb = await repeat(async () => toSample(await timer.time(async () => void (last = await ev.evaluate(s, { start: 0, count: n })))), p2);
    const res = last as EvalResult | undefined;
    await ctx.push({ ...base, variant: V.readback }, rb, 'wall', p2.warmup, res ? check(res.values, tol) : undefined);
  }

  // tfjs on webgpu: its own device; its passes timed with the same PassTimer method.
  try {
    const h = await env.tfjs('webgpu');
    const dev = h.device;
    if (!dev) throw new Error('tfjs-webgpu gave no device');
    const tfTimer = new PassTimer(dev, () => env.now());
    const steps = tfSteps(h, 0, n);
    try {
      let y: ReturnType<typeof tfCosine> | undefined;
      const p1 = ctx.plan('peers/tfw-kept', n);
      const kept = await repeat(async () => {
        y?.dispose();
        y = undefined;
        return toSample(
          await tfTimer.time(() => {
            y = tfCosine(h, steps, params);
            tfFlush(h);
          }),
        );
      }, p1);
      const yKept = y as ReturnType<typeof tfCosine> | undefined;
      const keptValues = yKept ? await yKept.data() : undefined;
      yKept?.dispose();
      y = undefined;
      await ctx.push({ ...base, variant: V.tfWebgpuKept }, kept, 'gpu', p1.warmup, keptValues ? check(keptValues, gpuPeerTol) : undefined);

      const p2 = ctx.plan('peers/tfw-readback', n);
      let vals: ArrayLike<number> | undefined;
      const rb = await repeat(async () => {
        vals = undefined;
        return toSample(
          await tfTimer.time(async () => {
            const r = tfCosine(h, steps, params);
            vals = await r.data();
            r.dispose();
          }),
        );
      }, p2);
      await ctx.push({ ...base, variant: V.tfWebgpuReadback }, rb, 'wall', p2.warmup, vals ? check(vals, gpuPeerTol) : undefined);
    } finally {
      steps.dispose();
      tfTimer.destroy();
    }
  } catch (err) {
    ctx.skipped.push(`tfjs-webgpu: ${(err as Error).message}`);
    env.log(`peers     tfjs-webgpu skipped: ${(err as Error).message}`);
  }

  // tfjs on the CPU.
  try {
    const h = await env.tfjs('cpu');
    const steps = tfSteps(h, 0, n);
    try {
      const p = ctx.plan('peers/tfc', n);
      let vals: ArrayLike<number> | undefined;
      const m = await repeat(
        () =>
          wallOnly(async () => {
            const r = tfCosine(h, steps, params);
            vals = await r.data();
            r.dispose();
          }),
        p,
      );
      await ctx.push({ ...base, variant: V.tfCpu }, m, 'wall', p.warmup, vals ? check(vals, peerTol) : undefined);
    } finally {
      steps.dispose();
    }
  } catch (err) {
    ctx.skipped.push(`tfjs-cpu: ${(err as Error).message}`);
    env.log(`peers     tfjs-cpu skipped: ${(err as Error).message}`);
  }

  // The naive loop.
  {
    const out = new Float32Array(n);
    const p = ctx.plan('peers/naive', n);
    const m = await repeat(() => wallOnly(() => naiveCosine(params, 0, out)), p);
    await ctx.push({ ...base, variant: V.naive }, m, 'wall', p.warmup, check(out, peerTol));
  }

  // The project's CPU fallback.
  try {
    const ev = await ctx.getCpuEv();
    const p = ctx.plan('peers/cpu', n);
    let last: EvalResult | undefined;
    const m = await repeat(() => wallOnly(async () => void (last = await ev.evaluate(s, { start: 0, count: n }))), p);
    const res = last as EvalResult | undefined;
    await ctx.push({ ...base, variant: V.cpuFallback }, m, 'wall', p.warmup, res ? check(res.values, tol) : undefined);
  } catch (err) {
    ctx.skipped.push(`CPU fallback: ${(err as Error).message}`);
    env.log(`peers     CPU fallback skipped: ${(err as Error).message}`);
  }
}
