/**
 * Floating BigInt arithmetic for the independent fuzz oracle (test/oracle/schedules.ts):
 * the exact part (bigfloat-core.ts, re-exported here) and the transcendentals.
 * Imports nothing from src/ and shares no code with test/schedules-reference.ts.
 *
 * A value is m·2^e with a BigInt m and an integer e (a JS number, so the exponent range
 * is unbounded for our purposes: subnormals, 1e308 and far beyond are all ordinary).
 * add / sub / mul are EXACT (no rounding: m grows); div and the transcendentals round to
 * PREC significant bits. `round` trims a value to PREC bits when an exact chain grows.
 */

import { abs, add, bitLen, cmp, div, floor, fromBigInt, fromNumber, GUARD, ilog2, ldexp, mul, neg, ONE, PREC, round, sign, sub, ZERO, type BF } from './bigfloat-core.ts';

export * from './bigfloat-core.ts';

// ---------------------------------------------------------------------------------------
// Fixed point with W fractional bits, for the series.

const W = PREC + GUARD;
const WB = BigInt(W);
const FONE = 1n << WB;

function toFixed(a: BF): bigint {
  const sh = a.e + W;
  return sh >= 0 ? a.m << BigInt(sh) : a.m >> BigInt(-sh);
}

const fromFixed = (x: bigint): BF => round({ m: x, e: -W });

const fmul = (a: bigint, b: bigint): bigint => (a * b) >> WB;

function atanhFixed(y: bigint): bigint {
  // Σ y^(2k+1)/(2k+1)
  const y2 = fmul(y, y);
  let term = y;
  let sum = 0n;
  for (let k = 1n; term !== 0n; k += 2n) {
    sum += term / k;
    term = fmul(term, y2);
  }
  return sum;
}

function atanInvFixed(n: bigint): bigint {
  let term = FONE / n;
  const n2 = n * n;
  let sum = 0n;
  for (let k = 0n; term !== 0n; k++) {
    const t = term / (2n * k + 1n);
    sum += k % 2n === 0n ? t : -t;
    term /= n2;
  }
  return sum;
}

const LN2_FIXED = 2n * atanhFixed(FONE / 3n);
export const LN2: BF = fromFixed(LN2_FIXED);
const PI_FIXED = 16n * atanInvFixed(5n) - 4n * atanInvFixed(239n);
export const PI: BF = fromFixed(PI_FIXED);

/** ln(a) for a > 0, to PREC bits relative (also for a near 1). */
export function ln(a: BF): BF {
  if (a.m <= 0n) throw new RangeError('ln of a non-positive number');
  // a = f·2^k, f ∈ [2/3, 4/3)
  let k = ilog2(a);
  let f = ldexp(a, -k); // [1, 2)
  if (cmp(mul(f, fromNumber(3)), fromNumber(4)) >= 0) {
    f = ldexp(f, -1);
    k += 1;
  }
  // ln f = 2·atanh((f − 1)/(f + 1)); y is computed to PREC bits RELATIVE (so f near 1 keeps its precision)
  const y = div(sub(f, ONE), add(f, ONE));
  let lf: BF;
  if (y.m === 0n) lf = ZERO;
  else {
    // series on the relative form: y·Σ (y²)^j/(2j+1)
    const scale = ilog2(y); // y = y'·2^scale
    const yf = toFixed(ldexp(y, -scale)); // in [1, 2) as fixed point
    const y2 = toFixed(mul(y, y));
    let term = FONE;
    let sum = 0n;
    for (let j = 1n; term !== 0n; j += 2n) {
      sum += term / j;
      term = fmul(term, y2);
    }
    lf = ldexp(fromFixed(2n * fmul(yf, sum)), scale);
  }
  return round(add(lf, mul(fromNumber(k), LN2)));
}

/** Sentinel exponents: exp() results beyond these are "infinite"/"zero" for every double computation. */
const EXP_LIMIT = 2 ** 22;

/** exp(a), to PREC bits relative. Beyond |a| > 2^22 the result is 2^(±2^23) (far outside every double range). */
export function exp(a: BF): BF {
  if (a.m === 0n) return ONE;
  if (ilog2(a) >= 22) return a.m > 0n ? { m: 1n, e: 2 * EXP_LIMIT } : { m: 1n, e: -2 * EXP_LIMIT };
  // a = n·ln2 + r, r ∈ [0, ln2)
  const n = floor(div(a, LN2));
  let r = sub(a, mul(fromBigInt(n), LN2));
  // guard against r slightly outside [0, ln2) from the rounded quotient
  let nn = n;
  if (sign(r) < 0) {
    r = add(r, LN2);
    nn -= 1n;
  }
  // r/2^8 then square 8 times, for fast convergence; keep extra bits in fixed point
  const SQ = 8;
  const rf = toFixed(ldexp(r, -SQ));
  let term = FONE;
  let sum = FONE;
  for (let k = 1n; term !== 0n; k++) {
    term = fmul(term, rf) / k;
    sum += term;
  }
  for (let i = 0; i < SQ; i++) sum = fmul(sum, sum);
  return ldexp(fromFixed(sum), Number(nn));
}

/** exp(a) − 1 with relative precision also for tiny a. */
export function expm1(a: BF): BF {
  if (a.m === 0n) return ZERO;
  if (ilog2(a) < -8) {
    // Σ a^k/k!, k ≥ 1, relative
    let term = a;
    let sum = ZERO;
    for (let k = 1; ; k++) {
      term = k === 1 ? a : round(div(mul(term, a), fromNumber(k)));
      sum = round(add(sum, term));
      if (term.m === 0n || ilog2(term) < ilog2(sum) - PREC - 4) break;
    }
    return sum;
  }
  return round(sub(exp(a), ONE));
}

/** ln(1 + a) for a > −1, with relative precision also for tiny a (where 1 + a would round to 1 at PREC bits). */
export function log1p(a: BF): BF {
  if (a.m === 0n) return ZERO;
  if (ilog2(a) < -8) {
    // Σ (−1)^(k+1) a^k/k, relative
    let pow = a;
    let sum = ZERO;
    for (let k = 1; ; k++) {
      const term = round(div(pow, fromNumber(k)));
      sum = round(k % 2 === 1 ? add(sum, term) : sub(sum, term));
      if (term.m === 0n || ilog2(term) < ilog2(sum) - PREC - 4) break;
      pow = round(mul(pow, a));
    }
    return sum;
  }
  return ln(add(ONE, a));
}

/** cos(π·x/2) and sin(π·x/2) for x ∈ [0, 1/2] given exactly (relative precision for tiny x). */
export function cosSinHalfPi(x: BF): { c: BF; s: BF } {
  // θ = π/2·x ∈ [0, π/4]
  if (x.m === 0n) return { c: ONE, s: ZERO };
  const theta = round(ldexp(mul(PI, x), -1));
  // sin by the relative series: θ·Σ (−θ²)^k/(2k+1)!
  const t2 = toFixed(round(mul(theta, theta)));
  let term = FONE;
  let sum = FONE;
  for (let k = 1n; term !== 0n; k++) {
    term = -fmul(term, t2) / ((2n * k) * (2n * k + 1n));
    sum += term;
  }
  const s = round(mul(theta, fromFixed(sum)));
  let cterm = FONE;
  let csum = FONE;
  for (let k = 1n; cterm !== 0n; k++) {
    cterm = -fmul(cterm, t2) / ((2n * k - 1n) * (2n * k));
    csum += cterm;
  }
  return { c: fromFixed(csum), s };
}

/**
 * g = ½(1 + cos(π·f)) and 1 − g = ½(1 − cos(π·f)) for a fraction f ∈ [0, 1], each with
 * PREC bits relative (no cancellation: cos²(π/2·f) and sin²(π/2·f), the smaller angle
 * first). f = 0, 1/2, 1 give exact values (see cosineHalvesOf for d/L = 1/3, 2/3).
 */
export function cosineHalves(f: BF): { g: BF; h: BF } {
  if (f.m === 0n) return { g: ONE, h: ZERO };
  if (cmp(f, ONE) >= 0) return { g: ZERO, h: ONE };
  if (cmp(ldexp(f, 1), ONE) === 0) return { g: { m: 1n, e: -1 }, h: { m: 1n, e: -1 } };
  // g = cos²(π/2·f), 1 − g = sin²(π/2·f)
  if (cmp(ldexp(f, 1), ONE) <= 0) {
    const { c, s } = cosSinHalfPi(f);
    return { g: round(mul(c, c)), h: round(mul(s, s)) };
  }
  const u = sub(ONE, f); // exact
  const { c, s } = cosSinHalfPi(u);
  // cos²(π/2·f) = sin²(π/2·u)
  return { g: round(mul(s, s)), h: round(mul(c, c)) };
}

/** a^k for an integer k ≥ 0, exact (callers keep k small). */
export function powInt(a: BF, k: number): BF {
  let r = ONE;
  let b = a;
  let n = k;
  while (n > 0) {
    if (n & 1) r = mul(r, b);
    n >>>= 1;
    if (n > 0) b = mul(b, b);
  }
  return r;
}

/**
 * cosineHalves of the fraction d/L (d, L exact, 0 ≤ d), exact where cos(π·d/L) is
 * rational: d/L ∈ {0, 1/3, 1/2, 2/3} or d ≥ L (Niven: no other rational multiple of π
 * has a rational cosine), so exact zero crossings of the cosine kinds stay exactly 0.
 */
export function cosineHalvesOf(d: BF, L: BF): { g: BF; h: BF } {
  if (d.m === 0n) return { g: ONE, h: ZERO };
  if (cmp(d, L) >= 0) return { g: ZERO, h: ONE };
  const d3 = mul(d, fromNumber(3));
  if (cmp(d3, L) === 0) return { g: { m: 3n, e: -2 }, h: { m: 1n, e: -2 } };
  if (cmp(d3, ldexp(L, 1)) === 0) return { g: { m: 1n, e: -2 }, h: { m: 3n, e: -2 } };
  const d2 = ldexp(d, 1);
  if (cmp(d2, L) <= 0) return cosineHalves(div(d, L));
  // past the middle: from the exact complement L − d (1 − d/L at 400 bits would lose a tiny distance to the end)
  const { c, s } = cosSinHalfPi(div(sub(L, d), L));
  return { g: round(mul(s, s)), h: round(mul(c, c)) };
}

/**
 * (1 − α)·g + α = g + α·(1 − g) at the fraction d/L, for α = −1 and α = −3 near their
 * rational zeros (d/L = 1/2: cos(π·d/L) = sin(π·(L/2 − d)/L); d/L = 1/3: 4cos²x − 3 =
 * sin θ / cos x, θ = π/2·(L − 3d)/L), from the exact distance to the zero, so the result
 * keeps its relative precision however close d is to the zero. null elsewhere.
 */
export function nearRationalZero(alpha: number, d: BF, L: BF): BF | null {
  if (alpha === -1) {
    const delta = sub(ldexp(L, -1), d);
    if (cmp(ldexp(abs(delta), 2), L) > 0) return null;
    if (delta.m === 0n) return ZERO;
    const { s } = cosSinHalfPi(div(ldexp(abs(delta), 1), L));
    return sign(delta) < 0 ? neg(s) : s;
  }
  if (alpha === -3) {
    const num = sub(L, mul(d, fromNumber(3)));
    if (cmp(ldexp(abs(num), 1), L) > 0) return null;
    if (num.m === 0n) return ZERO;
    const { s } = cosSinHalfPi(div(abs(num), L));
    const { c } = cosSinHalfPi(div(d, L));
    const v = div(s, c);
    return sign(num) < 0 ? neg(v) : v;
  }
  return null;
}

/** sqrt(a) for a ≥ 0, to PREC bits (truncated integer square root of a scaled mantissa). */
export function sqrt(a: BF): BF {
  if (a.m < 0n) throw new RangeError('sqrt of a negative number');
  if (a.m === 0n) return ZERO;
  let k = 2 * PREC + 4 - bitLen(a.m);
  if ((a.e - k) % 2 !== 0) k += 1;
  const m = k >= 0 ? a.m << BigInt(k) : a.m >> BigInt(-k);
  // Newton from above: x_{n+1} = (x_n + m/x_n)/2 decreases to floor(sqrt(m))
  let x = 1n << BigInt(Math.ceil(bitLen(m) / 2) + 1);
  for (;;) {
    const y = (x + m / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  return round({ m: x, e: (a.e - k) / 2 });
}
