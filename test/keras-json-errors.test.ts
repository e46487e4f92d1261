/**
 * Keras JSON errors (toKerasJson, deserializeOptimizer) name the field, the value and the
 * rule; input is bounded: nesting depth at most MAX_JSON_DEPTH, optimizers nest one level,
 * cyclic objects refused.
 */
import { describe, expect, it } from 'vitest';
import { ExponentialDecay, KerasJsonError, MAX_JSON_DEPTH, deserialize, deserializeMany, deserializeOptimizer, toKerasJson, type Json, type Schedule } from '../src/index.ts';
import { thrown } from './helpers/thrown.ts';

describe('errors name the field, the value and the rule', () => {
  const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
  function bad(fn: () => unknown, field: string, rule: RegExp): void {
    const err = thrown(fn);
    expect(err).toBeInstanceOf(KerasJsonError);
    expect((err as KerasJsonError).field).toBe(field);
    expect((err as KerasJsonError).rule).toMatch(rule);
    expect((err as KerasJsonError).message).toContain(field);
  }
  it('toKerasJson', () => {
    bad(() => toKerasJson(s, { format: 'keras2' as never }), 'format', /keras3/);
    bad(() => toKerasJson(s, { indent: -1 }), 'indent', /integer/);
    bad(() => toKerasJson({ className: 'Adam', learningRate: s }, { format: 'tf-keras-legacy' }), 'format', /Keras 3 form only/);
    bad(() => toKerasJson({ className: 'AdamX' as never, learningRate: s }), 'className', /unknown Keras 3 optimizer class \(known: Adadelta/);
    bad(() => toKerasJson({ className: 'Adam', learningRate: 0.001 as never }), 'learningRate', /must be a schedule/);
    bad(() => toKerasJson({ className: 'Adam', learningRate: s, config: { beta1: 0.9 } }), 'config.beta1', /unknown key for Adam \(known: name, weight_decay/);
    bad(() => toKerasJson({ className: 'Adam', learningRate: s, config: { learning_rate: 0.1 } }), 'config.learning_rate', /learningRate/);
    bad(() => toKerasJson({ className: 'Adam', learningRate: s, config: { beta_1: '0.9' } }), 'config.beta_1', /finite number/);
    bad(() => toKerasJson({ className: 'Adam', learningRate: s, config: { amsgrad: 1 } }), 'config.amsgrad', /boolean/);
    bad(() => toKerasJson({ className: 'Adam', learningRate: s, config: { epsilon: null } }), 'config.epsilon', /finite number/);
    bad(() => toKerasJson({ className: 'Adam', learningRate: s, config: { ema_overwrite_frequency: 1.5 } }), 'config.ema_overwrite_frequency', /integer/);
    bad(() => toKerasJson({ className: 'Adam', learningRate: s, config: { name: 'a/b' } }), 'config.name', /"\/"/);
    bad(() => toKerasJson({ className: 'Adam', learningRate: s, config: { clipnorm: 1, clipvalue: 1 } }), 'config.clipvalue', /only one of clipnorm, clipvalue and global_clipnorm/);
    bad(() => toKerasJson({ className: 'SGD', learningRate: s, config: { momentum: 1.5 } }), 'config.momentum', /\[0, 1\]/);
    bad(() => toKerasJson({ className: 'AdamW', learningRate: s, config: { weight_decay: null } }), 'config.weight_decay', /AdamW/);
    bad(() => toKerasJson({ className: 'Adam', learningRate: s, config: { gradient_accumulation_steps: 1 } }), 'config.gradient_accumulation_steps', /≥ 2/);
    bad(() => toKerasJson({ className: 'Muon', learningRate: s, config: { exclude_layers: ['a', 3] } }), 'config.exclude_layers[1]', /string/);
  });
  it('deserializeOptimizer', () => {
    const adam = JSON.parse(toKerasJson({ className: 'Adam', learningRate: s })) as { config: Record<string, Json> };
    bad(() => deserializeOptimizer({ ...adam, class_name: 'Adamm' }), 'class_name', /unknown Keras 3 optimizer class/);
    bad(() => deserializeOptimizer({ ...adam, module: 'keras.optimizers.legacy' }), 'module', /keras\.optimizers/);
    bad(() => deserializeOptimizer({ ...adam, config: { ...adam.config, is_legacy_optimizer: false } }), 'config.is_legacy_optimizer', /unknown key for the Keras 3 Adam/);
    bad(() => deserializeOptimizer({ ...adam, config: { ...adam.config, beta_1: null } }), 'config.beta_1', /finite number/);
    bad(() => deserializeOptimizer({ ...adam, config: { ...adam.config, learning_rate: 0.001 } }), 'config.learning_rate', /plain number/);
    bad(() => deserializeOptimizer({ ...adam, config: { ...adam.config, learning_rate: adam } }), 'config.learning_rate', /nest at most one level/);
    bad(() => deserializeOptimizer('[1]'), 'json', /JSON object/);
  });
});

describe(`bounded input: nesting depth ≤ ${MAX_JSON_DEPTH}, optimizers nest one level`, () => {
  const exp = JSON.parse(toKerasJson(new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }))) as Json;
  function depthError(fn: () => unknown): KerasJsonError {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(KerasJsonError);
      return e as KerasJsonError;
    }
    throw new Error('accepted');
  }
  it('10^5-deep text (arrays, objects) is refused before parsing, naming the path', () => {
    const arr = depthError(() => deserializeMany('['.repeat(100_000)));
    expect(arr.field).toBe('[0]'.repeat(MAX_JSON_DEPTH));
    expect(arr.rule).toMatch(/deeper than 64 levels \(level 65 opens at character offset 64\)/);
    const obj = depthError(() => deserialize(`${'{"a": '.repeat(100_000)}1${'}'.repeat(100_000)}`));
    expect(obj.field).toBe(Array(64).fill('a').join('.'));
    // the same through an already parsed value (iterative walk)
    const parsed = JSON.parse(`${'{"a": '.repeat(100_000)}1${'}'.repeat(100_000)}`) as Json;
    expect(depthError(() => deserialize(parsed)).field).toBe(Array(64).fill('a').join('.'));
  });
  it('20,000 nested optimizer configs: refused by depth (text and object); one optimizer inside another: refused, naming the path', () => {
    let o: Json = exp;
    for (let k = 0; k < 20_000; k++) o = { class_name: 'Adam', config: { learning_rate: o } };
    const path = Array(32).fill('config.learning_rate').join('.');
    expect(depthError(() => deserialize(o)).field).toBe(path);
    const text = `${'{"class_name": "Adam", "config": {"learning_rate": '.repeat(20_000)}${JSON.stringify(exp)}${'}}'.repeat(20_000)}`;
    expect(depthError(() => deserialize(text)).field).toBe(path);
    expect(depthError(() => deserializeOptimizer(text)).field).toBe(path);
    const two = { class_name: 'Adam', config: { learning_rate: { class_name: 'SGD', config: { learning_rate: exp } } } };
    const e = depthError(() => deserialize(JSON.stringify(two)));
    expect(e.field).toBe('config.learning_rate');
    expect(e.value).toBe('SGD');
    expect(e.rule).toMatch(/optimizer config \(SGD\) inside the config of an optimizer \(Adam\).*nest at most one level/);
    const bare = depthError(() => deserialize({ name: 'adam', learning_rate: { name: 'sgd', learning_rate: exp } }));
    expect(bare.field).toBe('learning_rate');
    const wrapped = depthError(() => deserialize({ class_name: 'LossScaleOptimizer', config: { inner_optimizer: two.config.learning_rate } }));
    expect(wrapped.field).toBe('config.inner_optimizer');
    expect(wrapped.rule).toMatch(/nest at most one level/);
  });
  it('a cyclic object is refused by the depth walk; shared sub-objects are fine', () => {
    const cyc: Record<string, unknown> = { class_name: 'ExponentialDecay' };
    cyc.config = cyc;
    expect(depthError(() => deserialize(cyc)).rule).toMatch(/cyclic/);
    const shared = (exp as { config: Json }).config;
    const list = Array.from({ length: 1000 }, () => ({ class_name: 'ExponentialDecay', config: shared }));
    expect(deserializeMany(list)).toHaveLength(1000);
  });
  it('depth 64 passes the check, 65 does not; brackets inside strings do not count', () => {
    const at = (d: number): string => `${'['.repeat(d)}${']'.repeat(d)}`;
    expect(depthError(() => deserialize(at(64))).rule).toMatch(/JSON object/);
    expect(depthError(() => deserialize(at(65))).rule).toMatch(/deeper than 64/);
    const nested = (d: number): Json => (d === 1 ? [] : [nested(d - 1)]);
    expect(depthError(() => deserialize(nested(64))).rule).toMatch(/JSON object/);
    expect(depthError(() => deserialize(nested(65))).rule).toMatch(/deeper than 64/);
    const name = `[{"\\"${'['.repeat(200)}`;
    const s: Schedule = deserialize(toKerasJson(new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, name })));
    expect(s.config.name).toBe(name);
  });
});
