/**
 * Optax schedules as pieces (docs/dialects.md#optax): one builder per function, from a
 * config already read by optax.ts (checked values, defaults filled in). Each builds what
 * optax computes, exactly: the cumulative products of piecewise scales in the order optax
 * multiplies them, the onecycle boundaries truncated with int() as Python does, the
 * exponential's end_value clip as a constant piece from the first step it binds.
 */
import { MAX_STEP } from '../schedules/steps.ts';
import { DialectError } from './common.ts';
import { make, shifted, type Piece } from './pieces.ts';

const one = (schedule: Piece['schedule']): Piece[] => [{ begin: 0, schedule }];
const constant = (value: number): Piece['schedule'] => make('Constant', { value });

/** linear_schedule: init until transition_begin, a line over transition_steps, then end. */
export function linearPieces(init: number, end: number, steps: number, begin: number): Piece[] {
  if (Number.isInteger(begin)) {
    const line = make('Linear', { from: init, to: end, steps });
    return begin === 0 ? one(line) : [{ begin: 0, schedule: constant(init) }, { begin, schedule: line }];
  }
  // a fractional begin: x = (t − begin)/steps, clamped
  return one(make('Linear', { from: init, to: end, steps, offset: -begin }));
}

/** polynomial_schedule: (init − end)·(1 − clip(t − begin, 0, T)/T)^power + end. */
export function polynomialPieces(init: number, end: number, power: number, steps: number, begin: number): Piece[] {
  const poly = make('PolynomialDecay', { initialLearningRate: init, decaySteps: steps, endLearningRate: end, power });
  return begin === 0 ? one(poly) : [{ begin: 0, schedule: constant(init) }, { begin, schedule: poly }];
}

/** cosine_decay_schedule: init·((1 − α)·(½(1 + cos(π·min(t, D)/D)))^p + α). */
export function cosinePieces(init: number, decaySteps: number, alpha: number, exponent: number): Piece[] {
  if (exponent === 1) return one(make('CosineDecay', { initialLearningRate: init, decaySteps, alpha }));
  return one(make('CosineAnneal', { from: init, to: init * alpha, period: decaySteps, exponent }));
}

/** warmup_cosine_decay_schedule: a line init → peak over W steps, then a cosine from peak with α = end/peak over D − W. */
export function warmupCosinePieces(init: number, peak: number, warmup: number, decaySteps: number, end: number, exponent: number): Piece[] {
  const alpha = peak === 0 ? 0 : end / peak;
  if (exponent === 1) {
    return one(make('CosineDecay', { initialLearningRate: init, decaySteps: decaySteps - warmup, alpha, warmupTarget: peak, warmupSteps: warmup }));
  }
  const decay = make('CosineAnneal', { from: peak, to: peak * alpha, period: decaySteps - warmup, exponent });
  return warmup === 0 ? one(decay) : [{ begin: 0, schedule: make('Linear', { from: init, to: peak, steps: warmup }) }, { begin: warmup, schedule: decay }];
}

export interface ExponentialArgs {
  readonly init: number;
  readonly steps: number;
  readonly rate: number;
  readonly begin: number;
  readonly staircase: boolean;
  readonly end: number | null;
}

/**
 * exponential_decay: init until transition_begin, then init·rate^((t − begin)/T) (floor of the
 * exponent with staircase), clipped by end_value (a floor for rate < 1, a cap for rate > 1).
 * The clip binds from the first step d* whose value reaches end_value (found on the exact
 * reference, from a log estimate corrected step by step) and holds after it: init ≥ 0, so
 * the decay is monotone and the clip is a suffix.
 */
export function exponentialPieces(a: ExponentialArgs, at: string): Piece[] {
  const base = make('ExponentialDecay', { initialLearningRate: a.init, decaySteps: a.steps, decayRate: a.rate, staircase: a.staircase });
  const { end } = a;
  const withBegin = (p: Piece[], first: number): Piece[] => (a.begin === 0 ? p : [{ begin: 0, schedule: constant(first) }, ...shifted(p, a.begin)]);
  if (end === null) return withBegin(one(base), a.init);
  const floor = a.rate < 1;
  const reached = (v: number): boolean => (floor ? v <= end : v >= end);
  const clip = (v: number): number => (floor ? Math.max(v, end) : Math.min(v, end));
  if (a.init < 0) {
    throw new DialectError(`${at}.init_value`, a.init, 'must be ≥ 0 with an end_value (a negative rate with a clip: optax clips the start of the decay, which is not supported)');
  }
  if (a.init === 0 || a.rate === 1 || reached(a.init)) return one(constant(clip(a.init)));
  // first d ≥ 1 with base.at(d) reaching end: p* = log(end/init)/log(rate) decay periods
  const pStar = Math.log(end / a.init) / Math.log(a.rate);
  let d = a.staircase ? Math.ceil(Math.ceil(pStar) * a.steps) : Math.ceil(pStar * a.steps);
  if (!Number.isFinite(d) || d + a.begin > MAX_STEP) return withBegin(one(base), a.init);
  d = Math.max(1, d);
  for (let i = 0; i < 64 && d > 1 && reached(base.at(d - 1)); i++) d--;
  for (let i = 0; i < 64 && !reached(base.at(d)); i++) d++;
  return withBegin([{ begin: 0, schedule: base }, { begin: d, schedule: constant(end) }], a.init);
}

/** optax's boundaries_and_scales, sorted by step, with the cumulative values init·s1·s2… in optax's order. */
export function cumulative(init: number, scales: ReadonlyMap<number, number>): { bounds: number[]; values: number[] } {
  const bounds = [...scales.keys()].sort((x, y) => x - y);
  const values = [init];
  for (const b of bounds) values.push((values[values.length - 1] as number) * (scales.get(b) as number));
  return { bounds, values };
}

/** piecewise_constant_schedule: init·(product of the scales of the boundaries ≤ t); a boundary b is Keras's b − 1. */
export function piecewiseConstantPieces(init: number, scales: ReadonlyMap<number, number>): Piece[] {
  if (scales.size === 0) return one(constant(init));
  const { bounds, values } = cumulative(init, scales);
  return one(make('PiecewiseConstantDecay', { boundaries: bounds.map((b) => b - 1), values }));
}

/** piecewise_interpolate_schedule: lines or cosines between the cumulative values at 0, b1, b2, …, then the last value. */
export function interpolatePieces(kind: 'linear' | 'cosine', init: number, scales: ReadonlyMap<number, number>): Piece[] {
  const { bounds, values } = cumulative(init, scales);
  const at = [0, ...bounds];
  const out: Piece[] = [];
  for (let i = 0; i + 1 < at.length; i++) {
    const b0 = at[i] as number;
    const b1 = at[i + 1] as number;
    if (b1 <= b0) continue;
    const from = values[i] as number;
    const to = values[i + 1] as number;
    out.push({ begin: b0, schedule: kind === 'linear' ? make('Linear', { from, to, steps: b1 - b0 }) : make('CosineAnneal', { from, to, period: b1 - b0 }) });
  }
  out.push({ begin: at[at.length - 1] as number, schedule: constant(values[values.length - 1] as number) });
  return out;
}

/** The boundaries_and_scales dict a onecycle schedule builds: keys int(pct·T) as Python truncates them; a repeated key keeps the last scale. */
export function onecycleScales(kind: 'linear' | 'cosine', T: number, pctStart: number, pctFinal: number, div: number, finalDiv: number): Map<number, number> {
  const m = new Map<number, number>();
  m.set(Math.trunc(pctStart * T), div);
  if (kind === 'linear') {
    m.set(Math.trunc(pctFinal * T), 1 / div);
    m.set(T, 1 / finalDiv);
  } else {
    m.set(Math.trunc(T), 1 / (div * finalDiv));
  }
  return m;
}
