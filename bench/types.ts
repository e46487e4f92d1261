/**
 * The vocabulary of the benchmark suite, shared by its measurement (bench/measure.ts), its
 * groups (bench/groups/), the runners (bench/run.ts, bench/page.ts) and the report: the
 * project as the suite sees it, the environment, the options, and the rows and ratios a
 * run gives.
 */
import type { ScheduleKind } from '../src/index.ts';
import type { CheckReport } from './check.ts';
import type { TimingMethod } from './gpu.ts';
import type { TfHandle } from './peers.ts';
import type { Summary } from './stats.ts';

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
  schedule(kind: ScheduleKind, config: Record<string, unknown>): BenchSchedule;
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
  /** The kinds of the single group: the library's list (SCHEDULE_KINDS). */
  readonly kinds: readonly ScheduleKind[];
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

/** The variants of the rows (their labels in the table, the JSON and the page). */
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
