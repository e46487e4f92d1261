/**
 * The explorer's only door into the library: everything comes from the public
 * entry (src/index.ts), and is narrowed here to the little the page needs, so the
 * rest of src/app stays independent of the library's exact result shapes.
 */
import { KERAS_KINDS, createEvaluator, createSchedule, describeSchedule, fromAnyJsonMany, gpuSupport, sourceOf, toHuggingFace, toKerasJson, toOptax, toPyTorch, verify } from '../index.ts';
import type { AnySchedule, Evaluator, Schedule as KindSchedule, Steps } from '../index.ts';
import { buildFamily, isFamily } from './families.ts';
import type { Kind, Scalar } from './sweep.ts';

/** A schedule the page draws: a registry kind, or a Sequence (a dialect's composite). */
export type Schedule = AnySchedule;
export type { Steps };

export interface StepRange {
  readonly start: number;
  readonly count: number;
  readonly stride: number;
}

export interface Engine {
  readonly backend: 'webgpu' | 'cpu';
  readonly adapter: string;
  /** The page's evaluator when it runs on WebGPU (the training panel reuses it for its LR buffer), else null. */
  readonly lrEvaluator: Pick<Evaluator, 'evaluateToBuffer'> | null;
  /**
   * WebGPU: evaluates into `buffer` (rows × count f32 from byte `offset`, default 0) and resolves when
   * the GPU is done, with the reason when the evaluator filled it on the CPU instead (null when the GPU did).
   */
  sweepToBuffer(schedules: readonly Schedule[], steps: Steps, buffer: GPUBuffer, offset?: number): Promise<string | null>;
  /** WebGPU: compiles the pipelines sweepToBuffer of these rows at these steps runs (evaluator.prepare); nothing on the CPU. */
  prepare(schedules: readonly Schedule[], steps: Steps): Promise<void>;
  /** CPU (or any backend): rows × count values. */
  sweep(schedules: readonly Schedule[], steps: Steps): Promise<Float32Array>;
}

export interface VerifySummary {
  readonly ok: boolean;
  readonly checked: number;
  readonly maxUlp: number;
}

/** Creates the evaluator: on `device` when given (WebGPU), else the CPU fallback. */
export async function createEngine(device: GPUDevice | null): Promise<Engine> {
  // 'auto' on the page's device: a request the GPU kernels decline is computed on the CPU
  // into the same buffer (and the report says why), instead of failing with a GPU rule.
  // Without a GPU the CPU backend runs on every core (Web Workers; shared memory when the page
  // is cross-origin isolated, as vite.config.ts serves it), with the same values as one thread.
  const ev = device ? await createEvaluator({ backend: 'auto', device }) : await createEvaluator({ backend: 'cpu', threads: 'auto' });
  return {
    backend: ev.backend === 'webgpu' ? 'webgpu' : 'cpu',
    adapter: ev.adapter,
    lrEvaluator: ev.backend === 'webgpu' ? ev : null,
    async sweepToBuffer(schedules, steps, buffer, offset = 0) {
      await ev.sweepToBuffer([...schedules], steps, { buffer, offset });
      if (device) await device.queue.onSubmittedWorkDone();
      const report = ev.lastBufferReport;
      return report && report.backend !== 'webgpu' ? (report.fallbackReason ?? 'evaluated on the CPU') : null;
    },
    prepare(schedules, steps) {
      return ev.prepare([...schedules], steps);
    },
    async sweep(schedules, steps) {
      return (await ev.sweep([...schedules], steps)).values;
    },
  };
}

/** The sweep config a family's schedule was built from (its swept fields, for colours, facets and labels). */
const FAMILY_CONFIG = new WeakMap<Schedule, { kind: Kind; config: Readonly<Record<string, Scalar>> }>();

/** Builds one schedule of a kind from a config of the sweep (throws the library's config error, or the dialect's for a family). */
export function buildSchedule(kind: Kind, config: Readonly<Record<string, Scalar>>): Schedule {
  if (!isFamily(kind)) return createSchedule(kind, config as never);
  const s = buildFamily(kind, config);
  FAMILY_CONFIG.set(s, { kind, config });
  return s;
}

/** Parses pasted JSON of any dialect (Keras, PyTorch, Hugging Face, Optax; already JSON.parse'd; never evaluated) into schedules. */
export function schedulesFromJson(json: unknown): Schedule[] {
  return fromAnyJsonMany(json);
}

const isKeras = (s: Schedule): s is KindSchedule => (KERAS_KINDS as readonly string[]).includes(s.kind);

/**
 * One schedule as JSON text in its own dialect: the dialect it was read from (PyTorch,
 * Hugging Face, Optax), else Keras for Keras's six, as Python's `json.dumps(..., indent=2)`
 * writes Keras's own serialize() (whole-number floats as `1.0`, so real Keras reads floats
 * back), else the first dialect that can write it.
 */
function jsonTextOf(s: Schedule): string {
  const src = sourceOf(s);
  if (src?.dialect === 'pytorch') return JSON.stringify(toPyTorch(s), null, 2);
  if (src?.dialect === 'huggingface') return JSON.stringify(toHuggingFace(s), null, 2);
  if (src?.dialect === 'optax') return JSON.stringify(toOptax(s), null, 2);
  if (src === undefined && isKeras(s)) return toKerasJson(s, { indent: 2 });
  let first: unknown = null;
  for (const write of [toPyTorch, toOptax, toHuggingFace]) {
    try {
      return JSON.stringify(write(s), null, 2);
    } catch (e) {
      first ??= e;
    }
  }
  throw first;
}

/** JSON text of schedules, each in its own dialect (jsonTextOf); several give a JSON list of them. */
export function scheduleJsonText(list: readonly Schedule[]): string {
  if (list.length === 1) return jsonTextOf(list[0] as Schedule);
  return `[\n${list.map((s) => jsonTextOf(s).replace(/^/gm, '  ')).join(',\n')}\n]`;
}

/**
 * What makes two schedules the same one (a pin's key): the dialect's name and keywords for
 * a schedule read from a dialect (a family's row and its pin read back from a link agree),
 * else the kind and its config.
 */
export function scheduleIdentity(s: Schedule): { name: string; params: Readonly<Record<string, unknown>> } {
  if (s.kind !== 'Sequence' && sourceOf(s) === undefined) return { name: s.kind, params: s.config as unknown as Readonly<Record<string, unknown>> };
  return describeSchedule(s);
}

/** The schedule's name: its family's (`hf.warmup_stable_decay`), its dialect's (`OneCycleLR`) or its kind. */
export function scheduleKind(s: Schedule): string {
  return FAMILY_CONFIG.get(s)?.kind ?? describeSchedule(s).name;
}

/** The schedule's parameters: its family's sweep config, its dialect's keywords, or its kind's config. */
export function scheduleConfig(s: Schedule): Readonly<Record<string, unknown>> {
  const f = FAMILY_CONFIG.get(s);
  if (f) return f.config;
  if (s.kind !== 'Sequence' && sourceOf(s) === undefined) return s.config as unknown as Readonly<Record<string, unknown>>;
  return describeSchedule(s).params;
}

/**
 * Why the WebGPU kernels decline this schedule over the range (the evaluator's own
 * support check), or null. The preflight worker runs it, so a check that would take
 * long never runs first on the page's thread.
 */
export function gpuDeclines(s: Schedule, range: StepRange): string | null {
  // A Sequence's pieces the GPU declines are computed on the CPU by the evaluator itself.
  if (s.kind === 'Sequence') return null;
  const r = gpuSupport(s, { minStep: range.start, maxStep: range.start + (range.count - 1) * range.stride });
  return r ? `${r.field} = ${String(r.value)}: ${r.rule}` : null;
}

/** gpuDeclines over the steps [minStep, maxStep]. */
export function gpuDeclinesIn(s: Schedule, minStep: number, maxStep: number): string | null {
  if (s.kind === 'Sequence') return null;
  const r = gpuSupport(s, { minStep, maxStep });
  return r ? `${r.field} = ${String(r.value)}: ${r.rule}` : null;
}

/** The schedule's values over the range into `out` (the CPU backend's own batch loop), synchronously. */
export function fillRow(s: Schedule, range: StepRange, out: Float32Array): void {
  s.fill(range, out);
}

/** Exact (f64 reference) value of a schedule at a step. */
export function exactAt(s: Schedule, step: number): number {
  return s.at(step);
}

/** Checks GPU/CPU values of a few schedules against the exact reference. */
export function verifySample(schedules: readonly Schedule[], steps: Steps, values: Float32Array): VerifySummary {
  const { ok, checked, maxUlp } = verify([...schedules], steps, values);
  return { ok, checked, maxUlp };
}
