/**
 * keras.optimizers.schedules.CosineDecay, with optional linear warmup
 * (docs/semantics.md#cosinedecay).
 */
import { DD_HALF_PI, dd, ddAdd, ddDiv, ddMul, ddMulD, ddSinCos, expOf, mulPow2, twoProd, twoSum, ef, type DD, halfPiSquaresDD } from './exact.ts';
import { exactSum } from './exact-sum.ts';
import { warmup, warmupLine } from './warmup-line.ts';
import { LR0, NAME, list, logRange, num, resolveFields, single, type FieldTable } from './fields.ts';
import { HALF_PI, ScheduleBase, type FillOutput } from './schedule.ts';
import { cosineRange, cosineWarmRange } from './wasm/cosine-run.ts';
import { cosFactorQ, cosQ, sinQ } from './wasm/quarter-trig.ts';
import type { CosineDecayConfig, Resolved, StepList } from './types.ts';

const CLS = 'CosineDecay';

/**
 * Cosine decay (Loshchilov & Hutter, SGDR), with optional linear warmup, as Keras
 * computes it in real arithmetic:
 *
 * - no warmup (`warmupTarget` null; `warmupSteps` is then ignored, as in Keras):
 *   `lr(s) = lr0 · ((1 − α)·g(min(s, D)) + α)`, `g(d) = ½(1 + cos(π·d/D))`;
 * - warmup (`warmupTarget` = wt): for `s < W` (strict) `lr0 + (wt − lr0)·s/W`,
 *   else `wt · ((1 − α)·g(min(s − W, D)) + α)`; with `W = 0` the decay starts from wt.
 *
 * g is evaluated without cancellation as sin²(π/2·(D−d)/D) or cos²(π/2·d/D)
 * (the cancellation-free form, docs/accuracy.md#the-error-budget-of-each-formulation). Exact at step 0 and at the end (lr·α; 0 for α = 0).
 * Relative error ≤ 1e-12 for α ∈ [0, 1] (for α outside [0, 1] the value can cross 0,
 * where only an absolute bound ~1e-16·|lr|·max(1, |α|) holds).
 *
 * @example
 * const s = new CosineDecay({ initialLearningRate: 1, decaySteps: 1000 });
 * s.at(0);    // 1
 * s.at(250);  // 0.8535533905932737
 * s.at(1000); // 0
 * @see https://keras.io/api/optimizers/learning_rate_schedules/cosine_decay/
 */
export class CosineDecay extends ScheduleBase<'CosineDecay', Resolved<CosineDecayConfig>> {
  readonly kind = 'CosineDecay' as const;
  /** The field table (Keras's get_config order): keys, defaults, rules, explorer hints. */
  static readonly fields = [
    { ...LR0, explorer: num('start of warmup (or of decay when no warmup)', single(0)) },
    { name: 'decaySteps', keras: 'decay_steps', type: 'step', rule: '> 0', explorer: num('steps of cosine decay after warmup', single(8000)) },
    { name: 'alpha', keras: 'alpha', type: 'float', default: 0, rule: 'finite', explorer: num('floor as a fraction of the decay start', list(0, 0.01, 0.05, 0.1, 0.2)) },
    NAME('CosineDecay'),
    { name: 'warmupTarget', keras: 'warmup_target', type: 'float?', default: null, rule: 'finite?', explorer: { control: 'nullableNumber', hint: 'peak after warmup; none = no warmup', sweep: logRange(1e-4, 1e-2, 50) } },
    { name: 'warmupSteps', keras: 'warmup_steps', type: 'step', default: 0, rule: '≥ 0', explorer: num('linear warmup length', list(0, 500, 1000, 2000)) },
  ] as const satisfies FieldTable<CosineDecayConfig>;
  readonly #mode: 0 | 1; // 0: no warmup phase; 1: warmup phase (W > 0 and a target)
  readonly #from: number;
  readonly #D: number;
  readonly #k: number;
  readonly #oneMinusAlpha: number;
  readonly #alpha: number;
  readonly #W: number;
  readonly #lr0: number;
  readonly #wt: number;
  /**
   * 0, or E > 0 when the warmup's double-double products could overflow (|lr0| or
   * |warmupTarget| near 1e308, or large with a large W: TwoProd splits overflow above
   * 2^996): the warmup then runs on lr0·2^-E, wt·2^-E and its result is scaled back.
   */
  readonly #E: number;
  readonly #lr0E: number;
  readonly #wtE: number;
  /** W and s are scaled by 2^-J (exact; J > 0 only for W > 2^900) so that W·lr0 stays in range. */
  readonly #J: number;
  readonly #WJ: number;
  readonly #scaled: boolean;
  /** Warmup with integer W, D ≤ 2^53 and no scaling: fill takes the exact-integer loop (warmInt). */
  readonly #intWarm: boolean;

  /** Builds and validates (docs/semantics.md#validation): finite numbers, decaySteps > 0, warmupSteps ≥ 0, warmupTarget finite or null. */
  constructor(config: CosineDecayConfig) {
    const resolved = resolveFields<CosineDecayConfig>(CLS, CosineDecay.fields, config);
    super(resolved);
    const { initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps } = resolved;
    this.#D = decaySteps;
    this.#k = HALF_PI / decaySteps;
    this.#alpha = alpha;
    this.#oneMinusAlpha = 1 - alpha;
    this.#lr0 = initialLearningRate;
    this.#W = warmupSteps;
    this.#wt = warmupTarget ?? initialLearningRate;
    this.#from = warmupTarget ?? initialLearningRate;
    this.#mode = warmupTarget !== null && warmupSteps > 0 ? 1 : 0;
    const line = warmupLine(initialLearningRate, this.#wt, warmupSteps);
    this.#J = line.J;
    this.#WJ = line.WJ;
    this.#E = line.E;
    this.#scaled = line.scaled;
    this.#lr0E = line.lr0E;
    this.#wtE = line.wtE;
    const int = (x: number): boolean => Number.isInteger(x) && x <= 2 ** 53;
    this.#intWarm = this.#mode === 1 && !this.#scaled && int(warmupSteps) && int(decaySteps);
  }

  protected valueAt(s: number): number {
    if (this.#mode === 0) return plain(s, this.#D, this.#k, this.#from, this.#oneMinusAlpha, this.#alpha);
    return this.#scaled ? this.#warmScaled(s) : this.#warm(s);
  }

  /** #warm with the warmup phase on lr0·2^-E, wt·2^-E, s·2^-J, W·2^-J (see #E, #J); step 0 stays exactly lr0. */
  #warmScaled(s: number): number {
    if (s > 0 && s < this.#W) return mulPow2(warmup(mulPow2(s, -this.#J), this.#WJ, this.#lr0E, this.#wtE), this.#E);
    return this.#warm(s);
  }

  /** With a warmup phase (W > 0): exact phase decision, accurate distances. */
  #warm(s: number): number {
    const W = this.#W;
    if (s < W) return warmup(s, W, this.#lr0, this.#wt);
    if (s === W) return this.#wt; // the decay's start: exactly the target (see plain)
    const D = this.#D;
    // d = s − W exactly as dh + dl (TwoSum); u = D − d = (D + W) − s (TwoSum), inlined for speed
    const dh = s - W;
    let bb = dh - s;
    const dl = s - (dh - bb) + (-W - bb);
    const uh = D - dh;
    bb = uh - D;
    const ul = D - (uh - bb) + (-dh - bb);
    let u = uh + (ul - dl);
    if (u < 1e-3) {
      // near or past the end: |error of u| ≤ 2^-100·(D + s), so decide exactly when close
      if (u < -1e-3) u = 0;
      else {
        u = exactSum(D, W, -s);
        if (u < 0) u = 0;
      }
    }
    const from = this.#wt;
    if (u === 0) return from * this.#alpha;
    const a = this.#alpha;
    if (a >= 0 && a <= 1) return from * (this.#oneMinusAlpha * cosFactorQ(u, dh, this.#k) + a);
    twoSum(D, -dh); // u as a double-double for the slow path: (D − dh) − dl
    return unusualAlpha(from, a, u, ef.hi, ef.lo - dl, dh, dl, D, this.#k);
  }

  protected fillRange(start: number, stride: number, count: number, out: FillOutput): void {
    if (this.#mode === 0) plainRange(out, start, stride, count, this.#D, this.#k, this.#from, this.#oneMinusAlpha, this.#alpha);
    else this.#warmRange(start, stride, count, out);
  }

  #warmRange(start: number, stride: number, count: number, out: FillOutput): void {
    if (this.#intWarm) warmIntRange(out, start, stride, count, this.#W, this.#D, this.#k, this.#lr0, this.#wt, this.#oneMinusAlpha, this.#alpha);
    else if (!this.#scaled) for (let i = 0; i < count; i++) out[i] = this.#warm(start + i * stride);
    else for (let i = 0; i < count; i++) out[i] = this.#warmScaled(start + i * stride);
  }

  protected fillList(list: StepList, n: number, out: FillOutput): void {
    const D = this.#D, k = this.#k, a = this.#alpha, oma = this.#oneMinusAlpha;
    if (this.#mode === 0) plainList(out, list, n, D, k, this.#from, oma, a);
    else if (this.#intWarm) warmIntList(out, list, n, this.#W, D, k, this.#lr0, this.#wt, oma, a); else if (!this.#scaled) for (let i = 0; i < n; i++) out[i] = this.#warm(list[i] as number);
    else for (let i = 0; i < n; i++) out[i] = this.#warmScaled(list[i] as number);
  }
}

// The fill loops are module-level functions of plain numbers. Each first copies its number
// parameters into locals through `x * 1` (exact: the same double, −0 included): V8's optimised
// code otherwise re-checks and unboxes a parameter (a heap number) at every use in the loop,
// which halves the speed of a loop that is not inlined into its caller (fill's never is:
// it dispatches over the kinds).

function plainRange(out: FillOutput, start: number, stride: number, count: number, D: number, k: number, from: number, oma: number, a: number): void {
  if (a >= 0 && a <= 1) cosineRange(out, 0, count, start, stride, D, k, from, oma, a);
  else for (let i = 0; i < count; i++) out[i] = plain(start + i * stride, D, k, from, oma, a);
}

function plainList(out: FillOutput, list: StepList, n: number, D: number, k: number, from: number, oma: number, a: number): void {
  if (!(a >= 0 && a <= 1)) {
    for (let i = 0; i < n; i++) out[i] = plain(list[i] as number, D, k, from, oma, a);
    return;
  }
  const D1 = D * 1, k1 = k * 1, f1 = from * 1, om1 = oma * 1, a1 = a * 1;
  for (let i = 0; i < n; i++) {
    const s = list[i] as number;
    let v: number;
    if (s >= D1) v = f1 * a1;
    else if (s === 0) v = f1;
    else {
      const u = D1 - s;
      let g: number;
      if (u <= s) {
        const x = sinQ(k1 * u);
        g = x * x;
      } else {
        const y = cosQ(k1 * s);
        g = y * y;
      }
      v = f1 * (om1 * g + a1);
    }
    out[i] = v;
  }
}

/**
 * #warm for integer W, D ≤ 2^53 (and no scaling): the distances d = s − W and u = D − d are
 * exact integers, so the TwoSum corrections of #warm are 0 and its exact sum near the end
 * (BigInt) decides nothing that u ≤ 0 does not: the same value, bit for bit, for every step.
 */
function warmInt(s: number, W: number, D: number, k: number, lr0: number, wt: number, oma: number, a: number): number {
  if (s < W) return warmup(s, W, lr0, wt);
  if (s === W) return wt;
  const d = s - W;
  const u = D - d;
  if (u <= 0) return wt * a;
  if (a >= 0 && a <= 1) return wt * (oma * cosFactorQ(u, d, k) + a);
  return unusualAlpha(wt, a, u, u, 0, d, 0, D, k);
}

function warmIntRange(out: FillOutput, start: number, stride: number, count: number, W: number, D: number, k: number, lr0: number, wt: number, oma: number, a: number): void {
  if (a >= 0 && a <= 1) return cosineWarmRange(out, 0, count, start, stride, W, D, k, lr0, wt, oma, a);
  const s0 = start * 1, ds = stride * 1, W1 = W * 1, D1 = D * 1, k1 = k * 1, l1 = lr0 * 1, w1 = wt * 1, om1 = oma * 1, a1 = a * 1;
  for (let i = 0; i < count; i++) out[i] = warmInt(s0 + i * ds, W1, D1, k1, l1, w1, om1, a1);
}

function warmIntList(out: FillOutput, list: StepList, n: number, W: number, D: number, k: number, lr0: number, wt: number, oma: number, a: number): void {
  const W1 = W * 1, D1 = D * 1, k1 = k * 1, l1 = lr0 * 1, w1 = wt * 1, om1 = oma * 1, a1 = a * 1;
  for (let i = 0; i < n; i++) out[i] = warmInt(list[i] as number, W1, D1, k1, l1, w1, om1, a1);
}

/**
 * No warmup: d = min(s, D). For s ≥ D/2 the distance to the end D − s is exact
 * (Sterbenz) and is the one used (sin² branch); for s < D/2 the cos² branch uses
 * the exact d = s. Error: the two roundings of k·x, sin/cos (≤ 1 ulp each), the
 * square, then (1 − α)·g + α and ·from: ≲ 8 ulp for α ∈ [0, 1]; other α: see unusualAlpha.
 */
function plain(s: number, D: number, k: number, from: number, oma: number, alpha: number): number {
  if (s >= D) return from * alpha;
  // step 0: exactly `from` (fl(1 − α) + α need not be 1 for α outside [0, 1])
  if (s === 0) return from;
  if (alpha >= 0 && alpha <= 1) return from * (oma * cosFactorQ(D - s, s, k) + alpha);
  const u = D - s; // exact when it is the smaller distance (s ≥ D/2, Sterbenz)
  return unusualAlpha(from, alpha, u, u, 0, s, 0, D, k);
}

/**
 * from·((1 − α)·g + α) for α outside [0, 1], as from·(g + α·(1 − g)) (the same real
 * number) with g = cos²(π/2·d/D), 1 − g = sin²(π/2·d/D) both from the smaller of the
 * two distances (no cancellation inside g or 1 − g). α > 1: two positive terms (≲ 8 ulp;
 * fl(1 − α)·g + α cancelled for large α). α < 0: g − |α|·(1 − g) crosses 0; where the
 * double result has lost more than 6 bits, it is recomputed in double-double (sin, cos of
 * the exact smaller distance, ≲ 2^-100 relative to the terms), and exactly where
 * cos(π·d/D) is rational (d/D = 1/3, 1/2, 2/3: g = 3/4, 1/2, 1/4), so a zero at a step
 * (α = −1 at D/2, α = −3 at D/3) is exactly 0. (uh, ul) and (dh, dl) are the two
 * distances to the end and from the start as double-doubles; u is uh + ul rounded.
 */
function unusualAlpha(from: number, alpha: number, u: number, uh: number, ul: number, dh: number, dl: number, D: number, k: number): number {
  const useU = u <= dh;
  const x = k * (useU ? u : dh);
  const sn = Math.sin(x);
  const cs = Math.cos(x);
  const g = useU ? sn * sn : cs * cs;
  const h = useU ? cs * cs : sn * sn;
  const t = g + alpha * h;
  if (alpha > 1 || Math.abs(t) * 64 >= g - alpha * h) return from * t;
  // α = −1 and α = −3 have their zeros at rational fractions (d/D = 1/2, 1/3), which a fractional
  // warmup can approach arbitrarily closely: there the value is a sine of the exact distance to the zero
  if (alpha === -1 || alpha === -3) {
    const z = zeroSine(alpha, dh, dl, D);
    if (z !== null) return from * z;
  }
  // double-double: m = the smaller distance, f = m/D ∈ [0, 1/2]
  const mh = useU ? uh : dh;
  const ml = useU ? ul : dl;
  const { s2, c2 } = halfPiSquaresDD(mh, ml, D); // sin²(π/2·f), cos²(π/2·f)
  const G = useU ? s2 : c2;
  const Hh = useU ? c2 : s2;
  // g + α·h on operands scaled by 2^-e (α up to 1.8e308 must not overflow the products)
  const e = Math.abs(alpha) > 2 ** 500 ? Math.ceil(Math.log2(Math.abs(alpha))) : 0;
  const sc = 2 ** -Math.min(e, 1000) * 2 ** -Math.max(0, e - 1000);
  const T = ddAdd({ hi: G.hi * sc, lo: G.lo * sc }, ddMulD(Hh, alpha * sc, dd(0)), dd(0));
  const v = T.hi + T.lo;
  if (v === 0 || from === 0) return from * v;
  // from·v·2^e with one rounding at the end: mantissas multiplied, exponents summed
  const ef1 = expOf(from);
  const ev = expOf(v);
  return mulPow2(mulPow2(from, -ef1) * mulPow2(v, -ev), ef1 + ev + e);
}

/**
 * (1 − α)·g + α near its zero for α = −1 (g − (1 − g) = cos(π·d/D) = sin(π·δ/D), δ = D/2 − d)
 * and α = −3 (4cos²x − 3 = cos 3x / cos x = sin θ / cos x, θ = π/2·(D − 3d)/D, x = π/2·d/D),
 * with δ, D − 3d exact double-doubles: relative precision however close d is to the zero.
 * null when d is not near the zero (|δ| > D/4, |D − 3d| > D/2).
 */
function zeroSine(alpha: number, dh: number, dl: number, D: number): number | null {
  let nh: number;
  let nl: number;
  if (alpha === -1) {
    twoSum(D / 2, -dh);
    nh = ef.hi;
    nl = ef.lo - dl;
    if (!(Math.abs(nh) <= D / 4)) return null;
  } else {
    twoProd(3, dh);
    const p = ef.hi;
    const pe = ef.lo;
    twoSum(D, -p);
    nh = ef.hi;
    nl = ef.lo - pe - 3 * dl;
    if (!(Math.abs(nh) <= D / 2)) return null;
  }
  const f = ddDiv(dd(nh, nl), dd(D), dd(0)); // signed fraction
  const sign = f.hi < 0 ? -1 : 1;
  const af: DD = { hi: Math.abs(f.hi), lo: sign * f.lo };
  // α = −1: sin(π·f) = sin(2·(π/2)·f); α = −3: sin((π/2)·f) / cos(π/2·d/D)
  const arg = ddMul(DD_HALF_PI, alpha === -1 ? { hi: 2 * af.hi, lo: 2 * af.lo } : af, dd(0));
  const sn = ddSinCos(arg).sin;
  const v = sign * (sn.hi + sn.lo);
  return alpha === -1 ? v : v / Math.cos(HALF_PI * (dh / D));
}
