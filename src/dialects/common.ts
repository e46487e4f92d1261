/**
 * What the dialect readers and writers share (docs/dialects.md): the error they throw, the
 * JSON reading (text depth-checked before parsing), the field checks that name the dialect
 * path, and where a parsed schedule keeps its source (the normalised input it was read
 * from, so that the dialect writes it back losslessly).
 */
import { ScheduleConfigError } from '../schedules/errors.ts';
import { checkJsonDepth, parseKerasJsonText, type Json } from '../schedules/keras.ts';
import type { ScheduleSource, Sequence } from '../schedules/sequence.ts';
import type { Schedule } from '../schedules/registry.ts';

export type { ScheduleSource };

/**
 * A problem in a dialect's JSON (PyTorch, Hugging Face, Optax): `field` is the dialect path
 * (`pytorch.config.T_max`, `pytorch.config.schedulers[1].config.gamma`), `value` what was
 * found there, `rule` what it must be and how to fix it. A ScheduleConfigError, so every
 * catch of bad schedule input catches it too.
 *
 * @example new DialectError('pytorch.config.T_max', 0, 'must be an integer ≥ 1').message
 *   // 'pytorch.config.T_max = 0: must be an integer ≥ 1'
 */
export class DialectError extends ScheduleConfigError {
  override name = 'DialectError';
}

/** A plain JSON object (not an array, not null). */
export const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Text is depth-checked and parsed (errors name the position); a value is depth-checked. */
export function readJsonInput(json: unknown): unknown {
  if (typeof json === 'string') return parseKerasJsonText(json);
  checkJsonDepth(json);
  return json;
}

const SOURCES = new WeakMap<object, ScheduleSource>();

/** Records where a registry-kind schedule was read from (a Sequence carries its own `source`). */
export function withSource<S extends Schedule>(s: S, source: ScheduleSource): S {
  SOURCES.set(s, Object.freeze(source));
  return s;
}

/** Where a schedule was read from by a dialect, if it was. */
export function sourceOf(s: Schedule | Sequence): ScheduleSource | undefined {
  if (s.kind === 'Sequence') return s.source;
  return SOURCES.get(s);
}

/** A finite number, else a DialectError at `at`. */
export function finiteAt(at: string, v: unknown, what = 'a number'): number {
  if (typeof v !== 'number') throw new DialectError(at, v, `must be ${what}`);
  if (!Number.isFinite(v)) throw new DialectError(at, v, `must be finite (no NaN or ±Infinity): ${what}`);
  return v;
}

/** An integer ≥ min (a JSON number with no fraction). */
export function integerAt(at: string, v: unknown, min: number, why = ''): number {
  const x = finiteAt(at, v, `an integer ≥ ${min}`);
  if (!Number.isInteger(x)) throw new DialectError(at, v, `must be an integer ≥ ${min}${why}`);
  if (x < min) throw new DialectError(at, v, `must be an integer ≥ ${min}${why}`);
  if (x > 2 ** 53) throw new DialectError(at, v, 'must be ≤ 2^53 (a step count)');
  return x;
}

/** A boolean. */
export function boolAt(at: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new DialectError(at, v, 'must be true or false');
  return v;
}

/** One of the given strings. */
export function oneOfAt<T extends string>(at: string, v: unknown, options: readonly T[]): T {
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) {
    throw new DialectError(at, v, `must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}`);
  }
  return v as T;
}

/** A JSON deep copy (the normalised configs are plain JSON). */
export const copyJson = <T extends Json>(x: T): T => structuredClone(x);

/** Deeply frozen JSON (a source is never changed after it is recorded). */
export function freezeJson<T extends Json>(x: T): T {
  if (typeof x === 'object' && x !== null) {
    for (const v of Object.values(x)) freezeJson(v as Json);
    Object.freeze(x);
  }
  return x;
}
