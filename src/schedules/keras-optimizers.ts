/**
 * The Keras 3 optimizers that keras-json.ts writes and reads (internal to src/schedules):
 * the classes, each one's get_config() keys in order with their types and defaults
 * (Keras 3.15.1), and the checks Keras's optimizer constructors make.
 */
import { KerasJsonError } from './errors.ts';
import type { Json } from './keras.ts';
import type { KerasFieldType } from './python-json.ts';

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

export type FieldSpec = readonly [key: string, type: KerasFieldType, default_: Json];

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

export const isOptimizerClass = (x: unknown): x is KerasOptimizerClass => typeof x === 'string' && (KERAS_OPTIMIZER_CLASSES as readonly string[]).includes(x);

const num = (x: Json | undefined): number | null => (typeof x === 'number' ? x : null);

/**
 * The checks Keras 3.15's optimizer constructors make (so that a text Keras would refuse
 * to load is refused here, naming the key): one clipping key at most; gradient
 * accumulation ≥ 2; with EMA, ema_momentum in [0, 1] and an overwrite frequency ≥ 1;
 * AdamW's weight_decay set; SGD's momentum in [0, 1]; Ftrl's signs; Lion's beta_1 in (0, 1].
 */
export function checkOptimizerRules(className: KerasOptimizerClass, get: (key: string) => Json | undefined): void {
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
