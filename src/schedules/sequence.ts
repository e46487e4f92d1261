/**
 * Composition (docs/semantics.md#sequence): a schedule made of pieces joined at integer
 * step boundaries, as Optax's `join_schedules` and PyTorch's `SequentialLR` do it.
 * Piece i serves begin_i ≤ t < begin_{i+1} with
 *
 *     v(t) = scale_i · schedule_i.at(t − begin_i) + shift_i
 *
 * where schedule_i is a registry kind (never a Sequence: nested ones are flattened where
 * that is exact, else refused). scale/shift default to 1/0; the reference applies them in
 * f64 once (fl(scale·v + shift), the product and the sum formed exactly and rounded once),
 * so with the defaults a piece's values are its schedule's values bit for bit. `lastStep`
 * (optional) is the last valid step: at() and fill() of a later step throw a StepError
 * naming the step and the limit (PyTorch's OneCycleLR refuses steps past total_steps).
 */
import { ScheduleConfigError, StepError } from './errors.ts';
import { ef, twoProd } from './exact.ts';
import { exactSum } from './exact-sum.ts';
import { isSchedule, type Schedule } from './registry.ts';
import { CosineDecay } from './cosine-decay.ts';
import { Linear } from './linear.ts';
import { checkRange, checkStep, checkStepList, isStepRange, MAX_STEP } from './steps.ts';
import { prepareOut, type FillOutput } from './schedule.ts';
import type { Json } from './keras.ts';
import type { StepList, Steps } from './types.ts';

/** Where a schedule was read from (the dialects): enough to write it back losslessly. */
export interface ScheduleSource {
  readonly dialect: 'keras' | 'pytorch' | 'huggingface' | 'optax';
  /** The framework's name for it (`OneCycleLR`, `warmup_stable_decay`, `join_schedules`…). */
  readonly name: string;
  /** The normalised input config. */
  readonly config: Json;
}

/** One piece as given to the constructor. */
export interface SequencePieceInput {
  /** The first step this piece serves (an integer; pieces[0].begin = 0, strictly increasing). */
  readonly begin: number;
  /** A registry-kind schedule, evaluated at (t − begin); a Sequence is flattened (see the class). */
  readonly schedule: Schedule | Sequence;
  /** Multiplies the schedule's value (default 1). */
  readonly scale?: number;
  /** Added after the scale (default 0). */
  readonly shift?: number;
}

/** One piece of a constructed Sequence: every default filled in, frozen. */
export interface SequencePiece {
  readonly begin: number;
  readonly schedule: Schedule;
  readonly scale: number;
  readonly shift: number;
}

/** The constructor argument. */
export interface SequenceConfig {
  readonly pieces: readonly SequencePieceInput[];
  /** The last valid step (an integer ≥ 0); steps past it throw a StepError. */
  readonly lastStep?: number;
  /** Set by the dialects (src/dialects/); carried, never read by the maths. */
  readonly source?: ScheduleSource;
}

/** The resolved config a Sequence holds (`config`). */
export interface ResolvedSequenceConfig {
  readonly pieces: readonly SequencePiece[];
  readonly lastStep: number | null;
}

const CLS = 'Sequence';

/** The index of the piece serving `step`: the last with begin ≤ step (pieces sorted by begin, the first at 0). */
export function pieceAt(pieces: readonly { readonly begin: number }[], step: number): number {
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pieces[mid]!.begin <= step) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** True for a Sequence. */
export function isSequence(x: unknown): x is Sequence {
  return x instanceof Sequence;
}

/** A scale/shift that changes nothing (the piece's values are its schedule's, bit for bit). */
export const isIdentityPiece = (p: { readonly scale: number; readonly shift: number }): boolean => p.scale === 1 && p.shift === 0;

/**
 * fl(scale·v + shift) with the product and the sum exact before the one rounding
 * (the reference's affine map; exact for scale 1 / shift 0).
 */
export function affine(v: number, scale: number, shift: number): number {
  if (shift === 0) return scale === 1 ? v : scale * v;
  if (scale === 1) return v + shift;
  twoProd(scale, v);
  if (!Number.isFinite(ef.hi)) return ef.hi + shift;
  return exactSum(ef.hi, ef.lo, shift);
}

function finiteOr(field: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number') throw new ScheduleConfigError(field, v, 'must be a number (omit it for the default)');
  if (!Number.isFinite(v)) throw new ScheduleConfigError(field, v, 'must be finite (no NaN or ±Infinity)');
  return v;
}

function integerStep(field: string, v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_STEP) {
    throw new ScheduleConfigError(field, v, `must be an integer step 0 … 2^53 (${what})`);
  }
  return v;
}

/** The pieces of a nested Sequence moved to `begin`, when that is exact; else a ScheduleConfigError. */
function flatten(field: string, inner: Sequence, begin: number, scale: number, shift: number, end: number): SequencePiece[] {
  const outerIdentity = scale === 1 && shift === 0;
  if (!outerIdentity && !inner.pieces.every(isIdentityPiece)) {
    throw new ScheduleConfigError(
      `${field}.schedule`,
      'a Sequence with scaled pieces',
      'a nested Sequence is flattened, which is exact only when either the outer piece or every inner piece has scale 1 and shift 0: list its pieces here with begins shifted and the scale/shift composed as you intend',
    );
  }
  const limit = inner.lastStep;
  if (limit !== null && (end === Infinity || begin + limit < end - 1)) {
    throw new ScheduleConfigError(
      `${field}.schedule.lastStep`,
      limit,
      `a nested Sequence's lastStep must cover its whole segment (≥ ${end === Infinity ? 'every later step' : end - 1 - begin}); put the limit on the outer Sequence's lastStep`,
    );
  }
  return inner.pieces
    .filter((p) => begin + p.begin < end)
    .map((p) => Object.freeze({ begin: begin + p.begin, schedule: p.schedule, scale: outerIdentity ? p.scale : scale, shift: outerIdentity ? p.shift : shift }));
}

function resolvePieces(input: unknown): SequencePiece[] {
  if (!Array.isArray(input)) throw new ScheduleConfigError(`${CLS}.pieces`, input, 'must be a list of { begin, schedule, scale?, shift? }');
  if (input.length === 0) throw new ScheduleConfigError(`${CLS}.pieces`, input, 'must hold at least one piece');
  const pieces: SequencePiece[] = [];
  let prev = -1;
  for (let i = 0; i < input.length; i++) {
    const field = `${CLS}.pieces[${i}]`;
    const p: unknown = input[i];
    if (typeof p !== 'object' || p === null) throw new ScheduleConfigError(field, p, 'must be an object { begin, schedule, scale?, shift? }');
    for (const key of Object.keys(p)) {
      if (!['begin', 'schedule', 'scale', 'shift'].includes(key)) {
        throw new ScheduleConfigError(`${field}.${key}`, (p as Record<string, unknown>)[key], 'unknown piece key (known: begin, schedule, scale, shift)');
      }
    }
    const { begin, schedule, scale, shift } = p as Record<string, unknown>;
    const b = integerStep(`${field}.begin`, begin, i === 0 ? 'the first piece begins at 0' : 'where this piece takes over');
    if (i === 0 && b !== 0) throw new ScheduleConfigError(`${field}.begin`, begin, 'must be 0: the first piece serves step 0');
    if (i > 0 && !(b > prev)) throw new ScheduleConfigError(`${field}.begin`, begin, `must be > pieces[${i - 1}].begin = ${prev} (begins strictly increase)`);
    const sc = finiteOr(`${field}.scale`, scale, 1);
    const sh = finiteOr(`${field}.shift`, shift, 0);
    prev = b;
    if (isSequence(schedule)) {
      const next: unknown = input[i + 1];
      const nb = typeof next === 'object' && next !== null ? (next as { begin?: unknown }).begin : undefined;
      pieces.push(...flatten(field, schedule, b, sc, sh, typeof nb === 'number' ? nb : Infinity));
      continue;
    }
    if (!isSchedule(schedule)) {
      throw new ScheduleConfigError(`${field}.schedule`, schedule, 'must be a schedule of a registry kind (createSchedule(kind, config)) or a Sequence');
    }
    pieces.push(Object.freeze({ begin: b, schedule, scale: sc, shift: sh }));
  }
  return pieces;
}

/**
 * A schedule of pieces joined at integer boundaries. Same API as the registry kinds:
 * `at(step)` (exact f64), `fill(steps, out?)` (each element = at(step), rounded once for
 * a Float32Array).
 *
 * @example
 * const s = new Sequence({ pieces: [
 *   { begin: 0, schedule: new PolynomialDecay({ initialLearningRate: 0, decaySteps: 100, endLearningRate: 0.1 }) },
 *   { begin: 100, schedule: new CosineDecay({ initialLearningRate: 0.1, decaySteps: 900 }) },
 * ] });
 * s.at(100) // 0.1
 */
export class Sequence {
  readonly kind = 'Sequence' as const;
  /** The pieces, defaults filled in, frozen; begins strictly increasing from 0. */
  readonly pieces: readonly SequencePiece[];
  /** The last valid step, or null for none. */
  readonly lastStep: number | null;
  /** Where it was read from (the dialects), when it was. */
  readonly source?: ScheduleSource;
  /** `{ pieces, lastStep }`, frozen (the evaluator's snapshot reads it). */
  readonly config: ResolvedSequenceConfig;

  constructor(config: SequenceConfig) {
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      throw new ScheduleConfigError(CLS, config, 'config must be an object { pieces, lastStep?, source? }');
    }
    for (const key of Object.keys(config)) {
      if (!['pieces', 'lastStep', 'source'].includes(key)) {
        throw new ScheduleConfigError(`${CLS}.${key}`, (config as unknown as Record<string, unknown>)[key], 'unknown config key (known: pieces, lastStep, source)');
      }
    }
    this.pieces = Object.freeze(resolvePieces(config.pieces));
    this.lastStep = config.lastStep === undefined ? null : integerStep(`${CLS}.lastStep`, config.lastStep, 'the last valid step');
    if (config.source !== undefined) this.source = Object.freeze(config.source);
    this.config = Object.freeze({ pieces: this.pieces, lastStep: this.lastStep });
    Object.freeze(this);
  }

  /** The index of the piece that serves `step` (a validated step). */
  pieceIndex(step: number): number {
    return pieceAt(this.pieces, step);
  }

  /** The first step past piece i's segment (Infinity for the last piece). */
  pieceEnd(i: number): number {
    return i + 1 < this.pieces.length ? this.pieces[i + 1]!.begin : Infinity;
  }

  /**
   * The exact value at `step`: scale·schedule.at(step − begin) + shift of the piece
   * serving it. Throws StepError for a bad step or one past `lastStep`.
   */
  at(step: number): number {
    checkStep(step);
    this.checkLimit('step', step);
    const p = this.pieces[this.pieceIndex(step)]!;
    return affine(p.schedule.at(step - p.begin), p.scale, p.shift);
  }

  /**
   * Evaluates a range or a list into `out` (or a new Float64Array), each element equal to
   * at(step). Every step is validated (and held to lastStep) before anything is written.
   */
  fill(steps: Steps): Float64Array;
  fill<O extends FillOutput>(steps: Steps, out: O): O;
  fill(steps: Steps, out?: FillOutput): FillOutput {
    if (isStepRange(steps)) {
      const { start, count, stride } = checkRange(steps);
      if (count > 0) this.checkLimit('range.count', start + (count - 1) * stride, count);
      const o = prepareOut(out, count);
      if (count > 0) this.fillRange(start, stride, count, o);
      return o;
    }
    const n = checkStepList(steps);
    if (this.lastStep !== null) {
      for (let i = 0; i < n; i++) this.checkLimit(`steps[${i}]`, steps[i]!);
    }
    const o = prepareOut(out, n);
    if (n > 0) this.fillList(steps, n, o);
    return o;
  }

  private checkLimit(field: string, step: number, shown: number = step): void {
    if (this.lastStep !== null && step > this.lastStep) {
      const what = field === 'range.count' ? `makes the last step ${step}` : 'is a step';
      throw new StepError(field, shown, `${what} past this Sequence's lastStep = ${this.lastStep} (steps must be ≤ ${this.lastStep})`);
    }
  }

  private fillRange(start: number, stride: number, count: number, out: FillOutput): void {
    let i = 0;
    while (i < count) {
      const step = start + i * stride;
      const k = this.pieceIndex(step);
      const end = this.pieceEnd(k);
      // columns i … j−1 lie in piece k: start + c·stride < end
      const j = end === Infinity ? count : columnsBefore(end, start, stride, i, count);
      const p = this.pieces[k]!;
      writePiece(p, { start: step - p.begin, count: j - i, stride }, out, i, null);
      i = j;
    }
  }

  private fillList(list: StepList, n: number, out: FillOutput): void {
    if (this.pieces.length === 1) {
      writePiece(this.pieces[0]!, list, out, 0, null);
      return;
    }
    // group the columns by piece (counting sort), evaluate each piece's steps with its own fill
    const which = new Uint32Array(n);
    const counts = new Uint32Array(this.pieces.length + 1);
    for (let i = 0; i < n; i++) {
      const k = this.pieceIndex(list[i]!);
      which[i] = k;
      counts[k + 1]!++;
    }
    for (let k = 0; k < this.pieces.length; k++) counts[k + 1]! += counts[k]!;
    const order = new Uint32Array(n);
    const local = new Float64Array(n);
    const next = counts.slice(0, this.pieces.length);
    for (let i = 0; i < n; i++) {
      const k = which[i]!;
      const at = next[k]!++;
      order[at] = i;
      local[at] = list[i]! - this.pieces[k]!.begin;
    }
    for (let k = 0; k < this.pieces.length; k++) {
      const a = counts[k]!;
      const b = counts[k + 1]!;
      if (b > a) writePiece(this.pieces[k]!, local.subarray(a, b), out, 0, order.subarray(a, b));
    }
  }
}

/**
 * Writes piece `p`'s values at its local `steps` into `out`: at out[offset + c] for column c,
 * or at out[cols[c]] when `cols` is given. The schedule's own fill does the work; scale/shift
 * go through f64 so the one rounding to float32 is the last.
 */
function writePiece(p: SequencePiece, steps: Steps, out: FillOutput, offset: number, cols: Uint32Array | null): void {
  if (cols === null && isIdentityPiece(p)) {
    p.schedule.fill(steps, out.subarray(offset));
    return;
  }
  const v = p.schedule.fill(steps);
  const { scale, shift } = p;
  if (!isIdentityPiece(p)) for (let c = 0; c < v.length; c++) v[c] = affine(v[c]!, scale, shift);
  if (cols === null) out.set(v, offset);
  else for (let c = 0; c < v.length; c++) out[cols[c]!] = v[c]!;
}

/**
 * The first column c in (i, count] with start + c·stride ≥ end (count when none): the
 * columns before it lie before `end`. The quotient is an estimate, corrected exactly
 * (every step here is an integer ≤ 2^53, so start + c·stride is exact).
 */
export function columnsBefore(end: number, start: number, stride: number, i: number, count: number): number {
  let j = Math.min(count, Math.max(i + 1, Math.ceil((end - start) / stride)));
  while (j > i + 1 && start + (j - 1) * stride >= end) j--;
  while (j < count && start + j * stride < end) j++;
  return j;
}

/** Any schedule the library evaluates: a registry kind or a Sequence of them. */
export type AnySchedule = Schedule | Sequence;

/**
 * Keras's CosineDecay as a Sequence (its first user, docs/semantics.md#sequence): with a
 * warmup, a Linear piece from initialLearningRate to warmupTarget over warmupSteps, then at
 * begin warmupSteps a CosineDecay from warmupTarget without warmup (decaySteps, alpha); without
 * one, the schedule itself as the only piece. The values are CosineDecay's bit for bit where
 * initialLearningRate and warmupTarget do not have opposite signs (the Linear piece then uses
 * Keras's warmup formula, warmup-line.ts); with opposite signs both are within the reference
 * bound (1e-12) of the exact line and may differ in the last bits. warmupSteps must be an
 * integer (pieces begin at integer steps).
 *
 * @example
 * const cd = new CosineDecay({ initialLearningRate: 0, decaySteps: 900, warmupTarget: 0.1, warmupSteps: 100 });
 * cosineDecaySequence(cd).at(50) === cd.at(50) // true
 */
export function cosineDecaySequence(s: CosineDecay): Sequence {
  const { initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps } = s.config;
  if (warmupTarget === null || warmupSteps === 0) return new Sequence({ pieces: [{ begin: 0, schedule: s }] });
  if (!Number.isInteger(warmupSteps) || warmupSteps > MAX_STEP) {
    throw new ScheduleConfigError('CosineDecay.warmupSteps', warmupSteps, 'must be an integer ≤ 2^53 for the Sequence form (pieces begin at integer steps)');
  }
  return new Sequence({
    pieces: [
      { begin: 0, schedule: new Linear({ from: initialLearningRate, to: warmupTarget, steps: warmupSteps }) },
      { begin: warmupSteps, schedule: new CosineDecay({ initialLearningRate: warmupTarget, decaySteps, alpha }) },
    ],
  });
}
