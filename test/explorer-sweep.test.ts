import { describe, expect, it } from 'vitest';
import {
  FIELDS,
  SweepError,
  defaultParams,
  defaultSweep,
  expandSweep,
  productCount,
  specValues,
  stepRange,
  sweptFields,
  totalCount,
  KINDS,
  MAX_LINK_CHARS,
  MAX_SCHEDULES,
  checkExtraItems,
  shownValue,
  validateSweep,
  type SweepDef,
} from '../src/app/sweep.ts';
import { decodeSweepHash, encodeSweepHash, sweepFromJson } from '../src/app/sweep-link.ts';
import { formatList, parseList } from '../src/app/sweep-text.ts';
import { sweepRows } from '../src/app/build.ts';

describe('sweep model', () => {
  it('the default sweep has at least 1,000 schedules over 10,000 steps at ~1,000 samples', () => {
    const def = defaultSweep();
    expect(productCount(def)).toBe(1000);
    expect(totalCount(def)).toBe(1000);
    expect(stepRange(def.steps)).toEqual({ start: 0, count: 1001, stride: 10 });
    expect(sweptFields(def)).toEqual(['alpha', 'warmupTarget', 'warmupSteps']);
    expect(def.colorBy).toBe('warmupTarget');
  });

  it('expands the cartesian product, last field fastest', () => {
    const def: SweepDef = {
      ...defaultSweep(),
      kind: 'ExponentialDecay',
      params: {
        initialLearningRate: { mode: 'list', values: [0.1, 0.2] },
        decaySteps: { mode: 'single', values: [100] },
        decayRate: { mode: 'range', from: 0.5, to: 0.9, count: 3, spacing: 'linear' },
        staircase: { mode: 'list', values: [false, true] },
      },
    };
    const configs = expandSweep(def);
    expect(configs).toHaveLength(12);
    expect(configs[0]).toEqual({ kind: 'ExponentialDecay', config: { initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5, staircase: false } });
    expect(configs[1]!.config).toMatchObject({ decayRate: 0.5, staircase: true });
    expect(configs[2]!.config).toMatchObject({ decayRate: 0.7, staircase: false });
    expect(configs[11]!.config).toMatchObject({ initialLearningRate: 0.2, decayRate: 0.9, staircase: true });
  });

  it('log ranges hit both ends exactly and are geometric', () => {
    const v = specValues({ mode: 'range', from: 1e-4, to: 1e-2, count: 3, spacing: 'log' }) as number[];
    expect(v).toEqual([1e-4, 1e-3, 1e-2]);
    const lin = specValues({ mode: 'range', from: 0, to: 1, count: 11, spacing: 'linear' });
    expect(lin[3]).toBe(0.3);
    expect(specValues({ mode: 'range', from: 5, to: 9, count: 1, spacing: 'linear' })).toEqual([5]);
  });

  it('every kind has defaults that validate and expand', () => {
    for (const kind of KINDS) {
      const def: SweepDef = { ...defaultSweep(), kind, params: defaultParams(kind), colorBy: '' };
      const configs = expandSweep(def);
      expect(configs.length).toBe(productCount(def));
      for (const c of configs) expect(Object.keys(c.config)).toEqual(FIELDS[kind].map((f) => f.key));
    }
  });

  it('rejects bad definitions with an error naming the field', () => {
    const base = defaultSweep();
    const bad = (patch: Partial<SweepDef>): SweepError => {
      try {
        expandSweep({ ...base, ...patch });
      } catch (e) {
        expect(e).toBeInstanceOf(SweepError);
        return e as SweepError;
      }
      throw new Error('expected a SweepError');
    };
    expect(bad({ params: { ...base.params, alpha: { mode: 'range', from: 0, to: 1, count: 0, spacing: 'linear' } } }).field).toBe('alpha');
    expect(bad({ params: { ...base.params, warmupTarget: { mode: 'range', from: 0, to: 1, count: 3, spacing: 'log' } } }).message).toMatch(/log range/);
    expect(bad({ params: { ...base.params, bogus: { mode: 'single', values: [1] } } }).field).toBe('bogus');
    expect(bad({ params: { ...base.params, alpha: { mode: 'list', values: [Number.NaN] } } }).field).toBe('alpha');
    expect(bad({ steps: { start: 10, end: 5, stride: 1 } }).field).toBe('steps.end');
    expect(bad({ steps: { start: 0, end: 100, stride: 0 } }).field).toBe('steps.stride');
    expect(bad({ steps: { start: 0, end: 1e7, stride: 1 } }).field).toBe('steps');
    expect(bad({ steps: { start: 0, end: 100_000, stride: 1 } }).message).toMatch(/values; at most/);
    expect(bad({ params: { ...base.params, alpha: { mode: 'range', from: 0, to: 1, count: 1000, spacing: 'linear' } } }).field).toBe('sweep');
  });

  it('parses user text strictly', () => {
    expect(parseList('number', '1e-3, 0.01 0.1', 'x')).toEqual([1e-3, 0.01, 0.1]);
    expect(parseList('nullableNumber', 'none, 0.1', 'x')).toEqual([null, 0.1]);
    expect(parseList('boolean', 'false, true', 'x')).toEqual([false, true]);
    expect(parseList('numberList', '[100, 200]; [300]', 'x')).toEqual([[100, 200], [300]]);
    expect(() => parseList('number', '0x10', 'x')).toThrow(SweepError);
    expect(() => parseList('number', 'alert(1)', 'x')).toThrow(/not a number/);
    expect(() => parseList('number', '', 'x')).toThrow(/at least one/);
    expect(formatList('numberList', [[1, 2], [3]])).toBe('[1, 2]; [3]');
    expect(formatList('number', [1e-4, 0.001, 2000])).toBe('1e-4, 0.001, 2000');
  });

  it('round-trips through the URL hash and validates what comes back', () => {
    const def: SweepDef = { ...defaultSweep(), extra: [{ class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.9 } }] };
    const hash = encodeSweepHash(def);
    expect(hash).toMatch(/^#sweep=[A-Za-z0-9_-]+$/);
    expect(decodeSweepHash(hash)).toEqual(def);
    expect(decodeSweepHash('#other')).toBeNull();
    expect(() => decodeSweepHash('#sweep=%%%')).toThrow(/base64url/);
    expect(() => decodeSweepHash('#sweep=bm90IGpzb24')).toThrow(/valid JSON/);
    expect(() => sweepFromJson({ v: 1, kind: 'Evil', params: {}, steps: {}, yScale: 'log' })).toThrow(/unknown schedule class/);
    expect(() => sweepFromJson({ ...JSON.parse(JSON.stringify(def)), v: 1, steps: { start: 0, end: 10, stride: -1 } })).toThrow(SweepError);
  });

  it('caps the flattened pasted list: every item is one object, checked before anything is built', () => {
    const item = { class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.9 } };
    const base = defaultSweep();
    // A nested list counted as one item let 102,000 schedules through the cap.
    const nested = { ...base, extra: [item, Array.from({ length: 102_000 }, () => item)] };
    expect(() => validateSweep(nested)).toThrow(/^extra\[1\]: \[\{.*\.\.\. \(102000 items\)\] is a list inside the list: each item must be one Keras JSON object/);
    expect(() => sweepRows(nested)).toThrow(/extra\[1\]/);
    for (const [v, what] of [[null, 'null'], [5, 'a number'], ['x', 'a string'], [true, 'a boolean']] as const) {
      expect(() => checkExtraItems([item, v]), what).toThrow(new RegExp(`^extra\\[1\\]: .* is ${what}:`));
    }
    const over = { ...base, extra: Array.from({ length: MAX_SCHEDULES - 999 }, () => item) };
    expect(() => validateSweep(over)).toThrow(/^sweep: 100,001 schedules \(1,000 swept \+ 99,001 pasted\); at most 100,000/);
    expect(() => validateSweep({ ...base, extra: [item, item] })).not.toThrow();
    expect(sweepRows({ ...base, extra: [item, item] }).count).toBe(1002);
  });

  it('names field, value and rule for bad links: characters, lengths, JSON, unknown keys', () => {
    expect(() => decodeSweepHash('#sweep=eyJ2Ijox%7D')).toThrow(/^url: character "%" at position 8 .*not base64url/);
    expect(() => decodeSweepHash('#sweep=eyJ2I')).toThrow(/^url: 5 base64url characters cannot be whole bytes/);
    expect(() => decodeSweepHash('#sweep=' + '_'.repeat(MAX_LINK_CHARS))).toThrow(/^url: the link's data is 2,097,158 characters; at most 2,097,152/);
    expect(() => decodeSweepHash(`#sweep=${Buffer.from([0xff, 0xfe]).toString('base64url')}`)).toThrow(/not UTF-8/);
    const raw = { v: 1, kind: 'CosineDecay', params: JSON.parse('{"__proto__": {"mode": "single", "values": [1]}}') as unknown, steps: { start: 0, end: 10, stride: 1 }, extra: [], colorBy: '', yScale: 'log' };
    expect(() => sweepFromJson(raw)).toThrow(/^params\.__proto__: not a parameter of CosineDecay/);
    expect(() => sweepFromJson({ ...raw, params: {}, v: 2 })).toThrow(/^v: unsupported version 2/);
    expect(() => sweepFromJson({ ...raw, params: { alpha: { mode: 'range', from: 0, to: 1, count: 2.5, spacing: 'linear' } } })).toThrow(/^alpha: range count must be a positive integer, got 2.5/);
    expect(shownValue(Array.from({ length: 10 ** 6 }, () => 1))).toBe('[1,1,1,1,1,1,1,1, ... (1000000 items)]');
    expect(shownValue(Array.from({ length: 20 }, () => 'abcdefghij'))).toBe('["abcdefghij","abcdefghij","abcdefghij","abcde..., ... (20 items)]');
  });
});

describe('the step caps', () => {
  it('take steps 0 to 1,000,000 every 1 (1,000,001 samples, both ends)', () => {
    const one = { ...defaultSweep(), params: { ...defaultSweep().params, alpha: { mode: 'single', values: [0] }, warmupTarget: { mode: 'single', values: [0.001] }, warmupSteps: { mode: 'single', values: [0] } }, steps: { start: 0, end: 1_000_000, stride: 1 } } as SweepDef;
    expect(() => validateSweep(one)).not.toThrow();
  });

  it('say the stride that fits, when the samples per schedule or the values in all are too many', () => {
    const d = { ...defaultSweep(), steps: { start: 0, end: 2_000_000, stride: 1 } };
    expect(() => validateSweep(d)).toThrow(/2,000,001 samples per schedule; at most 1,000,001: set the stride to 2 or more/);
    const many = { ...defaultSweep(), steps: { start: 0, end: 1_000_000, stride: 1 } };
    // 1,000 schedules fit 33,554 samples each: a stride of ceil(10^6 / 33,553) = 30.
    expect(() => validateSweep(many)).toThrow(/1,000 schedules × 1,000,001 steps = 1,000,001,000 values; at most 33,554,432: set the stride to 30 or more \(33,554 samples each\), or sweep at most 33 schedules/);
  });
});
