import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DialectError,
  ExponentialDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  CosineDecayRestarts,
  InverseTimeDecay,
  Constant,
  CosineAnneal,
  Linear,
  Sequence,
  PYTORCH_SCHEDULERS,
  StepError,
  detectDialect,
  fromAnyJson,
  fromAnyJsonMany,
  fromPyTorch,
  sourceOf,
  toPyTorch,
  type AnySchedule,
  type Json,
} from '../../src/index.ts';
import { close } from '../helpers/close.ts';

/** test/fixtures/dialects/pytorch.json, made by scripts/dialect-fixtures/pytorch.py from real torch. */
interface Case {
  id: string;
  json: { module: string; class_name: string; config: Record<string, Json>; lr?: number };
  steps: number[];
  /** torch's float64 lr after t steps, or the error torch raised. */
  torch: (number | string)[];
  /** the 60-digit mpmath closed form, as the nearest double (null where torch raises). */
  exact: (number | null)[];
}
interface Fixture {
  torch_version: string;
  mpmath_dps: number;
  cases: Case[];
  refused: { id: string; json: Case['json']; why: string }[];
}
const FIX = JSON.parse(readFileSync(new URL('../fixtures/dialects/pytorch.json', import.meta.url), 'utf8')) as Fixture;

/** Reference vs the real framework's float64 (docs/dialects.md#pytorch-drift: torch's own drift stays below this). */
const VS_TORCH = 1e-9;
/** Reference vs the exact closed form (docs/accuracy.md#the-contract). */
const VS_EXACT = 1e-12;

const U = 2 ** -53;

/**
 * torch's own drift beyond the 1e-9 (docs/dialects.md#pytorch-drift), absolute: LinearLR to
 * end_factor 0, where torch's denominator T·s + (t − 1)(e − s) cancels and its last factor is
 * ~T·u instead of 0: 8·u·lr·max(s, e)·T·(1 + ln T). Every other scheduler: none.
 */
function torchDrift(c: Case): number {
  const k = c.json.config;
  if (c.json.class_name !== 'LinearLR' || k.end_factor !== 0) return 0;
  const T = (k.total_iters as number | undefined) ?? 5;
  const s = (k.start_factor as number | undefined) ?? 1 / 3;
  return 8 * U * (c.json.lr as number) * s * T * (1 + Math.log(T));
}

const rel = (got: number, want: number): number => (want === 0 ? (got === 0 ? 0 : Infinity) : Math.abs(got - want) / Math.abs(want));

describe('the PyTorch fixtures', () => {
  it('come from torch 2.13 with a closed form at 50 digits or more, and cover every scheduler the dialect reads', () => {
    expect(FIX.torch_version).toMatch(/^2\.13\./);
    expect(FIX.mpmath_dps).toBeGreaterThanOrEqual(50);
    const names = new Set(FIX.cases.map((c) => c.json.class_name));
    expect([...names].sort()).toEqual([...PYTORCH_SCHEDULERS].sort());
    for (const n of PYTORCH_SCHEDULERS) expect(FIX.cases.filter((c) => c.json.class_name === n).length, n).toBeGreaterThanOrEqual(4);
  });
});

describe.each(PYTORCH_SCHEDULERS)('PyTorch %s', (name) => {
  const cases = FIX.cases.filter((c) => c.json.class_name === name);

  it.each(cases.map((c) => [c.id, c] as const))('%s: the reference is within 1e-9 of torch and 1e-12 of the exact closed form at every fixture step', (_id, c) => {
    const s = fromPyTorch(c.json);
    c.steps.forEach((t, i) => {
      const tv = c.torch[i] as number | string;
      const ex = c.exact[i] as number | null;
      if (typeof tv === 'string') {
        // torch refuses the step (OneCycleLR past total_steps): so do we
        expect(ex).toBeNull();
        expect(() => s.at(t)).toThrow(StepError);
        return;
      }
      const got = s.at(t);
      if (Math.abs(got - tv) > torchDrift(c)) expect(rel(got, tv), `step ${t}: ${got} vs torch ${tv}`).toBeLessThanOrEqual(VS_TORCH);
      expect(rel(got, ex as number), `step ${t}: ${got} vs exact ${ex}`).toBeLessThanOrEqual(VS_EXACT);
    });
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s: is written back as its normalised form, which reads back to the same values', (_id, c) => {
    const s = fromPyTorch(c.json);
    const back = toPyTorch(s);
    expect(back.module).toBe(c.json.module);
    expect(back.class_name).toBe(c.json.class_name);
    if (c.json.lr !== undefined) expect(back.lr).toBe(c.json.lr);
    // every given keyword kept as given, the others at torch's defaults
    for (const [k, v] of Object.entries(c.json.config)) {
      if (k === 'schedulers') continue;
      expect(back.config[k], k).toEqual(v);
    }
    expect(toPyTorch(fromPyTorch(back))).toEqual(back);
    expect(fromPyTorch(JSON.stringify(back)).fill(c.steps.filter((t, i) => typeof c.torch[i] === 'number'))).toEqual(s.fill(c.steps.filter((t, i) => typeof c.torch[i] === 'number')));
    expect(sourceOf(s)?.dialect).toBe('pytorch');
  });
});

/** The PyTorch form; lr null leaves "lr" out. */
const F = (class_name: string, config: Record<string, Json>, lr: number | null = 0.1): Record<string, Json> => ({
  module: 'torch.optim.lr_scheduler',
  class_name,
  config,
  ...(lr === null ? {} : { lr }),
});

/** The DialectError of reading `json`. */
function errorOf(json: unknown): DialectError {
  try {
    fromPyTorch(json);
  } catch (e) {
    expect(e).toBeInstanceOf(DialectError);
    return e as DialectError;
  }
  throw new Error(`no error for ${JSON.stringify(json)}`);
}

describe('PyTorch validation', () => {
  it.each(FIX.refused.map((r) => [r.id, r] as const))('refuses %s, which torch accepts or crashes on only later, naming the pytorch.config key', (_id, r) => {
    const e = errorOf(r.json);
    expect(e.field).toMatch(/^pytorch\.config\.[A-Za-z_]+/);
    expect(e.message).toContain(e.field);
    expect(e.message.length).toBeGreaterThan(e.field.length + 12);
  });

  it('names the key, the value, the rule and the fix', () => {
    const e = errorOf(F('CosineAnnealingLR', { T_max: 0 }));
    expect(e.field).toBe('pytorch.config.T_max');
    expect(e.value).toBe(0);
    expect(e.message).toMatch(/^pytorch\.config\.T_max = 0: must be an integer ≥ 1 \(/);
  });

  it('refuses unknown and missing keywords, the keys the form leaves out, and a wrong module or class', () => {
    expect(errorOf(F('StepLR', { step_size: 3, gama: 0.5 })).field).toBe('pytorch.config.gama');
    expect(errorOf(F('StepLR', {})).message).toContain('add "step_size"');
    expect(errorOf(F('StepLR', { step_size: 3, last_epoch: -1 })).message).toContain('remove it');
    expect(errorOf(F('StepLR', { step_size: 3, optimizer: 'SGD' })).field).toBe('pytorch.config.optimizer');
    expect(errorOf({ ...F('StepLR', { step_size: 3 }), module: 'torch.optim' }).field).toBe('pytorch.module');
    expect(errorOf(F('ReduceLROnPlateau', {})).field).toBe('pytorch.class_name');
    expect(errorOf(F('StepLR', { step_size: 3 }, null)).field).toBe('pytorch.lr');
    expect(errorOf(F('StepLR', { step_size: 3 }, -0.1)).message).toContain('≥ 0');
    expect(errorOf(F('StepLR', { step_size: 2.5 })).message).toContain('integer');
    expect(errorOf({ ...F('StepLR', { step_size: 3 }), extra: 1 }).field).toBe('pytorch.extra');
  });

  it('refuses SequentialLR nesting, OneCycleLR inside it, a CyclicLR first, an lr on a child and mismatched milestones', () => {
    const child = (n: string, c: Record<string, Json>): Json => ({ module: 'torch.optim.lr_scheduler', class_name: n, config: c });
    const seq = (schedulers: Json[], milestones: Json): Record<string, Json> => F('SequentialLR', { schedulers, milestones });
    const exp = child('ExponentialLR', { gamma: 0.9 });
    expect(errorOf(seq([exp, child('SequentialLR', { schedulers: [exp], milestones: [] })], [3])).field).toBe('pytorch.config.schedulers[1].class_name');
    expect(errorOf(seq([exp, child('OneCycleLR', { max_lr: 0.1, total_steps: 10 })], [3])).message).toContain('initial_lr');
    expect(errorOf(seq([child('CyclicLR', { base_lr: 0.01, max_lr: 0.1 }), exp], [3])).field).toBe('pytorch.config.schedulers[0].class_name');
    expect(errorOf(seq([{ ...(exp as Record<string, Json>), lr: 0.1 }, exp], [3])).field).toBe('pytorch.config.schedulers[0].lr');
    expect(errorOf(seq([exp, exp], [3, 5])).field).toBe('pytorch.config.milestones');
    expect(errorOf(seq([exp, child('StepLR', { step_size: 0 })], [3])).field).toBe('pytorch.config.schedulers[1].config.step_size');
  });

  it('refuses OneCycleLR without a length, with inconsistent lengths, and a phase of length zero', () => {
    expect(errorOf(F('OneCycleLR', { max_lr: 0.1 })).field).toBe('pytorch.config.total_steps');
    expect(errorOf(F('OneCycleLR', { max_lr: 0.1, total_steps: 100, epochs: 3, steps_per_epoch: 7 })).message).toContain('21');
    expect(errorOf(F('OneCycleLR', { max_lr: 0.1, total_steps: 10, pct_start: 0.1 })).field).toBe('pytorch.config.pct_start');
    expect(errorOf(F('OneCycleLR', { max_lr: 0.1, total_steps: 10, pct_start: 0.55, three_phase: true })).message).toContain('length');
  });

  it('refuses steps past OneCycleLR total_steps with a StepError naming the limit, as torch does', () => {
    const s = fromPyTorch(F('OneCycleLR', { max_lr: 0.1, total_steps: 100 }));
    expect(s.at(100)).toBeGreaterThan(0);
    expect(() => s.at(101)).toThrow(/lastStep = 100/);
    expect(() => s.fill({ start: 0, count: 102 })).toThrow(StepError);
  });
});

describe('PyTorch normalisation', () => {
  it('fills torch\'s defaults in torch\'s keyword order', () => {
    expect(toPyTorch(fromPyTorch(F('LinearLR', {})))).toEqual(F('LinearLR', { start_factor: 1 / 3, end_factor: 1, total_iters: 5 }));
    expect(Object.keys(toPyTorch(fromPyTorch(F('OneCycleLR', { max_lr: 1, total_steps: 9 }, null))).config)).toEqual([
      'max_lr', 'total_steps', 'epochs', 'steps_per_epoch', 'pct_start', 'anneal_strategy', 'cycle_momentum', 'base_momentum', 'max_momentum', 'div_factor', 'final_div_factor', 'three_phase',
    ]);
  });

  it('reads JSON text and parsed values alike', () => {
    const j = F('ExponentialLR', { gamma: 0.5 }, 1);
    expect(fromPyTorch(JSON.stringify(j)).at(3)).toBe(0.125);
    expect(fromPyTorch(j).at(3)).toBe(0.125);
  });
});

describe('converting other dialects to PyTorch', () => {
  const same = (s: AnySchedule, steps: number[]): void => {
    const back = fromPyTorch(toPyTorch(s));
    for (const t of steps) expect(rel(back.at(t), s.at(t)), `step ${t}`).toBeLessThanOrEqual(VS_EXACT);
  };
  const steps = [0, 1, 2, 5, 9, 10, 11, 99, 100, 101, 1000];

  it('writes ExponentialDecay as ExponentialLR (decay_steps 1) or StepLR (staircase), with the same values', () => {
    expect(toPyTorch(new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.9 })).class_name).toBe('ExponentialLR');
    const st = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    expect(toPyTorch(st)).toEqual(F('StepLR', { step_size: 10, gamma: 0.5 }));
    same(st, steps);
  });

  it('writes PiecewiseConstantDecay with geometric values as MultiStepLR, PolynomialDecay to 0 as PolynomialLR, CosineDecayRestarts as CosineAnnealingWarmRestarts', () => {
    const pcd = new PiecewiseConstantDecay({ boundaries: [9, 99], values: [0.1, 0.1 * 0.5, 0.1 * Math.pow(0.5, 2)] });
    expect(toPyTorch(pcd).config.milestones).toEqual([10, 100]);
    same(pcd, steps);
    same(new PolynomialDecay({ initialLearningRate: 0.2, decaySteps: 100, endLearningRate: 0, power: 2 }), steps);
    same(new CosineDecayRestarts({ initialLearningRate: 0.2, firstDecaySteps: 10, tMul: 2, alpha: 0.5 }), steps);
  });

  it('writes a Sequence of convertible pieces with one base rate as SequentialLR, with the same values', () => {
    const seq = new Sequence({
      pieces: [
        { begin: 0, schedule: new Linear({ from: 0.01, to: 0.1, steps: 10 }) },
        { begin: 10, schedule: new CosineAnneal({ from: 0.1, to: 0, period: 90, hold: false }) },
      ],
    });
    const j = toPyTorch(seq);
    expect(j.class_name).toBe('SequentialLR');
    expect(j.config.milestones).toEqual([10]);
    same(seq, [...steps, 190, 250]);
    const twoRates = new Sequence({ pieces: [{ begin: 0, schedule: new Constant({ value: 0.1 }) }, { begin: 5, schedule: new Constant({ value: 0.2 }) }] });
    expect(() => toPyTorch(twoRates)).toThrow(/base rate 0\.1/);
  });

  it('refuses what no torch scheduler computes, naming the field', () => {
    const no = (s: AnySchedule, field: string): void => {
      try {
        toPyTorch(s);
        throw new Error('no error');
      } catch (e) {
        expect(e).toBeInstanceOf(DialectError);
        expect((e as DialectError).field).toBe(field);
      }
    };
    no(new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }), 'toPyTorch.staircase');
    no(new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10 }), 'toPyTorch.endLearningRate');
    no(new PiecewiseConstantDecay({ boundaries: [5], values: [0.1, 0.07] }).kind === 'PiecewiseConstantDecay' ? new PiecewiseConstantDecay({ boundaries: [5, 6], values: [0.1, 0.05, 0.01] }) : (null as never), 'toPyTorch.values');
    no(new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }), 'toPyTorch');
    no(new CosineDecayRestarts({ initialLearningRate: 0.2, firstDecaySteps: 10, mMul: 0.5 }), 'toPyTorch.mMul');
  });
});

describe('the dialect entry point', () => {
  const torchForm = F('StepLR', { step_size: 3 });
  const kerasForm = { class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5 } };

  it('detects PyTorch by its module and Keras otherwise', () => {
    expect(detectDialect(torchForm)).toBe('pytorch');
    expect(detectDialect(JSON.stringify(torchForm))).toBe('pytorch');
    expect(detectDialect(kerasForm)).toBe('keras');
    expect(detectDialect({ class_name: 'StepLR', config: { step_size: 3 }, lr: 0.1 })).toBe('pytorch');
  });

  it('reads either, and a mixed list whose errors name the element', () => {
    close(fromAnyJson(torchForm).at(3), 0.01); // the reference contract: within 1e-12 relative
    expect(fromAnyJson(kerasForm).at(10)).toBe(0.05);
    expect(fromAnyJsonMany([torchForm, kerasForm]).map((s) => s.kind)).toEqual(['ExponentialDecay', 'ExponentialDecay']);
    expect(() => fromAnyJsonMany([kerasForm, F('StepLR', { step_size: 0 })])).toThrow(/^\[1\]\.pytorch\.config\.step_size = 0/);
    expect(() => fromAnyJsonMany([{ class_name: 'Nope', config: {} }])).toThrow(/^\[0\]\.class_name/);
  });
});
