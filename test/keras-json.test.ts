/**
 * toKerasJson against real Keras 3 (fixtures from scripts/keras-fixtures/generate.py, so
 * no Python runs here): our text of every Keras-written schedule and optimizer config is
 * Keras's text byte for byte, and read with Python's semantics (a number lexeme `1` is an
 * int, `1.0`/`1e-05` a float) it has the field types and key order Keras wrote; doubles
 * are formatted as Python's json.dumps; lossless round trips over random configs; errors
 * that name the field; bounded nesting.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CosineDecay,
  ExponentialDecay,
  KERAS_OPTIMIZER_CLASSES,
  KerasJsonError,
  MAX_JSON_DEPTH,
  PiecewiseConstantDecay,
  deserialize,
  deserializeMany,
  deserializeOptimizer,
  pythonFloatRepr,
  toKerasJson,
  type Json,
  type KerasOptimizerSpec,
  type Schedule,
} from '../src/index.ts';
import { kerasOptimizerFields } from '../src/schedules/keras-json.ts';
import { build, namedConfig } from './fuzz/arbitraries.ts';
import { thrown } from './helpers/thrown.ts';

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

// ------------------------------------------------------------------------------------------
// A JSON reader with Python's semantics: numbers are int or float by their lexeme, objects keep key order.

type Py =
  | { t: 'int' | 'float'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'str'; v: string }
  | { t: 'null' }
  | { t: 'list'; v: Py[] }
  | { t: 'dict'; v: [string, Py][] };

function pyParse(text: string): Py {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const fail = (what: string): never => {
    throw new Error(`pyParse: ${what} at ${i}: ${text.slice(i, i + 20)}`);
  };
  const value = (): Py => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: [string, Py][] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { t: 'dict', v: entries };
      }
      for (;;) {
        ws();
        const k = value();
        if (k.t !== 'str') fail('key');
        ws();
        if (text[i++] !== ':') fail('colon');
        entries.push([(k as { v: string }).v, value()]);
        ws();
        if (text[i] === ',') i++;
        else if (text[i++] === '}') return { t: 'dict', v: entries };
        else fail('object');
      }
    }
    if (c === '[') {
      i++;
      const items: Py[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { t: 'list', v: items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i++] === ']') return { t: 'list', v: items };
        else fail('list');
      }
    }
    if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i));
      if (m === null) return fail('string');
      i += m[0].length;
      return { t: 'str', v: JSON.parse(m[0]) as string };
    }
    for (const [lit, py] of [
      ['true', { t: 'bool', v: true }],
      ['false', { t: 'bool', v: false }],
      ['null', { t: 'null' }],
    ] as const) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return py;
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i));
    if (m === null) return fail('value');
    i += m[0].length;
    return { t: m[1] === undefined && m[2] === undefined ? 'int' : 'float', v: Number(m[0]) };
  };
  const v = value();
  ws();
  if (i !== text.length) fail('trailing text');
  return v;
}

/** The same maps as generate.py's field_types: path → Python type of each leaf ('list' for lists), path → key order of each dict. */
function fieldTypes(py: Py): { types: Record<string, string>; orders: Record<string, string[]> } {
  const types: Record<string, string> = {};
  const orders: Record<string, string[]> = {};
  const walk = (v: Py, p: string): void => {
    if (v.t === 'dict') {
      orders[p] = v.v.map(([k]) => k);
      for (const [k, x] of v.v) walk(x, p === '' ? k : `${p}.${k}`);
    } else if (v.t === 'list') {
      types[p] = 'list';
      v.v.forEach((x, j) => walk(x, `${p}[${j}]`));
    } else types[p] = v.t;
  };
  walk(py, '');
  return { types, orders };
}

/** Deep equality with Object.is on numbers (so -0 ≠ 0). */
function sameDeep(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, j) => sameDeep(x, b[j]));
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => sameDeep((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return Object.is(a, b);
}

const formOf = (c: { form?: string }): 'keras3' | 'tf-keras-legacy' => (c.form === 'legacy' ? 'tf-keras-legacy' : 'keras3');

// ------------------------------------------------------------------------------------------

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
