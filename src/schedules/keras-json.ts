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
import { KERAS_OPTIMIZERS_MODULE, KERAS_OPTIMIZER_CLASSES, checkOptimizerRules, isOptimizerClass, kerasOptimizerFields, type KerasOptimizerClass } from './keras-optimizers.ts';
import { SCHEDULE_FIELD_TYPES, dumps, typed, type Py } from './python-json.ts';
import { isSchedule, type Schedule } from './registry.ts';

export { pythonFloatRepr, pythonJsonString, SCHEDULE_FIELD_TYPES } from './python-json.ts';
export type { KerasFieldType } from './python-json.ts';
export { KERAS_OPTIMIZER_CLASSES, KERAS_OPTIMIZERS_MODULE, kerasOptimizerFields } from './keras-optimizers.ts';
export type { KerasOptimizerClass } from './keras-optimizers.ts';

// ------------------------------------------------------------------------------------------
// Writing and reading schedules and optimizer configs

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
