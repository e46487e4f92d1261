/**
 * Keras JSON as text that real Keras reads back identically: `toKerasJson` writes a
 * schedule, or a whole Keras 3 optimizer config whose `learning_rate` is a schedule,
 * byte for byte as Python's `json.dumps` writes Keras's own `serialize()` output.
 *
 * Why a text serializer: JSON cannot tell `1` from `1.0`, but Python can. Real Keras 3
 * computes a schedule in the dtype of its `initial_learning_rate`, so
 * `"initial_learning_rate": 1` (what `JSON.stringify` writes for 1.0) makes it compute
 * in int32 (`ExponentialDecay(1, 10, 0.5)` gives 1, 0, 0, …), and an integer
 * `values[0]` of a PiecewiseConstantDecay fails on the TensorFlow backend. Here every
 * float-typed field is written as Python writes a float (`1.0`, `1e-05`, `1e+16`), every
 * step count as an integer when it is a whole number in the int32 range (as Keras users
 * write `decay_steps=1000`; Keras casts it to the float dtype, so the values are the same)
 * and as a float otherwise, in Keras's own key order, with Python's default
 * separators (`", "`, `": "`) and `ensure_ascii` escapes.
 */
import { KerasJsonError } from './errors.ts';
import { checkJsonDepth, deserialize, parseKerasJsonText, serialize, type Json, type SerializeOptions } from './keras.ts';
import { SCHEDULE_KINDS, isSchedule, scheduleFields, type Schedule } from './registry.ts';

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
type Py =
  | null
  | boolean
  | string
  | { readonly float: number }
  | { readonly int: number }
  | readonly Py[]
  | { readonly entries: readonly (readonly [string, Py])[] };

function dumps(v: Py, indent: number | undefined, level: number): string {
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
  SCHEDULE_KINDS.flatMap((kind) => scheduleFields(kind).map((f) => [f.keras, f.type] as const)),
);

const INT32_MAX = 2 ** 31 - 1;
const wholeInt32 = (x: number): boolean => Number.isInteger(x) && Math.abs(x) <= INT32_MAX && !Object.is(x, -0);

/** Checks `value` against `type` and returns its Python-typed form; `path` names it in errors. */
function typed(value: unknown, type: KerasFieldType, path: string): Py {
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

// ------------------------------------------------------------------------------------------
// Keras 3 optimizers

/** The Keras 3 optimizer classes whose config `toKerasJson` writes (Keras 3.15: every `keras.optimizers` class that takes a learning_rate). */
export const KERAS_OPTIMIZER_CLASSES = [
  'Adadelta',
  'Adafactor',
  'Adagrad',
  'Adam',
  'AdamW',
  'Adamax',
  'Ftrl',
  'Lamb',
  'Lion',
  'Muon',
  'Nadam',
  'RMSprop',
  'SGD',
  'ScheduleFreeAdamW',
] as const;

/** A Keras 3 optimizer class name. */
export type KerasOptimizerClass = (typeof KERAS_OPTIMIZER_CLASSES)[number];

/** The Keras 3 `module` of the built-in optimizers. */
export const KERAS_OPTIMIZERS_MODULE = 'keras.optimizers';

type FieldSpec = readonly [key: string, type: KerasFieldType, default_: Json];

/** Keys every Keras 3 optimizer's get_config() starts with (after `name` and `learning_rate`), with their defaults. */
const BASE_FIELDS: readonly FieldSpec[] = [
  ['weight_decay', 'float?', null],
  ['clipnorm', 'float?', null],
  ['global_clipnorm', 'float?', null],
  ['clipvalue', 'float?', null],
  ['use_ema', 'bool', false],
  ['ema_momentum', 'float', 0.99],
  ['ema_overwrite_frequency', 'int?', null],
  ['loss_scale_factor', 'float?', null],
  ['gradient_accumulation_steps', 'int?', null],
];

const ADAM_LIKE: readonly FieldSpec[] = [
  ['beta_1', 'float', 0.9],
  ['beta_2', 'float', 0.999],
  ['epsilon', 'float', 1e-7],
];

/** Each optimizer's default name and its own keys after the base keys, in get_config() order, from Keras 3.15.1. */
const OPTIMIZERS: { readonly [C in KerasOptimizerClass]: { readonly name: string; readonly weightDecay?: number; readonly fields: readonly FieldSpec[] } } = {
  Adadelta: { name: 'adadelta', fields: [['rho', 'float', 0.95], ['epsilon', 'float', 1e-7]] },
  Adafactor: {
    name: 'adafactor',
    fields: [
      ['beta_2_decay', 'float', -0.8],
      ['epsilon_1', 'float', 1e-30],
      ['epsilon_2', 'float', 0.001],
      ['clip_threshold', 'float', 1.0],
      ['relative_step', 'bool', true],
    ],
  },
  Adagrad: { name: 'adagrad', fields: [['initial_accumulator_value', 'float', 0.1], ['epsilon', 'float', 1e-7]] },
  Adam: { name: 'adam', fields: [...ADAM_LIKE, ['amsgrad', 'bool', false]] },
  AdamW: { name: 'adam_w', weightDecay: 0.004, fields: [...ADAM_LIKE, ['amsgrad', 'bool', false]] },
  Adamax: { name: 'adamax', fields: ADAM_LIKE },
  Ftrl: {
    name: 'ftrl',
    fields: [
      ['learning_rate_power', 'float', -0.5],
      ['initial_accumulator_value', 'float', 0.1],
      ['l1_regularization_strength', 'float', 0.0],
      ['l2_regularization_strength', 'float', 0.0],
      ['l2_shrinkage_regularization_strength', 'float', 0.0],
      ['beta', 'float', 0.0],
    ],
  },
  Lamb: { name: 'lamb', fields: ADAM_LIKE },
  Lion: { name: 'lion', fields: [['beta_1', 'float', 0.9], ['beta_2', 'float', 0.99]] },
  Muon: {
    name: 'muon',
    weightDecay: 0.004,
    fields: [
      ['adam_beta_1', 'float', 0.9],
      ['adam_beta_2', 'float', 0.999],
      ['epsilon', 'float', 1e-7],
      ['exclude_layers', 'list[str]', []],
      ['muon_a', 'float', 3.4445],
      ['muon_b', 'float', -4.775],
      ['muon_c', 'float', 2.0315],
      ['adam_lr_ratio', 'number', 1],
      ['momentum', 'float', 0.95],
      ['ns_steps', 'int', 5],
      ['nesterov', 'bool', true],
      ['exclude_embeddings', 'bool', true],
      ['adam_weight_decay', 'float', 0.004],
      ['rms_rate', 'float', 0.2],
    ],
  },
  Nadam: { name: 'nadam', fields: ADAM_LIKE },
  RMSprop: {
    name: 'rm_sprop',
    fields: [
      ['rho', 'float', 0.9],
      ['momentum', 'float', 0.0],
      ['epsilon', 'float', 1e-7],
      ['centered', 'bool', false],
    ],
  },
  SGD: { name: 'sgd', fields: [['momentum', 'float', 0.0], ['nesterov', 'bool', false]] },
  ScheduleFreeAdamW: { name: 'schedule_free_adam_w', fields: [...ADAM_LIKE.slice(0, 2), ['epsilon', 'float', 1e-8], ['warmup_steps', 'int', 0]] },
};

/** Every key of a Keras 3 optimizer's get_config(), in order, with its type and default (`learning_rate` has none: it is the schedule). */
export function kerasOptimizerFields(className: KerasOptimizerClass): readonly FieldSpec[] {
  const o = OPTIMIZERS[className];
  const base = BASE_FIELDS.map(([k, t, d]): FieldSpec => (k === 'weight_decay' && o.weightDecay !== undefined ? [k, t, o.weightDecay] : [k, t, d]));
  return [['name', 'str', o.name], ['learning_rate', 'str', null], ...base, ...o.fields];
}

const isOptimizerClass = (x: unknown): x is KerasOptimizerClass => typeof x === 'string' && (KERAS_OPTIMIZER_CLASSES as readonly string[]).includes(x);

/**
 * A Keras 3 optimizer whose learning rate is a schedule: what `keras.optimizers.serialize(opt)`
 * describes. `config` holds the snake_case keys that differ from the optimizer's defaults
 * (`name`, `beta_1`, `weight_decay`, …); every key not given takes Keras 3's default.
 * @example { className: 'Adam', learningRate: new CosineDecay({ initialLearningRate: 1e-3, decaySteps: 1000 }), config: { beta_2: 0.98 } }
 */
export interface KerasOptimizerSpec {
  readonly className: KerasOptimizerClass;
  readonly learningRate: Schedule;
  readonly config?: { readonly [key: string]: Json };
}

/** `toKerasJson` options: the form (Keras 3 by default) and Python's `json.dumps(indent=…)`. */
export interface KerasJsonOptions {
  /** `keras3` (default; Keras 3 and tf.keras ≥ 2.13) or `tf-keras-legacy` (tf.keras ≤ 2.12; schedules only). */
  format?: 'keras3' | 'tf-keras-legacy';
  /** As Python's `json.dumps(indent=n)`: newlines and n spaces per level (and `","` without a space at line ends). Default: one line, `", "` and `": "`. */
  indent?: number;
}

function scheduleTree(schedule: Schedule, format: SerializeOptions['format']): Py {
  const ser = serialize(schedule, format === undefined ? {} : { format }) as unknown as Record<string, Json>;
  const config = ser.config as Record<string, Json>;
  const configPy: Py = {
    entries: Object.entries(config).map(([k, v]) => [k, typed(v, SCHEDULE_FIELD_TYPES[k] ?? 'str?', `config.${k}`)] as const),
  };
  return {
    entries: Object.keys(ser).map((k) => [k, k === 'config' ? configPy : (ser[k] as string | null)] as const),
  };
}

const num = (x: Json | undefined): number | null => (typeof x === 'number' ? x : null);

/**
 * The checks Keras 3.15's optimizer constructors make (so that a text Keras would refuse
 * to load is refused here, naming the key): one clipping key at most; gradient
 * accumulation ≥ 2; with EMA, ema_momentum in [0, 1] and an overwrite frequency ≥ 1;
 * AdamW's weight_decay set; SGD's momentum in [0, 1]; Ftrl's signs; Lion's beta_1 in (0, 1].
 */
function checkOptimizerRules(className: KerasOptimizerClass, get: (key: string) => Json | undefined): void {
  const bad = (key: string, rule: string): never => {
    throw new KerasJsonError(`config.${key}`, get(key), rule);
  };
  const clips = ['clipnorm', 'clipvalue', 'global_clipnorm'].filter((k) => get(k) !== null && get(k) !== undefined);
  if (clips.length > 1) bad(clips[1] as string, `only one of clipnorm, clipvalue and global_clipnorm can be set (${clips.join(' and ')} are)`);
  const gas = num(get('gradient_accumulation_steps'));
  if (gas !== null && gas !== 0 && !(gas >= 2)) bad('gradient_accumulation_steps', 'must be an integer ≥ 2 or null');
  if (get('use_ema') === true) {
    const m = num(get('ema_momentum'));
    if (m !== null && (m > 1 || m < 0)) bad('ema_momentum', 'must be in [0, 1] when use_ema is true');
    const f = num(get('ema_overwrite_frequency'));
    if (f !== null && f !== 0 && f < 1) bad('ema_overwrite_frequency', 'must be an integer ≥ 1 or null when use_ema is true');
  }
  if (className === 'AdamW' && get('weight_decay') === null) bad('weight_decay', 'must be a number for AdamW (Keras refuses null)');
  if (className === 'SGD') {
    const m = num(get('momentum'));
    if (m !== null && (m < 0 || m > 1)) bad('momentum', 'must be in [0, 1]');
  }
  if (className === 'Ftrl') {
    if ((num(get('learning_rate_power')) ?? 0) > 0) bad('learning_rate_power', 'must be ≤ 0');
    for (const k of ['initial_accumulator_value', 'l1_regularization_strength', 'l2_regularization_strength', 'l2_shrinkage_regularization_strength']) {
      if ((num(get(k)) ?? 0) < 0) bad(k, 'must be ≥ 0');
    }
  }
  if (className === 'Lion') {
    const b = num(get('beta_1'));
    if (b !== null && (b <= 0 || b > 1)) bad('beta_1', 'must be in (0, 1]');
  }
}

function optimizerTree(spec: KerasOptimizerSpec): Py {
  const { className } = spec;
  if (!isOptimizerClass(className)) {
    throw new KerasJsonError('className', className, `unknown Keras 3 optimizer class (known: ${KERAS_OPTIMIZER_CLASSES.join(', ')})`);
  }
  if (!isSchedule(spec.learningRate)) {
    throw new KerasJsonError('learningRate', spec.learningRate, 'must be a schedule (CosineDecay, ExponentialDecay, …)');
  }
  const overrides = spec.config ?? {};
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new KerasJsonError('config', overrides, 'must be an object of snake_case optimizer config keys');
  }
  const fields = kerasOptimizerFields(className);
  for (const key of Object.keys(overrides)) {
    if (key === 'learning_rate') throw new KerasJsonError(`config.${key}`, overrides[key], 'give the schedule as learningRate, not in config');
    if (!fields.some(([k]) => k === key)) {
      throw new KerasJsonError(`config.${key}`, overrides[key], `unknown key for ${className} (known: ${fields.map(([k]) => k).filter((k) => k !== 'learning_rate').join(', ')})`);
    }
  }
  const entries = fields.map(([key, type, def]): readonly [string, Py] => {
    if (key === 'learning_rate') return [key, scheduleTree(spec.learningRate, 'keras3')];
    const v = Object.hasOwn(overrides, key) ? overrides[key] : def;
    if (key === 'name' && (typeof v !== 'string' || v === '' || v.includes('/'))) {
      throw new KerasJsonError('config.name', v, 'must be a non-empty string without "/" (Keras builds variable paths from it)');
    }
    return [key, typed(v, type, `config.${key}`)];
  });
  checkOptimizerRules(className, (key) => (Object.hasOwn(overrides, key) ? overrides[key] : fields.find(([k]) => k === key)?.[2]));
  return { entries: [['module', KERAS_OPTIMIZERS_MODULE], ['class_name', className], ['config', { entries }], ['registered_name', null]] };
}

/**
 * Keras JSON text of a schedule or of a whole Keras 3 optimizer config (with the
 * schedule as `learning_rate`), exactly as Python's `json.dumps` writes Keras's own
 * `keras.optimizers.schedules.serialize(s)` / `keras.optimizers.serialize(opt)`:
 * float fields as Python floats (`1.0`, `1e-05`), step counts as ints when whole,
 * Keras's key order, `ensure_ascii` escapes. Real Keras 3 reads it back to the same
 * config and values; `deserialize` (and `deserializeOptimizer`) read it back losslessly.
 * - `format: 'tf-keras-legacy'` writes a schedule in the tf.keras ≤ 2.12 form
 *   `{"class_name", "config"}`; optimizer configs exist in the Keras 3 form only.
 * - `indent`: as `json.dumps(indent=n)`.
 * @example toKerasJson(new ExponentialDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 0.5 }))
 *   // '{"module": "keras.optimizers.schedules", "class_name": "ExponentialDecay", "config": {"initial_learning_rate": 1.0, "decay_steps": 10, "decay_rate": 0.5, "staircase": false, "name": "ExponentialDecay"}, "registered_name": null}'
 * @throws KerasJsonError naming the field for an unknown format, optimizer class or config key, or a config value of the wrong type.
 */
export function toKerasJson(value: Schedule | KerasOptimizerSpec, options: KerasJsonOptions = {}): string {
  const format = options.format ?? 'keras3';
  if (format !== 'keras3' && format !== 'tf-keras-legacy') {
    throw new KerasJsonError('format', format, "must be 'keras3' or 'tf-keras-legacy'");
  }
  const indent = options.indent;
  if (indent !== undefined && !(Number.isInteger(indent) && indent >= 0 && indent <= 16)) {
    throw new KerasJsonError('indent', indent, 'must be an integer 0 … 16 (or absent for one line)');
  }
  let tree: Py;
  if (isSchedule(value)) tree = scheduleTree(value, format);
  else {
    if (typeof value !== 'object' || value === null) {
      throw new KerasJsonError('value', value, 'must be a schedule or a KerasOptimizerSpec { className, learningRate, config? }');
    }
    if (format !== 'keras3') {
      throw new KerasJsonError('format', format, "optimizer configs are written in the Keras 3 form only (format 'keras3'): tf.keras ≤ 2.12 optimizers have other keys");
    }
    tree = optimizerTree(value);
  }
  return dumps(tree, indent, 0);
}


const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

const sameJson = (a: unknown, b: unknown): boolean => {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  return Object.is(a, b);
};

/**
 * Reads a Keras 3 optimizer config whose `learning_rate` is a serialized schedule, as
 * `keras.optimizers.serialize(opt)` writes it (`{"module": "keras.optimizers",
 * "class_name": "Adam", "config": {...}, "registered_name": null}`, or without
 * `module`/`registered_name`), text or parsed. Every config key must be one that Keras 3
 * writes for that class, with its type; `config` of the result holds the keys whose values
 * differ from Keras 3's defaults, so `toKerasJson(deserializeOptimizer(text))` gives
 * Keras's text back. Nesting is bounded as in `deserialize` (depth ≤ 64; an optimizer
 * inside an optimizer is refused).
 * @example deserializeOptimizer(toKerasJson({ className: 'SGD', learningRate: s, config: { momentum: 0.9 } })).config // { momentum: 0.9 }
 * @throws KerasJsonError naming the JSON path, the value and the rule.
 */
export function deserializeOptimizer(json: unknown): KerasOptimizerSpec {
  let v: unknown;
  if (typeof json === 'string') v = parseKerasJsonText(json);
  else {
    checkJsonDepth(json);
    v = json;
  }
  if (!isPlainObject(v)) throw new KerasJsonError('json', v, 'must be a JSON object: a Keras 3 optimizer config {module, class_name, config, registered_name}');
  for (const key of Object.keys(v)) {
    if (!['module', 'class_name', 'config', 'registered_name'].includes(key)) {
      throw new KerasJsonError(key, v[key], 'unknown key in a serialized optimizer (known: module, class_name, config, registered_name)');
    }
  }
  const cls = v.class_name;
  if (!isOptimizerClass(cls)) {
    throw new KerasJsonError('class_name', cls, `unknown Keras 3 optimizer class (known: ${KERAS_OPTIMIZER_CLASSES.join(', ')})`);
  }
  if ('module' in v && v.module !== KERAS_OPTIMIZERS_MODULE) {
    throw new KerasJsonError('module', v.module, `must be "${KERAS_OPTIMIZERS_MODULE}" for the built-in ${cls}`);
  }
  const reg = v.registered_name;
  if (reg !== undefined && reg !== null && reg !== '' && reg !== cls) {
    throw new KerasJsonError('registered_name', reg, `must be null for the built-in ${cls} (a custom registered optimizer is not supported)`);
  }
  const config = v.config;
  if (!isPlainObject(config)) throw new KerasJsonError('config', config, `must be a JSON object (the ${cls} config)`);
  const fields = kerasOptimizerFields(cls);
  const overrides: Record<string, Json> = {};
  for (const key of Object.keys(config)) {
    const spec = fields.find(([k]) => k === key);
    if (spec === undefined) {
      throw new KerasJsonError(`config.${key}`, config[key], `unknown key for the Keras 3 ${cls} (known: ${fields.map(([k]) => k).join(', ')})`);
    }
    if (key === 'learning_rate') continue;
    typed(config[key], spec[1], `config.${key}`);
    if (!sameJson(config[key], spec[2])) overrides[key] = config[key] as Json;
  }
  checkOptimizerRules(cls, (key) => (Object.hasOwn(config, key) ? (config[key] as Json) : fields.find(([k]) => k === key)?.[2]));
  if (!('learning_rate' in config)) throw new KerasJsonError('config.learning_rate', undefined, `missing key (the ${cls} learning rate schedule): add learning_rate to config, a serialized schedule`);
  const learningRate = deserialize({ module: KERAS_OPTIMIZERS_MODULE, class_name: cls, config: { learning_rate: config.learning_rate } });
  return Object.keys(overrides).length === 0 ? { className: cls, learningRate } : { className: cls, learningRate, config: overrides };
}
