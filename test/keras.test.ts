/**
 * Keras JSON interop (docs/semantics.md#keras-json): exact Keras forms,
 * lossless round trips in both forms, optimizer configs, and errors that name the
 * key, the value and the rule.
 */
import { describe, expect, it } from 'vitest';
import {
  CosineDecay,
  CosineDecayRestarts,
  ExponentialDecay,
  InverseTimeDecay,
  KerasJsonError,
  PiecewiseConstantDecay,
  PolynomialDecay,
  ScheduleConfigError,
  deserialize,
  deserializeMany,
  fromConfig,
  getConfig,
  serialize,
  type Schedule,
} from '../src/schedules/index.ts';
import { close } from './helpers/close.ts';

const SAMPLES: Schedule[] = [
  new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 100000, decayRate: 0.96, staircase: true }),
  new PiecewiseConstantDecay({ boundaries: [100000, 110000], values: [1.0, 0.5, 0.1] }),
  new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10000, endLearningRate: 0.01, power: 0.5 }),
  new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1.0, decayRate: 0.5 }),
  new CosineDecay({ initialLearningRate: 0.0, decaySteps: 1000, warmupTarget: 0.1, warmupSteps: 1000 }),
  new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, alpha: 0.01 }),
  new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, warmupSteps: 50 }),
  new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 1000 }),
  new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 33.5, tMul: 1.5, mMul: 0.9, alpha: 0.1, name: 'my_cdr' }),
  new ExponentialDecay({ initialLearningRate: 1e-300, decaySteps: 1e-3, decayRate: 1.5, name: null }),
];

const same = (a: Schedule, b: Schedule): void => {
  expect(b.kind).toBe(a.kind);
  expect(b.config).toEqual(a.config);
  expect(b.constructor).toBe(a.constructor);
};

describe('serialize: the exact Keras forms', () => {
  it('Keras 3 examples of all six classes, key order included', () => {
    const want = [
      '{"module":"keras.optimizers.schedules","class_name":"ExponentialDecay","config":{"initial_learning_rate":0.1,"decay_steps":100000,"decay_rate":0.96,"staircase":true,"name":"ExponentialDecay"},"registered_name":null}',
      '{"module":"keras.optimizers.schedules","class_name":"PiecewiseConstantDecay","config":{"boundaries":[100000,110000],"values":[1,0.5,0.1],"name":"PiecewiseConstant"},"registered_name":null}',
      '{"module":"keras.optimizers.schedules","class_name":"PolynomialDecay","config":{"initial_learning_rate":0.1,"decay_steps":10000,"end_learning_rate":0.01,"power":0.5,"cycle":false,"name":"PolynomialDecay"},"registered_name":null}',
      '{"module":"keras.optimizers.schedules","class_name":"InverseTimeDecay","config":{"initial_learning_rate":0.1,"decay_steps":1,"decay_rate":0.5,"staircase":false,"name":"InverseTimeDecay"},"registered_name":null}',
      '{"module":"keras.optimizers.schedules","class_name":"CosineDecay","config":{"initial_learning_rate":0,"decay_steps":1000,"alpha":0,"name":"CosineDecay","warmup_target":0.1,"warmup_steps":1000},"registered_name":null}',
    ];
    want.forEach((w, i) => expect(JSON.stringify(serialize(SAMPLES[i] as Schedule))).toBe(w));
    expect(JSON.stringify(serialize(SAMPLES[7] as Schedule))).toBe(
      '{"module":"keras.optimizers.schedules","class_name":"CosineDecayRestarts","config":{"initial_learning_rate":0.1,"first_decay_steps":1000,"t_mul":2,"m_mul":1,"alpha":0,"name":"SGDRDecay"},"registered_name":null}',
    );
  });
  it('tf.keras ≤ 2.12 form', () => {
    expect(serialize(SAMPLES[0] as Schedule, { format: 'tf-keras-legacy' })).toEqual({
      class_name: 'ExponentialDecay',
      config: { initial_learning_rate: 0.1, decay_steps: 100000, decay_rate: 0.96, staircase: true, name: 'ExponentialDecay' },
    });
    // CosineDecay without warmup: the 4 keys tf.keras ≤ 2.12 knows
    expect(Object.keys(serialize(SAMPLES[5] as Schedule, { format: 'tf-keras-legacy' }).config)).toEqual(['initial_learning_rate', 'decay_steps', 'alpha', 'name']);
    expect(Object.keys(serialize(SAMPLES[6] as Schedule, { format: 'tf-keras-legacy' }).config)).toContain('warmup_steps');
  });
  it('getConfig: snake_case in Keras order', () => {
    expect(Object.keys(getConfig(SAMPLES[8] as Schedule))).toEqual(['initial_learning_rate', 'first_decay_steps', 't_mul', 'm_mul', 'alpha', 'name']);
    expect(getConfig(SAMPLES[4] as Schedule)).toEqual({ initial_learning_rate: 0, decay_steps: 1000, alpha: 0, name: 'CosineDecay', warmup_target: 0.1, warmup_steps: 1000 });
  });
});

describe('round trips', () => {
  it.each(SAMPLES.map((s, i) => [i, s.kind, s] as const))('#%i %s: both forms, objects and JSON text', (_i, _k, s) => {
    for (const format of ['keras3', 'tf-keras-legacy'] as const) {
      const obj = serialize(s, { format });
      same(s, deserialize(obj));
      const text = JSON.stringify(obj);
      same(s, deserialize(text));
      // JSON text survives parse/stringify unchanged, and serialize is stable
      expect(JSON.stringify(JSON.parse(text))).toBe(text);
      expect(JSON.stringify(serialize(deserialize(text), { format }))).toBe(text);
      same(s, fromConfig(s.kind, getConfig(s)));
    }
  });
  it('deserializeMany: a list of mixed forms, or one', () => {
    const text = JSON.stringify([serialize(SAMPLES[0] as Schedule), serialize(SAMPLES[1] as Schedule, { format: 'tf-keras-legacy' })]);
    const got = deserializeMany(text);
    expect(got).toHaveLength(2);
    same(SAMPLES[0] as Schedule, got[0] as Schedule);
    same(SAMPLES[1] as Schedule, got[1] as Schedule);
    expect(deserializeMany(serialize(SAMPLES[2] as Schedule))).toHaveLength(1);
    expect(() => deserializeMany('[{"class_name":"ExponentialDecay","config":{}}, 3]')).toThrow(/\[0\]\.config\.initial_learning_rate/);
    expect(() => deserializeMany([serialize(SAMPLES[0] as Schedule), 3])).toThrow(/\[1\] = 3/);
  });
});

describe('deserialize: the forms Keras writes', () => {
  it('tf.keras legacy with "name": null, CosineDecay without warmup keys', () => {
    const s = deserialize('{"class_name": "CosineDecay", "config": {"initial_learning_rate": 1.0, "decay_steps": 1000, "alpha": 0.0, "name": null}}');
    expect(s).toBeInstanceOf(CosineDecay);
    expect(s.config).toEqual({ initialLearningRate: 1, decaySteps: 1000, alpha: 0, name: null, warmupTarget: null, warmupSteps: 0 });
    close(s.at(500), 0.5); // the reference contract: within 1e-12 relative
    // and it serializes back to the same text
    const text = JSON.stringify(serialize(s, { format: 'tf-keras-legacy' }));
    expect(text).toBe('{"class_name":"CosineDecay","config":{"initial_learning_rate":1,"decay_steps":1000,"alpha":0,"name":null}}');
  });
  it('tf.keras 2.13+ new form with "name": null', () => {
    const s = deserialize({ module: 'keras.optimizers.schedules', class_name: 'PiecewiseConstantDecay', config: { boundaries: [100, 110], values: [1, 0.5, 0.1], name: null }, registered_name: null });
    expect(s.at(110)).toBe(0.5);
    expect(s.config.name).toBeNull();
  });
  it('a Keras 3 optimizer config', () => {
    const adam = `{"module": "keras.optimizers", "class_name": "Adam",
      "config": {"name": "adam",
        "learning_rate": {"module": "keras.optimizers.schedules", "class_name": "ExponentialDecay",
          "config": {"initial_learning_rate": 0.1, "decay_steps": 1000, "decay_rate": 0.96, "staircase": false, "name": "ExponentialDecay"},
          "registered_name": null},
        "weight_decay": null, "clipnorm": null, "global_clipnorm": null, "clipvalue": null,
        "use_ema": false, "ema_momentum": 0.99, "ema_overwrite_frequency": null,
        "loss_scale_factor": null, "gradient_accumulation_steps": null,
        "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": false},
      "registered_name": null}`;
    const s = deserialize(adam);
    same(new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 }), s);
  });
  it('tf.keras optimizer configs: new optimizer, legacy OptimizerV2 with lr, bare get_config()', () => {
    const sched = { class_name: 'PolynomialDecay', config: { initial_learning_rate: 0.1, decay_steps: 100, end_learning_rate: 0.0001, power: 1.0, cycle: false, name: null } };
    const a = deserialize({ class_name: 'Adam', config: { name: 'Adam', weight_decay: null, is_legacy_optimizer: false, learning_rate: sched, beta_1: 0.9 } });
    expect(a).toBeInstanceOf(PolynomialDecay);
    const b = deserialize(JSON.stringify({ class_name: 'SGD', config: { name: 'SGD', lr: sched, decay: 0, momentum: 0 } }));
    expect(b).toBeInstanceOf(PolynomialDecay);
    const c = deserialize({ name: 'Adam', learning_rate: sched, beta_1: 0.9 });
    expect(c.at(100)).toBe(0.0001);
  });
});

describe('errors name the key, the value and the rule', () => {
  function bad(input: unknown, field: string, value: unknown, rule: RegExp): void {
    try {
      deserialize(input);
    } catch (e) {
      expect(e).toBeInstanceOf(KerasJsonError);
      expect(e).toBeInstanceOf(ScheduleConfigError);
      const err = e as KerasJsonError;
      expect(err.field).toBe(field);
      expect(err.value).toEqual(value);
      expect(err.rule).toMatch(rule);
      expect(err.message).toContain(field);
      return;
    }
    throw new Error('no error');
  }
  const exp = (config: Record<string, unknown>) => ({ class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5, ...config } });
  it('malformed JSON, with the position', () => {
    bad('{"class_name": "ExponentialDecay", }', 'json', '{"class_name": "ExponentialDecay", }', /malformed JSON.*position 35/);
    bad('', 'json', '', /malformed JSON/);
  });
  it('unknown class, listing the known ones; not an object', () => {
    bad({ class_name: 'CyclicalLR', config: {} }, 'class_name', 'CyclicalLR', /unknown schedule class \(known: CosineDecay, CosineDecayRestarts, ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay/);
    bad('"ExponentialDecay"', 'json', 'ExponentialDecay', /must be a JSON object/);
    bad({ config: {} }, 'class_name', undefined, /missing key/);
  });
  it('unknown, missing and mistyped keys', () => {
    bad(exp({ decay_stepz: 5 }), 'config.decay_stepz', 5, /unknown key for ExponentialDecay \(known: initial_learning_rate, decay_steps, decay_rate, staircase, name\)/);
    bad({ class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.1, decay_rate: 0.5 } }, 'config.decay_steps', undefined, /missing required key for ExponentialDecay: add "decay_steps" to config$/);
    bad({ class_name: 'ExponentialDecay' }, 'config', undefined, /missing key/);
    bad(exp({ decay_steps: '100' }), 'config.decay_steps', '100', /must be a number/);
    bad(exp({ staircase: 'yes' }), 'config.staircase', 'yes', /boolean/);
    bad(exp({ name: 5 }), 'config.name', 5, /string or null/);
    bad({ class_name: 'PiecewiseConstantDecay', config: { boundaries: [1, '2'], values: [1, 2, 3] } }, 'config.boundaries[1]', '2', /must be a number/);
    bad({ ...exp({}), extra: 1 }, 'extra', 1, /unknown key in a serialized schedule/);
    bad({ ...exp({}), module: null }, 'module', null, /must be a string/);
    bad({ ...exp({}), registered_name: 'my>Thing' }, 'registered_name', 'my>Thing', /must be null/);
    bad({ ...exp({}), config: [1] }, 'config', [1], /JSON object/);
  });
  it('validation rules (docs/semantics.md), renamed to the JSON key', () => {
    bad(exp({ decay_steps: -5 }), 'config.decay_steps', -5, /must be > 0/);
    bad({ class_name: 'CosineDecayRestarts', config: { initial_learning_rate: 1, first_decay_steps: 10, t_mul: 0.5 } }, 'config.t_mul', 0.5, /≥ 1.*NaN/);
    bad({ class_name: 'PiecewiseConstantDecay', config: { boundaries: [2, 1], values: [1, 2, 3] } }, 'config.boundaries[1]', 1, /strictly increasing/);
  });
  it('optimizer configs without a schedule', () => {
    bad({ module: 'keras.optimizers', class_name: 'Adam', config: { name: 'adam', learning_rate: 0.001 }, registered_name: null }, 'config.learning_rate', 0.001, /plain number: this Adam config has no schedule/);
    bad({ name: 'adam', learning_rate: 0.001 }, 'learning_rate', 0.001, /plain number/);
    bad({ class_name: 'Adam', config: { learning_rate: { class_name: 'Nope', config: {} } } }, 'config.learning_rate.class_name', 'Nope', /unknown schedule class/);
  });
  it('never evaluates code', () => {
    bad('{"class_name": "ExponentialDecay", "config": {"initial_learning_rate": 0.1, "decay_steps": (function(){return 1})(), "decay_rate": 0.5}}', 'json', expect.any(String), /malformed JSON/);
  });
});
