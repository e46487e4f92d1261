/**
 * Layer 0 schedules, cross-kind: the exact ends shared by ExponentialDecay and InverseTimeDecay
 * (staircase floors, no clamping), properties, validation (docs/semantics.md#validation),
 * steps (docs/semantics.md#steps) and fill() = at(), within the f64 reference bound
 * (docs/accuracy.md#the-contract). Each kind's own vectors and ends are in <kind>.test.ts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CosineDecay,
  CosineDecayRestarts,
  ExponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  ScheduleConfigError,
  StepError,
  createSchedule,
  type Schedule,
} from '../../src/schedules/index.ts';
import { close } from '../helpers/close.ts';

describe('exact ends and the Keras behaviours kept (docs/semantics.md)', () => {
  it('Exponential / InverseTime: staircase floors, no clamping', () => {
    const e = new ExponentialDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 0.5, staircase: true });
    expect(e.at(9)).toBe(1);
    expect(e.at(10)).toBe(0.5);
    expect(e.at(10 * 1000)).toBe(2 ** -1000);
    close(new ExponentialDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 0.5 }).at(25), Math.SQRT2 / 8); // 2^-2.5
    const g = new ExponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 2 });
    expect(g.at(10)).toBe(1024);
    const it2 = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    close(it2.at(15), 0.1 / 1.5);
    expect(new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0 }).at(12345)).toBe(0.1);
  });
});

describe('properties', () => {
  it('cosine decay, polynomial decay, exponential decay and inverse time decay are non-increasing (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 10, noNaN: true }),
        fc.double({ min: 0.5, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 2_000_000 }),
        (lr, D, a, s) => {
          const ss = [
            new CosineDecay({ initialLearningRate: lr, decaySteps: D, alpha: a }),
            new PolynomialDecay({ initialLearningRate: lr, decaySteps: D, endLearningRate: lr * a, power: 1 + a }),
            new ExponentialDecay({ initialLearningRate: lr, decaySteps: D, decayRate: a === 0 ? 0.5 : a }),
            new InverseTimeDecay({ initialLearningRate: lr, decaySteps: D, decayRate: a }),
          ];
          // The exact functions are non-increasing; the reference promises each value within
          // 1e-12 relative (docs/accuracy.md#the-contract), so two neighbours may invert by up to that much
          // when the true decrease is smaller (e.g. rate 1 − 2^-53: ~1e-16 per step).
          const slack = (1 + 1e-12) / (1 - 1e-12);
          for (const sch of ss) expect(sch.at(s + 1)).toBeLessThanOrEqual(sch.at(s) * slack);
        },
      ),
      { numRuns: 300 },
    );
  });
  it('piecewise: value changes exactly after each (possibly fractional) boundary', () => {
    const s = new PiecewiseConstantDecay({ boundaries: [9.5, 100, 2 ** 40 + 0.25], values: [4, 3, 2, 1] });
    expect([9, 10, 100, 101, 2 ** 40, 2 ** 40 + 1, 2 ** 53].map((x) => s.at(x))).toEqual([4, 3, 3, 2, 2, 1, 1]);
    const neg = new PiecewiseConstantDecay({ boundaries: [-5], values: [1, 2] });
    expect(neg.at(0)).toBe(2);
    expect(new PiecewiseConstantDecay({ boundaries: [], values: [7] }).at(123)).toBe(7);
  });
});

describe('steps (docs/semantics.md#steps)', () => {
  const s = new CosineDecay({ initialLearningRate: 1, decaySteps: 10 });
  it.each([
    [-1, 'step', 'must be ≥ 0'],
    [1.5, 'step', 'must be an integer'],
    [NaN, 'step', 'NaN'],
    [2 ** 53 + 2, 'step', '2^53'],
    [Infinity, 'step', '2^53'],
  ])('at(%s) throws StepError', (v, field, rule) => {
    try {
      s.at(v);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(StepError);
      expect(e).toBeInstanceOf(RangeError);
      const err = e as StepError;
      expect(err.field).toBe(field);
      expect(Object.is(err.value, v)).toBe(true);
      expect(err.rule).toContain(rule);
      expect(err.message).toContain(String(v));
    }
  });
  it('accepts 2^53, rejects bad lists and ranges naming the element', () => {
    expect(s.at(2 ** 53)).toBe(0);
    expect(() => s.fill([0, 1, 2.5])).toThrow(/steps\[2\] = 2\.5: must be an integer/);
    expect(() => s.fill([0, -3])).toThrow(/steps\[1\] = -3/);
    expect(() => s.fill({ start: -1, count: 2 })).toThrow(/range\.start = -1/);
    expect(() => s.fill({ start: 0, count: 1.5 })).toThrow(/range\.count = 1\.5/);
    expect(() => s.fill({ start: 0, count: 2, stride: 0 })).toThrow(/range\.stride = 0/);
    expect(() => s.fill({ start: 2 ** 53 - 1, count: 3 })).toThrow(/range\.count = 3.*exceed 2\^53/);
    expect(s.fill({ start: 2 ** 53 - 1, count: 2 })).toEqual(Float64Array.of(0, 0));
    expect(() => s.fill({ start: 0, count: 3 }, new Float32Array(2))).toThrow(/out\.length = 2: must be ≥ the number of steps \(3\)/);
    expect(s.fill({ start: 0, count: 0 })).toEqual(new Float64Array(0));
  });
  it('nothing is written when a later step is invalid', () => {
    const out = new Float64Array(3).fill(7);
    expect(() => s.fill([0, 1, -1], out)).toThrow(StepError);
    expect([...out]).toEqual([7, 7, 7]);
  });
});

const ALL: Schedule[] = [
  new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, alpha: 0.05 }),
  new CosineDecay({ initialLearningRate: 0.01, decaySteps: 333.3, alpha: 0, warmupTarget: 0.1, warmupSteps: 50.5 }),
  new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 7 }),
  new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 3.5, tMul: 1.5, mMul: 0.9, alpha: 0.01 }),
  new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 1, mMul: 0.8 }),
  new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 7, decayRate: 0.9 }),
  new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 7.5, decayRate: 0.9, staircase: true }),
  new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 7, decayRate: 0.5 }),
  new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 7, decayRate: 0.5, staircase: true }),
  new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 70, power: 2.5 }),
  new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 7, cycle: true, endLearningRate: 0.2 }),
  new PiecewiseConstantDecay({ boundaries: [5, 50, 500], values: [1, 0.5, 0.25, 0.125] }),
];

describe('fill() = at()', () => {
  it.each(ALL.map((s, i) => [i, s.kind, s] as const))('#%i %s: ranges, lists, Float32 and Float64 outputs', (_i, _k, s) => {
    const ranges = [
      { start: 0, count: 700 },
      { start: 3, count: 200, stride: 13 },
      { start: 2 ** 32 - 100, count: 200, stride: 1 },
      { start: 2 ** 53 - 1000 * 2 ** 20, count: 1001, stride: 2 ** 20 },
    ];
    for (const r of ranges) {
      const f64 = s.fill(r);
      const f32 = s.fill(r, new Float32Array(r.count));
      for (let i = 0; i < r.count; i++) {
        const st = r.start + i * (r.stride ?? 1);
        const v = s.at(st);
        if (!Object.is(f64[i], v)) throw new Error(`range ${JSON.stringify(r)} step ${st}: fill ${f64[i]} != at ${v}`);
        if (!Object.is(f32[i], Math.fround(v))) throw new Error(`f32 step ${st}`);
      }
    }
    const list = [5, 0, 2 ** 53, 17, 16, 1, 2 ** 24 + 1, 999, 2 ** 32 - 1, 70, 69, 150];
    const viaList = s.fill(list);
    const viaU32 = s.fill(Uint32Array.from(list.filter((x) => x < 2 ** 32)));
    list.forEach((st, i) => expect(viaList[i]).toBe(s.at(st)));
    list.filter((x) => x < 2 ** 32).forEach((st, i) => expect(viaU32[i]).toBe(s.at(st)));
    // a bigger output is allowed: the first count elements are written, the rest untouched
    const big = new Float64Array(5).fill(-1);
    s.fill({ start: 0, count: 3 }, big);
    expect(big[3]).toBe(-1);
    expect(big[2]).toBe(s.at(2));
  });
});

describe('validation (docs/semantics.md#validation): field, value and rule', () => {
  function bad(make: () => unknown, field: string, value: unknown, rule: RegExp): void {
    try {
      make();
    } catch (e) {
      expect(e).toBeInstanceOf(ScheduleConfigError);
      const err = e as ScheduleConfigError;
      expect(err.field).toBe(field);
      expect(Object.is(err.value, value) || JSON.stringify(err.value) === JSON.stringify(value)).toBe(true);
      expect(err.rule).toMatch(rule);
      expect(err.message).toContain(field);
      expect(err.message).toMatch(rule);
      return;
    }
    throw new Error(`no error for ${field} = ${String(value)}`);
  }
  const base = { initialLearningRate: 0.1, decaySteps: 100 };
  it('non-finite numbers', () => {
    for (const v of [NaN, Infinity, -Infinity]) {
      bad(() => new CosineDecay({ ...base, initialLearningRate: v }), 'CosineDecay.initialLearningRate', v, /finite/);
      bad(() => new CosineDecay({ ...base, alpha: v }), 'CosineDecay.alpha', v, /finite/);
      bad(() => new CosineDecay({ ...base, warmupTarget: v }), 'CosineDecay.warmupTarget', v, /finite/);
      bad(() => new ExponentialDecay({ ...base, decayRate: 0.5, initialLearningRate: v }), 'ExponentialDecay.initialLearningRate', v, /finite/);
      bad(() => new PolynomialDecay({ ...base, endLearningRate: v }), 'PolynomialDecay.endLearningRate', v, /finite/);
      bad(() => new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, mMul: v }), 'CosineDecayRestarts.mMul', v, /finite/);
      bad(() => new PiecewiseConstantDecay({ boundaries: [1], values: [1, v] }), 'PiecewiseConstantDecay.values[1]', v, /finite/);
      bad(() => new PiecewiseConstantDecay({ boundaries: [v], values: [1, 2] }), 'PiecewiseConstantDecay.boundaries[0]', v, /finite/);
    }
  });
  it('decay_steps / first_decay_steps > 0', () => {
    bad(() => new CosineDecay({ ...base, decaySteps: -5 }), 'CosineDecay.decaySteps', -5, /must be > 0/);
    expect(() => new CosineDecay({ ...base, decaySteps: -5 })).toThrow('CosineDecay.decaySteps = -5: must be > 0');
    bad(() => new ExponentialDecay({ ...base, decaySteps: 0, decayRate: 0.5 }), 'ExponentialDecay.decaySteps', 0, /> 0/);
    bad(() => new InverseTimeDecay({ ...base, decaySteps: 0, decayRate: 0.5 }), 'InverseTimeDecay.decaySteps', 0, /> 0/);
    bad(() => new PolynomialDecay({ ...base, decaySteps: -1 }), 'PolynomialDecay.decaySteps', -1, /> 0/);
    bad(() => new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 0 }), 'CosineDecayRestarts.firstDecaySteps', 0, /> 0/);
    expect(new CosineDecay({ ...base, decaySteps: 0.25 }).at(1)).toBe(0); // any positive real
  });
  it('warmup, rates, power, t_mul, m_mul', () => {
    bad(() => new CosineDecay({ ...base, warmupSteps: -1 }), 'CosineDecay.warmupSteps', -1, /≥ 0/);
    bad(() => new ExponentialDecay({ ...base, decayRate: 0 }), 'ExponentialDecay.decayRate', 0, /> 0/);
    bad(() => new ExponentialDecay({ ...base, decayRate: -0.5 }), 'ExponentialDecay.decayRate', -0.5, /> 0/);
    bad(() => new InverseTimeDecay({ ...base, decayRate: -0.1 }), 'InverseTimeDecay.decayRate', -0.1, /≥ 0/);
    bad(() => new PolynomialDecay({ ...base, power: -1 }), 'PolynomialDecay.power', -1, /≥ 0/);
    bad(() => new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, tMul: 0.5 }), 'CosineDecayRestarts.tMul', 0.5, /≥ 1.*Keras gives NaN after the finite total length/);
    bad(() => new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, mMul: -0.1 }), 'CosineDecayRestarts.mMul', -0.1, /≥ 0/);
  });
  it('piecewise lengths and order', () => {
    bad(() => new PiecewiseConstantDecay({ boundaries: [1, 2], values: [1, 2] }), 'PiecewiseConstantDecay.values', [1, 2], /one more element than boundaries/);
    bad(() => new PiecewiseConstantDecay({ boundaries: [], values: [] }), 'PiecewiseConstantDecay.values', [], /at least one value/);
    bad(() => new PiecewiseConstantDecay({ boundaries: [1, 1], values: [1, 2, 3] }), 'PiecewiseConstantDecay.boundaries[1]', 1, /strictly increasing/);
    bad(() => new PiecewiseConstantDecay({ boundaries: [2, 1], values: [1, 2, 3] }), 'PiecewiseConstantDecay.boundaries[1]', 1, /strictly increasing/);
  });
  it('unknown keys, wrong types, unknown kinds', () => {
    bad(() => new CosineDecay({ ...base, decay_steps: 5 } as never), 'CosineDecay.decay_steps', 5, /unknown config key/);
    bad(() => new CosineDecay({ ...base, decaySteps: '100' } as never), 'CosineDecay.decaySteps', '100', /must be a number/);
    bad(() => new ExponentialDecay({ ...base, decayRate: 0.5, staircase: 1 } as never), 'ExponentialDecay.staircase', 1, /boolean/);
    bad(() => new CosineDecay({ ...base, name: 'a/b' }), 'CosineDecay.name', 'a/b', /"\/"/);
    bad(() => createSchedule('Nope' as never, {} as never), 'kind', 'Nope', /one of CosineDecay/);
  });
  it('unusual values Keras allows are accepted', () => {
    expect(() => new CosineDecay({ ...base, alpha: 1.5, warmupTarget: 0.01, warmupSteps: 10 })).not.toThrow();
    expect(() => new PolynomialDecay({ ...base, endLearningRate: 1 })).not.toThrow();
    expect(() => new ExponentialDecay({ ...base, decayRate: 1.5 })).not.toThrow();
  });
  it('configs are resolved with Keras 3 defaults and frozen', () => {
    const s = createSchedule('CosineDecayRestarts', { initialLearningRate: 0.1, firstDecaySteps: 1000 });
    expect(s.config).toEqual({ initialLearningRate: 0.1, firstDecaySteps: 1000, tMul: 2, mMul: 1, alpha: 0, name: 'SGDRDecay' });
    expect(Object.isFrozen(s.config)).toBe(true);
    expect(new PiecewiseConstantDecay({ boundaries: [1], values: [1, 2] }).config.name).toBe('PiecewiseConstant');
    expect(new CosineDecay(base).config).toEqual({ ...base, alpha: 0, name: 'CosineDecay', warmupTarget: null, warmupSteps: 0 });
  });
});
