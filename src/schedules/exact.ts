/**
 * Exact and double-double helpers for the f64 reference (internal to src/schedules).
 *
 * JavaScript never reassociates or fuses floating-point operations, so the
 * error-free transformations (Knuth's TwoSum, Dekker/Veltkamp TwoProd) are exact
 * here. (They are NOT usable in WGSL, where compilers may reassociate: docs/accuracy.md#why-the-obvious-formulas-miss.)
 */

/** Results of the error-free transforms land here (no allocation per call). */
export const ef = { hi: 0, lo: 0 };

/** TwoSum: hi + lo = a + b exactly, hi = fl(a + b). Writes `ef`. */
export function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  ef.hi = s;
  ef.lo = a - (s - bb) + (b - bb);
}

const SPLITTER = 134217729; // 2^27 + 1

/** TwoProd (Dekker, Veltkamp split): hi + lo = a·b exactly (no overflow, no underflow). Writes `ef`. */
export function twoProd(a: number, b: number): void {
  const p = a * b;
  ef.hi = p;
  ef.lo = prodErr(a, b, p);
}

/** The rounding error of p = fl(a·b): a·b − p exactly (Dekker; no `ef` write, for hot loops). */
export function prodErr(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** A double-double number hi + lo, |lo| ≤ ulp(hi)/2. */
export interface DD {
  hi: number;
  lo: number;
}

/** (a.hi + a.lo)·(b.hi + b.lo) in double-double (relative error ≲ 2^-104). */
export function ddMul(a: DD, b: DD, out: DD): DD {
  twoProd(a.hi, b.hi);
  const p = ef.hi;
  const e = ef.lo + (a.hi * b.lo + a.lo * b.hi);
  const s = p + e;
  out.lo = e - (s - p);
  out.hi = s;
  return out;
}

/** (a.hi + a.lo)·b in double-double. */
export function ddMulD(a: DD, b: number, out: DD): DD {
  twoProd(a.hi, b);
  const p = ef.hi;
  const e = ef.lo + a.lo * b;
  const s = p + e;
  out.lo = e - (s - p);
  out.hi = s;
  return out;
}

/** a + b in double-double (both operands double-double). */
export function ddAdd(a: DD, b: DD, out: DD): DD {
  twoSum(a.hi, b.hi);
  const s = ef.hi;
  const e = ef.lo + a.lo + b.lo;
  const h = s + e;
  out.lo = e - (h - s);
  out.hi = h;
  return out;
}

// ---------------------------------------------------------------------------
// Exact dyadic rationals with BigInt (rare tie checks only).

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/**
 * The bits of a finite double x ≠ 0: |x| = m·2^e exactly, m the 53-bit significand with its
 * hidden bit (fewer bits when x is subnormal, then e = −1074), sign apart.
 */
export function doubleParts(x: number): { neg: boolean; m: bigint; e: number; subnormal: boolean } {
  f64[0] = x;
  const bits = u64[0] as bigint;
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & 0xfffffffffffffn;
  const neg = bits >> 63n === 1n;
  if (expBits === 0) return { neg, m: frac, e: -1074, subnormal: true };
  return { neg, m: frac | (1n << 52n), e: expBits - 1075, subnormal: false };
}

/** A finite double as m·2^e exactly, with m an odd BigInt (or 0n, e = 0). */
export function toDyadic(x: number): { m: bigint; e: number } {
  if (x === 0) return { m: 0n, e: 0 };
  const p = doubleParts(x);
  let m = p.m;
  let e = p.e;
  while ((m & 1n) === 0n) {
    m >>= 1n;
    e++;
  }
  return { m: p.neg ? -m : m, e };
}

/** The exact sum of finite doubles as `m · 2^e` (m = 0n when the sum is 0). */
export function dyadicSum(xs: readonly number[]): { m: bigint; e: number } {
  const ds = xs.map(toDyadic);
  let minE = Infinity;
  for (const d of ds) if (d.m !== 0n && d.e < minE) minE = d.e;
  if (minE === Infinity) return { m: 0n, e: 0 };
  let m = 0n;
  for (const d of ds) if (d.m !== 0n) m += d.m << BigInt(d.e - minE);
  return { m, e: minE };
}

/**
 * Exact floor(s/D) for an integer step 0 ≤ s ≤ 2^53 and a finite D > 0.
 *
 * q0 = floor(fl(s/D)) is q or q + 1 (rounding is monotone and integers ≤ 2^53 are
 * doubles). The sign of s − q0·D is exact: q0·D = p + e exactly (TwoProd), s − p is
 * exact by Sterbenz (p ∈ [s/2, 2s] whenever q0 ≥ 1), and a rounded difference
 * fl(a − e) has the sign of a − e (IEEE gradual underflow: x − y = 0 only if x = y).
 * Exact while s/D < 2^53 (always, for D ≥ 1); beyond that q is within one unit
 * in 2^53 (documented: D < 1 with huge steps).
 */
export function floorDiv(s: number, D: number): number {
  const q0 = Math.floor(s / D);
  if (q0 === 0 || !(q0 < 2 ** 53)) return q0;
  // TwoProd(q0, D) without the `ef` write (hot path of fill): p + e = q0·D exactly
  const p = q0 * D;
  const r = s - p - prodErr(q0, D, p);
  return r < 0 ? q0 - 1 : q0;
}

// ---------------------------------------------------------------------------
// Double-double elementary functions (slow paths only: cancellation near a zero
// crossing, huge powers). Relative error ≲ 2^-100 unless stated; no BigInt, bounded work.

/** A new double-double from a double. */
export const dd = (hi: number, lo = 0): DD => ({ hi, lo });

/** a − b in double-double. */
export function ddSub(a: DD, b: DD, out: DD): DD {
  return ddAdd(a, { hi: -b.hi, lo: -b.lo }, out);
}

/** a / b in double-double (two Newton corrections of the double quotient). */
export function ddDiv(a: DD, b: DD, out: DD): DD {
  const q1 = a.hi / b.hi;
  const r = ddSub(a, ddMulD(b, q1, dd(0)), dd(0));
  const q2 = r.hi / b.hi;
  const r2 = ddSub(r, ddMulD(b, q2, dd(0)), dd(0));
  const q3 = r2.hi / b.hi;
  twoSum(q1, q2);
  const h = ef.hi;
  const l = ef.lo + q3;
  out.hi = h + l;
  out.lo = l - (out.hi - h);
  return out;
}

/** ln 2 as a double-double. */
export const DD_LN2: DD = { hi: 0.6931471805599453, lo: 2.3190468138462996e-17 };

/** 1/k! as double-doubles, k = 0 … 27. */
const INV_FACT: DD[] = (() => {
  const out: DD[] = [dd(1)];
  for (let k = 1; k <= 27; k++) out.push(ddDiv(out[k - 1] as DD, dd(k), dd(0)));
  return out;
})();

/** exp(x) in double-double for |x.hi| ≤ 700 (x = n·ln2 + r, Taylor on r/2^8, squared 8 times). */
export function ddExp(x: DD): DD {
  const n = Math.round(x.hi / DD_LN2.hi);
  const nl = ddMulD(DD_LN2, n, dd(0));
  const r = ddSub(x, nl, dd(0));
  const t: DD = { hi: r.hi / 256, lo: r.lo / 256 };
  // Taylor degree 12 on |t| ≤ 0.0014 (error < 2^-110); Horner from the top
  let p: DD = dd(INV_FACT[12]!.hi, INV_FACT[12]!.lo);
  for (let k = 11; k >= 0; k--) p = ddAdd(ddMul(p, t, dd(0)), INV_FACT[k]!, dd(0));
  for (let i = 0; i < 8; i++) p = ddMul(p, p, dd(0));
  // ·2^n in two exact halves
  const h = Math.trunc(n / 2);
  const s1 = 2 ** h;
  const s2 = 2 ** (n - h);
  return { hi: p.hi * s1 * s2, lo: p.lo * s1 * s2 };
}

/** ln(x) in double-double for a positive normal x (one Newton step on Math.log). */
export function ddLog(x: DD): DD {
  const l = Math.log(x.hi);
  // ln x = l + ln(x·e^-l), x·e^-l = 1 + t with |t| ≲ 2^-50: ln(1 + t) = t − t²/2 + t³/3
  const e = ddExp(dd(-l));
  const w = ddMul(x, e, dd(0));
  const t = ddSub(w, dd(1), dd(0));
  const t2 = t.hi * t.hi;
  const corr = ddAdd(t, dd(-t2 / 2 + (t2 * t.hi) / 3), dd(0));
  return ddAdd(dd(l), corr, dd(0));
}

/** sin(x) and cos(x) in double-double for 0 ≤ x ≤ π/4 (Taylor, degree 27 / 26). */
export function ddSinCos(x: DD): { sin: DD; cos: DD } {
  const x2 = ddMul(x, x, dd(0));
  // sin x = x·Σ (−x²)^k/(2k+1)!, cos x = Σ (−x²)^k/(2k)!
  let ps: DD = dd(INV_FACT[27]!.hi, INV_FACT[27]!.lo);
  for (let k = 25; k >= 1; k -= 2) {
    ps = ddMul(ps, x2, dd(0));
    ps = ddSub(INV_FACT[k]!, ps, dd(0));
  }
  let pc: DD = dd(INV_FACT[26]!.hi, INV_FACT[26]!.lo);
  for (let k = 24; k >= 0; k -= 2) {
    pc = ddMul(pc, x2, dd(0));
    pc = ddSub(INV_FACT[k]!, pc, dd(0));
  }
  return { sin: ddMul(ps, x, dd(0)), cos: pc };
}

/** π/2 as a double-double. */
export const DD_HALF_PI: DD = { hi: 1.5707963267948966, lo: 6.123233995736766e-17 };

// ---------------------------------------------------------------------------
// Power-of-two scaling (exponents beyond the double range, no intermediate overflow or underflow).

/**
 * x·2^e for any integer e, rounded once (IEEE: the result may be subnormal, ±0 or ±∞).
 * Steps of 2^±1000 are exact while the partial product stays normal; a subnormal result is
 * formed as (x·2^(e+1074))·2^-1074, whose first product is exact.
 */
export function mulPow2(x: number, e: number): number {
  if (x === 0 || e === 0 || !Number.isFinite(x)) return x;
  if (e > 2200) return x * Infinity;
  if (e < -2300) return x * 0;
  let r = x;
  for (; e > 1000; e -= 1000) r *= 2 ** 1000; // an overflow here is the result's
  for (; e < -1000; e += 1000) {
    const t = r * 2 ** -1000;
    if (Math.abs(t) < 2 ** -1022) return e < -2148 ? r * 0 : r * 2 ** (e + 1074) * 2 ** -1074;
    r = t;
  }
  return r * 2 ** e;
}

/** floor(log2 |x|) for a finite x ≠ 0, subnormals included (0 for x = 0 or a non-finite x). */
export function expOf(x: number): number {
  let y = Math.abs(x);
  if (y === 0 || !Number.isFinite(y)) return 0;
  let e = 0;
  if (y < 2 ** -1000) {
    y *= 2 ** 200;
    e = -200;
  }
  let k = Math.floor(Math.log2(y));
  // Math.log2 may be off by one next to a power of two
  if (2 ** k > y) k--;
  else if (2 ** (k + 1) <= y) k++;
  return e + k;
}

/** x = m·2^e with |m| ∈ [1, 2) exactly (x finite, ≠ 0; subnormals included). */
export function split(x: number): [number, number] {
  const e = expOf(x);
  return [mulPow2(x, -e), e];
}

/**
 * sin²(π/2·f) and cos²(π/2·f) in double-double for f = (mh + ml)/L ∈ [0, 1/2] (the
 * smaller of a cosine's two distances over its length): exactly ½, ½ at f = 1/2 and ¼, ¾ at
 * f = 1/3 (m·2 = L or m·3 = L exactly), else from ddSinCos of π/2·f.
 */
export function halfPiSquaresDD(mh: number, ml: number, L: number): { readonly s2: DD; readonly c2: DD } {
  twoProd(mh, 2);
  if (ef.hi === L && ef.lo === 0 && ml === 0) return { s2: dd(0.5), c2: dd(0.5) };
  twoProd(mh, 3);
  if (ef.hi === L && ef.lo === 0 && ml === 0) return { s2: dd(0.25), c2: dd(0.75) };
  const f = ddDiv(dd(mh, ml), dd(L), dd(0));
  const { sin, cos } = ddSinCos(ddMul(DD_HALF_PI, f, dd(0)));
  return { s2: ddMul(sin, sin, dd(0)), c2: ddMul(cos, cos, dd(0)) };
}
