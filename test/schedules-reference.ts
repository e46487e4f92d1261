/**
 * An independent high-precision reference for the schedule tests: BigInt fixed
 * point with P = 320 fractional bits, written from the formulas of
 * docs/semantics.md (the naive Keras formulas, evaluated with enough
 * digits that cancellation does not matter). Nothing here imports src/.
 */
export const P = 320n;
const ONE = 1n << P;

/** A real x = m · 2^(e − P) (e = 0: plain fixed point). */
export interface Big {
  m: bigint;
  e: number;
}

/** The exact value of a finite double as a fixed-point BigInt (truncates below 2^-P). */
export function fx(x: number): bigint {
  if (x === 0) return 0n;
  const f = new Float64Array([x]);
  const bits = new BigUint64Array(f.buffer)[0] as bigint;
  const neg = bits >> 63n === 1n;
  const ex = Number((bits >> 52n) & 0x7ffn);
  let m = bits & 0xfffffffffffffn;
  let e: number;
  if (ex === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = ex - 1075;
  }
  const sh = BigInt(e) + P;
  const v = sh >= 0n ? m << sh : m >> -sh;
  return neg ? -v : v;
}

export const mul = (a: bigint, b: bigint): bigint => (a * b) >> P;
export const div = (a: bigint, b: bigint): bigint => (a << P) / b;

/** Nearest double to a fixed-point value times 2^e. */
export function toNumber(a: bigint, e = 0): number {
  // Number(bigint) rounds to nearest; a has ≥ 53 significant bits for the values tested
  return Number(a) * 2 ** -Number(P) * 2 ** e;
}

function atanInv(n: bigint): bigint {
  // atan(1/n) = Σ (−1)^k / ((2k+1)·n^(2k+1))
  let term = ONE / n;
  const n2 = n * n;
  let sum = 0n;
  for (let k = 0n; term !== 0n; k++) {
    sum += (k % 2n === 0n ? 1n : -1n) * (term / (2n * k + 1n));
    term /= n2;
  }
  return sum;
}

export const PI = 16n * atanInv(5n) - 4n * atanInv(239n);

/** cos(x) by Taylor series, |x| ≤ 4. */
export function cos(x: bigint): bigint {
  const x2 = mul(x, x);
  let term = ONE;
  let sum = ONE;
  for (let k = 1n; term !== 0n; k++) {
    term = -mul(term, x2) / ((2n * k - 1n) * 2n * k);
    sum += term;
  }
  return sum;
}

function atanh(y: bigint): bigint {
  // Σ y^(2k+1)/(2k+1), |y| ≤ 1/3
  const y2 = mul(y, y);
  let term = y;
  let sum = 0n;
  for (let k = 0n; term !== 0n; k++) {
    sum += term / (2n * k + 1n);
    term = mul(term, y2);
  }
  return sum;
}

export const LN2 = 2n * atanh(ONE / 3n);

/** ln(x) for a positive fixed-point x. */
export function ln(x: bigint): bigint {
  if (x <= 0n) throw new Error('ln of a non-positive number');
  // x = m · 2^k with m in [1, 2)
  let k = x.toString(2).length - 1 - Number(P);
  let m = k >= 0 ? x >> BigInt(k) : x << BigInt(-k);
  if (m >= 2n * ONE) {
    m >>= 1n;
    k++;
  }
  return 2n * atanh(div(m - ONE, m + ONE)) + BigInt(k) * LN2;
}

/** exp(x) as a Big (value m·2^(e−P)), any fixed-point x. */
export function exp(x: bigint): Big {
  // x = n·ln2 + r, |r| ≤ ln2/2
  const n = x / LN2; // truncated: |r| < ln 2, where the series converges fast
  const r = x - n * LN2;
  let term = ONE;
  let sum = ONE;
  for (let k = 1n; term !== 0n; k++) {
    term = mul(term, r) / k;
    sum += term;
  }
  return { m: sum, e: Number(n) };
}

/** A Big as the nearest double. */
export const bigToNumber = (b: Big): number => toNumber(b.m, b.e);
