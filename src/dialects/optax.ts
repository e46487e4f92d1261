/**
 * The Optax dialect (docs/dialects.md#optax): `{"module": "optax", "function": FN, "config":
 * {kwargs}}` for optax's schedule functions, read into the library's kinds with optax's exact
 * semantics (optax-map.ts), and written back (optax-write.ts). Errors name `optax.config.<key>`
 * (nested: `optax.config.schedules[1].config.decay_steps`); what optax silently turns into
 * something else (transition_steps ≤ 0 → a constant, a negative transition_begin → 0,
 * decay_rate 0 → a constant) is refused (docs/bad-inputs.md).
 */
import type { Json } from '../schedules/keras.ts';
import type { Schedule } from '../schedules/registry.ts';
import type { Sequence } from '../schedules/sequence.ts';
import { DialectError, copyJson, freezeJson, isObject, readJsonInput } from './common.ts';
import { bool, checkConfigKeys, choice, inRange, nonNegative, num, positive, steps } from './fields.ts';
import {
  cosinePieces,
  exponentialPieces,
  interpolatePieces,
  linearPieces,
  onecycleScales,
  piecewiseConstantPieces,
  polynomialPieces,
  warmupCosinePieces,
} from './optax-map.ts';
import { assemble, make, shifted, type Piece } from './pieces.ts';

/** The optax schedule functions this dialect reads, with their keyword arguments (required first). */
export const OPTAX_FUNCTIONS = {
  constant_schedule: { required: ['value'], optional: [] },
  linear_schedule: { required: ['init_value', 'end_value', 'transition_steps'], optional: ['transition_begin'] },
  polynomial_schedule: { required: ['init_value', 'end_value', 'power', 'transition_steps'], optional: ['transition_begin'] },
  cosine_decay_schedule: { required: ['init_value', 'decay_steps'], optional: ['alpha', 'exponent'] },
  exponential_decay: { required: ['init_value', 'transition_steps', 'decay_rate'], optional: ['transition_begin', 'staircase', 'end_value'] },
  piecewise_constant_schedule: { required: ['init_value'], optional: ['boundaries_and_scales'] },
  piecewise_interpolate_schedule: { required: ['interpolate_type', 'init_value'], optional: ['boundaries_and_scales'] },
  warmup_cosine_decay_schedule: { required: ['init_value', 'peak_value', 'warmup_steps', 'decay_steps'], optional: ['end_value', 'exponent'] },
  warmup_exponential_decay_schedule: {
    required: ['init_value', 'peak_value', 'warmup_steps', 'transition_steps', 'decay_rate'],
    optional: ['transition_begin', 'staircase', 'end_value'],
  },
  cosine_onecycle_schedule: { required: ['transition_steps', 'peak_value'], optional: ['pct_start', 'div_factor', 'final_div_factor'] },
  linear_onecycle_schedule: { required: ['transition_steps', 'peak_value'], optional: ['pct_start', 'pct_final', 'div_factor', 'final_div_factor'] },
  sgdr_schedule: { required: ['cosine_kwargs'], optional: [] },
  join_schedules: { required: ['schedules', 'boundaries'], optional: [] },
} as const satisfies Record<string, { required: readonly string[]; optional: readonly string[] }>;

/** An optax schedule function name. */
export type OptaxFunction = keyof typeof OPTAX_FUNCTIONS;

/** The JSON form of an optax schedule. */
export interface OptaxJson {
  module: 'optax';
  function: OptaxFunction;
  config: { [key: string]: Json };
}

const MODULES = ['optax', 'optax.schedules'];
const OUTER = ['module', 'function', 'config'];
const STEPS_RULE = ': optax turns transition_steps ≤ 0 into a constant schedule of init_value without an error; write constant_schedule for that';
const BEGIN_RULE = ' (optax treats a negative transition_begin as 0 without an error)';

const isFn = (x: unknown): x is OptaxFunction => typeof x === 'string' && Object.hasOwn(OPTAX_FUNCTIONS, x);

/** `{ "100": 0.1 }` → Map(100 → 0.1): keys are whole steps ≥ 0 written as integers, scales ≥ 0 (optax refuses negative ones). */
function readScales(at: string, v: unknown): Map<number, number> {
  const m = new Map<number, number>();
  if (v === undefined || v === null) return m;
  if (!isObject(v)) throw new DialectError(at, v, 'must be a JSON object {"step": scale, ...} (or null)');
  for (const [k, s] of Object.entries(v)) {
    if (!/^(0|[1-9][0-9]*)$/.test(k) || Number(k) > 2 ** 53) throw new DialectError(`${at}["${k}"]`, k, 'must be a step: an integer ≥ 0 written without sign, fraction or leading zeros');
    m.set(Number(k), nonNegative(`${at}["${k}"]`, s, ' (optax refuses negative scale factors)'));
  }
  return m;
}

/** One schedule object's pieces; `at` is its path (`optax`, `optax.config.schedules[2]`). */
function piecesOf(v: unknown, at: string): { pieces: Piece[]; json: OptaxJson } {
  if (!isObject(v)) throw new DialectError(at, v, 'must be a JSON object {"module": "optax", "function": ..., "config": {...}}');
  for (const key of Object.keys(v)) if (!OUTER.includes(key)) throw new DialectError(`${at}.${key}`, v[key], `unknown key (known: ${OUTER.join(', ')})`);
  if ('module' in v && !MODULES.includes(v.module as string)) throw new DialectError(`${at}.module`, v.module, 'must be "optax" (or "optax.schedules")');
  const fn = v.function;
  if (!isFn(fn)) throw new DialectError(`${at}.function`, fn, `must be an optax schedule function (known: ${Object.keys(OPTAX_FUNCTIONS).join(', ')})`);
  const spec = OPTAX_FUNCTIONS[fn];
  const p = `${at}.config`;
  const c = checkConfigKeys(p, v.config, [...spec.required, ...spec.optional], spec.required, `optax.${fn}`);
  const cfg = copyJson(c as { [key: string]: Json });
  const pieces = build(fn, c, p, cfg);
  return { pieces, json: { module: 'optax', function: fn, config: cfg } };
}

const opt = (c: Record<string, unknown>, key: string, dflt: unknown): unknown => (c[key] === undefined || c[key] === null ? dflt : c[key]);

function build(fn: OptaxFunction, c: Record<string, unknown>, p: string, cfg: { [key: string]: Json }): Piece[] {
  const n = (key: string): number => num(`${p}.${key}`, c[key]);
  const begin = (): number => nonNegative(`${p}.transition_begin`, opt(c, 'transition_begin', 0), BEGIN_RULE);
  switch (fn) {
    case 'constant_schedule':
      return [{ begin: 0, schedule: constantOf(n('value')) }];
    case 'linear_schedule':
      return linearPieces(n('init_value'), n('end_value'), positive(`${p}.transition_steps`, c.transition_steps, STEPS_RULE), begin());
    case 'polynomial_schedule': {
      const T = positive(`${p}.transition_steps`, c.transition_steps, STEPS_RULE);
      const B = steps(`${p}.transition_begin`, opt(c, 'transition_begin', 0), 0, BEGIN_RULE);
      return polynomialPieces(n('init_value'), n('end_value'), nonNegative(`${p}.power`, c.power, ' (a negative power is infinite at the end of the transition)'), T, B);
    }
    case 'cosine_decay_schedule':
      return cosinePieces(n('init_value'), positive(`${p}.decay_steps`, c.decay_steps), num(`${p}.alpha`, opt(c, 'alpha', 0)), exponent(p, c));
    case 'exponential_decay':
      return exponentialPieces(expArgs(p, c, n('init_value')), p);
    case 'piecewise_constant_schedule':
      return piecewiseConstantPieces(n('init_value'), readScales(`${p}.boundaries_and_scales`, c.boundaries_and_scales));
    case 'piecewise_interpolate_schedule':
      return interpolatePieces(choice(`${p}.interpolate_type`, c.interpolate_type, ['linear', 'cosine'] as const), n('init_value'), readScales(`${p}.boundaries_and_scales`, c.boundaries_and_scales));
    case 'warmup_cosine_decay_schedule':
      return warmupCosine(p, c);
    case 'warmup_exponential_decay_schedule': {
      const W = steps(`${p}.warmup_steps`, c.warmup_steps, 0);
      const decay = exponentialPieces(expArgs(p, c, n('peak_value')), p);
      if (W === 0) return decay;
      return [{ begin: 0, schedule: linearOf(n('init_value'), n('peak_value'), W) }, ...shifted(decay, W)];
    }
    case 'cosine_onecycle_schedule':
    case 'linear_onecycle_schedule': {
      const T = steps(`${p}.transition_steps`, c.transition_steps, 1, ' (optax refuses a non-positive transition_steps)');
      const peak = n('peak_value');
      const ps = inRange(`${p}.pct_start`, opt(c, 'pct_start', 0.3), 0, 1);
      const pf = fn === 'linear_onecycle_schedule' ? inRange(`${p}.pct_final`, opt(c, 'pct_final', 0.85), ps, 1, ' (pct_start ≤ pct_final ≤ 1)') : 1;
      const div = positive(`${p}.div_factor`, opt(c, 'div_factor', 25));
      const fdiv = positive(`${p}.final_div_factor`, opt(c, 'final_div_factor', 1e4));
      const kind = fn === 'linear_onecycle_schedule' ? 'linear' : 'cosine';
      return interpolatePieces(kind, peak / div, onecycleScales(kind, T, ps, pf, div, fdiv));
    }
    case 'sgdr_schedule': {
      const list = c.cosine_kwargs;
      if (!Array.isArray(list) || list.length === 0) throw new DialectError(`${p}.cosine_kwargs`, list, 'must be a non-empty list of warmup_cosine_decay_schedule kwargs');
      const out: Piece[] = [];
      let start = 0;
      list.forEach((kw, i) => {
        const q = `${p}.cosine_kwargs[${i}]`;
        const spec = OPTAX_FUNCTIONS.warmup_cosine_decay_schedule;
        const k = checkConfigKeys(q, kw, [...spec.required, ...spec.optional], spec.required, 'a cycle of optax.sgdr_schedule');
        const D = steps(`${q}.decay_steps`, k.decay_steps, 1, ' (it is also where the next cycle starts)');
        out.push(...shifted(warmupCosine(q, k), start));
        start += D;
      });
      return out;
    }
    case 'join_schedules':
      return join(p, c, cfg);
  }
}

const exponent = (p: string, c: Record<string, unknown>): number => positive(`${p}.exponent`, opt(c, 'exponent', 1), ' (the cosine factor is raised to it)');

function warmupCosine(p: string, c: Record<string, unknown>): Piece[] {
  const W = steps(`${p}.warmup_steps`, c.warmup_steps, 0);
  const D = num(`${p}.decay_steps`, c.decay_steps);
  if (!(D > W)) throw new DialectError(`${p}.decay_steps`, D, `must be > warmup_steps = ${W} (decay_steps counts the warmup too; optax refuses a cosine of ≤ 0 steps)`);
  return warmupCosinePieces(num(`${p}.init_value`, c.init_value), num(`${p}.peak_value`, c.peak_value), W, D, num(`${p}.end_value`, opt(c, 'end_value', 0)), exponent(p, c));
}

function expArgs(p: string, c: Record<string, unknown>, init: number) {
  const rate = num(`${p}.decay_rate`, c.decay_rate);
  if (rate === 0) throw new DialectError(`${p}.decay_rate`, rate, 'must be > 0: optax turns decay_rate 0 into a constant schedule without an error; write constant_schedule for that');
  if (rate < 0) throw new DialectError(`${p}.decay_rate`, rate, 'must be > 0 (a negative rate to a fractional power is NaN)');
  const end = opt(c, 'end_value', null);
  return {
    init,
    steps: positive(`${p}.transition_steps`, c.transition_steps, STEPS_RULE),
    rate,
    begin: steps(`${p}.transition_begin`, opt(c, 'transition_begin', 0), 0, BEGIN_RULE),
    staircase: bool(`${p}.staircase`, opt(c, 'staircase', false)),
    end: end === null ? null : num(`${p}.end_value`, end),
  };
}

function join(p: string, c: Record<string, unknown>, cfg: { [key: string]: Json }): Piece[] {
  const subs = c.schedules;
  const bounds = c.boundaries;
  if (!Array.isArray(subs) || subs.length === 0) throw new DialectError(`${p}.schedules`, subs, 'must be a non-empty list of optax schedule objects');
  if (!Array.isArray(bounds) || bounds.length !== subs.length - 1) {
    throw new DialectError(`${p}.boundaries`, bounds, `must be a list of ${subs.length - 1} steps (one fewer than schedules)`);
  }
  const b = bounds.map((x, i) => steps(`${p}.boundaries[${i}]`, x, 0));
  b.forEach((x, i) => {
    if (i > 0 && !(x > (b[i - 1] as number))) {
      throw new DialectError(`${p}.boundaries[${i}]`, x, `must be > boundaries[${i - 1}] = ${b[i - 1]} (optax lets a later boundary override an earlier one; a schedule between equal or falling boundaries is never used)`);
    }
  });
  const out: Piece[] = [];
  const normalised: Json[] = [];
  subs.forEach((s, i) => {
    const { pieces, json } = piecesOf(s, `${p}.schedules[${i}]`);
    normalised.push(json as unknown as Json);
    const from = i === 0 ? 0 : (b[i - 1] as number);
    out.push(...shifted(pieces, from, i < b.length ? (b[i] as number) : Infinity));
  });
  cfg.schedules = normalised;
  return out;
}

const constantOf = (value: number): Schedule => make('Constant', { value });
const linearOf = (from: number, to: number, n: number): Schedule => make('Linear', { from, to, steps: n });

/** True for a value in the Optax form (its `module` is "optax" or "optax.schedules"); detectDialect uses it. */
export const looksLikeOptax = (v: unknown): boolean => isObject(v) && MODULES.includes(v.module as string);

/**
 * Reads an optax schedule (JSON text or a parsed value): a registry-kind schedule, or a
 * Sequence of them, with `source` = `{ dialect: 'optax', name: FN, config }` (the config
 * as given, nested join_schedules objects normalised to module "optax") so that
 * `toOptax` writes it back.
 * @example fromOptax({ module: 'optax', function: 'linear_schedule', config: { init_value: 0, end_value: 1, transition_steps: 10 } }).at(5) // 0.5
 */
export function fromOptax(json: unknown): Schedule | Sequence {
  const { pieces, json: norm } = piecesOf(readJsonInput(json), 'optax');
  return assemble(pieces, { dialect: 'optax', name: norm.function, config: freezeJson(norm.config) });
}
