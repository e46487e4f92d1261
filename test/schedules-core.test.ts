/**
 * Layer 0 schedules: Keras's own test vectors (the values Keras's tests expect)
 * within the f64 reference bound (docs/accuracy.md#the-contract: relative 1e-12, exact at
 * the ends), exact endpoints, properties, validation (docs/semantics.md#validation), steps (docs/semantics.md#steps)
 * and fill() = at().
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
} from '../src/schedules/index.ts';

const REL = 1e-12;
function close(got: number, want: number): void {
  if (want === 0) expect(got).toBe(0);
  else if (Math.abs(got - want) > REL * Math.abs(want)) {
    throw new Error(`got ${got}, want ${want} (rel err ${Math.abs(got - want) / Math.abs(want)})`);
  }
}
function vec(s: Schedule, steps: number[], want: number[]): void {
  steps.forEach((st, i) => close(s.at(st), want[i] as number));
}

describe('Keras test vectors', () => {
  it('ExponentialDecay', () => {
    close(new ExponentialDecay({ initialLearningRate: 0.05, decaySteps: 10, decayRate: 0.96 }).at(5), 0.048989794855663564);
    const st = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.96, staircase: true });
    expect(st.at(1)).toBe(0.1);
    expect(st.at(2)).toBe(0.1);
    close(st.at(100), 0.02599864358413614);
  });
  it('PiecewiseConstantDecay (inclusive upper boundaries, exact values)', () => {
    const s = new PiecewiseConstantDecay({ boundaries: [100, 110, 120], values: [1.0, 0.1, 0.01, 0.001] });
    expect([0, 100, 105, 110, 120, 999].map((x) => s.at(x))).toEqual([1.0, 1.0, 0.1, 0.1, 0.01, 0.001]);
    const t = new PiecewiseConstantDecay({ boundaries: [1, 2, 3], values: [0.4, 0.5, 0.6, 0.7] });
    expect([0, 1, 2, 3, 4].map((x) => t.at(x))).toEqual([0.4, 0.4, 0.5, 0.6, 0.7]);
  });
  it('PolynomialDecay', () => {
    close(new PolynomialDecay({ initialLearningRate: 0.05, decaySteps: 10, endLearningRate: 0 }).at(5), 0.025);
    const a = new PolynomialDecay({ initialLearningRate: 0.05, decaySteps: 10, endLearningRate: 0.001 });
    expect(a.at(10)).toBe(0.001);
    close(a.at(5), 0.0255);
    expect(a.at(15)).toBe(0.001);
    close(new PolynomialDecay({ initialLearningRate: 0.05, decaySteps: 10, endLearningRate: 0.001, cycle: true }).at(15), 0.01325);
    close(new PolynomialDecay({ initialLearningRate: 0.05, decaySteps: 10, endLearningRate: 0, power: 0.5 }).at(5), 0.03535533905932738);
    const h = new PolynomialDecay({ initialLearningRate: 0.05, decaySteps: 10, endLearningRate: 0.001, power: 0.5 });
    expect(h.at(10)).toBe(0.001);
    close(h.at(5), 0.03564823227814083);
    expect(h.at(15)).toBe(0.001);
    close(new PolynomialDecay({ initialLearningRate: 0.05, decaySteps: 10, endLearningRate: 0.001, power: 0.5, cycle: true }).at(15), 0.0255);
    expect(new PolynomialDecay({ initialLearningRate: 0.001, decaySteps: 10, cycle: true }).at(0)).toBe(0.001);
  });
  it('InverseTimeDecay', () => {
    const want = [
      0.1, 0.09124087591240876, 0.08389261744966443, 0.07763975155279504, 0.07225433526011561, 0.06756756756756757,
      0.06345177664974619, 0.059808612440191394, 0.05656108597285068, 0.053648068669527905, 0.05102040816326531,
    ];
    vec(new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.96 }), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], want);
    const st = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.96, staircase: true });
    for (let i = 0; i < 10; i++) expect(st.at(i)).toBe(0.1);
    close(st.at(10), 0.05102040816326531);
  });
  const steps6 = [0, 250, 500, 750, 1000, 1250];
  it('CosineDecay', () => {
    vec(new CosineDecay({ initialLearningRate: 1, decaySteps: 1000 }), steps6, [1, 0.8535533905932737, 0.5, 0.14644660940672627, 0, 0]);
    vec(new CosineDecay({ initialLearningRate: 1, decaySteps: 1000, alpha: 0.1 }), steps6, [1, 0.8681980515339464, 0.55, 0.23180194846605365, 0.1, 0.1]);
    const w1 = new CosineDecay({ initialLearningRate: 0, decaySteps: 10, warmupTarget: 10, warmupSteps: 1500 });
    vec(w1, steps6, [0, 1.6666666666666665, 3.333333333333333, 5, 6.666666666666666, 8.333333333333334]);
    const w2 = new CosineDecay({ initialLearningRate: 0, decaySteps: 1000, warmupTarget: 10, warmupSteps: 2000 });
    for (let s = 0; s <= 2000; s += 250) close(w2.at(s), s / 200);
    expect(w2.at(2000)).toBe(10);
    vec(w2, [2250, 2500, 2750], [8.535533905932738, 5.0, 1.4644660940672627]);
  });
  it('CosineDecayRestarts', () => {
    const R = (c: Partial<{ alpha: number; mMul: number; tMul: number }>) => new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 1000, ...c });
    vec(R({}), steps6, [1, 0.8535533905932737, 0.5, 0.14644660940672627, 1.0, 0.9619397662556434]);
    vec(R({ alpha: 0.1 }), steps6, [1, 0.8681980515339464, 0.55, 0.23180194846605365, 1.0, 0.9657457896300791]);
    vec(R({ mMul: 0.9 }), steps6, [1, 0.8535533905932737, 0.5, 0.14644660940672627, 0.9, 0.8657457896300791]);
    vec(R({ tMul: 1 }), steps6, [1, 0.8535533905932737, 0.5, 0.14644660940672627, 1.0, 0.8535533905932737]);
    expect(R({}).at(1000)).toBe(1);
    expect(R({ alpha: 0.1 }).at(1000)).toBe(1);
  });
});

describe('exact ends and the Keras behaviours kept (docs/semantics.md)', () => {
  it('CosineDecay: step 0 = lr0, end = lr·α exactly (0 for α = 0), flat after', () => {
    const s = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, alpha: 0.1 });
    expect(s.at(0)).toBe(0.1);
    expect(s.at(1000)).toBe(0.1 * 0.1);
    expect(s.at(2 ** 53)).toBe(0.1 * 0.1);
    const z = new CosineDecay({ initialLearningRate: 0.3, decaySteps: 777.25 });
    expect(z.at(777)).toBeGreaterThan(0);
    expect(z.at(778)).toBe(0);
    expect(z.at(0)).toBe(0.3);
  });
  it('CosineDecay warmup: strict <, + initial_learning_rate, decay from warmup_target, continuity', () => {
    const s = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, alpha: 0.1, warmupTarget: 1.0, warmupSteps: 100 });
    expect(s.at(0)).toBe(0.1);
    close(s.at(50), 0.55);
    close(s.at(99), 0.991);
    expect(s.at(100)).toBe(1.0); // decay branch, fraction 0
    close(s.at(600), 0.55);
    close(s.at(1100), 0.1);
    close(s.at(5000), 0.1);
    // continuity at the end of the warmup: the last warmup step is one linear step below the target
    close(s.at(100) - s.at(99), (1.0 - 0.1) / 100);
    // warmup_target with warmup_steps 0: decay starts from the target
    const t = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, warmupTarget: 0.5 });
    expect(t.at(0)).toBe(0.5);
    close(t.at(500), 0.25);
    expect(t.at(1000)).toBe(0);
    // warmup_steps ignored without a target
    const u = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, warmupSteps: 100 });
    expect(u.at(0)).toBe(0.1);
    close(u.at(100), 0.1 * 0.5 * (1 + Math.cos(Math.PI / 10)));
    // alpha outside [0, 1] is affine, as in Keras
    expect(new CosineDecay({ initialLearningRate: 1, decaySteps: 1000, alpha: 2 }).at(1000)).toBe(2);
    expect(new CosineDecay({ initialLearningRate: 1, decaySteps: 1000, alpha: -0.5 }).at(1000)).toBe(-0.5);
  });
  it('CosineDecay warmup with fractional warmup steps ends exactly', () => {
    const s = new CosineDecay({ initialLearningRate: 0, decaySteps: 10.5, warmupTarget: 1, warmupSteps: 0.5 });
    expect(s.at(0)).toBe(0);
    expect(s.at(11)).toBe(0); // 11 = D + W: the end
    expect(s.at(10)).toBeGreaterThan(0);
    close(s.at(1), 0.5 * (1 + Math.cos((Math.PI * 0.5) / 10.5)));
  });
  it('PolynomialDecay: cycle, step 0, k·D exactly end, power 0, increasing schedules', () => {
    const c = new PolynomialDecay({ initialLearningRate: 0.05, decaySteps: 10, endLearningRate: 0.001, cycle: true });
    const want = [0.05, 0.0451, 0.0255, 0.001, 0.02305, 0.001, 0.0157, 0.001];
    [0, 1, 5, 10, 11, 20, 21, 30].forEach((s, i) => close(c.at(s), want[i] as number));
    expect(c.at(10)).toBe(0.001);
    expect(c.at(30)).toBe(0.001);
    expect(c.at(10 * 2 ** 40)).toBe(0.001);
    const sq = new PolynomialDecay({ initialLearningRate: 1, decaySteps: 10, endLearningRate: 0, power: 2 });
    [0, 5, 10].forEach((s, i) => close(sq.at(s), [1, 0.25, 0][i] as number));
    const p0 = new PolynomialDecay({ initialLearningRate: 1, decaySteps: 10, endLearningRate: 0.3, power: 0 });
    expect([0, 5, 10, 11].map((s) => p0.at(s))).toEqual([1, 1, 1, 1]);
    const inc = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0.5 });
    close(inc.at(5), 0.3);
    expect(inc.at(10)).toBe(0.5);
    // increasing from 0: near step 0 the value is end·(1 − (1 − s/D)^p) ≈ end·p·s/D, no cancellation
    const inc0 = new PolynomialDecay({ initialLearningRate: 0, decaySteps: 1e9, endLearningRate: 1, power: 2 });
    close(inc0.at(1), 2e-9 - 1e-18); // 1 − (1 − 1e-9)^2
  });
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
  it('CosineDecayRestarts: restarts at 10, 30, 70, 150 (t = 2), m_mul, alpha not scaled', () => {
    const r = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10 });
    for (const b of [10, 30, 70, 150, 310]) {
      expect(r.at(b)).toBe(1);
      expect(r.at(b - 1)).toBeLessThan(0.03);
    }
    const m = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, mMul: 0.5, alpha: 0.1 });
    close(m.at(0), 1);
    close(m.at(5), 0.55);
    close(m.at(10), 0.9 * 0.5 + 0.1);
    close(m.at(30), 0.9 * 0.25 + 0.1);
    close(m.at(70), 0.9 * 0.125 + 0.1);
    // (1.0, 1, t_mul = 3) at step 121 = (3^5 − 1)/2: the peak (naive f64 log gives 0.0)
    const t3 = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 1, tMul: 3 });
    expect(t3.at(121)).toBe(1);
    expect(t3.periodIndex(121)).toBe(5);
    expect(t3.periodIndex(120)).toBe(4);
    // (1.0, 1, t = 2) at 32767 = 2^15 − 1
    expect(new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 1 }).at(32767)).toBe(1);
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
