/**
 * Writing Optax JSON (docs/dialects.md#conversions): a schedule read from Optax is written
 * back as it was read; others are converted where an optax function computes exactly the
 * same values at every step (Keras's CosineDecay with or without warmup, PolynomialDecay,
 * ExponentialDecay, PiecewiseConstantDecay with scales that multiply exactly, the primitives
 * Constant/Linear/CosineAnneal, and Hugging Face's constant, constant_with_warmup, linear,
 * polynomial and linear-warmup warmup_stable_decay with a linear or half-cosine decay);
 * anything else is a DialectError saying why.
 */
import type { Json } from '../schedules/keras.ts';
import type { Schedule } from '../schedules/registry.ts';
import type { Sequence } from '../schedules/sequence.ts';
import { DialectError, copyJson, sourceOf } from './common.ts';
import { resolveHuggingFace } from './huggingface.ts';
import { wsdStable } from './huggingface-map.ts';
import type { OptaxJson, OptaxFunction } from './optax.ts';
import { productIs } from './pieces.ts';

const O = (fn: OptaxFunction, config: { [key: string]: Json }): OptaxJson => ({ module: 'optax', function: fn, config });
const join = (schedules: OptaxJson[], boundaries: number[]): OptaxJson =>
  schedules.length === 1 ? (schedules[0] as OptaxJson) : O('join_schedules', { schedules: schedules as unknown as Json[], boundaries });

const refuse = (what: string, why: string): never => {
  throw new DialectError('optax', what, `has no exact optax form: ${why}`);
};

/** A registry-kind schedule as an optax function, or a refusal. */
function kindToOptax(s: Schedule): OptaxJson {
  const c = s.config as unknown as Record<string, number | boolean | null | readonly number[]>;
  switch (s.kind as string) {
    case 'Constant':
      return O('constant_schedule', { value: c.value as number });
    case 'CosineDecay': {
      const lr0 = c.initialLearningRate as number;
      const D = c.decaySteps as number;
      const a = c.alpha as number;
      const wt = c.warmupTarget as number | null;
      if (wt === null) return O('cosine_decay_schedule', { init_value: lr0, decay_steps: D, alpha: a });
      const W = c.warmupSteps as number;
      if (!Number.isInteger(W)) refuse('CosineDecay', `warmup_steps = ${W} is not a whole step (optax joins the warmup at an integer boundary)`);
      const end = a * wt;
      // optax takes alpha = end_value / peak_value
      if ((wt === 0 ? 0 : end / wt) !== a) refuse('CosineDecay', `alpha = ${a}: optax's end_value / peak_value does not give it back exactly`);
      if (W + D - W !== D) refuse('CosineDecay', `warmup_steps + decay_steps = ${W + D} is not exact in float64`);
      return O('warmup_cosine_decay_schedule', { init_value: lr0, peak_value: wt, warmup_steps: W, decay_steps: W + D, end_value: end, exponent: 1 });
    }
    case 'PolynomialDecay':
      if (c.cycle === true) refuse('PolynomialDecay', 'cycle = true (optax has no cycling polynomial)');
      return O('polynomial_schedule', { init_value: c.initialLearningRate as number, end_value: c.endLearningRate as number, power: c.power as number, transition_steps: c.decaySteps as number });
    case 'ExponentialDecay':
      return O('exponential_decay', { init_value: c.initialLearningRate as number, transition_steps: c.decaySteps as number, decay_rate: c.decayRate as number, staircase: c.staircase as boolean });
    case 'PiecewiseConstantDecay': {
      const b = c.boundaries as readonly number[];
      const v = c.values as readonly number[];
      const scales: { [key: string]: Json } = {};
      let cur = v[0] as number;
      for (let i = 0; i < b.length; i++) {
        const bi = b[i] as number;
        if (!Number.isInteger(bi) || bi < -1) refuse('PiecewiseConstantDecay', `boundaries[${i}] = ${bi}: optax's boundaries are whole steps ≥ 0 (Keras boundary b is optax step b + 1)`);
        const next = v[i + 1] as number;
        const sc = cur === 0 ? (next === 0 ? 1 : NaN) : next / cur;
        if (!(sc >= 0) || cur * sc !== next) refuse('PiecewiseConstantDecay', `values[${i + 1}] = ${next} is not values[${i}] times a scale ≥ 0 that optax multiplies back exactly`);
        scales[String(bi + 1)] = sc;
        cur = next;
      }
      return O('piecewise_constant_schedule', { init_value: v[0] as number, boundaries_and_scales: scales });
    }
    case 'Linear': {
      if (c.hold !== true) refuse('Linear', 'hold = false (optax lines hold their end value)');
      const off = c.offset as number;
      if (off > 0) refuse('Linear', `offset = ${off} > 0 (optax starts a line at transition_begin ≥ 0)`);
      return O('linear_schedule', { init_value: c.from as number, end_value: c.to as number, transition_steps: c.steps as number, transition_begin: off === 0 ? 0 : -off });
    }
    case 'CosineAnneal': {
      const from = c.from as number;
      const to = c.to as number;
      if (c.hold !== true || (c.offset as number) !== 0) refuse('CosineAnneal', 'hold = false or an offset (optax cosines start at 0 and hold their floor)');
      const alpha = from === 0 ? NaN : to / from;
      if (!productIs(from, alpha, to)) refuse('CosineAnneal', `to = ${to} is not from·alpha exactly for a double alpha (optax's floor is init_value·alpha)`);
      return O('cosine_decay_schedule', { init_value: from, decay_steps: c.period as number, alpha, exponent: c.exponent as number });
    }
    default:
      return refuse(s.kind, `optax has no schedule function computing ${s.kind}`);
  }
}

/** A Hugging Face schedule as optax functions, or a refusal. */
function hfToOptax(config: Json): OptaxJson {
  const { resolved: r } = resolveHuggingFace(config);
  const { lr, warmup: W } = r;
  const T = r.total ?? 0;
  const line = (from: number, to: number, n: number): OptaxJson => O('linear_schedule', { init_value: from, end_value: to, transition_steps: n });
  const warm = W > 0 ? [line(0, lr, W)] : [];
  const at = W > 0 ? [W] : [];
  switch (r.type) {
    case 'constant':
      return O('constant_schedule', { value: lr });
    case 'constant_with_warmup':
      return W > 0 ? line(0, lr, W) : O('constant_schedule', { value: lr });
    case 'linear':
      return join([...warm, W === T ? O('constant_schedule', { value: 0 }) : line(lr, 0, T - W)], at);
    case 'polynomial':
      return join([...warm, O('polynomial_schedule', { init_value: lr, end_value: r.kwargs.lr_end as number, power: r.kwargs.power as number, transition_steps: T - W })], at);
    case 'warmup_stable_decay': {
      const m = r.kwargs.min_lr_ratio as number;
      const low = lr * m;
      const S = wsdStable(r);
      const Dd = r.kwargs.num_decay_steps as number;
      const nc = (r.kwargs.num_cycles as number | undefined) ?? 0.5;
      if (W > 0 && r.kwargs.warmup_type !== 'linear') refuse('warmup_stable_decay', `warmup_type ${r.kwargs.warmup_type} (optax's warmups are lines)`);
      const parts: OptaxJson[] = W > 0 ? [line(low, lr, W)] : [];
      const bounds: number[] = [];
      if (S > 0) {
        if (parts.length > 0) bounds.push(W);
        parts.push(O('constant_schedule', { value: lr }));
      }
      if (parts.length > 0) bounds.push(W + S);
      if (Dd === 0) parts.push(O('constant_schedule', { value: low }));
      else if (r.kwargs.decay_type === 'linear') parts.push(line(lr, low, Dd));
      else if (r.kwargs.decay_type === 'cosine' && nc === 0.5) parts.push(O('cosine_decay_schedule', { init_value: lr, decay_steps: Dd, alpha: m }));
      else refuse('warmup_stable_decay', `decay_type ${r.kwargs.decay_type}${r.kwargs.decay_type === 'cosine' ? ` with num_cycles ${nc}` : ''} (optax has no such decay)`);
      return join(parts, bounds);
    }
    default:
      return refuse(r.type, r.type === 'inverse_sqrt' ? 'optax has no inverse square root schedule' : `transformers' ${r.type} ${r.type === 'cosine_with_restarts' ? 'restarts every max_steps/num_cycles steps, which no optax function does' : 'rises again after max_steps (no hold), optax cosines hold their floor'}`);
  }
}

/**
 * Writes a schedule as Optax JSON: a schedule read by fromOptax as it was read; a Hugging
 * Face or Keras-kind schedule converted where optax computes the same values (see the file
 * comment); else a DialectError saying why there is no exact optax form.
 * @example toOptax(new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100 }))
 *   // { module: 'optax', function: 'cosine_decay_schedule', config: { init_value: 0.1, decay_steps: 100, alpha: 0 } }
 */
export function toOptax(s: Schedule | Sequence): OptaxJson {
  const src = sourceOf(s);
  if (src?.dialect === 'optax') return O(src.name as OptaxFunction, copyJson(src.config) as { [key: string]: Json });
  if (src?.dialect === 'huggingface') return hfToOptax(src.config);
  if (s.kind === 'Sequence') return refuse('a Sequence', `it was read from ${src?.dialect ?? 'no dialect'}; only single schedules and the Hugging Face forms above convert`);
  return kindToOptax(s);
}
