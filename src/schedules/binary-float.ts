/**
 * The binary floating point (BigInt mantissa, unbounded exponent) that the exact
 * restart periods of CosineDecayRestarts are computed in (restart-periods.ts,
 * restart-amplitude.ts; internal to src/schedules).
 *
 * Why not doubles: the period index k reaches ~2^62 (t_mul = 1 + 2^-52 with a tiny
 * first_decay_steps), t^k and m_mul^k leave the double range long before the value
 * does (first_decay_steps 5e-324, t_mul 1e300, m_mul^k·lr0 ordinary while m_mul^k is
 * not), and B_k must be known to ~2^-92 relative where periods are shorter than one
 * step. A number here is m·2^e with |m| < 2^p for the working precision p; every
 * operation truncates once (relative error < 2^(1−p)), so error bounds are simple
 * counts. Costs are fixed by p: at p = 320 one multiplication is ~0.15 µs.
 *
 * Bounded work: a power x^k costs 2·bitlen(k) ≤ 128 multiplications (k < 2^64 always:
 * see periodIndex) and saturates to "huge" once its exponent passes ±2^24, far beyond
 * anything a double result can depend on; no loop here runs more than a fixed number
 * of times (the series below: ≤ p/2 terms).
 */
import { doubleParts } from './exact.ts';

/** m·2^e. `m` = 0n is zero (e ignored). */
export interface BF {
  readonly m: bigint;
  readonly e: number;
  /** bitLen(m) when known (norm sets it; the hot paths then need no bitLen). */
  readonly n?: number;
}

/** An exponent beyond which a BF is treated as infinite (|x| > 2^EXP_SAT) or zero. */
export const EXP_SAT = 2 ** 24;

export const BF_ZERO: BF = { m: 0n, e: 0, n: 0 };

/** Bit length of |x| (0 for 0). */
export function bitLen(x: bigint): number {
  const a = x < 0n ? -x : x;
  if (a === 0n) return 0;
  const f = Number(a);
  if (f < 2 ** 1000) {
    // the double's exponent, corrected where rounding carried into the next power of two
    let n = Math.floor(Math.log2(f)) + 1;
    if (a >> BigInt(n) !== 0n) n++;
    else if (n > 1 && a >> BigInt(n - 1) === 0n) n--;
    return n;
  }
  const h = a.toString(16);
  const d = parseInt(h[0] as string, 16);
  return (h.length - 1) * 4 + (d >= 8 ? 4 : d >= 4 ? 3 : d >= 2 ? 2 : 1);
}

/** m·2^e truncated to p bits (`n` = bitLen(m) when the caller knows it). */
export function norm(m: bigint, e: number, p: number, n = m === 0n ? 0 : bitLen(m)): BF {
  if (m === 0n) return BF_ZERO;
  if (n <= p) return { m, e, n };
  const sh = n - p;
  return { m: m >> BigInt(sh), e: e + sh, n: p }; // (floor for negatives: still < 1 unit)
}

/** bitLen(a.m), from the cache when set. */
const nb = (a: BF): number => a.n ?? (a.m === 0n ? 0 : bitLen(a.m));

/** Exact bit length of |x| given that it is n0 or n0 + 1. */
function bitsOneOf(x: bigint, n0: number): number {
  const a = x < 0n ? -x : x;
  return a >> BigInt(n0) !== 0n ? n0 + 1 : n0;
}

/** A finite double, exactly. */
export function bfNum(x: number): BF {
  if (x === 0) return BF_ZERO;
  const { neg, m, e, subnormal } = doubleParts(x);
  return { m: neg ? -m : m, e, n: subnormal ? bitLen(m) : 53 };
}

export const bfInt = (n: bigint, p: number): BF => norm(n, 0, p);

export function bfMul(a: BF, b: BF, p: number): BF {
  if (a.m === 0n || b.m === 0n) return BF_ZERO;
  const m = a.m * b.m;
  return norm(m, a.e + b.e, p, bitsOneOf(m, nb(a) + nb(b) - 1));
}

export function bfAdd(a: BF, b: BF, p: number): BF {
  if (a.m === 0n) return norm(b.m, b.e, p);
  if (b.m === 0n) return norm(a.m, a.e, p);
  const [hi, lo] = a.e >= b.e ? [a, b] : [b, a];
  const d = hi.e - lo.e;
  const top = hi.e + nb(hi);
  if (top - (lo.e + nb(lo)) > p + 4) {
    // lo is below the last kept bit of hi: one truncation's worth
    return norm(hi.m, hi.e, p);
  }
  return norm((hi.m << BigInt(d)) + lo.m, lo.e, p);
}

export const bfNeg = (a: BF): BF => ({ m: -a.m, e: a.e, n: nb(a) });
export const bfSub = (a: BF, b: BF, p: number): BF => bfAdd(a, bfNeg(b), p);

export function bfDiv(a: BF, b: BF, p: number): BF {
  if (b.m === 0n) throw new RangeError('bfDiv: division by zero');
  if (a.m === 0n) return BF_ZERO;
  const na = nb(a);
  const sh = Math.max(p + 2 + nb(b) - na, 0);
  const q = (sh > 0 ? a.m << BigInt(sh) : a.m) / b.m;
  // |q| has na + sh − nb or that + 1 bits (|q| ≥ 2^(na+sh−nb−1) > 0)
  return norm(q, a.e - b.e - sh, p, bitsOneOf(q, na + sh - nb(b)));
}

/** x / n for a small positive integer n. */
export const bfDivInt = (a: BF, n: number, p: number): BF => bfDiv(a, { m: BigInt(n), e: 0 }, p);

export const bfSign = (a: BF): number => (a.m > 0n ? 1 : a.m < 0n ? -1 : 0);

/** floor(log2 |a|) (a ≠ 0). */
export const bfExp = (a: BF): number => a.e + nb(a) - 1;

/** x·2^k exactly. */
export const bfScale = (a: BF, k: number): BF => (a.m === 0n ? a : { m: a.m, e: a.e + k, n: nb(a) });

/** Saturation marker: |x| ≥ 2^EXP_SAT. */
export const bfHuge = (a: BF): boolean => a.m !== 0n && bfExp(a) > EXP_SAT;
/** |x| < 2^-EXP_SAT (and not zero). */
export const bfTiny = (a: BF): boolean => a.m !== 0n && bfExp(a) < -EXP_SAT;

/**
 * x^k (x > 0, k ≥ 0) by binary powering: relative error ≤ 2k·2^(1−p) (an error made at
 * x^j is raised to the power k/j). 2·bitlen(k) multiplications; stops early once the
 * exponent passes ±2^24 (the result then only says "huge" or "tiny", see bfHuge/bfTiny).
 */
export function bfPow(x: BF, k: bigint, p: number): BF {
  let r: BF = { m: 1n, e: 0 };
  if (k === 0n) return r;
  const bits = k.toString(2);
  for (let i = 0; i < bits.length; i++) {
    r = bfMul(r, r, p);
    if (bits.charCodeAt(i) === 49) r = bfMul(r, x, p);
    if (r.m === 0n || bfHuge(r) || bfTiny(r)) return r;
  }
  return r;
}

/** Exact integer ceil(a) (a finite, |a| < 2^EXP_SAT) and the remainder ceil(a) − a (a BF in [0, 1)). */
export function bfCeil(a: BF, p: number): { c: bigint; off: BF } {
  if (a.m === 0n) return { c: 0n, off: BF_ZERO };
  if (a.e >= 0) return { c: a.m << BigInt(a.e), off: BF_ZERO };
  const sh = BigInt(-a.e);
  const fl = a.m >> sh; // floor (BigInt >> floors for negatives too)
  const rem = a.m - (fl << sh); // ≥ 0
  if (rem === 0n) return { c: fl, off: BF_ZERO };
  return { c: fl + 1n, off: norm((1n << sh) - rem, a.e, p) };
}

/**
 * The double nearest to a (round half to even), with IEEE overflow to ±Infinity and
 * gradual underflow (subnormal results rounded once, to the 2^-1074 grid).
 */
export function bfToNumber(a: BF): number {
  if (a.m === 0n) return 0;
  const neg = a.m < 0n;
  const m = neg ? -a.m : a.m;
  const n = bitLen(m);
  const E = a.e + n - 1; // floor(log2 |a|)
  if (E > 1024) return neg ? -Infinity : Infinity;
  if (E < -1076) return neg ? -0 : 0;
  // drop bits to keep 53 (normal) or to the 2^-1074 grid (subnormal)
  const drop = E >= -1022 ? n - 53 : -1074 - a.e;
  let q: bigint;
  if (drop <= 0) q = m << BigInt(-drop);
  else {
    const d = BigInt(drop);
    q = m >> d;
    const rem = m - (q << d);
    const half = 1n << (d - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  }
  const ex = a.e + drop;
  // q·2^ex with q ≤ 2^53: apply 2^ex in two exact steps (2^ex alone may be out of range)
  const h = Math.trunc(ex / 2);
  const v = Number(q) * 2 ** h * 2 ** (ex - h);
  return neg ? -v : v;
}

// ------------------------------------------------------------------ π/2 and sin², cos²

let piBits = 0;
let piFixed = 0n; // π·2^piBits

function atanInvFixed(n: bigint, bits: bigint): bigint {
  let term = (1n << bits) / n;
  const n2 = n * n;
  let sum = 0n;
  for (let k = 0n; term !== 0n; k++) {
    sum += (k % 2n === 0n ? 1n : -1n) * (term / (2n * k + 1n));
    term /= n2;
  }
  return sum;
}

/** π/2 to p bits (Machin's formula, computed once per precision). */
function halfPi(p: number): BF {
  if (piBits < p + 16) {
    piBits = p + 32;
    const b = BigInt(piBits + 8);
    piFixed = (16n * atanInvFixed(5n, b) - 4n * atanInvFixed(239n, b)) >> 8n;
  }
  return norm(piFixed, -piBits - 1, p);
}

/**
 * sin²(π/2·x) (sine = true) or cos²(π/2·x) for x ∈ [0, 1/2] by Taylor series at p bits
 * (y = π/2·x ≤ π/4: at most ~p/4 terms). Relative error ≲ 2^(8−p).
 */
export function bfSinCos2(x: BF, sine: boolean, p: number): BF {
  const q = p + 16;
  const y = bfMul(halfPi(q), x, q);
  const y2 = bfMul(y, y, q);
  let term: BF = sine ? y : { m: 1n, e: 0 };
  let sum = term;
  if (y.m !== 0n) {
    for (let i = 1; i < 4 * q; i++) {
      const j = sine ? 2 * i : 2 * i - 1;
      term = bfNeg(bfDivInt(bfMul(term, y2, q), j * (j + 1), q));
      sum = bfAdd(sum, term, q);
      if (bfExp(term) < bfExp(sum) - q - 2) break;
    }
  }
  const sq = bfMul(sum, sum, q);
  return norm(sq.m, sq.e, p);
}

// ------------------------------------------------------------------ working precisions, exact powers

/** Working precisions: every period is computed at P_LO; near-ties and cancellations escalate to P_HI once. */
export const P_LO = 320;
export const P_HI = 1600;
/** Enough bits to hold any sum/product of two doubles exactly. */
export const P_EXACT = 2400;

/** Mantissa bits up to which m^k is formed exactly (m = M·2^j, M odd: M^k has ~k·bitLen(M) bits). */
export const MK_EXACT_BITS = 4096;

/**
 * m^k exactly (m = M·2^j, M odd, m > 0): any k when M = 1 (while |j·k| ≤ 2^24), else while
 * k·bitLen(M) ≤ MK_EXACT_BITS (one BigInt power of ≤ 4096 bits). null beyond.
 */
export function powExact(M: bigint, j: number, k: bigint): BF | null {
  if (M === 1n) {
    const e = j * Number(k);
    return Math.abs(e) <= EXP_SAT ? { m: 1n, e } : null;
  }
  if (k * BigInt(bitLen(M)) > BigInt(MK_EXACT_BITS)) return null;
  return { m: M ** k, e: j * Number(k) };
}

/** Precision that keeps any product/sum of bounded exact terms exact (norm never truncates). */
export const P_INF = Number.POSITIVE_INFINITY;

/** A finite double x ≠ 0 as m·2^e with m odd. */
export function oddDyadic(x: number): { m: bigint; e: number } {
  const b = bfNum(x);
  let m = b.m;
  let e = b.e;
  if (m === 0n) return { m: 0n, e: 0 };
  while ((m & 1n) === 0n) {
    m >>= 1n;
    e++;
  }
  return { m, e };
}
