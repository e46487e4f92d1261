/**
 * toKerasJson against real Keras 3 (fixtures from scripts/keras-fixtures/generate.py, so
 * no Python runs here): our text of every Keras-written schedule and optimizer config is
 * Keras's text byte for byte, and read with Python's semantics (a number lexeme `1` is an
 * int, `1.0`/`1e-05` a float) it has the field types and key order Keras wrote; doubles
 * are formatted as Python's json.dumps; what the old JSON.stringify text got wrong.
 * Round trips: test/keras-json-round-trips.test.ts; errors and nesting:
 * test/keras-json-errors.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CosineDecay,
  ExponentialDecay,
  KERAS_OPTIMIZER_CLASSES,
  KerasJsonError,
  PiecewiseConstantDecay,
  deserialize,
  deserializeOptimizer,
  pythonFloatRepr,
  toKerasJson,
  type Json,
} from '../src/index.ts';
import { kerasOptimizerFields } from '../src/schedules/keras-json.ts';
import { fieldTypes, pyParse, sameDeep } from './helpers/python-json.ts';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./fixtures/keras/${name}`, import.meta.url), 'utf8')) as T;

interface Meta {
  keras_version: string;
  backend: string;
}
interface TextCase {
  id: string;
  form?: 'keras3' | 'legacy';
  class_name: string;
  text: string;
  text_indent2: string;
  text_indent0?: string;
  types: Record<string, string>;
  orders: Record<string, string[]>;
}
interface ClassInfo {
  keys: string[];
  types: Record<string, string>;
  defaults: Record<string, Json>;
}
const SCHEDULES = fixture<Meta & { cases: TextCase[] }>('schedules.json');
const OPTIMIZERS = fixture<Meta & { cases: TextCase[]; classes: Record<string, ClassInfo> }>('optimizers.json');
const FLOATS = fixture<Meta & { cases: { bits: string; text: string }[] }>('floats.json');
const THROUGH = fixture<Meta & { cases: { what: 'schedule' | 'optimizer'; form: 'keras3' | 'legacy'; ours: string; keras: string }[] }>('through-keras.json');

const formOf = (c: { form?: string }): 'keras3' | 'tf-keras-legacy' => (c.form === 'legacy' ? 'tf-keras-legacy' : 'keras3');

describe(`fixtures from real Keras ${SCHEDULES.keras_version} (${SCHEDULES.backend})`, () => {
  it('cover all six kinds in both forms, and every Keras 3 optimizer class that takes a learning rate', () => {
    expect(new Set(SCHEDULES.cases.map((c) => c.class_name)).size).toBe(6);
    expect(new Set(SCHEDULES.cases.map((c) => c.form))).toEqual(new Set(['keras3', 'legacy']));
    expect([...KERAS_OPTIMIZER_CLASSES].sort()).toEqual(Object.keys(OPTIMIZERS.classes).sort());
  });

  it.each(SCHEDULES.cases.map((c) => [c.id, c] as const))('schedule %s: our text is Keras’s text, with its types and key order', (_id, c) => {
    const s = deserialize(c.text);
    const ours = toKerasJson(s, { format: formOf(c) });
    const { types, orders } = fieldTypes(pyParse(ours));
    expect(types).toEqual(c.types);
    expect(orders).toEqual(c.orders);
    expect(sameDeep(JSON.parse(ours), JSON.parse(c.text))).toBe(true);
    expect(ours).toBe(c.text);
    // indented, as json.dumps(indent=2) and (indent=0) write it
    expect(toKerasJson(s, { format: formOf(c), indent: 2 })).toBe(c.text_indent2);
    expect(toKerasJson(s, { format: formOf(c), indent: 0 })).toBe(c.text_indent0);
  });

  it.each(OPTIMIZERS.cases.map((c) => [c.id, c] as const))('optimizer %s: our text is Keras’s text, with its types and key order', (_id, c) => {
    const spec = deserializeOptimizer(c.text);
    expect(spec.className).toBe(c.class_name);
    const ours = toKerasJson(spec);
    const { types, orders } = fieldTypes(pyParse(ours));
    expect(types).toEqual(c.types);
    expect(orders).toEqual(c.orders);
    expect(ours).toBe(c.text);
    expect(toKerasJson(spec, { indent: 2 })).toBe(c.text_indent2);
    // deserialize gives the optimizer's schedule
    const s = deserialize(c.text);
    expect(s.kind).toBe(spec.learningRate.kind);
    expect(sameDeep(s.config, spec.learningRate.config)).toBe(true);
  });

  it.each(Object.entries(OPTIMIZERS.classes))('%s: every get_config() key, in order, with its default and type', (cls, info) => {
    const fields = kerasOptimizerFields(cls as (typeof KERAS_OPTIMIZER_CLASSES)[number]);
    expect(fields.map(([k]) => k)).toEqual(info.keys);
    for (const [key, type, def] of fields) {
      if (key === 'learning_rate') continue;
      expect(def, key).toEqual(info.defaults[key]);
      const pyType = info.types[key];
      const ok: Record<string, readonly string[]> = {
        float: ['float'],
        'float?': ['null', 'float'],
        'int?': ['null'],
        int: ['int'],
        number: ['int'],
        bool: ['bool'],
        str: ['str'],
        'list[str]': ['list'],
      };
      expect(ok[type], `${key}: ${type} vs Python ${pyType}`).toContain(pyType);
    }
  });

  it(`${THROUGH.cases.length} of our texts of random configs, read and written again by Keras, come back byte for byte`, () => {
    expect(THROUGH.cases.length).toBeGreaterThanOrEqual(800);
    for (const c of THROUGH.cases) {
      expect(c.keras).toBe(c.ours);
      // and what we write for that config today is still that text
      const again = c.what === 'optimizer' ? toKerasJson(deserializeOptimizer(c.keras)) : toKerasJson(deserialize(c.keras), { format: formOf(c) });
      expect(again).toBe(c.keras);
    }
  });
});

describe('Python float formatting (json.dumps / repr)', () => {
  it(`${FLOATS.cases.length} doubles, as Python wrote them`, () => {
    expect(FLOATS.cases.length).toBeGreaterThan(4000);
    const view = new DataView(new ArrayBuffer(8));
    const wrong: string[] = [];
    for (const { bits, text } of FLOATS.cases) {
      view.setBigUint64(0, BigInt(`0x${bits}`));
      const x = view.getFloat64(0);
      const got = pythonFloatRepr(x);
      if (got !== text) wrong.push(`${bits}: ${got} ≠ ${text}`);
    }
    expect(wrong).toEqual([]);
  });
  it('the rules: shortest digits, exponent below 1e-4 and from 1e16, two exponent digits, -0.0', () => {
    expect([1, 1e-5, 1e-4, 1e16, 1234567890123456, 5e-324, -0, 0, 1e22, 0.1, 100].map(pythonFloatRepr)).toEqual([
      '1.0',
      '1e-05',
      '0.0001',
      '1e+16',
      '1234567890123456.0',
      '5e-324',
      '-0.0',
      '0.0',
      '1e+22',
      '0.1',
      '100.0',
    ]);
    for (const x of [NaN, Infinity, -Infinity]) expect(() => pythonFloatRepr(x)).toThrow(KerasJsonError);
  });
  it('strings as json.dumps(ensure_ascii=True): escapes, non-ASCII and lone surrogates as \\uXXXX', () => {
    const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, name: 'a"\\\n\t\u007f é \ud800 😀' });
    expect(toKerasJson(s)).toContain('"name": "a\\"\\\\\\n\\t\\u007f \\u00e9 \\ud800 \\ud83d\\ude00"');
  });
});

describe('what the old JSON.stringify text got wrong', () => {
  it('whole-number floats are floats: ExponentialDecay(1.0, 10, 0.5), PiecewiseConstantDecay values[0] = 2.0', () => {
    expect(toKerasJson(new ExponentialDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 0.5 }))).toBe(
      '{"module": "keras.optimizers.schedules", "class_name": "ExponentialDecay", "config": {"initial_learning_rate": 1.0, "decay_steps": 10, "decay_rate": 0.5, "staircase": false, "name": "ExponentialDecay"}, "registered_name": null}',
    );
    expect(toKerasJson(new PiecewiseConstantDecay({ boundaries: [10, 2 ** 31, 1e16], values: [2, 1, 0, -0] }), { format: 'tf-keras-legacy' })).toBe(
      '{"class_name": "PiecewiseConstantDecay", "config": {"boundaries": [10, 2147483648.0, 1e+16], "values": [2.0, 1.0, 0.0, -0.0], "name": "PiecewiseConstant"}}',
    );
  });
  it('json.dumps(indent=2) layout', () => {
    expect(toKerasJson(new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100 }), { format: 'tf-keras-legacy', indent: 2 })).toBe(
      '{\n  "class_name": "CosineDecay",\n  "config": {\n    "initial_learning_rate": 0.1,\n    "decay_steps": 100,\n    "alpha": 0.0,\n    "name": "CosineDecay"\n  }\n}',
    );
    const muon = toKerasJson({ className: 'Muon', learningRate: new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100 }) }, { indent: 0 });
    expect(muon).toContain('\n"exclude_layers": [],\n"muon_a": 3.4445,');
  });
});
