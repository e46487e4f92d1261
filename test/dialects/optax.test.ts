import { describe, expect, it } from 'vitest';
import { CosineDecay, ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay } from '../../src/schedules/index.ts';
import { OPTAX_FUNCTIONS, fromOptax } from '../../src/dialects/optax.ts';
import { toOptax } from '../../src/dialects/optax-write.ts';
import { fromHuggingFace } from '../../src/dialects/huggingface.ts';
import { detectDialect, fromAnyJson } from '../../src/dialects/index.ts';
import { checkCase, dialectFixture, itRefuses, valuesAt, type BadDialectInput } from './fixture-checks.ts';

const fixture = dialectFixture('optax');

describe('Optax dialect: the real optax float64 values', () => {
  it('the fixtures come from optax with jax_enable_x64 and cover every function the dialect reads', () => {
    expect(fixture.versions.x64).toBe(true);
    const names = new Set(fixture.cases.map((c) => c.name));
    expect([...names].sort()).toEqual(Object.keys(OPTAX_FUNCTIONS).sort());
  });

  for (const c of fixture.cases) {
    it(`${c.id}: the reference is within 1e-12 of the closed form and within 1e-9 of optax (or optax's derived drift)`, () => {
      const s = fromOptax(c.input);
      checkCase(c, valuesAt(s, c.steps));
    });
  }
});

describe('Optax dialect: writing back', () => {
  for (const c of fixture.cases) {
    it(`${c.id}: toOptax writes the input back, and it reads to the same values`, () => {
      const s = fromOptax(c.input);
      const out = toOptax(s);
      expect(out).toEqual({ ...c.input, module: 'optax' });
      expect(valuesAt(fromOptax(out), c.steps)).toEqual(valuesAt(s, c.steps));
    });
  }

  it('detectDialect calls the optax form optax, and fromAnyJson reads it', () => {
    const c = fixture.cases.find((x) => x.name === 'sgdr_schedule')!;
    expect(detectDialect(c.input)).toBe('optax');
    expect(detectDialect(JSON.stringify(c.input))).toBe('optax');
    expect(Array.from(fromAnyJson(c.input).fill(c.steps))).toEqual(valuesAt(fromOptax(c.input), c.steps));
  });

  it('JSON text reads like the parsed object', () => {
    const c = fixture.cases.find((x) => x.name === 'join_schedules')!;
    expect(valuesAt(fromOptax(JSON.stringify(c.input)), c.steps)).toEqual(valuesAt(fromOptax(c.input), c.steps));
  });
});

describe('Optax dialect: conversions from other dialects', () => {
  const steps = [0, 1, 5, 9, 10, 11, 50, 99, 100, 101, 500, 1099, 1100, 1101, 5000];
  const same = (a: { fill(s: number[]): Float64Array }, b: { fill(s: number[]): Float64Array }): void => expect(valuesAt(a, steps)).toEqual(valuesAt(b, steps));

  it("Keras CosineDecay with warmup becomes warmup_cosine_decay_schedule with identical values", () => {
    const k = new CosineDecay({ initialLearningRate: 0, decaySteps: 1000, alpha: 0.1, warmupTarget: 0.5, warmupSteps: 100 });
    const o = toOptax(k);
    expect(o).toEqual({
      module: 'optax',
      function: 'warmup_cosine_decay_schedule',
      config: { init_value: 0, peak_value: 0.5, warmup_steps: 100, decay_steps: 1100, end_value: 0.05, exponent: 1 },
    });
    same(fromOptax(o), k);
  });

  it('optax warmup_cosine_decay_schedule reads as a Keras CosineDecay with warmup', () => {
    const s = fromOptax({ module: 'optax', function: 'warmup_cosine_decay_schedule', config: { init_value: 0, peak_value: 1e-3, warmup_steps: 100, decay_steps: 1000 } });
    expect(s.kind).toBe('CosineDecay');
    expect(s.config).toMatchObject({ initialLearningRate: 0, decaySteps: 900, warmupTarget: 1e-3, warmupSteps: 100, alpha: 0 });
  });

  it('Keras CosineDecay without warmup, PolynomialDecay, ExponentialDecay and PiecewiseConstantDecay convert with identical values', () => {
    const ks = [
      new CosineDecay({ initialLearningRate: 0.1, decaySteps: 777, alpha: 0.01 }),
      new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 300, endLearningRate: 0.001, power: 2 }),
      new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9, staircase: true }),
      new PiecewiseConstantDecay({ boundaries: [99, 1099], values: [0.1, 0.05, 0.025] }),
    ];
    for (const k of ks) same(fromOptax(toOptax(k)), k);
  });

  it('a conversion that optax cannot compute exactly is refused with the reason', () => {
    expect(() => toOptax(new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }))).toThrow(/no exact optax form: optax has no schedule function computing InverseTimeDecay/);
    expect(() => toOptax(new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, cycle: true }))).toThrow(/cycle = true/);
    expect(() => toOptax(new PiecewiseConstantDecay({ boundaries: [10], values: [7, 0.03] }))).toThrow(/multiplies back exactly/);
    expect(() => toOptax(fromHuggingFace({ lr_scheduler_type: 'cosine', learning_rate: 1e-3, max_steps: 100 }))).toThrow(/rises again after max_steps/);
  });

  it('Hugging Face linear, polynomial and warmup_stable_decay convert to optax joins with the same values', () => {
    const hs = [
      { lr_scheduler_type: 'linear', learning_rate: 1e-3, warmup_steps: 100, max_steps: 1100 },
      { lr_scheduler_type: 'constant_with_warmup', learning_rate: 1e-3, warmup_steps: 10 },
      { lr_scheduler_type: 'polynomial', learning_rate: 1e-3, warmup_steps: 10, max_steps: 1000, lr_scheduler_kwargs: { lr_end: 1e-5, power: 2 } },
      { lr_scheduler_type: 'warmup_stable_decay', learning_rate: 1e-3, warmup_steps: 10, max_steps: 1100, lr_scheduler_kwargs: { num_decay_steps: 100, min_lr_ratio: 0.1 } },
      { lr_scheduler_type: 'warmup_stable_decay', learning_rate: 1e-3, warmup_steps: 10, max_steps: 1100, lr_scheduler_kwargs: { num_decay_steps: 100, decay_type: 'linear' } },
    ];
    for (const h of hs) {
      const s = fromHuggingFace(h);
      const o = toOptax(s);
      expect(o.module).toBe('optax');
      const back = fromOptax(o);
      const a = valuesAt(back, steps);
      const b = valuesAt(s, steps);
      a.forEach((v, i) => expect(Math.abs(v - b[i]!), `${h.lr_scheduler_type} step ${steps[i]}`).toBeLessThanOrEqual(2e-12 * Math.abs(b[i]!)));
    }
  });
});

describe('Optax dialect: bad input', () => {
  const O = (fn: string, config: Record<string, unknown>) => ({ module: 'optax', function: fn, config });
  const cases: BadDialectInput[] = [
    ['transition_steps 0 (optax: a constant)', O('linear_schedule', { init_value: 1, end_value: 0, transition_steps: 0 }), 'optax.config.transition_steps', /constant schedule of init_value without an error/],
    ['negative transition_steps', O('exponential_decay', { init_value: 1, transition_steps: -5, decay_rate: 0.5 }), 'optax.config.transition_steps', /must be > 0/],
    ['negative transition_begin (optax: 0)', O('polynomial_schedule', { init_value: 1, end_value: 0, power: 2, transition_steps: 10, transition_begin: -3 }), 'optax.config.transition_begin', /treats a negative transition_begin as 0/],
    ['decay_rate 0 (optax: a constant)', O('exponential_decay', { init_value: 1, transition_steps: 5, decay_rate: 0 }), 'optax.config.decay_rate', /decay_rate 0 into a constant/],
    ['decay_steps ≤ warmup_steps', O('warmup_cosine_decay_schedule', { init_value: 0, peak_value: 1, warmup_steps: 100, decay_steps: 100 }), 'optax.config.decay_steps', /must be > warmup_steps = 100/],
    ['an unknown function', O('cosine_schedule', {}), 'optax.function', /must be an optax schedule function/],
    ['an unknown key', O('constant_schedule', { value: 1, valu: 2 }), 'optax.config.valu', /unknown key for optax.constant_schedule \(known: value\)/],
    ['a missing key', O('linear_schedule', { init_value: 1, end_value: 0 }), 'optax.config.transition_steps', /missing required key/],
    ['a negative scale', O('piecewise_constant_schedule', { init_value: 1, boundaries_and_scales: { '10': -0.5 } }), 'optax.config.boundaries_and_scales["10"]', /optax refuses negative scale factors/],
    ['a fractional boundary key', O('piecewise_constant_schedule', { init_value: 1, boundaries_and_scales: { '1.5': 0.5 } }), 'optax.config.boundaries_and_scales["1.5"]', /integer ≥ 0/],
    ['falling join boundaries', O('join_schedules', { schedules: [O('constant_schedule', { value: 1 }), O('constant_schedule', { value: 2 }), O('constant_schedule', { value: 3 })], boundaries: [20, 10] }), 'optax.config.boundaries[1]', /must be > boundaries\[0\] = 20/],
    ['a bad nested schedule', O('join_schedules', { schedules: [O('constant_schedule', { value: 1 }), O('cosine_decay_schedule', { init_value: 1, decay_steps: 0 })], boundaries: [5] }), 'optax.config.schedules[1].config.decay_steps', /must be > 0/],
    ['a bad sgdr cycle', O('sgdr_schedule', { cosine_kwargs: [{ init_value: 0, peak_value: 1, warmup_steps: 5, decay_steps: 10.5 }] }), 'optax.config.cosine_kwargs[0].decay_steps', /integer ≥ 1/],
    ['pct_start above 1', O('cosine_onecycle_schedule', { transition_steps: 100, peak_value: 0.1, pct_start: 1.5 }), 'optax.config.pct_start', /must be in \[0, 1\]/],
    ['NaN', O('constant_schedule', { value: Number.NaN }), 'optax.config.value', /finite/],
    ['an end_value with a negative init_value', O('exponential_decay', { init_value: -1, transition_steps: 5, decay_rate: 0.5, end_value: -0.1 }), 'optax.config.init_value', /must be ≥ 0 with an end_value/],
  ];
  itRefuses(fromOptax, cases);
});
