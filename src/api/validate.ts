/**
 * The evaluator's input snapshot and validation (pure: no GPU, no await). Every call
 * copies and validates its inputs once, synchronously, when it is made (before any
 * await): later changes by the caller to the step list, the schedules array, a
 * schedule's fields or the options object cannot reach a running or queued call.
 * Errors: StepError (steps) and EvaluatorInputError (field, value, rule).
 */

import type { RestartPeriods } from '../kernels/index.ts';
import { StepError } from '../schedules/errors.ts';
import { checkRange, checkStep, isStepRange, sliceSteps, type StepList, type Steps } from '../schedules/steps.ts';
import { BufferUsage } from '../gpu/constants.ts';
import { EvaluatorInputError } from './errors.ts';
import type { BufferCallOptions, CallOptions, EvaluatorInput, EvaluatorPiece, EvaluatorSchedule, EvaluatorSequence } from './types.ts';

const U32_MAX = 0xffffffff;

/** What a call's steps are, validated: M, N, the step window and the range or list. */
export interface Validated {
  readonly rows: number;
  readonly cols: number;
  readonly minStep: number;
  readonly maxStep: number;
  readonly range?: { readonly start: number; readonly stride: number };
  readonly list?: Uint32Array | Float64Array;
}

/** A call's inputs, copied and validated once, synchronously, when the call is made. */
export interface Call {
  readonly schedules: readonly EvaluatorInput[];
  /** The validated copy: a resolved range, or a Uint32Array (Float64Array when a step exceeds 2^32 − 1). */
  readonly steps: Steps;
  readonly v: Validated;
  readonly options: CallOptions;
}

/** A call of evaluateToBuffer / sweepToBuffer: the caller's buffer (if any) and the byte offset. */
export interface BufferCall extends Call {
  readonly buffer: GPUBuffer | undefined;
  readonly offset: number;
}

/** Configs known to be deeply frozen (a permanent property, so it is checked once per object). */
const deeplyFrozen = new WeakSet<object>();

function isDeeplyFrozen(x: object, depth = 0): boolean {
  if (deeplyFrozen.has(x)) return true;
  if (depth > 8 || !Object.isFrozen(x)) return false;
  for (const v of Object.values(x)) {
    if (typeof v === 'object' && v !== null && !isDeeplyFrozen(v as object, depth + 1)) return false;
    if (typeof v === 'function') return false;
  }
  deeplyFrozen.add(x);
  return true;
}

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null) {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

/** The config as it is now: the object itself when deeply frozen (the schedule classes' configs), else a frozen copy. */
function snapshotConfig(config: unknown, i: number): unknown {
  if (typeof config !== 'object' || config === null || isDeeplyFrozen(config)) return config;
  try {
    return deepFreeze(structuredClone(config));
  } catch (err) {
    throw new EvaluatorInputError(`schedules[${i}].config`, typeof config, `must be plain data (numbers, booleans, strings, arrays): ${(err as Error).message}`);
  }
}

/**
 * A frozen stand-in for schedules[i]: its kind and config as they are now, and its methods
 * (captured now) called on the original object. The schedule classes compute from private
 * fields set at construction, so their values cannot change; the GPU packer reads `kind`
 * and `config`, which a caller could otherwise reassign while the call runs.
 */
function snapshotSchedule(s: unknown, i: number): EvaluatorInput {
  if ((s as { kind?: unknown } | null)?.kind === 'Sequence') return snapshotSequence(s, i);
  return snapshotKind(s, i);
}

/**
 * A frozen stand-in for a Sequence: its pieces as they are now (begin, scale, shift and a
 * stand-in of each piece's schedule) and lastStep; at/fill call the original, whose pieces
 * are frozen at construction.
 */
function snapshotSequence(s: unknown, i: number): EvaluatorSequence {
  const o = s as Partial<EvaluatorSequence>;
  const at = o.at;
  const fill = o.fill;
  const config = o.config;
  const pieces: unknown = config?.pieces;
  if (typeof at !== 'function' || typeof fill !== 'function' || !Array.isArray(pieces) || pieces.length < 1) {
    throw new EvaluatorInputError(`schedules[${i}]`, 'Sequence', 'must be a Sequence (new Sequence({ pieces })) with at(), fill() and config.pieces');
  }
  const snap: EvaluatorPiece[] = pieces.map((p: EvaluatorPiece, j) => {
    const { begin, scale, shift } = p;
    if (!Number.isInteger(begin) || !Number.isFinite(scale) || !Number.isFinite(shift) || (j === 0 ? begin !== 0 : !(begin > (pieces[j - 1] as EvaluatorPiece).begin))) {
      throw new EvaluatorInputError(`schedules[${i}].config.pieces[${j}]`, { begin, scale, shift }, 'must be a Sequence piece: integer begins from 0, strictly increasing, finite scale and shift');
    }
    return Object.freeze({ begin, scale, shift, schedule: snapshotKind(p.schedule, i) });
  });
  const lastStep = config!.lastStep ?? null;
  return Object.freeze({
    kind: 'Sequence' as const,
    config: Object.freeze({ pieces: Object.freeze(snap), lastStep }),
    at: (step: number): number => at.call(s, step),
    fill: (steps: Steps, out: Float32Array): unknown => fill.call(s, steps, out),
  });
}

function snapshotKind(s: unknown, i: number): EvaluatorSchedule {
  const o = s as (Partial<EvaluatorSchedule> & Partial<RestartPeriods>) | null | undefined;
  const kind = o?.kind;
  const at = o?.at;
  const fill = o?.fill;
  if (typeof at !== 'function' || typeof fill !== 'function' || typeof kind !== 'string') {
    throw new EvaluatorInputError(`schedules[${i}]`, typeof s, 'must be a schedule (CosineDecay, …) with kind, at() and fill()');
  }
  const periodIndex = o!.periodIndex;
  const period = o!.period;
  const snap = {
    kind,
    config: snapshotConfig(o!.config, i),
    at: (step: number): number => at.call(s, step),
    fill: (steps: Steps, out: Float32Array): unknown => fill.call(s, steps, out),
    ...(typeof periodIndex === 'function' ? { periodIndex: (step: number): number => periodIndex.call(s, step) } : {}),
    ...(typeof period === 'function' ? { period: (k: number) => period.call(s, k) } : {}),
  };
  return Object.freeze(snap) as unknown as EvaluatorSchedule;
}

/** Frozen stand-ins for every schedule (at least one). */
export function snapshotSchedules(schedules: unknown): EvaluatorInput[] {
  if (!Array.isArray(schedules) || schedules.length < 1) {
    throw new EvaluatorInputError('schedules.length', Array.isArray(schedules) ? schedules.length : typeof schedules, 'must be an array of at least one schedule');
  }
  const n = schedules.length;
  const out = new Array<EvaluatorInput>(n);
  for (let i = 0; i < n; i++) out[i] = snapshotSchedule(schedules[i], i);
  return out;
}

/**
 * A validated copy of a step list: a Uint32Array, or a Float64Array once a step exceeds
 * 2^32 − 1. Each element is read once, and the copy is what is validated (a getter, a
 * Proxy or a shared buffer cannot change it afterwards).
 */
function snapshotList(list: StepList): Uint32Array | Float64Array {
  const n = list.length;
  if (!Number.isSafeInteger(n) || n < 0) throw new StepError('steps.length', n, 'must be a non-negative integer');
  if (n < 1) throw new StepError('steps.length', n, 'must be ≥ 1 (a step list must not be empty)');
  const alloc = <T>(make: () => T): T => {
    try {
      return make();
    } catch (err) {
      throw new EvaluatorInputError('steps.length', n, `a copy of the step list could not be allocated (${(err as Error).message}); pass fewer steps per call, or a step range { start, count, stride }`);
    }
  };
  if (list instanceof Uint32Array) return alloc(() => list.slice());
  if (list instanceof Uint16Array || list instanceof Uint8Array) return alloc(() => Uint32Array.from(list));
  const u32 = alloc(() => new Uint32Array(n));
  let i = 0;
  for (; i < n; i++) {
    const s = list[i];
    if (typeof s === 'number' && s >= 0 && s <= U32_MAX && Number.isInteger(s)) u32[i] = s;
    else break;
  }
  if (i === n) return u32;
  const f64 = alloc(() => new Float64Array(n));
  f64.set(u32.subarray(0, i));
  for (; i < n; i++) f64[i] = checkStep(list[i], `steps[${i}]`);
  return f64;
}

/** The smallest and largest step of a list. */
function listWindow(list: Uint32Array | Float64Array): { minStep: number; maxStep: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < list.length; i++) {
    const s = list[i]!;
    if (s < min) min = s;
    if (s > max) max = s;
  }
  return { minStep: min, maxStep: max };
}

/** The steps of a call, copied and validated, and what is known of them (`rows` = M). */
export function snapshotSteps(steps: unknown, rows: number): { steps: Steps; v: Validated } {
  if (isStepRange(steps)) {
    const r = checkRange(steps);
    if (r.count < 1) throw new StepError('range.count', r.count, 'must be ≥ 1 (a range must not be empty)');
    // One step: the stride is never used (and may exceed the GPU's u32 stride).
    const stride = r.count === 1 ? 1 : r.stride;
    const snap = Object.freeze({ start: r.start, count: r.count, stride });
    return { steps: snap, v: { rows, cols: r.count, minStep: r.start, maxStep: r.start + (r.count - 1) * stride, range: { start: r.start, stride } } };
  }
  if (steps === null || typeof steps !== 'object' || typeof (steps as StepList).length !== 'number') {
    throw new StepError('steps', steps, 'must be a range { start, count, stride? } or an array of steps');
  }
  const list = snapshotList(steps as StepList);
  return { steps: list, v: { rows, cols: list.length, ...listWindow(list), list } };
}

/** A step past a Sequence's lastStep is refused at the call, as Sequence.at refuses it. */
function checkLastSteps(schedules: readonly EvaluatorInput[], v: Validated): void {
  schedules.forEach((s, i) => {
    const last = s.kind === 'Sequence' ? s.config.lastStep : null;
    if (last === null || v.maxStep <= last) return;
    const rule = `is past the lastStep = ${last} of schedules[${i}] (a Sequence; steps must be ≤ ${last})`;
    if (v.range) throw new StepError('range.count', v.cols, `makes the last step ${v.maxStep}, which ${rule}`);
    const j = v.list!.findIndex((step) => step > last);
    throw new StepError(`steps[${j}]`, v.list![j], rule);
  });
}

/** Whether `signal` is an AbortSignal (AbortSignal.any and throwIfAborted need the real thing). */
function isAbortSignal(signal: unknown): signal is AbortSignal {
  return typeof AbortSignal === 'function' && signal instanceof AbortSignal;
}

/** The options object's fields, read once and checked. */
export function snapshotOptions(options: unknown): CallOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) throw new EvaluatorInputError('options', options === null ? 'null' : typeof options, 'must be an object (or omitted)');
  const { signal, onProgress, verify: mode } = options as CallOptions;
  if (signal !== undefined && !isAbortSignal(signal)) throw new EvaluatorInputError('signal', typeof signal, 'must be an AbortSignal (e.g. new AbortController().signal)');
  if (onProgress !== undefined && typeof onProgress !== 'function') throw new EvaluatorInputError('onProgress', typeof onProgress, 'must be a function (done, total) => void');
  if (mode !== undefined && mode !== 'none' && mode !== 'sample' && mode !== 'all') throw new EvaluatorInputError('verify', mode, "must be 'none', 'sample' or 'all'");
  return { ...(signal ? { signal } : {}), ...(onProgress ? { onProgress } : {}), ...(mode ? { verify: mode } : {}) };
}

/**
 * Copies and validates a call's inputs before anything is allocated; throws StepError /
 * EvaluatorInputError. `maxResultBytes` (when given) caps M × N × 4.
 */
export function snapshotCall(schedules: unknown, steps: unknown, options: unknown, maxResultBytes: number | undefined): Call {
  const opts = snapshotOptions(options);
  const ss = snapshotSchedules(schedules);
  const { steps: snap, v } = snapshotSteps(steps, ss.length);
  checkLastSteps(ss, v);
  const bytes = v.rows * v.cols * 4;
  if (maxResultBytes !== undefined && bytes > maxResultBytes) {
    throw new EvaluatorInputError(
      'result bytes (schedules × steps × 4)',
      `${v.rows} × ${v.cols} × 4 = ${bytes}`,
      `must be ≤ ${maxResultBytes} to fit one Float32Array; use stream() or fewer steps`,
    );
  }
  return { schedules: ss, steps: snap, v, options: opts };
}

/** stream()'s chunk size, checked. */
export function checkChunkSteps(options: unknown): number {
  const chunkSteps = (options as { chunkSteps?: unknown } | undefined)?.chunkSteps ?? 2 ** 20;
  if (!Number.isSafeInteger(chunkSteps) || (chunkSteps as number) < 1) throw new EvaluatorInputError('chunkSteps', chunkSteps, 'must be an integer ≥ 1');
  return chunkSteps as number;
}

/** How a caller's buffer is named in errors. */
export function describeBuffer(b: GPUBuffer): string {
  return `GPUBuffer${b.label ? ` '${b.label}'` : ''} of ${b.size} bytes`;
}

/** A mapped (or mapping) buffer cannot be used by the GPU: the caller's to unmap. */
export function checkUnmapped(b: GPUBuffer): void {
  const state = b.mapState as GPUBufferMapState | undefined;
  if (state !== undefined && state !== 'unmapped') {
    throw new EvaluatorInputError('buffer', describeBuffer(b), `is ${state === 'pending' ? 'being mapped (mapAsync pending)' : 'mapped'}: call buffer.unmap() first (a mapped buffer cannot be used by the GPU)`);
  }
}

/** snapshotCall() plus the buffer options: the checks that need no GPU round trip (`maxBufferSize`: the device's). */
export function snapshotBufferCall(schedules: unknown, steps: unknown, options: BufferCallOptions | undefined, maxBufferSize: number): BufferCall {
  const c = snapshotCall(schedules, steps, options, undefined);
  const { buffer: given, offset = 0 } = options ?? {};
  const { v } = c;
  if (!Number.isSafeInteger(offset) || offset < 0 || offset % 4 !== 0) throw new EvaluatorInputError('offset', offset, 'must be a non-negative multiple of 4 (bytes)');
  const bytes = v.rows * v.cols * 4;
  if (offset + bytes > maxBufferSize) {
    throw new EvaluatorInputError('offset + schedules × steps × 4', offset + bytes, `must be ≤ the device's maxBufferSize = ${maxBufferSize}`);
  }
  if (given !== undefined) {
    if (typeof given !== 'object' || given === null || typeof given.usage !== 'number' || typeof given.size !== 'number') {
      throw new EvaluatorInputError('buffer', given === null ? 'null' : typeof given, 'must be a GPUBuffer of the evaluator’s device (or omitted)');
    }
    checkUnmapped(given);
    if ((given.usage & BufferUsage.STORAGE) === 0) throw new EvaluatorInputError('buffer.usage', given.usage, 'must include GPUBufferUsage.STORAGE');
    if (given.size < offset + bytes) throw new EvaluatorInputError('buffer.size', given.size, `must be ≥ offset + ${bytes} bytes = ${offset + bytes}`);
    if (c.options.verify !== undefined && c.options.verify !== 'none' && (given.usage & BufferUsage.COPY_SRC) === 0) {
      throw new EvaluatorInputError('buffer.usage', given.usage, `must include GPUBufferUsage.COPY_SRC for verify '${c.options.verify}' (the values are read back)`);
    }
  }
  return { ...c, buffer: given, offset };
}

/** Columns [c0, c0 + n) of a snapshot (stream chunks), with `options`. */
export function sliceCall(c: Call, c0: number, n: number, options: CallOptions, maxResultBytes: number): Call {
  const steps = sliceSteps(c.steps, c0, n);
  const { v } = c;
  if (n * 4 > maxResultBytes) {
    throw new EvaluatorInputError('chunkSteps × 4 (bytes per chunk)', n * 4, `must be ≤ ${maxResultBytes} to fit one Float32Array; use a smaller chunkSteps`);
  }
  let sub: Validated;
  if (v.range) {
    const start = v.range.start + c0 * v.range.stride;
    sub = { rows: 1, cols: n, minStep: start, maxStep: start + (n - 1) * v.range.stride, range: { start, stride: v.range.stride } };
  } else {
    const list = steps as Uint32Array | Float64Array;
    sub = { rows: 1, cols: n, ...listWindow(list), list };
  }
  return { schedules: c.schedules, steps, v: sub, options };
}
