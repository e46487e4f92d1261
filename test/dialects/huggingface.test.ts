import { describe, expect, it } from 'vitest';
import { PolynomialDecay } from '../../src/schedules/index.ts';
import { HF_SCHEDULER_TYPES, fromHuggingFace } from '../../src/dialects/huggingface.ts';
import { toHuggingFace } from '../../src/dialects/huggingface-write.ts';
import { fromOptax } from '../../src/dialects/optax.ts';
import { detectDialect, fromAnyJson } from '../../src/dialects/index.ts';
import { checkCase, cosineZeroBound, dialectFixture, itRefuses, valuesAt, type BadDialectInput } from './fixture-checks.ts';

const fixture = dialectFixture('huggingface');

describe('Hugging Face dialect: the real transformers float64 values', () => {
  it('the fixtures cover every scheduler type the dialect reads, from transformers 5', () => {
    expect(String(fixture.versions.transformers)).toMatch(/^5\./);
    expect([...new Set(fixture.cases.map((c) => c.name))].sort()).toEqual([...HF_SCHEDULER_TYPES].sort());
  });

  for (const c of fixture.cases) {
    it(`${c.id}: the reference is within 1e-12 of the closed form and within 1e-9 of transformers (or its derived drift)`, () => {
      checkCase(c, valuesAt(fromHuggingFace(c.input), c.steps));
    });
  }

  it('the reference gives every zero of the closed form exactly but one: cosine/cycles-1.5 at x = 3 of a period 100/3 that is not a double, inside its derived bound', () => {
    const missed = fixture.cases.flatMap((c) => (checkCase(c, valuesAt(fromHuggingFace(c.input), c.steps)).cosineZeros > 0 ? [c.id] : []));
    expect(missed).toEqual(['cosine/cycles-1.5']);
    const c = fixture.cases.find((x) => x.id === 'cosine/cycles-1.5')!;
    // 2e-5·(π·3·2^-53/2)² (1 + 1e-12): the value is 2e-5·sin²(π/2·3·δ), δ = fl(100/3)/(100/3) − 1 ≈ 7.1e-17
    expect(cosineZeroBound(c, 110)).toBeCloseTo(5.47e-36, 38);
    expect(fromHuggingFace(c.input).at(110)).toBeGreaterThan(0);
    expect(cosineZeroBound(fixture.cases.find((x) => x.id === 'cosine/warmup')!, 1000)).toBeUndefined(); // period 900: a double
  });

  it("transformers' % 1.0 misses the restart at step 850 of 22 cycles over 1100 steps; the reference restarts there", () => {
    const c = fixture.cases.find((x) => x.id === 'cosine_with_restarts/22-flip')!;
    expect(c.flip).toEqual([850]);
    const i = c.steps.indexOf(850);
    expect(c.framework[i]).toBeLessThan(1e-15);
    expect(fromHuggingFace(c.input).at(850)).toBe(1e-3);
  });

  for (const c of fixture.cases.filter((x) => x.training_args_json !== undefined)) {
    it(`${c.id}: a whole training_args.json written by TrainingArguments gives the same schedule`, () => {
      expect(valuesAt(fromHuggingFace(c.training_args_json!), c.steps)).toEqual(valuesAt(fromHuggingFace(c.input), c.steps));
      expect(toHuggingFace(fromHuggingFace(c.training_args_json!))).toEqual(toHuggingFace(fromHuggingFace(c.input)));
    });
  }
});

describe('Hugging Face dialect: detection', () => {
  it('detectDialect calls the TrainingArguments form and a whole training_args.json huggingface, and fromAnyJson reads them', () => {
    const c = fixture.cases.find((x) => x.training_args_json !== undefined)!;
    expect(detectDialect(c.input)).toBe('huggingface');
    expect(detectDialect(c.training_args_json!)).toBe('huggingface');
    expect(Array.from(fromAnyJson(c.training_args_json!).fill(c.steps))).toEqual(valuesAt(fromHuggingFace(c.input), c.steps));
  });
});

describe('Hugging Face dialect: writing back', () => {
  for (const c of fixture.cases) {
    it(`${c.id}: toHuggingFace writes the schedule keys back, and they read to the same values`, () => {
      const s = fromHuggingFace(c.input);
      const out = toHuggingFace(s);
      expect(out).toEqual({ warmup_steps: 0, ...c.input });
      expect(valuesAt(fromHuggingFace(out), c.steps)).toEqual(valuesAt(s, c.steps));
    });
  }
});

describe('Hugging Face dialect: conversions from other dialects', () => {
  const steps = [0, 1, 9, 10, 11, 55, 99, 100, 101, 109, 110, 111, 1000];
  it('a Keras PolynomialDecay to 0 of power 1 is transformers linear; with an end value, polynomial', () => {
    const lin = new PolynomialDecay({ initialLearningRate: 1e-3, decaySteps: 100, endLearningRate: 0 });
    expect(toHuggingFace(lin)).toEqual({ lr_scheduler_type: 'linear', learning_rate: 1e-3, warmup_steps: 0, max_steps: 100 });
    // two references of the same real values, each within 1e-12 of them
    const a = valuesAt(fromHuggingFace(toHuggingFace(lin)), steps);
    valuesAt(lin, steps).forEach((v, i) => expect(Math.abs(a[i]! - v)).toBeLessThanOrEqual(2e-12 * Math.abs(v)));
    const poly = new PolynomialDecay({ initialLearningRate: 1e-3, decaySteps: 100, endLearningRate: 1e-5, power: 2 });
    expect(toHuggingFace(poly)).toMatchObject({ lr_scheduler_type: 'polynomial', lr_scheduler_kwargs: { lr_end: 1e-5, power: 2 } });
  });

  it('an optax join of a warmup line and a linear decay is transformers linear with warmup, with the same values', () => {
    const o = fromOptax({
      module: 'optax',
      function: 'join_schedules',
      config: {
        schedules: [
          { module: 'optax', function: 'linear_schedule', config: { init_value: 0, end_value: 2e-4, transition_steps: 10 } },
          { module: 'optax', function: 'linear_schedule', config: { init_value: 2e-4, end_value: 0, transition_steps: 100 } },
        ],
        boundaries: [10],
      },
    });
    const h = toHuggingFace(o);
    expect(h).toEqual({ lr_scheduler_type: 'linear', learning_rate: 2e-4, warmup_steps: 10, max_steps: 110 });
    const a = valuesAt(fromHuggingFace(h), steps);
    valuesAt(o, steps).forEach((v, i) => expect(Math.abs(a[i]! - v)).toBeLessThanOrEqual(2e-12 * Math.abs(v)));
  });

  it('a schedule transformers cannot compute is refused with the reason', () => {
    expect(() => toHuggingFace(fromOptax({ module: 'optax', function: 'exponential_decay', config: { init_value: 1, transition_steps: 5, decay_rate: 0.5 } }))).toThrow(
      /no exact Hugging Face form: no transformers scheduler computes this ExponentialDecay/,
    );
  });
});

describe('Hugging Face dialect: bad input', () => {
  const H = (o: Record<string, unknown>) => ({ lr_scheduler_type: 'linear', learning_rate: 1e-3, max_steps: 100, ...o });
  const cases: BadDialectInput[] = [
    ['a zero horizon', H({ max_steps: 0 }), 'huggingface.max_steps', /zero horizon/],
    ['no horizon where the schedule needs one', H({ max_steps: -1 }), 'huggingface.max_steps', /num_train_epochs/],
    ['a negative horizon other than -1', H({ max_steps: -5 }), 'huggingface.max_steps', /or -1/],
    ['a negative warmup', H({ warmup_steps: -5 }), 'huggingface.warmup_steps', /must be ≥ 0/],
    ['a fractional warmup ≥ 1 (transformers truncates)', H({ warmup_steps: 10.5 }), 'huggingface.warmup_steps', /truncates it to 10/],
    ['a warmup longer than training', H({ warmup_steps: 200 }), 'huggingface.warmup_steps', /must be ≤ max_steps = 100/],
    ['polynomial with warmup = max_steps', H({ lr_scheduler_type: 'polynomial', warmup_steps: 100 }), 'huggingface.warmup_steps', /must be < max_steps = 100 for polynomial/],
    ['a warmup for constant (ignored by transformers)', { lr_scheduler_type: 'constant', learning_rate: 1e-3, warmup_steps: 10 }, 'huggingface.warmup_steps', /constant_with_warmup/],
    ['kwargs for constant_with_warmup (ignored by transformers)', { lr_scheduler_type: 'constant_with_warmup', learning_rate: 1e-3, lr_scheduler_kwargs: { num_cycles: 2 } }, 'huggingface.lr_scheduler_kwargs', /ignores them/],
    ['an unknown kwarg', H({ lr_scheduler_type: 'cosine', lr_scheduler_kwargs: { num_cycle: 2 } }), 'huggingface.lr_scheduler_kwargs.num_cycle', /unknown key for the cosine scheduler \(known: num_cycles\)/],
    ['both min_lr and min_lr_rate', H({ lr_scheduler_type: 'cosine_with_min_lr', lr_scheduler_kwargs: { min_lr: 1e-5, min_lr_rate: 0.1 } }), 'huggingface.lr_scheduler_kwargs.min_lr', /exactly one/],
    ['lr_end ≥ learning_rate', H({ lr_scheduler_type: 'polynomial', lr_scheduler_kwargs: { lr_end: 1e-3 } }), 'huggingface.lr_scheduler_kwargs.lr_end', /must be < learning_rate/],
    ['a WSD without num_decay_steps', H({ lr_scheduler_type: 'warmup_stable_decay' }), 'huggingface.lr_scheduler_kwargs.num_decay_steps', /missing required key/],
    ['a WSD longer than max_steps', H({ lr_scheduler_type: 'warmup_stable_decay', warmup_steps: 50, lr_scheduler_kwargs: { num_decay_steps: 60 } }), 'huggingface.lr_scheduler_kwargs.num_decay_steps', /stable phase would be negative/],
    ['a bad decay type', H({ lr_scheduler_type: 'warmup_stable_decay', lr_scheduler_kwargs: { num_decay_steps: 10, decay_type: 'sqrt' } }), 'huggingface.lr_scheduler_kwargs.decay_type', /must be one of "linear", "cosine", "1-sqrt"/],
    ['a metric-driven type', H({ lr_scheduler_type: 'reduce_lr_on_plateau' }), 'huggingface.lr_scheduler_type', /evaluation metric/],
    ['an unknown type', H({ lr_scheduler_type: 'cosine_annealing' }), 'huggingface.lr_scheduler_type', /must be one of/],
    ['an unknown key', H({ warmup_step: 10 }), 'huggingface.warmup_step', /unknown key/],
    ['a misspelt schedule key in a training_args.json', { output_dir: 'out', num_train_epochs: 3, lr_scheduler_typ: 'cosine' }, 'huggingface.lr_scheduler_typ', /unknown key/],
    ['a learning rate ≤ 0', H({ learning_rate: 0 }), 'huggingface.learning_rate', /must be > 0/],
    ['both warmup_steps and warmup_ratio', H({ warmup_steps: 10, warmup_ratio: 0.1 }), 'huggingface.warmup_ratio', /give one of warmup_steps/],
    ['num_cycles 0', H({ lr_scheduler_type: 'cosine', lr_scheduler_kwargs: { num_cycles: 0 } }), 'huggingface.lr_scheduler_kwargs.num_cycles', /must be > 0/],
  ];
  itRefuses(fromHuggingFace, cases);

  it('the keys of a whole training_args.json that do not bear on the schedule are ignored', () => {
    const s = fromHuggingFace({ output_dir: 'out', num_train_epochs: 3, per_device_train_batch_size: 8, seed: 42, lr_scheduler_type: 'constant', learning_rate: 0.5 });
    expect(s.at(1000)).toBe(0.5);
  });

  it('warmup_ratio (transformers 4.x) is ceil(max_steps · ratio) warmup steps', () => {
    const s = fromHuggingFace({ lr_scheduler_type: 'constant_with_warmup', learning_rate: 1, warmup_ratio: 0.07, max_steps: 100 });
    // 100 · 0.07 = 7.000000000000001 in float64, so 8 warmup steps, as transformers computes
    expect(s.at(7)).toBe(7 / 8);
    expect(s.at(8)).toBe(1);
  });
});
