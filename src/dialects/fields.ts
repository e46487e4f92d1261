/**
 * The config field checks of the Hugging Face and Optax readers: each names the dialect
 * path of the key (`optax.config.decay_steps`, `huggingface.lr_scheduler_kwargs.num_cycles`),
 * the value and the rule with its fix (DialectError).
 */
import { DialectError, isObject } from './common.ts';

/** A config object's keys: unknown ones and missing required ones are DialectErrors naming `path.key`. */
export function checkConfigKeys(path: string, obj: unknown, known: readonly string[], required: readonly string[], what: string): Record<string, unknown> {
  if (!isObject(obj)) throw new DialectError(path, obj, `must be a JSON object: the ${what} arguments`);
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) throw new DialectError(`${path}.${key}`, obj[key], `unknown key for ${what} (known: ${known.join(', ')})`);
  }
  for (const key of required) {
    if (!(key in obj) || obj[key] === null) throw new DialectError(`${path}.${key}`, obj[key], `missing required key for ${what}: add "${key}"`);
  }
  return obj;
}

/** A finite number. */
export function num(at: string, v: unknown): number {
  if (typeof v !== 'number') throw new DialectError(at, v, 'must be a number');
  if (!Number.isFinite(v)) throw new DialectError(at, v, 'must be finite (no NaN or ±Infinity)');
  return v;
}

/** A finite number > 0; `why` says what a value ≤ 0 would do in the framework. */
export function positive(at: string, v: unknown, why = ''): number {
  const x = num(at, v);
  if (!(x > 0)) throw new DialectError(at, v, `must be > 0${why}`);
  return x;
}

/** A finite number ≥ 0. */
export function nonNegative(at: string, v: unknown, why = ''): number {
  const x = num(at, v);
  if (!(x >= 0)) throw new DialectError(at, v, `must be ≥ 0${why}`);
  return x;
}

/** A finite number in [lo, hi]. */
export function inRange(at: string, v: unknown, lo: number, hi: number, why = ''): number {
  const x = num(at, v);
  if (!(x >= lo && x <= hi)) throw new DialectError(at, v, `must be in [${lo}, ${hi}]${why}`);
  return x;
}

/** An integer step count ≥ min, ≤ 2^53. */
export function steps(at: string, v: unknown, min: number, why = ''): number {
  const x = num(at, v);
  if (!Number.isInteger(x) || x < min || x > 2 ** 53) throw new DialectError(at, v, `must be an integer ≥ ${min}${why}`);
  return x;
}

/** One of the given strings. */
export function choice<T extends string>(at: string, v: unknown, options: readonly T[]): T {
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) {
    throw new DialectError(at, v, `must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}`);
  }
  return v as T;
}

/** A boolean. */
export function bool(at: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new DialectError(at, v, 'must be true or false');
  return v;
}
