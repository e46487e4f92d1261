/**
 * The PyTorch schedulers the dialect reads (docs/dialects.md#pytorch): each one's
 * constructor keywords in torch's signature order, with torch's defaults and the rules
 * the dialect holds them to. Beyond torch's own checks, the rules refuse what torch
 * silently accepts but is nonsense or crashes later (docs/bad-inputs.md#pytorch-schedules-torch-accepts):
 * zero or negative horizons and periods, non-integer step counts, gamma ≤ 0, ...
 */
import type { Json } from '../schedules/keras.ts';
import { DialectError, boolAt, finiteAt, integerAt, isObject, oneOfAt } from './common.ts';

/** The `module` of the PyTorch form. */
export const PYTORCH_MODULE = 'torch.optim.lr_scheduler';

/** The schedulers the dialect reads, by their torch class names. */
export const PYTORCH_SCHEDULERS = [
  'StepLR',
  'MultiStepLR',
  'ConstantLR',
  'LinearLR',
  'ExponentialLR',
  'PolynomialLR',
  'CosineAnnealingLR',
  'CosineAnnealingWarmRestarts',
  'OneCycleLR',
  'CyclicLR',
  'SequentialLR',
] as const;

/** A torch scheduler class the dialect reads. */
export type PyTorchScheduler = (typeof PYTORCH_SCHEDULERS)[number];

/** True for a name in {@link PYTORCH_SCHEDULERS}. */
export const isPyTorchScheduler = (x: unknown): x is PyTorchScheduler => typeof x === 'string' && (PYTORCH_SCHEDULERS as readonly string[]).includes(x);

/** The schedulers whose `lr` torch overwrites (their own keywords set the rates): `lr` is optional and unused. */
export const LR_UNUSED: readonly PyTorchScheduler[] = ['OneCycleLR', 'CyclicLR'];

/** A keyword's check: returns the normalised value or throws a DialectError at `at`. */
type Check = (v: unknown, at: string) => Json;

interface Key {
  readonly key: string;
  /** torch's default; absent: required. */
  readonly dflt?: Json;
  readonly check: Check;
}

const positive =
  (why: string): Check =>
  (v, at) => {
    const x = finiteAt(at, v);
    if (!(x > 0)) throw new DialectError(at, v, `must be > 0 (${why})`);
    return x;
  };
const atLeast =
  (min: number, why: string): Check =>
  (v, at) => {
    const x = finiteAt(at, v);
    if (!(x >= min)) throw new DialectError(at, v, `must be ≥ ${min} (${why})`);
    return x;
  };
const within =
  (lo: number, loOpen: boolean, hi: number, hiOpen: boolean, why: string): Check =>
  (v, at) => {
    const x = finiteAt(at, v);
    if (!(loOpen ? x > lo : x >= lo) || !(hiOpen ? x < hi : x <= hi)) {
      throw new DialectError(at, v, `must be in ${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'} (${why})`);
    }
    return x;
  };
const finite: Check = (v, at) => finiteAt(at, v);
const int =
  (min: number, why: string): Check =>
  (v, at) =>
    integerAt(at, v, min, ` (${why})`);
const orNull =
  (c: Check): Check =>
  (v, at) =>
    v === null ? null : c(v, at);
const bool: Check = (v, at) => boolAt(at, v);
const oneOf =
  (...options: string[]): Check =>
  (v, at) =>
    oneOfAt(at, v, options);

/** A list of integer milestones ≥ min, non-decreasing (strictly increasing when `strict`). */
const milestones =
  (min: number, strict: boolean, why: string): Check =>
  (v, at) => {
    if (!Array.isArray(v)) throw new DialectError(at, v, 'must be a list of integer steps');
    const out: number[] = [];
    for (let i = 0; i < v.length; i++) {
      const m = integerAt(`${at}[${i}]`, v[i], min, ` (${why})`);
      const prev = out[i - 1];
      if (prev !== undefined && (strict ? !(m > prev) : !(m >= prev))) {
        throw new DialectError(`${at}[${i}]`, m, `must be ${strict ? '>' : '≥'} ${at.split('.').pop() ?? 'milestones'}[${i - 1}] = ${prev} (${strict ? 'strictly increasing' : 'sorted, as torch documents'}: sort the list)`);
      }
      out.push(m);
    }
    return out;
  };

const GAMMA = 'gamma = 0 zeroes the rate and a negative one flips its sign; torch accepts both';
const HORIZON = 'a zero or negative horizon: torch either divides by zero or never reaches it';

/** Each scheduler's keywords, in torch's signature order (SequentialLR's `schedulers` is read by pytorch.ts). */
export const PYTORCH_KEYS: { readonly [N in PyTorchScheduler]: readonly Key[] } = {
  StepLR: [
    { key: 'step_size', check: int(1, 'the decay period in steps; torch divides by it') },
    { key: 'gamma', dflt: 0.1, check: positive(GAMMA) },
  ],
  MultiStepLR: [
    { key: 'milestones', check: milestones(0, false, 'a step torch reaches; a negative one only counts in its closed form') },
    { key: 'gamma', dflt: 0.1, check: positive(GAMMA) },
  ],
  ConstantLR: [
    { key: 'factor', dflt: 1 / 3, check: within(0, true, 1, false, 'torch multiplies by 1/factor at total_iters, so 0 divides by zero') },
    { key: 'total_iters', dflt: 5, check: int(1, `${HORIZON}: with 0 torch applies the factor at step 0 and never undoes it`) },
  ],
  LinearLR: [
    { key: 'start_factor', dflt: 1 / 3, check: within(0, true, 1, false, 'as torch checks') },
    { key: 'end_factor', dflt: 1, check: within(0, false, 1, false, 'as torch checks') },
    { key: 'total_iters', dflt: 5, check: int(1, `${HORIZON}: with 0 torch keeps start_factor forever`) },
  ],
  ExponentialLR: [{ key: 'gamma', check: positive(GAMMA) }],
  PolynomialLR: [
    { key: 'total_iters', dflt: 5, check: int(1, `${HORIZON}: with 0 torch keeps the base rate forever`) },
    { key: 'power', dflt: 1, check: atLeast(0, 'a negative power divides by zero at total_iters') },
  ],
  CosineAnnealingLR: [
    { key: 'T_max', check: int(1, 'the half period; torch divides by it, and a non-integer one can make its recursion divide by ~0') },
    { key: 'eta_min', dflt: 0, check: finite },
  ],
  CosineAnnealingWarmRestarts: [
    { key: 'T_0', check: int(1, 'as torch checks') },
    { key: 'T_mult', dflt: 1, check: int(1, 'as torch checks') },
    { key: 'eta_min', dflt: 0, check: finite },
  ],
  OneCycleLR: [
    { key: 'max_lr', check: positive('the peak rate; one number: one parameter group') },
    { key: 'total_steps', dflt: null, check: orNull(int(1, 'as torch checks')) },
    { key: 'epochs', dflt: null, check: orNull(int(1, 'as torch checks')) },
    { key: 'steps_per_epoch', dflt: null, check: orNull(int(1, 'as torch checks')) },
    { key: 'pct_start', dflt: 0.3, check: within(0, false, 1, true, 'with 1 the last phase is empty and torch divides by zero at step total_steps') },
    { key: 'anneal_strategy', dflt: 'cos', check: oneOf('cos', 'linear') },
    { key: 'cycle_momentum', dflt: true, check: bool },
    { key: 'base_momentum', dflt: 0.85, check: finite },
    { key: 'max_momentum', dflt: 0.95, check: finite },
    { key: 'div_factor', dflt: 25, check: positive('initial lr = max_lr / div_factor') },
    { key: 'final_div_factor', dflt: 1e4, check: positive('min lr = initial lr / final_div_factor') },
    { key: 'three_phase', dflt: false, check: bool },
  ],
  CyclicLR: [
    { key: 'base_lr', check: atLeast(0, 'a learning rate; one number: one parameter group') },
    { key: 'max_lr', check: atLeast(0, 'a learning rate; one number: one parameter group') },
    { key: 'step_size_up', dflt: 2000, check: positive('with 0 torch divides by zero at step 0') },
    { key: 'step_size_down', dflt: null, check: orNull(positive('null for step_size_up')) },
    { key: 'mode', dflt: 'triangular', check: oneOf('triangular', 'triangular2', 'exp_range') },
    { key: 'gamma', dflt: 1, check: positive(GAMMA) },
    { key: 'scale_fn', dflt: null, check: (v, at) => (v === null ? null : fail(at, v, 'must be null: a Python function cannot be read from JSON (use mode)')) },
    { key: 'scale_mode', dflt: 'cycle', check: oneOf('cycle', 'iterations') },
    { key: 'cycle_momentum', dflt: true, check: bool },
    { key: 'base_momentum', dflt: 0.8, check: finite },
    { key: 'max_momentum', dflt: 0.9, check: finite },
  ],
  SequentialLR: [
    { key: 'schedulers', check: (v) => v as Json },
    { key: 'milestones', check: milestones(1, true, 'the step where the next scheduler takes over; 0 would never use the first') },
  ],
};

function fail(at: string, v: unknown, rule: string): never {
  throw new DialectError(at, v, rule);
}

const NOT_IN_FORM: Readonly<Record<string, string>> = {
  optimizer: 'is not part of the form: the optimizer is SGD(lr = the form\'s "lr"); remove it',
  last_epoch: 'is not part of the form: the schedule starts at step 0 (last_epoch −1); remove it',
  verbose: 'is not part of the form (it only prints); remove it',
};

/**
 * Checks `config` against `name`'s keywords: unknown keys, missing required ones, each
 * value's rule; returns the normalised config (every keyword, defaults filled, in torch's order).
 */
export function normaliseKeywords(name: PyTorchScheduler, config: unknown, at: string): Record<string, Json> {
  if (!isObject(config)) throw new DialectError(at, config, `must be a JSON object: the ${name} keyword arguments`);
  const keys = PYTORCH_KEYS[name];
  for (const k of Object.keys(config)) {
    if (keys.some((s) => s.key === k)) continue;
    const why = NOT_IN_FORM[k];
    throw new DialectError(`${at}.${k}`, config[k], why ?? `unknown keyword of ${name} (known: ${keys.map((s) => s.key).join(', ')})`);
  }
  const out: Record<string, Json> = {};
  for (const s of keys) {
    const here = `${at}.${s.key}`;
    if (!Object.hasOwn(config, s.key) || config[s.key] === undefined) {
      if (!('dflt' in s)) throw new DialectError(here, undefined, `missing required keyword of ${name}: add "${s.key}" to config`);
      out[s.key] = s.dflt as Json;
    } else out[s.key] = s.check(config[s.key], here);
  }
  return out;
}
