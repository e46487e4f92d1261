/**
 * Keras JSON round trips over random configs (fast-check): toKerasJson then deserialize (and
 * deserializeOptimizer) give every schedule and optimizer spec back losslessly, every number
 * Object.is, and the text is a fixed point; float-typed fields read as Python floats.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KERAS_OPTIMIZER_CLASSES, deserialize, deserializeOptimizer, toKerasJson, type Json, type KerasOptimizerSpec } from '../src/index.ts';
import { kerasOptimizerFields } from '../src/schedules/keras-json.ts';
import { build, namedConfig } from './fuzz/arbitraries.ts';
import { fieldTypes, pyParse, sameDeep } from './helpers/python-json.ts';

describe('round trips over random configs (fast-check)', () => {
  it('deserialize(toKerasJson(s)) is s, every number Object.is (−0 included), in both forms; the text is a fixed point', () => {
    fc.assert(
      fc.property(namedConfig, fc.constantFrom('keras3', 'tf-keras-legacy') as fc.Arbitrary<'keras3' | 'tf-keras-legacy'>, fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }), (cfg, format, indent) => {
        const s = build(cfg);
        const text = toKerasJson(s, indent === undefined ? { format } : { format, indent });
        const back = deserialize(text);
        expect(back.kind).toBe(s.kind);
        expect(sameDeep(back.config, s.config), text).toBe(true);
        expect(toKerasJson(back, indent === undefined ? { format } : { format, indent })).toBe(text);
        // every float-typed field reads as a Python float
        const { types } = fieldTypes(pyParse(text));
        for (const [path, t] of Object.entries(types)) {
          if (/(initial_learning_rate|decay_rate|alpha|end_learning_rate|power|t_mul|m_mul|values\[\d+\])$/.test(path)) expect(t, path).toBe('float');
          if (/warmup_target$/.test(path)) expect(['float', 'null'], path).toContain(t);
        }
      }),
      { numRuns: 300, seed: 1201 },
    );
  });

  it('optimizer specs: deserializeOptimizer(toKerasJson(spec)) gives the spec back', () => {
    const floatArb = fc.oneof(fc.constantFrom(0, 0.5, 1, 1e-7), fc.double({ min: 1e-9, max: 1, noNaN: true }));
    fc.assert(
      fc.property(fc.constantFrom(...KERAS_OPTIMIZER_CLASSES), namedConfig, fc.array(fc.tuple(fc.nat(40), floatArb, fc.boolean()), { maxLength: 8 }), (className, cfg, picks) => {
        const fields = kerasOptimizerFields(className).filter(([k]) => !['learning_rate', 'clipvalue', 'global_clipnorm', 'gradient_accumulation_steps', 'ema_overwrite_frequency', 'weight_decay'].includes(k));
        const config: Record<string, Json> = {};
        for (const [n, f, b] of picks) {
          const [key, type, def] = fields[n % fields.length] ?? ['name', 'str', ''];
          if (key === 'name') config[key] = `opt_${n}`;
          else if (type === 'bool') config[key] = b;
          else if (type === 'int') config[key] = n + 1;
          else if (type === 'list[str]') config[key] = [`l${n}`];
          else if (key === 'learning_rate_power') config[key] = -f;
          else if (key === 'beta_1' && f === 0) config[key] = def;
          else config[key] = f;
        }
        const spec: KerasOptimizerSpec = { className, learningRate: build(cfg), config };
        const text = toKerasJson(spec);
        const back = deserializeOptimizer(text);
        expect(back.className).toBe(className);
        const want = Object.fromEntries(Object.entries(config).filter(([k, v]) => !sameDeep(v, kerasOptimizerFields(className).find(([f]) => f === k)?.[2])));
        expect(sameDeep(back.config ?? {}, want), text).toBe(true);
        expect(sameDeep(back.learningRate.config, spec.learningRate.config)).toBe(true);
        expect(toKerasJson(back)).toBe(text);
        expect(sameDeep(deserialize(text).config, spec.learningRate.config)).toBe(true);
      }),
      { numRuns: 200, seed: 1202 },
    );
  });
});
