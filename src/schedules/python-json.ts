/**
 * Python's JSON text for keras-json.ts (internal to src/schedules): floats as
 * `repr(float)` writes them, strings with `ensure_ascii` escapes, a Python-typed JSON
 * tree (`{ float }` vs `{ int }`, ordered entries) and its `json.dumps` text, and the
 * Keras field types that decide which Python type a config value is written as.
 */
import { KerasJsonError } from './errors.ts';
import { SCHEDULE_KINDS, scheduleFields } from './registry.ts';

// ------------------------------------------------------------------------------------------
// Python float and string formatting

/**
 * A finite double as Python's `repr(float)` (and so `json.dumps`) writes it: the shortest
 * digits that round-trip (the same digits as JavaScript's), in fixed notation with at
 * least one fractional digit when the decimal exponent is in −4 … 15 (`0.0001`, `100.0`,
 * `1234567890123456.0`), else in exponent notation with a sign and at least two exponent
 * digits (`1e-05`, `1e+16`, `1.5e+300`, `5e-324`); `-0.0` for negative zero.
 * @example pythonFloatRepr(1) // '1.0'
 * @example pythonFloatRepr(1e-5) // '1e-05'
 * @throws KerasJsonError for NaN or ±Infinity (Python would write `NaN`/`Infinity`, which is not JSON).
 */
export function pythonFloatRepr(x: number): string {
  if (!Number.isFinite(x)) throw new KerasJsonError('value', x, 'must be finite (Python writes NaN/Infinity, which is not JSON)');
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa = '', exponent = ''] = Math.abs(x).toExponential().split('e');
  const e = Number(exponent);
  const digits = mantissa.replace('.', '');
  if (e < -4 || e >= 16) {
    const m = digits.length === 1 ? digits : `${digits[0] ?? ''}.${digits.slice(1)}`;
    return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  if (digits.length <= e + 1) return `${sign}${digits}${'0'.repeat(e + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A string as Python's `json.dumps` (ensure_ascii=True) writes it: printable ASCII as is, everything else as `\uXXXX` (UTF-16 code units, lowercase hex). */
export function pythonJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i] as string;
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (c >= 0x20 && c <= 0x7e) out += ch;
    else out += `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

// ------------------------------------------------------------------------------------------
// A Python-typed JSON tree and its json.dumps text

/** A JSON value with Python's number types: `{ float }` and `{ int }` numbers, ordered object entries. */
export type Py =
  | null
  | boolean
  | string
  | { readonly float: number }
  | { readonly int: number }
  | readonly Py[]
  | { readonly entries: readonly (readonly [string, Py])[] };

export function dumps(v: Py, indent: number | undefined, level: number): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return pythonJsonString(v);
  const nl = indent === undefined ? '' : `\n${' '.repeat(indent * (level + 1))}`;
  const close = indent === undefined ? '' : `\n${' '.repeat(indent * level)}`;
  const sep = indent === undefined ? ', ' : ',';
  if (Array.isArray(v)) {
    const items = v as readonly Py[];
    if (items.length === 0) return '[]';
    return `[${nl}${items.map((x) => dumps(x, indent, level + 1)).join(sep + nl)}${close}]`;
  }
  if ('float' in v) return pythonFloatRepr(v.float);
  if ('int' in v) return String(v.int);
  const entries = (v as { entries: readonly (readonly [string, Py])[] }).entries;
  if (entries.length === 0) return '{}';
  return `{${nl}${entries.map(([k, x]) => `${pythonJsonString(k)}: ${dumps(x, indent, level + 1)}`).join(sep + nl)}${close}}`;
}

// ------------------------------------------------------------------------------------------
// Field types

/**
 * The Python type a Keras config field is written with:
 * - `float`: always a float (`1.0`);
 * - `step`: a step count (decay_steps, warmup_steps, boundaries): an int when whole and
 *   |x| ≤ 2^31 − 1, else a float;
 * - `int`, `bool`, `str`; `list[str]`;
 * - `number`: an int when whole and |x| ≤ 2^31 − 1, else a float (a Keras default that is an int, e.g. Muon's adam_lr_ratio = 1);
 * - a trailing `?`: or null.
 */
export type KerasFieldType = 'float' | 'float?' | 'step' | 'int' | 'int?' | 'bool' | 'str' | 'str?' | 'number' | 'list[float]' | 'list[step]' | 'list[str]';

/** The type of every schedule config key (the same in both forms; a key has one type in every kind, test/schedules/registry.test.ts). */
export const SCHEDULE_FIELD_TYPES: Readonly<Record<string, KerasFieldType>> = Object.fromEntries(
  SCHEDULE_KINDS.flatMap((kind) => scheduleFields(kind).flatMap((f) => (f.keras === undefined ? [] : [[f.keras, f.type] as const]))),
);

const INT32_MAX = 2 ** 31 - 1;
const wholeInt32 = (x: number): boolean => Number.isInteger(x) && Math.abs(x) <= INT32_MAX && !Object.is(x, -0);

/** Checks `value` against `type` and returns its Python-typed form; `path` names it in errors. */
export function typed(value: unknown, type: KerasFieldType, path: string): Py {
  const nullable = type.endsWith('?');
  if (value === null) {
    if (nullable) return null;
    throw new KerasJsonError(path, value, `must be ${describeType(type)}`);
  }
  const base = (nullable ? type.slice(0, -1) : type) as KerasFieldType;
  const num = (what: string): number => {
    if (typeof value !== 'number') throw new KerasJsonError(path, value, `must be ${what}`);
    if (!Number.isFinite(value)) throw new KerasJsonError(path, value, 'must be finite');
    return value;
  };
  switch (base) {
    case 'float':
      return { float: num(describeType(type)) };
    case 'step':
    case 'number': {
      const x = num(describeType(type));
      return wholeInt32(x) ? { int: x } : { float: x };
    }
    case 'int': {
      const x = num(describeType(type));
      if (!Number.isSafeInteger(x)) throw new KerasJsonError(path, value, 'must be an integer');
      return { int: x };
    }
    case 'bool':
      if (typeof value !== 'boolean') throw new KerasJsonError(path, value, `must be ${describeType(type)}`);
      return value;
    case 'str':
      if (typeof value !== 'string') throw new KerasJsonError(path, value, `must be ${describeType(type)}`);
      return value;
    case 'list[float]':
    case 'list[step]':
    case 'list[str]': {
      if (!Array.isArray(value)) throw new KerasJsonError(path, value, `must be ${describeType(type)}`);
      const el = base.slice(5, -1) as KerasFieldType;
      return (value as readonly unknown[]).map((x, i) => typed(x, el, `${path}[${i}]`));
    }
    default:
      throw new KerasJsonError(path, value, `unknown field type ${type}`);
  }
}

function describeType(type: KerasFieldType): string {
  const nullable = type.endsWith('?');
  const base = nullable ? type.slice(0, -1) : type;
  const words: Record<string, string> = {
    float: 'a finite number (written as a Python float)',
    step: 'a finite number (a step count)',
    number: 'a finite number',
    int: 'an integer',
    bool: 'a boolean',
    str: 'a string',
    'list[float]': 'a list of finite numbers',
    'list[step]': 'a list of finite numbers (step counts)',
    'list[str]': 'a list of strings',
  };
  return `${words[base] ?? base}${nullable ? ' or null' : ''}`;
}
