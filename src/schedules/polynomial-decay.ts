/**
 * keras.optimizers.schedules.PolynomialDecay (docs/semantics.md#polynomialdecay).
 */
import { DD_LN2, toDyadic, ddAdd, ddDiv, ddExp, ddLog, ddMul, ddMulD, ddSub, dd, ef, expOf, floorDiv, mulPow2, twoProd, twoSum, type DD } from './exact.ts';
import { exactSum } from './exact-sum.ts';
import { LR0, NAME, bool, list, logRange, num, resolveFields, single, type FieldTable } from './fields.ts';
import { ScheduleBase, type FillOutput } from './schedule.ts';
import type { PolynomialDecayConfig, Resolved, StepList } from './types.ts';
import { halfPower, polyRange } from './wasm/poly-run.ts';

const CLS = 'PolynomialDecay';

/**
 * Polynomial decay: `lr(s) = (lr0 − end) · (1 − p)^power + end`, with
 * `p = min(s, D)/D`; with `cycle`, `p = s/(c·D)`, `c = max(1, ceil(s/D))` (the
 * smallest multiple ≥ s, so a step exactly at k·D gives `end`; step 0 gives lr0).
 * `power = 0` gives lr0 at every step (0^0 = 1).
 *
 * Numerics. The formula is sign-symmetric (lr(lr0, end) = −lr(−lr0, −end)), so it is
 * evaluated on the orientation with end ≥ 0 (σ = −1 flips both when end < 0, or end = 0
 * and lr0 < 0: a negative schedule decaying to 0 is the mirror of an ordinary one) and
 * the sign applied at the end. 1 − p = (c·D − s)/(c·D) is formed from the exact distance
 * to the end (D − s, or D − (s mod D) with cycle, exact by Sterbenz or rounded once), never
 * as 1 − s/D. Then, with L = σ·lr0, E = σ·end ≥ 0, A = L − E:
 * - L ≥ E: `E + A·y`, y = (1 − p)^power: two non-negative terms;
 * - E > L ≥ 0 (an increasing schedule): `L + (E − L)·z`, z = 1 − y = −expm1(power·ln(1 − p))
 *   (ln via log1p(−p) for p ≤ ½): no cancellation near step 0;
 * relative error ≲ (6 + 2·power) ulp in double for power ≤ 16 (y by products and one sqrt for
 *   powers that are multiples of ½, see powUnit; Math.pow otherwise).
 * - L < 0 ≤ E (lr0 and end of opposite signs: the schedule crosses 0), power > 16, or
 *   |lr0 − end| overflowing: the same formulas in double-double (exact distances,
 *   y = exp(power·ln(u/H)) from double-double log/exp on operands scaled by exact powers
 *   of two, ≲ 2^-100 relative to the terms), used in the crossing case only where the
 *   double result has lost more than 6 bits (|value| < |A|/64). power = 1 with a
 *   crossing uses `(L·u + E·s)/H` with the numerator from exact products, and an exact
 *   (BigInt, 6 doubles) sum where it nearly vanishes, so a zero at a step is exactly 0.
 * Exact at step 0, at the end (end) and everywhere for power 0.
 *
 * @example
 * const s = new PolynomialDecay({ initialLearningRate: 0.05, decaySteps: 10, endLearningRate: 0.001 });
 * s.at(0);  // 0.05
 * s.at(5);  // 0.0255
 * s.at(15); // 0.001
 * @see https://keras.io/api/optimizers/learning_rate_schedules/polynomial_decay/
 */
export class PolynomialDecay extends ScheduleBase<'PolynomialDecay', Resolved<PolynomialDecayConfig>> {
  readonly kind = 'PolynomialDecay' as const;
  /** The field table (Keras's get_config order): keys, defaults, rules, explorer hints. */
  static readonly fields = [
    { ...LR0, explorer: num('rate at step 0', logRange(1e-3, 1e-1, 20)) },
    { name: 'decaySteps', keras: 'decay_steps', type: 'step', rule: '> 0', explorer: num('steps to reach the end rate', list(2000, 5000, 10000)) },
    { name: 'endLearningRate', keras: 'end_learning_rate', type: 'float', default: 0.0001, rule: 'finite', explorer: num('final rate', single(1e-4)) },
    { name: 'power', keras: 'power', type: 'float', default: 1, rule: '≥ 0', explorer: num('1 = linear', list(0.5, 1, 2, 3)) },
    { name: 'cycle', keras: 'cycle', type: 'bool', default: false, rule: 'boolean', explorer: bool('restart after decay_steps', list(false, true)) },
    NAME('PolynomialDecay'),
  ] as const satisfies FieldTable<PolynomialDecayConfig>;
  readonly #lr0: number;
  readonly #end: number;
  readonly #D: number;
  readonly #power: number;
  readonly #cycle: boolean;
  /** −1 when the schedule is evaluated on (−lr0, −end), else 1. */
  readonly #sigma: number;
  /** σ·lr0, σ·end (E ≥ 0), A = L − E (∞ when it overflows: then only the double-double path runs). */
  readonly #L: number;
  readonly #E: number;
  readonly #A: number;
  /** Route every step through the double-double path (crossing, power > 16, or L − E overflows). */
  readonly #slow: 0 | 1 | 2; // 0: double only; 1: double, double-double where it cancels (crossing, power ≤ 16); 2: double-double

  /** Builds and validates (Part A.4): finite numbers, decaySteps > 0, power ≥ 0. */
  constructor(config: PolynomialDecayConfig) {
    const resolved = resolveFields<PolynomialDecayConfig>(CLS, PolynomialDecay.fields, config);
    super(resolved);
    const { initialLearningRate, decaySteps, endLearningRate, power, cycle } = resolved;
    this.#lr0 = initialLearningRate;
    this.#end = endLearningRate;
    this.#D = decaySteps;
    this.#power = power;
    this.#cycle = cycle;
    this.#sigma = endLearningRate < 0 || (endLearningRate === 0 && initialLearningRate < 0) ? -1 : 1;
    this.#L = this.#sigma * initialLearningRate;
    this.#E = this.#sigma * endLearningRate;
    this.#A = this.#L - this.#E;
    const cross = this.#L < 0;
    this.#slow = !Number.isFinite(this.#A) || power > 16 ? 2 : cross ? 1 : 0;
  }

  protected valueAt(s: number): number {
    if (s === 0 || this.#power === 0) return this.#lr0;
    const D = this.#D;
    let u: number; // distance to the end of the current horizon, exact or rounded once
    let H: number; // the horizon c·D
    let x: number; // s, or s mod D with cycle: u = D − x
    let q = 0;
    if (this.#cycle) {
      const rem = s % D;
      if (rem === 0) return this.#end; // s = k·D, k ≥ 1: p = 1
      q = floorDiv(s, D);
      x = rem;
      u = D - rem;
      // H = (q + 1)·D = s + (D − rem): the second form where q is inexact or ∞ (s/D ≥ 2^53)
      H = q < 2 ** 53 ? (q + 1) * D : s + u;
    } else {
      if (s >= D) return this.#end;
      H = D;
      x = s;
      u = D - s;
    }
    const sg = this.#sigma;
    const linearCross = this.#power === 1 && this.#L < 0;
    if (this.#slow === 2 || !(u >= H * 2 ** -900)) return sg * (linearCross ? this.#linearCross(s, x) : this.#dd(s, x));
    const v = blend(this.#L, this.#E, this.#A, this.#power, u / H, s / H);
    if (this.#slow === 0 || Math.abs(v) * 64 >= Math.abs(this.#A)) return sg * v;
    return sg * (linearCross ? this.#linearCross(s, x) : this.#dd(s, x));
  }

  /**
   * power = 1, L < 0 ≤ E: (L·u + E·s)/H, u = D − x, H = s + u, from exact products (see the
   * class doc). Each product is formed on mantissas in [1, 2) with its exponent kept apart
   * (u may be subnormal while E·s is huge), the terms summed at the largest exponent.
   */
  #linearCross(s: number, x: number): number {
    twoSum(this.#D, -x); // u = D − x exactly
    const uh = ef.hi;
    const ul = ef.lo;
    const parts: number[] = []; // (p, e, exponent) triples of the exact products
    const prod = (a: number, b: number): void => {
      if (a === 0 || b === 0) return;
      const ea = expOf(a);
      const eb = expOf(b);
      twoProd(mulPow2(a, -ea), mulPow2(b, -eb));
      parts.push(ef.hi, ef.lo, ea + eb);
    };
    prod(this.#L, uh);
    prod(this.#L, ul);
    prod(this.#E, s);
    let emax = -Infinity;
    for (let i = 2; i < parts.length; i += 3) emax = Math.max(emax, parts[i] as number);
    const xs: number[] = [];
    for (let i = 0; i < parts.length; i += 3) {
      const sh = (parts[i + 2] as number) - emax;
      xs.push(mulPow2(parts[i] as number, sh), mulPow2(parts[i + 1] as number, sh));
    }
    let hi = 0;
    let lo = 0;
    let big = 0;
    for (const v of xs) {
      twoSum(hi, v);
      hi = ef.hi;
      lo += ef.lo;
      big = Math.max(big, Math.abs(v));
    }
    let n = hi + lo;
    if (Math.abs(n) < 2 ** -80 * big) n = exactSum(...xs);
    if (n === 0) return 0;
    // H = s + u as a double-double, at the scale 2^emax of n
    const H = ddAdd(dd(s), dd(uh, ul), dd(0));
    const r = n / H.hi;
    return mulPow2(r - (r * H.lo) / H.hi, emax);
  }

  /** The double-double path (see the class doc): L + (E − L)·z or E + A·y on scaled operands; x = s, or s mod D with cycle. */
  #dd(s: number, x: number): number {
    const D = this.#D;
    const p = this.#power;
    const k = expOf(Math.max(Math.abs(this.#L), this.#E));
    const L = mulPow2(this.#L, -k);
    const E = mulPow2(this.#E, -k);
    twoSum(L, -E); // A = L − E exactly, scaled
    const A: DD = dd(ef.hi, ef.lo);
    // u = D − x, H = s + u (= (q + 1)·D with cycle, D without), scaled by 2^-j when large: r = u/H
    const Happrox = s + (D - x);
    const j = Happrox > 2 ** 500 ? expOf(Happrox) : 0;
    const sj = mulPow2(s, -j);
    twoSum(mulPow2(D, -j), -mulPow2(x, -j));
    const u: DD = dd(ef.hi, ef.lo);
    const H = ddAdd(dd(sj), u, dd(0));
    const r = ddDiv(u, H, dd(0));
    // ln r, from ln u − ln H where r itself is below the normal range (u tiny with cycle)
    const tinyR = !(r.hi >= 2 ** -900);
    const lnr = tinyR ? ddSub(logAny(u), logAny(H), dd(0)) : p === 1 ? dd(0) : ddLog(r);
    // w = power·ln r ≤ 0
    const w = p === 1 && !tinyR ? dd(0) : mulLarge(lnr, p);
    if (p !== 1 && Math.abs(w.hi) < 2 ** -900) {
      // r^p = 1 + w to 2^-900 (w may even underflow): L + A·p·ln r, on mantissas (see blend)
      return this.#L + product3(mulPow2(A.hi, k), p, lnr.hi + lnr.lo);
    }
    let v: number;
    if (A.hi >= 0) {
      // E + A·y, y = r^p, two non-negative terms: A·y = exp(ln A + w + k·ln 2) unscaled (A·y may
      // lie far below the range of y alone, and outside the scaled range: lr0 1e300, y 1e-437)
      if (A.hi === 0) return this.#E;
      let Ay: number;
      if (p === 1 && !tinyR) Ay = mulPow2(ddMul(A, r, dd(0)).hi, k);
      else if (!(w.hi > -1e6)) Ay = 0; // y < e^-1e6 (w may be −∞ for a power near 1.8e308)
      else {
        const z = ddAdd(ddAdd(logAny(A), w, dd(0)), ddMulD(DD_LN2, k, dd(0)), dd(0));
        const e = ddExpScaled(z);
        Ay = e.hi + e.lo;
      }
      return this.#E + Ay;
    }
    if (p !== 1 && w.hi < -Math.LN2) {
      // y < ½: E + A·y (the same number), with A·y = −exp(ln|A| + w + k·ln 2) unscaled, so that
      // an end far below lr0 (lr0 1e279, end −5e-315) is not lost to the scaling of L and E
      const z = ddAdd(ddAdd(logAny({ hi: -A.hi, lo: -A.lo }), w, dd(0)), ddMulD(DD_LN2, k, dd(0)), dd(0));
      const e = !(w.hi > -1e6) ? dd(0) : ddExpScaled(z);
      const t = ddSub(dd(this.#E), e, dd(0));
      const v2 = t.hi + t.lo;
      if (Number.isInteger(p) && p <= 64 && Math.abs(v2) < 2 ** -90 * this.#E && exactlyZero(A, E, sj, u, p)) return 0;
      return v2;
    }
    {
      // L + |A|·(1 − y); 1 − y = s/H for p = 1
      let oneMinusY: DD;
      if (p === 1) oneMinusY = ddDiv(dd(sj), H, dd(0));
      else oneMinusY = w.hi < -745 ? dd(1) : ddSub(dd(1), ddExp(w), dd(0));
      const t = ddAdd(dd(L), ddMul({ hi: -A.hi, lo: -A.lo }, oneMinusY, dd(0)), dd(0));
      v = t.hi + t.lo;
      // a zero crossing at a step with an integer power (−8 → 1 over D = 3, power 2, step 2: 0):
      // the double-double leaves ~2^-100 of the terms; decide exactly whether it is 0
      if (Number.isInteger(p) && p <= 64 && Math.abs(v) < 2 ** -90 * Math.max(-L, E) && exactlyZero(A, E, sj, u, p)) return 0;
    }
    return mulPow2(v, k);
  }

  protected fillRange(start: number, stride: number, count: number, out: FillOutput): void {
    if (!this.#fast()) {
      for (let i = 0; i < count; i++) out[i] = this.valueAt(start + i * stride);
      return;
    }
    const ref = (s: number): number => this.valueAt(s);
    const js = (o: FillOutput, s0: number, n: number): void => fastFill(o, null, s0, stride, n, this.#sigma, this.#L, this.#E, this.#A, this.#D, this.#power, this.#cycle, this.#end, ref);
    const hp = this.#A >= 0 ? halfPower(this.#power) : null;
    if (hp === null) js(out, start, count);
    else polyRange(out, start, stride, count, { sg: this.#sigma, L: this.#L, E: this.#E, A: this.#A, D: this.#D, e: hp.e, half: hp.half, cycle: this.#cycle, end: this.#end }, js);
  }

  protected fillList(list: StepList, n: number, out: FillOutput): void {
    if (this.#fast()) fastFill(out, list, 0, 0, n, this.#sigma, this.#L, this.#E, this.#A, this.#D, this.#power, this.#cycle, this.#end, (s) => this.valueAt(s));
    else for (let i = 0; i < n; i++) out[i] = this.valueAt(list[i] as number);
  }

  /** The double-only configs fastFill takes: no crossing, power ≤ 16 and ≥ 2^-800 (or 0 excluded), an integer D ≤ 2^52. */
  #fast(): boolean {
    const p = this.#power;
    return this.#slow === 0 && p !== 0 && (p === 1 || p >= 2 ** -800) && Number.isInteger(this.#D) && this.#D <= 2 ** 52;
  }
}

/**
 * valueAt for the double-only configs (#fast), bit for bit. With an integer D ≤ 2^52 and a
 * horizon H ≤ 2^52 (else `ref`), u = D − x ≥ 1 is exact and ≥ 2^-900·H; the cycle's q is
 * (s − rem)/D, exact (floorDiv's value), stepped along a range (see intFill in exponential-decay.ts). blend's tiny-power branch cannot be taken: with s ≥ 1
 * and H ≤ 2^52, |ln(1 − p)| ≥ 2^-53, so |power·ln(1 − p)| ≥ 2^-853 for power ≥ 2^-800: the
 * logarithm it is tested on is only computed where the value needs it (L < E). Number parameters
 * are copied through `x * 1` (see cosine-decay.ts).
 */
function fastFill(out: FillOutput, list: StepList | null, start: number, stride: number, count: number, sigma: number, L: number, E: number, A: number, D: number, power: number, cycle: boolean, end: number, ref: (s: number) => number): void {
  const sg = sigma * 1, L1 = L * 1, E1 = E * 1, A1 = A * 1, D1 = D * 1, p1 = power * 1, e1 = end * 1, s0 = start * 1, ds = stride * 1, l0 = sg * L1;
  // with cycle along a range with stride < D: s mod D and q = (s − rem)/D by one step of the stride
  // (rem + stride < 2·D ≤ 2^53: exact), without an fmod per step (V8 calls C's fmod for doubles)
  const inc = list === null && ds < D1;
  let rem = -1; // the previous step's s mod D (−1: none yet)
  let q = 0;
  for (let i = 0; i < count; i++) {
    const s = list === null ? s0 + i * ds : (list[i] as number);
    if (s === 0) {
      out[i] = l0;
      continue;
    }
    let u: number;
    let H: number;
    if (cycle) {
      if (inc && rem >= 0) {
        rem += ds;
        if (rem >= D1) {
          rem -= D1;
          q += 1;
        }
      } else {
        rem = s % D1;
        q = (s - rem) / D1;
      }
      if (rem === 0) {
        out[i] = e1;
        continue;
      }
      H = (q + 1) * D1;
      u = D1 - rem;
    } else {
      if (s >= D1) {
        out[i] = e1;
        continue;
      }
      H = D1;
      u = D1 - s;
    }
    if (H > 2 ** 52) {
      out[i] = ref(s);
      continue;
    }
    const r = u / H;
    let v: number;
    if (A1 >= 0) v = E1 + A1 * (p1 === 1 ? r : powUnit(r, p1));
    else {
      const f = s / H;
      v = L1 - A1 * (p1 === 1 ? f : -Math.expm1(p1 * (f <= 0.5 ? Math.log1p(-f) : Math.log(r))));
    }
    out[i] = sg * v;
  }
}

/**
 * Whether A·u^n + E·H^n = 0 exactly (H = s + u), i.e. whether E + A·(u/H)^n is 0, from the
 * exact dyadic values of the double-double operands (BigInt; n ≤ 64, so at most 64 × ~2200
 * bits: bounded, and only run where the double-double result is below 2^-90 of the terms).
 */
function exactlyZero(A: DD, E: number, s: number, u: DD, n: number): boolean {
  const a = dyAdd(toDyadic(A.hi), toDyadic(A.lo));
  const uu = dyAdd(toDyadic(u.hi), toDyadic(u.lo));
  const H = dyAdd(toDyadic(s), uu);
  const t1 = dyMul(a, dyPow(uu, n));
  const t2 = dyMul(toDyadic(E), dyPow(H, n));
  return dyAdd(t1, t2).m === 0n;
}

type Dy = { m: bigint; e: number };

function dyAdd(x: Dy, y: Dy): Dy {
  if (x.m === 0n) return y;
  if (y.m === 0n) return x;
  return x.e <= y.e ? { m: x.m + (y.m << BigInt(y.e - x.e)), e: x.e } : { m: (x.m << BigInt(x.e - y.e)) + y.m, e: y.e };
}

function dyMul(x: Dy, y: Dy): Dy {
  return { m: x.m * y.m, e: x.e + y.e };
}

function dyPow(x: Dy, n: number): Dy {
  let r: Dy = { m: 1n, e: 0 };
  for (let i = 0; i < n; i++) r = dyMul(r, x);
  return r;
}

/** x·b in double-double for any finite b ≥ 0 (TwoProd's split overflows above 2^996: b is scaled by an exact power of two). */
function mulLarge(x: DD, b: number): DD {
  if (b < 2 ** 900) return ddMulD(x, b, dd(0));
  const e = expOf(b);
  const t = ddMulD(x, mulPow2(b, -e), dd(0));
  return { hi: mulPow2(t.hi, e), lo: mulPow2(t.lo, e) };
}

/** ln x in double-double for any positive double-double x (subnormal or huge hi): ln(x·2^-e) + e·ln 2. */
function logAny(x: DD): DD {
  const e = expOf(x.hi);
  const l = ddLog({ hi: mulPow2(x.hi, -e), lo: mulPow2(x.lo, -e) });
  return ddAdd(l, ddMulD(DD_LN2, e, dd(0)), dd(0));
}

/** exp(z) for a double-double z that may be far outside ±745: as a double-double of the value (0 / ∞ beyond the double range). */
function ddExpScaled(z: DD): DD {
  if (z.hi > 710) return dd(Infinity);
  if (z.hi < -746) return dd(0);
  // ddExp applies 2^n in two halves: subnormal results are rounded once more, within a subnormal ulp
  return ddExp(z);
}

/**
 * (lr0 − end)·r^power + end with r = 1 − f ∈ (0, 1], f = 1 − r, both given accurately.
 * Where w = power·ln r is below 2^-900 in magnitude (a tiny power: w itself may underflow
 * to 0 while (lr0 − end)·w is ordinary, e.g. power 5e-323 with end 1e47), r^power = 1 + w
 * to 2^-900 and the value is lr0 + (lr0 − end)·power·ln r, the product formed on mantissas.
 */
function blend(lr0: number, end: number, A: number, power: number, r: number, f: number): number {
  if (power !== 1) {
    const l = f <= 0.5 ? Math.log1p(-f) : Math.log(r);
    if (Math.abs(power * l) < 2 ** -900) return lr0 + product3(A, power, l);
  }
  if (A >= 0) {
    const y = power === 1 ? r : powUnit(r, power);
    return end + A * y;
  }
  const z = power === 1 ? f : -Math.expm1(power * (f <= 0.5 ? Math.log1p(-f) : Math.log(r)));
  return lr0 - A * z;
}

/**
 * r^p for r ∈ (0, 1]: for a power that is a multiple of ½ up to 16 and r ≥ 2^-60 (r^16 stays
 * normal), by binary powering of the integer part (at most 4 squarings and 4 products) and
 * one sqrt for the half: r^n by a chain of products rounds n − 1 times, the half adds the
 * sqrt and one product, so the result is within n − 1 ulp (integer p = n), n + 1 (p = n + ½,
 * n ≥ 1), ½ (p = ½) (docs/accuracy.md#powunit-on-the-cpu; Math.pow: < 1 ulp), several times cheaper than Math.pow;
 * otherwise Math.pow. The error of r itself is amplified by p either way.
 */
export function powUnit(r: number, p: number): number {
  const twice = 2 * p;
  if (!(twice <= 32 && twice === Math.floor(twice) && r >= 2 ** -60)) return Math.pow(r, p);
  let e = Math.floor(p);
  let y = 1;
  let b = r;
  while (e > 0) {
    if (e & 1) y *= b;
    e >>= 1;
    if (e > 0) b *= b;
  }
  return twice === 2 * Math.floor(p) ? y : y * Math.sqrt(r);
}

/** a·b·c with one rounding at the end and no intermediate over/underflow (mantissas multiplied, exponents summed). */
function product3(a: number, b: number, c: number): number {
  if (a === 0 || b === 0 || c === 0) return a * b * c;
  const ea = expOf(a);
  const eb = expOf(b);
  const ec = expOf(c);
  return mulPow2(mulPow2(a, -ea) * mulPow2(b, -eb) * mulPow2(c, -ec), ea + eb + ec);
}
