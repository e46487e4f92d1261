/**
 * The shared base of the six schedule classes: `at(step)` (validated, exact f64),
 * `fill(steps, out?)` (validated, batch, no per-element allocation), and the
 * config-validation helpers (docs/semantics.md#validation).
 */
import { ScheduleConfigError, StepError } from './errors.ts';
import { checkRange, checkStep, checkStepList, isStepRange } from './steps.ts';
import type { StepList, Steps } from './types.ts';

/** What `fill` writes into: a caller's Float32Array (values rounded once, like Math.fround) or Float64Array. */
export type FillOutput = Float32Array | Float64Array;

/** π/2 as an f64 (relative error 2^-54 against the real π/2). */
export const HALF_PI = Math.PI / 2;

/**
 * Base of every schedule. Subclasses implement `valueAt` (the exact value for a
 * step already validated) and the two specialised loops `fillRange` / `fillList`,
 * which must produce exactly `valueAt(step)` for each step.
 */
export abstract class ScheduleBase<K extends string, C extends object> {
  /** The Keras class name. */
  abstract readonly kind: K;
  /** The resolved config: every default filled in, frozen. */
  readonly config: C;

  protected constructor(config: C) {
    this.config = Object.freeze(config);
  }

  /**
   * The exact value of the schedule at `step` in f64 (relative error ≤ 1e-12, exact
   * at the ends). Throws {@link StepError} for a step that is not an integer 0 … 2^53.
   */
  at(step: number): number {
    return this.valueAt(checkStep(step));
  }

  /**
   * Evaluates many steps: a range `{ start, count, stride? }` or a step list, into
   * `out` (a Float32Array or Float64Array with `out.length` ≥ the number of steps;
   * the first `count` elements are written) or into a new Float64Array. Each element
   * equals `at(step)` (rounded once to float32 for a Float32Array). All steps are
   * validated before anything is written.
   */
  fill(steps: Steps): Float64Array;
  fill<O extends FillOutput>(steps: Steps, out: O): O;
  fill(steps: Steps, out?: FillOutput): FillOutput {
    if (isStepRange(steps)) {
      const { start, count, stride } = checkRange(steps);
      const o = prepareOut(out, count);
      if (count > 0) this.fillRange(start, stride, count, o);
      return o;
    }
    const n = checkStepList(steps);
    const o = prepareOut(out, n);
    if (n > 0) this.fillList(steps, n, o);
    return o;
  }

  /** The exact value at a validated step. */
  protected abstract valueAt(step: number): number;
  /** out[i] = valueAt(start + i·stride), i < count (validated). */
  protected abstract fillRange(start: number, stride: number, count: number, out: FillOutput): void;
  /** out[i] = valueAt(list[i]), i < n (validated). */
  protected abstract fillList(list: StepList, n: number, out: FillOutput): void;
}

/** The output of a fill: `out` checked (a Float32Array/Float64Array of length ≥ n), or a new Float64Array. */
export function prepareOut(out: FillOutput | undefined, n: number): FillOutput {
  if (out === undefined) return new Float64Array(n);
  if (!(out instanceof Float64Array) && !(out instanceof Float32Array)) {
    throw new StepError('out', Object.prototype.toString.call(out), 'must be a Float32Array or a Float64Array');
  }
  if (out.length < n) throw new StepError('out.length', out.length, `must be ≥ the number of steps (${n})`);
  return out;
}

// ---------------------------------------------------------------------------
// Config validation (docs/semantics.md#validation). `cls` is the class name used in messages.

/** A required finite number. */
export function finiteField(cls: string, field: string, v: unknown): number {
  if (typeof v !== 'number') throw new ScheduleConfigError(`${cls}.${field}`, v, 'must be a number');
  if (!Number.isFinite(v)) throw new ScheduleConfigError(`${cls}.${field}`, v, 'must be finite (no NaN or ±Infinity)');
  return v;
}

/** A finite number > 0. */
export function positiveField(cls: string, field: string, v: unknown): number {
  const x = finiteField(cls, field, v);
  if (!(x > 0)) throw new ScheduleConfigError(`${cls}.${field}`, v, 'must be > 0');
  return x;
}

/** A finite number ≥ min. */
export function atLeastField(cls: string, field: string, v: unknown, min: number, why = ''): number {
  const x = finiteField(cls, field, v);
  if (!(x >= min)) throw new ScheduleConfigError(`${cls}.${field}`, v, `must be ≥ ${min}${why}`);
  return x;
}

/** An optional field: `undefined` gives the default. */
export function opt<T>(v: T | undefined, dflt: T): T {
  return v === undefined ? dflt : v;
}

/** A boolean. */
export function boolField(cls: string, field: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new ScheduleConfigError(`${cls}.${field}`, v, 'must be a boolean');
  return v;
}

/** A name: a string or null (Keras 3 names must not contain "/"). */
export function nameField(cls: string, v: unknown): string | null {
  if (v === null) return null;
  if (typeof v !== 'string') throw new ScheduleConfigError(`${cls}.name`, v, 'must be a string or null');
  if (v.includes('/')) throw new ScheduleConfigError(`${cls}.name`, v, 'must not contain "/" (Keras rejects it)');
  return v;
}

/** The config must be an object with only known keys. */
export function checkKeys(cls: string, config: unknown, known: readonly string[]): Record<string, unknown> {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ScheduleConfigError(cls, config, 'config must be an object');
  }
  for (const key of Object.keys(config)) {
    if (!known.includes(key)) {
      throw new ScheduleConfigError(`${cls}.${key}`, (config as Record<string, unknown>)[key], `unknown config key (known: ${known.join(', ')})`);
    }
  }
  return config as Record<string, unknown>;
}
