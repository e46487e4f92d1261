/**
 * Keras JSON interop (docs/semantics.md#keras-json): `serialize`, `deserialize`,
 * `deserializeMany`, `getConfig`, `fromConfig`. Parses with JSON.parse only.
 */
import { KerasJsonError, ScheduleConfigError } from './errors.ts';
import { KERAS_KINDS, createSchedule, isKerasKind, isScheduleKind, kindDialects, scheduleFields, type ConfigByKind, type KerasKind, type KerasSchedule, type Schedule, type ScheduleKind } from './registry.ts';

/** The Keras 3 `module` of the built-in schedules. */
export const KERAS_SCHEDULES_MODULE = 'keras.optimizers.schedules';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Keras 3 (and tf.keras ≥ 2.13) serialized form. */
export interface Keras3Serialized {
  module: string;
  class_name: KerasKind;
  config: Record<string, Json>;
  registered_name: null;
}

/** tf.keras ≤ 2.12 serialized form. */
export interface LegacySerialized {
  class_name: KerasKind;
  config: Record<string, Json>;
}

/** `serialize` options: the Keras 3 form (default) or the tf.keras ≤ 2.12 form. */
export interface SerializeOptions {
  format?: 'keras3' | 'tf-keras-legacy';
}

/** snake_case Keras key ↔ camelCase config field of each Keras class, in Keras's get_config order; `required` has no default (from the registry's field tables). */
export const KERAS_CONFIG_KEYS: { readonly [K in KerasKind]: readonly (readonly [snake: string, camel: string, required: boolean])[] } = Object.fromEntries(
  KERAS_KINDS.map((kind) => [kind, scheduleFields(kind).map((f) => [f.keras ?? f.name, f.name, !('default' in f)] as const)]),
) as unknown as Record<KerasKind, readonly (readonly [string, string, boolean])[]>;

/**
 * Why Keras JSON cannot hold a kind that is not a Keras class, and what writes it: the
 * rule of the KerasJsonError that serialize / toKerasJson / fromConfig throw.
 */
export function notKerasRule(kind: ScheduleKind): string {
  const by = kindDialects(kind).filter((d) => d !== 'keras');
  const writers = by.map((d) => `to${{ pytorch: 'PyTorch', huggingface: 'HuggingFace', optax: 'Optax' }[d]}`).join(', ');
  return `is not a Keras class, so Keras JSON cannot hold it: write it in a dialect that has it (${by.join(', ')}: ${writers})`;
}

/** The Keras class of a schedule, or a KerasJsonError naming the dialects that can write it. */
function kerasKind(schedule: Schedule): KerasKind {
  const { kind } = schedule;
  if (!isKerasKind(kind)) throw new KerasJsonError('schedule.kind', kind, notKerasRule(kind));
  return kind;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The Keras `get_config()` of a schedule: snake_case keys in Keras's order, every
 * value (name included) as the schedule holds it.
 * @example getConfig(new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 }))
 *   // { initial_learning_rate: 0.1, decay_steps: 1000, decay_rate: 0.96, staircase: false, name: 'ExponentialDecay' }
 */
export function getConfig(schedule: Schedule): Record<string, Json> {
  const cfg = schedule.config as unknown as Record<string, Json>;
  const out: Record<string, Json> = {};
  for (const [snake, camel] of KERAS_CONFIG_KEYS[kerasKind(schedule)]) {
    const v = cfg[camel] as Json;
    out[snake] = Array.isArray(v) ? [...v] : v;
  }
  return out;
}

/**
 * Serializes a schedule.
 * - `keras3` (default): `{module: "keras.optimizers.schedules", class_name, config, registered_name: null}`,
 *   as Keras 3 and tf.keras ≥ 2.13 write it.
 * - `tf-keras-legacy`: `{class_name, config}`, as tf.keras ≤ 2.12 writes it. The name is
 *   written as the schedule holds it (tf.keras would write `null` for its default; a
 *   string is accepted by every version, and keeps the round trip lossless). A
 *   CosineDecay without warmup (warmupTarget null, warmupSteps 0) is written with the
 *   4 keys tf.keras ≤ 2.12 knows; with warmup the 2 warmup keys are kept (tf.keras
 *   ≤ 2.12 cannot express warmup and would reject them).
 * `deserialize(serialize(s))` equals `s` (kind and config) in both forms.
 * For text that real Keras reads back use `toKerasJson` (keras-json.ts): `JSON.stringify` of this
 * object writes a whole-number float as an int (`1` for 1.0), which Python reads as an
 * int, and Keras 3 then computes the schedule in int32.
 * @example serialize(new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }))
 *   // { module: 'keras.optimizers.schedules', class_name: 'InverseTimeDecay',
 *   //   config: { initial_learning_rate: 0.1, decay_steps: 1, decay_rate: 0.5, staircase: false, name: 'InverseTimeDecay' },
 *   //   registered_name: null }
 */
export function serialize(schedule: Schedule, options: SerializeOptions = {}): Keras3Serialized | LegacySerialized {
  const format = options.format ?? 'keras3';
  const kind = kerasKind(schedule);
  const config = getConfig(schedule);
  if (format === 'keras3') {
    return { module: KERAS_SCHEDULES_MODULE, class_name: kind, config, registered_name: null };
  }
  if (format !== 'tf-keras-legacy') {
    throw new KerasJsonError('format', format, "must be 'keras3' or 'tf-keras-legacy'");
  }
  if (kind === 'CosineDecay' && config.warmup_target === null && config.warmup_steps === 0) {
    delete config.warmup_target;
    delete config.warmup_steps;
  }
  return { class_name: kind, config };
}

/**
 * Builds a schedule from a Keras class name and a snake_case Keras config (as
 * `cls.from_config(config)` does). Unknown keys, missing required keys and wrong types
 * are {@link KerasJsonError}s naming `config.<key>`; violations of docs/semantics.md#validation too.
 * A tf.keras ≤ 2.12 CosineDecay config (no warmup keys) and `"name": null` are accepted.
 * @example fromConfig('PiecewiseConstantDecay', { boundaries: [100], values: [1, 0.1], name: null }).at(101) // 0.1
 */
export function fromConfig(className: string, config: unknown, path = ''): KerasSchedule {
  if (!isKerasKind(className)) {
    throw new KerasJsonError(`${path}class_name`, className, isScheduleKind(className) ? notKerasRule(className) : `unknown schedule class (known: ${KERAS_KINDS.join(', ')})`);
  }
  if (!isObject(config)) throw new KerasJsonError(`${path}config`, config, 'must be a JSON object');
  const keys = KERAS_CONFIG_KEYS[className];
  const camelConfig: Record<string, unknown> = {};
  for (const key of Object.keys(config)) {
    const entry = keys.find(([snake]) => snake === key);
    if (entry === undefined) {
      throw new KerasJsonError(`${path}config.${key}`, config[key], `unknown key for ${className} (known: ${keys.map(([s]) => s).join(', ')})`);
    }
    camelConfig[entry[1]] = config[key];
  }
  for (const [snake, camel, required] of keys) {
    if (required && !(camel in camelConfig)) {
      throw new KerasJsonError(`${path}config.${snake}`, undefined, `missing required key for ${className}: add "${snake}" to config`);
    }
    if (snake === 'name' && camelConfig[camel] === undefined) delete camelConfig[camel];
  }
  try {
    return construct(className, camelConfig);
  } catch (e) {
    if (e instanceof ScheduleConfigError && e.field.startsWith(`${className}.`)) {
      // CosineDecay.decaySteps[3] → config.decay_steps[3]
      const rest = e.field.slice(className.length + 1);
      const m = /^([A-Za-z]+)(.*)$/.exec(rest);
      const camel = m?.[1] ?? rest;
      const snake = keys.find(([, c]) => c === camel)?.[0] ?? camel;
      throw new KerasJsonError(`${path}config.${snake}${m?.[2] ?? ''}`, e.value, e.rule);
    }
    throw e;
  }
}

function construct(kind: KerasKind, c: Record<string, unknown>): KerasSchedule {
  // the constructors validate every field's type and value (docs/semantics.md#validation)
  return createSchedule(kind, c as unknown as ConfigByKind[KerasKind]) as KerasSchedule;
}

/** The deepest JSON nesting `deserialize` reads (a Keras 3 optimizer config with a PiecewiseConstantDecay is 5 deep). */
export const MAX_JSON_DEPTH = 64;

const depthRule = (depth: number, where: string): string =>
  `JSON nesting deeper than ${MAX_JSON_DEPTH} levels (level ${depth} opens ${where}); a Keras optimizer config with its schedule nests 5`;

const keySegment = (key: string, first: boolean): string => {
  const k = key.length > 32 ? `${key.slice(0, 29)}...` : key;
  return /^[A-Za-z_$][\w$]*$/.test(k) ? `${first ? '' : '.'}${k}` : `[${JSON.stringify(k)}]`;
};

/**
 * Refuses JSON text nested deeper than {@link MAX_JSON_DEPTH} before it is parsed, in
 * one iterative pass (no recursion, so 10^5-deep text cannot overflow the stack). The
 * error's field is the JSON path of the container that is too deep.
 */
function checkTextDepth(text: string): void {
  // per open container: 0 = array, 1 = object; its current index or key
  const kind: number[] = [];
  const index: number[] = [];
  const key: string[] = [];
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      let escaped = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) {
          escaped = true;
          j += 2;
        } else if (d === 0x22) break;
        else j++;
      }
      if (expectKey && kind[kind.length - 1] === 1) {
        let k = text.slice(i + 1, Math.min(j, n));
        if (escaped) {
          try {
            k = JSON.parse(`"${k}"`) as string;
          } catch {
            // malformed: JSON.parse reports it
          }
        }
        key[key.length - 1] = k;
        expectKey = false;
      }
      i = j;
    } else if (c === 0x5b || c === 0x7b) {
      if (kind.length >= MAX_JSON_DEPTH) {
        let path = '';
        for (let d = 0; d < kind.length; d++) path += kind[d] === 0 ? `[${index[d] ?? 0}]` : keySegment(key[d] ?? '', path === '');
        const snippet = text.slice(i, i + 24);
        throw new KerasJsonError(path === '' ? 'json' : path, snippet.length === 24 ? `${snippet}...` : snippet, depthRule(kind.length + 1, `at character offset ${i}`));
      }
      kind.push(c === 0x5b ? 0 : 1);
      index.push(0);
      key.push('');
      expectKey = c === 0x7b;
    } else if (c === 0x5d || c === 0x7d) {
      kind.pop();
      index.pop();
      key.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      const top = kind.length - 1;
      if (kind[top] === 0) index[top] = (index[top] ?? 0) + 1;
      else if (kind[top] === 1) expectKey = true;
    }
  }
}

/**
 * Refuses an already parsed value nested deeper than {@link MAX_JSON_DEPTH} (arrays and
 * objects), iteratively; a cyclic object is refused the same way. Shared sub-objects are
 * walked again only when reached deeper, so the walk is linear in the value's size.
 */
export function checkJsonDepth(value: unknown): void {
  const seen = new WeakMap<object, number>();
  const stack: [unknown, number, string][] = [[value, 1, '']];
  while (stack.length > 0) {
    const [v, depth, path] = stack.pop() as [unknown, number, string];
    if (typeof v !== 'object' || v === null) continue;
    const before = seen.get(v);
    if (before !== undefined && before >= depth) continue;
    if (depth > MAX_JSON_DEPTH) {
      throw new KerasJsonError(path === '' ? 'json' : path, Array.isArray(v) ? '[...]' : '{...}', depthRule(depth, 'here; or a cyclic object'));
    }
    seen.set(v, depth);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i] as unknown, depth + 1, `${path}[${i}]`]);
    } else {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i] as string;
        stack.push([(v as Record<string, unknown>)[k], depth + 1, `${path}${keySegment(k, path === '')}`]);
      }
    }
  }
}

/** JSON.parse after the depth check, with an error naming the position. */
export function parseKerasJsonText(text: string): unknown {
  checkTextDepth(text);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const snippet = text.length > 40 ? `${text.slice(0, 37)}...` : text;
    throw new KerasJsonError('json', snippet, `malformed JSON (${msg})`);
  }
}

/** Text is depth-checked and parsed; a value is depth-checked. */
function readInput(json: unknown): unknown {
  if (typeof json === 'string') return parseKerasJsonText(json);
  checkJsonDepth(json);
  return json;
}

const OUTER_KEYS = ['module', 'class_name', 'config', 'registered_name', 'shared_object_id'];

/**
 * Reads a schedule from Keras JSON (text or an already parsed value):
 * - a serialized schedule, Keras 3 form `{module, class_name, config, registered_name}`
 *   or tf.keras ≤ 2.12 form `{class_name, config}` (`"name": null` and a CosineDecay
 *   config without warmup keys accepted);
 * - a whole optimizer config whose `learning_rate` (tf.keras legacy: `lr`) is a
 *   serialized schedule: Keras 3 `{module: "keras.optimizers", class_name: "Adam", config: {...}}`,
 *   tf.keras `{class_name, config}`, or a bare optimizer `get_config()` dict.
 * Errors ({@link KerasJsonError}, naming the key, the value and the rule): malformed
 * JSON (with the parser's position), unknown class (listing the known ones), unknown
 * or missing key, wrong type, an optimizer whose learning rate is a plain number.
 * @example deserialize('{"class_name": "ExponentialDecay", "config": {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5, "staircase": false, "name": null}}').at(10) // 0.05
 */
export function deserialize(json: unknown): KerasSchedule {
  return fromValue(readInput(json), '', null);
}

/**
 * Like {@link deserialize} for a JSON list of any of the accepted forms (or one of them).
 * Errors name the element: `[2].config.decay_steps`.
 * @example deserializeMany('[{"class_name": "CosineDecay", "config": {"initial_learning_rate": 1, "decay_steps": 10}}]').length // 1
 */
export function deserializeMany(json: unknown): KerasSchedule[] {
  const v = readInput(json);
  if (Array.isArray(v)) return v.map((x, i) => fromValue(x, `[${i}].`, null));
  return [fromValue(v, '', null)];
}

const nestRule = (inner: string, outer: string): string =>
  `an optimizer config (${inner}) inside the config of an optimizer (${outer}): optimizer configs nest at most one level (an optimizer whose learning_rate is a schedule)`;

const hasLearningRate = (x: unknown): x is Record<string, unknown> => isObject(x) && ('learning_rate' in x || 'lr' in x);

/** `optimizer`: the class of the optimizer config this value is the learning rate of (null at the top). */
function fromValue(v: unknown, path: string, optimizer: string | null): KerasSchedule {
  const here = path === '' ? 'json' : path.slice(0, -1);
  if (!isObject(v)) {
    throw new KerasJsonError(here, v, 'must be a JSON object: a serialized schedule or an optimizer config');
  }
  if (!('class_name' in v)) {
    if ('learning_rate' in v || 'lr' in v) {
      if (optimizer !== null) throw new KerasJsonError(here, 'a bare optimizer config', nestRule('a bare optimizer config', optimizer));
      return fromOptimizerConfig(v, path, 'optimizer');
    }
    throw new KerasJsonError(`${path}class_name`, undefined, 'missing key (a serialized schedule has class_name and config)');
  }
  const cls = v.class_name;
  if (typeof cls !== 'string') throw new KerasJsonError(`${path}class_name`, cls, 'must be a string');
  if (!isKerasKind(cls)) {
    if (isScheduleKind(cls)) throw new KerasJsonError(`${path}class_name`, cls, notKerasRule(cls));
    const cfg = v.config;
    if (hasLearningRate(cfg)) {
      if (optimizer !== null) throw new KerasJsonError(here, cls, nestRule(cls, optimizer));
      return fromOptimizerConfig(cfg, `${path}config.`, cls);
    }
    if (isObject(cfg) && 'inner_optimizer' in cfg) {
      throw new KerasJsonError(`${path}config.inner_optimizer`, cls, `${cls} wraps another optimizer: optimizer configs nest at most one level (an optimizer whose learning_rate is a schedule); give the inner optimizer's config`);
    }
    throw new KerasJsonError(`${path}class_name`, cls, `unknown schedule class (known: ${KERAS_KINDS.join(', ')}; or an optimizer config with a learning_rate)`);
  }
  for (const key of Object.keys(v)) {
    if (!OUTER_KEYS.includes(key)) throw new KerasJsonError(`${path}${key}`, v[key], `unknown key in a serialized schedule (known: ${OUTER_KEYS.slice(0, 4).join(', ')})`);
  }
  if ('module' in v && typeof v.module !== 'string') {
    throw new KerasJsonError(`${path}module`, v.module, 'must be a string such as "keras.optimizers.schedules" (Keras rejects an explicit null)');
  }
  const reg = v.registered_name;
  if (reg !== undefined && reg !== null && reg !== '' && reg !== cls) {
    throw new KerasJsonError(`${path}registered_name`, reg, `must be null for the built-in ${cls} (a custom registered schedule is not supported)`);
  }
  if (!('config' in v)) throw new KerasJsonError(`${path}config`, undefined, `missing key (the ${cls} config)`);
  return fromConfig(cls, v.config, path);
}

function fromOptimizerConfig(cfg: Record<string, unknown>, path: string, optimizer: string): KerasSchedule {
  const key = 'learning_rate' in cfg ? 'learning_rate' : 'lr';
  const lr = cfg[key];
  if (typeof lr === 'number') {
    throw new KerasJsonError(`${path}${key}`, lr, `is a plain number: this ${optimizer} config has no schedule`);
  }
  if (!isObject(lr)) throw new KerasJsonError(`${path}${key}`, lr, 'must be a serialized schedule');
  return fromValue(lr, `${path}${key}.`, optimizer);
}
