/**
 * Exact restart periods of CosineDecayRestarts for t_mul > 1, and the binary
 * floating point (BigInt mantissa, unbounded exponent) they are computed in
 * (internal to src/schedules).
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
 * of times (the series below: ≤ p/2 terms; searches: ≤ 2·64 + 8 comparisons).
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
const EXP_SAT = 2 ** 24;

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

// ------------------------------------------------------------------ amplitudes

/** Working precisions: every period is computed at P_LO; near-ties and cancellations escalate to P_HI once. */
export const P_LO = 320;
export const P_HI = 1600;
/** Enough bits to hold any sum/product of two doubles exactly. */
export const P_EXACT = 2400;

/**
 * A = lr0·(1 − α)·m^k as the kernel uses it: `d` (a double) when |A| ∈ [2^-960, 2^960]
 * (and not `scaled`), or A is 0/±∞ for certain; else `d` is NaN and A = dm·2^de with
 * dm ∈ [1, 2]: the kernel then forms A·g + lr0·α at the power-of-two scale of the larger
 * term, so that no intermediate overflows or underflows where
 * the value is a double.
 */
export interface Amp {
  /** A as a BF (null on the double fast path of t_mul = 1; the slow path then computes it). */
  readonly bf: BF | null;
  readonly d: number;
  readonly dm: number;
  readonly de: number;
}

/**
 * The amplitude lr0·(1 − α)·m^k at precision p. `scaled`: always the dm·2^de form for a
 * finite nonzero A (the schedule asks for it when lr0·α itself lies beyond 2^1000, where
 * the double sum A·g + lr0·α could overflow while the value does not).
 */
export function makeAmp(lr0oma: BF, mk: BF, p: number, scaled = false): Amp {
  if (lr0oma.m === 0n || mk.m === 0n) return { bf: BF_ZERO, d: 0, dm: 0, de: 0 };
  const sign = bfSign(lr0oma);
  if (bfHuge(mk)) return { bf: { m: BigInt(sign), e: EXP_SAT * 2 }, d: sign * Infinity, dm: 0, de: 0 };
  if (bfTiny(mk)) return { bf: BF_ZERO, d: 0, dm: 0, de: 0 };
  const a = bfMul(lr0oma, mk, p);
  const ex = bfExp(a);
  if (!scaled && ex >= -960 && ex <= 960) return { bf: a, d: bfToNumber(a), dm: 0, de: 0 };
  if (ex > EXP_SAT) return { bf: a, d: sign * Infinity, dm: 0, de: 0 };
  return { bf: a, d: Number.NaN, dm: bfToNumber(bfScale(a, -ex)), de: ex };
}

/** x·2^e for any integer e, rounded once: the shared one of exact.ts. */
export { mulPow2 } from './exact.ts';

/**
 * C + A·sin²(π/2·x) at precision p: the slow path for α outside [0, 1], where the two terms
 * cancel. Measured from the end of a period C = lr0·α and A the amplitude; from its start
 * C = lr0·((1 − α)·m^k + α) (exact, or within 2^cErr) and A the negated amplitude
 * (cos² = 1 − sin²), so a constant part that is exactly or nearly 0 is no cancellation at all.
 * x: the reduced distance min(a, b)/L as a BF in [0, 1/2]; `xErr`: log2 of its absolute
 * error (default: one rounding); `kBits`: bitLen(k) (A's power m^k carries 2k roundings).
 * Returns null when the cancellation leaves fewer than 42 good bits (the caller escalates,
 * and at P_HI takes a null as the exact zero it then is, or is within ~2^-1400 of).
 */
export function cancelValue(amp: BF, c: BF, x: BF, p: number, xErr = 1 - p, kBits = 0, cErr = -Infinity): number | null {
  const g = bfSinCos2(x, true, p);
  const ag = bfMul(amp, g, p);
  const v = bfAdd(ag, c, p);
  // log2 of A·sin²'s relative error: from x (absolute 2^xErr; sin² doubles x's relative error),
  // the series and the products (2^(8−p)), A's power (2k·2^(1−p), plus lr0·(1 − α)'s rounding)
  const eg = Math.max(x.m === 0n ? -Infinity : xErr - bfExp(x) + 2, 8 - p, kBits + 3 - p);
  // x computed as 0 with an error: A·sin² ≤ |A|·(π/2)²·2^(2·xErr)
  const eT = x.m === 0n ? (amp.m === 0n ? -Infinity : bfExp(amp) + 2 * xErr + 3) : ag.m === 0n ? -Infinity : bfExp(ag) + eg;
  const err = Math.max(eT, cErr) + 1;
  // the result keeps ≥ 42 good bits (≤ 2.3e-13) after the cancellation
  if (v.m === 0n || bfExp(v) < err + 42 + 2) return null;
  return bfToNumber(v);
}

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

// ------------------------------------------------------------------ geometric periods

/**
 * Period k of a CosineDecayRestarts schedule: the real interval [B_k, B_{k+1}) with
 * B_k = D·(t^k − 1)/(t − 1) (B_k = k·D for t = 1), D = firstDecaySteps, t = tMul.
 * All fields are f64; `firstStep`, `nextFirstStep` are exact integers and the
 * offsets are correctly rounded (or within a few ulp) while B_{k+1} ≤ 2^53.
 */
export interface RestartPeriod {
  /** k */
  readonly index: number;
  /** ceil(B_k): the first integer step of the period. */
  readonly firstStep: number;
  /** ceil(B_{k+1}): the first step of the next period. */
  readonly nextFirstStep: number;
  /** firstStep − B_k ∈ [0, 1). */
  readonly startOffset: number;
  /** B_{k+1} − (nextFirstStep − 1) ∈ (0, 1]. */
  readonly endOffset: number;
  /** L_k = D·t^k = B_{k+1} − B_k. */
  readonly length: number;
  /** m_mul^k. */
  readonly peak: number;
}

/**
 * One period of the geometric (t_mul > 1) case, at precision `p`: the public fields
 * (firstStep, nextFirstStep beyond 2^53 the nearest double above, Infinity beyond 2^60,
 * offsets 0 and 1 there; length Infinity when it overflows, peak possibly 0 or Infinity)
 * plus what the kernel and the slow paths read.
 */
export interface GeoPeriod extends Omit<RestartPeriod, 'index'> {
  readonly k: bigint;
  /** ceil(B_k), ceil(B_{k+1}) when ≤ 2^53, else Infinity (the kernel's range checks). */
  readonly first: number;
  readonly next: number;
  /** ceil(B_{k+1}) − 2^53 (exact while ≤ 2^53 in magnitude): b = (nextHi + (2^53 − 1 − s)) + endOffset. */
  readonly nextHi: number;
  readonly bk: BF;
  readonly bk1: BF;
  readonly len: BF;
  readonly mk: BF;
  readonly p: number;
}

interface Ceil {
  readonly c: number; // ceil(B_k) as a number (the nearest double above 2^53; Infinity when B_k ≥ 2^60)
  readonly over: boolean; // ceil(B_k) > 2^53: no step reaches it
  readonly hi: number; // ceil(B_k) − 2^53, exact while |·| ≤ 2^53 (the kernel's b is formed from it)
  readonly off: number; // c − B_k ∈ [0, 1)
  readonly endOff: number; // B_k − (c − 1) = 1 − off ∈ (0, 1], rounded from the exact/BF value
  readonly b: BF; // B_k at p
}


/**
 * Period structure for t_mul > 1: B_k = D·(t^k − 1)/(t − 1), L_k = D·t^k.
 *
 * Error bound (p bits): t^k is within 2^(bitlen(k)+2−p) relative (bfPow), t^k − 1 loses at
 * most log2(t^k/(t^k − 1)) ≤ 53 bits more, the division and D one truncation each:
 * |B̃_k − B_k| ≤ B_k·2^(bitlen(k)+58−p) = errB. An integer c is ceil(B_k) for certain when
 * B̃_k ∈ (c − 1 + errB, c − errB]. Where it is not certain: if B_k CAN be an integer (k ≤
 * kTie, see the constructor) the decision is made exactly with BigInt rationals (at most
 * ~52k-bit numbers); otherwise B_k is no integer and the computation is repeated at P_HI,
 * whose bound (2^-1400 relative) decides anything that is not a tie closer than that.
 */
export class GeometricPeriods {
  readonly #D: number;
  readonly #tb: BF;
  readonly #u: BF; // t − 1, exact
  readonly #Db: BF;
  readonly #lnT: number;
  readonly #mb: BF;
  readonly #mIsOne: boolean;
  readonly #lr0oma: BF; // lr0·(1 − α), exact
  // exact dyadic forms (t = T/2^a, D = Dm·2^De)
  readonly #T: bigint;
  readonly #a: number;
  readonly #Dm: bigint;
  readonly #De: number;
  readonly #kTie: bigint;
  #ceilCache = new Map<bigint, Ceil>();

  constructor(D: number, t: number, m: number, lr0: number, alpha: number) {
    this.#D = D;
    this.#tb = bfNum(t);
    this.#u = bfSub(this.#tb, { m: 1n, e: 0 }, P_EXACT);
    this.#Db = bfNum(D);
    this.#lnT = t < 2 ? Math.log1p(t - 1) : Math.log(t);
    this.#mb = bfNum(m);
    this.#mIsOne = m === 1;
    this.#lr0oma = bfMul(bfNum(lr0), bfSub({ m: 1n, e: 0 }, bfNum(alpha), P_EXACT), P_EXACT);
    const td = oddDyadic(t);
    this.#a = td.e < 0 ? -td.e : 0;
    this.#T = td.e < 0 ? td.m : td.m << BigInt(td.e);
    const dd = oddDyadic(D);
    this.#Dm = dd.m;
    this.#De = dd.e;
    // B_k is an integer only if k ≤ kTie. t = T/2^a, a ≥ 1: B_k = (odd/odd)·2^(De − a(k−1)),
    // so k ≤ 1 + De/a. t an integer: B_k ≥ D·t^(k−1) must be ≤ 2^54 (steps ≤ 2^53).
    const kt = this.#a >= 1 ? 1 + Math.floor(Math.max(this.#De, 0) / this.#a) : 2 + Math.floor((54 - Math.log2(D)) / Math.log2(t));
    this.#kTie = BigInt(Math.max(1, kt));
  }

  #tkCache = new Map<bigint, BF>();

  /** t^k at p bits (the last few at P_LO memoised: ceil(k) and period(k) share one power). */
  #tk(k: bigint, p: number): BF {
    if (p !== P_LO) return bfPow(this.#tb, k, p);
    const hit = this.#tkCache.get(k);
    if (hit !== undefined) return hit;
    const r = bfPow(this.#tb, k, p);
    if (this.#tkCache.size >= 16) this.#tkCache.clear();
    this.#tkCache.set(k, r);
    return r;
  }

  /** B_k at p bits (BF_ZERO for k = 0; a huge BF when t^k saturates). */
  #bk(k: bigint, p: number): BF {
    if (k === 0n) return BF_ZERO;
    const tk = this.#tk(k, p);
    if (bfHuge(tk)) return tk;
    return bfDiv(bfMul(this.#Db, bfSub(tk, { m: 1n, e: 0 }, p), p), this.#u, p);
  }

  /** Exact B_k = N/Q (BigInt rationals; only for k ≤ kTie, where sizes stay ≤ ~52k bits). */
  #bkExact(k: bigint): { N: bigint; Q: bigint } {
    const a = BigInt(this.#a);
    const up = this.#De > 0 ? 1n << BigInt(this.#De) : 1n;
    const down = this.#De < 0 ? 1n << BigInt(-this.#De) : 1n;
    const N = this.#Dm * up * (this.#T ** k - (1n << (a * k)));
    const Q = down * (this.#T - (1n << a)) * (1n << (a * (k - 1n)));
    return { N, Q };
  }

  /** ceil(B_k) and its offset, certain (see the class comment). Cached. */
  ceil(k: bigint): Ceil {
    const hit = this.#ceilCache.get(k);
    if (hit !== undefined) return hit;
    let r: Ceil | null = k === 0n ? mkCeil(0n, 0, 1, BF_ZERO) : null;
    for (const p of [P_LO, P_HI]) {
      if (r !== null) break;
      const b = this.#bk(k, p);
      if (bfHuge(b) || bfExp(b) >= 61) {
        r = { c: Infinity, over: true, hi: Infinity, off: 0, endOff: 1, b };
        break;
      }
      const { c, off } = bfCeil(b, p);
      const end = off.m === 0n ? BF_ZERO : bfSub({ m: 1n, e: 0 }, off, p);
      // log2 of errB (B ≥ 1) or of an absolute bound (B < 1); the offsets must carry ≥ 60 good bits
      // (g then has ≲ 2^-58 from them: below the 2^-42 the cancellation path allows, ×2^8)
      const err = Math.max(bfExp(b), 0) + bitLen(k) + 59 - p;
      const near = off.m === 0n || end.m === 0n ? -Infinity : Math.min(bfExp(off), bfExp(end));
      if (near > err + 60) {
        r = mkCeil(c, bfToNumber(off), bfToNumber(end), b);
        break;
      }
      if (k <= this.#kTie) {
        const { N, Q } = this.#bkExact(k);
        const fl = N / Q;
        const rem = N - fl * Q;
        r = rem === 0n
          ? mkCeil(fl, 0, 1, b)
          : mkCeil(
              fl + 1n,
              bfToNumber(bfDiv({ m: Q - rem, e: 0 }, { m: Q, e: 0 }, P_LO)),
              bfToNumber(bfDiv({ m: rem, e: 0 }, { m: Q, e: 0 }, P_LO)),
              b,
            );
        break;
      }
      // no tie possible: the P_HI offsets stand (their error is below 2^-1400)
      if (p === P_HI) r = mkCeil(c, bfToNumber(off), off.m === 0n ? 1 : bfToNumber(end), b);
    }
    const out = r as Ceil;
    if (this.#ceilCache.size > 64) this.#ceilCache.clear();
    this.#ceilCache.set(k, out);
    return out;
  }

  /**
   * The exact k with ceil(B_k) ≤ s < ceil(B_{k+1}) (s an integer ≤ 2^53). k < 2^63: B_k ≤ 2^53
   * needs t^k ≤ 1 + 2^53·(t − 1)/D < 2^2152, and t ≥ 1 + 2^-52. An estimate from logs
   * (refined once through t^k at 160 bits when k > 2^40, then within ±1), galloping
   * (≤ 64 doublings) and BigInt bisection (≤ 64 halvings): at most ~140 ceil() calls,
   * typically 2-3.
   */
  index(s: number): bigint {
    if (s === 0) return 0n;
    const lx = Math.log(s) + Math.log(bfToNumber(this.#u)) - Math.log(this.#D); // ln(s(t−1)/D)
    const l1 = lx > 40 ? lx : Math.log1p(Math.exp(lx));
    let est = Math.floor(l1 / this.#lnT);
    if (!(est >= 0)) est = 0;
    let k = BigInt(Math.min(est, 2 ** 63));
    if (est > 2 ** 40) {
      const y = bfAdd({ m: 1n, e: 0 }, bfDiv(bfMul(bfNum(s), this.#u, P_EXACT), this.#Db, 160), 160);
      for (let i = 0; i < 3; i++) {
        const tk = this.#tk(k, 160);
        if (bfHuge(tk)) {
          k /= 2n;
          continue;
        }
        const r = bfToNumber(bfSub(bfDiv(y, tk, 160), { m: 1n, e: 0 }, 160));
        const d = Math.floor(Math.log1p(r) / this.#lnT);
        if (!Number.isFinite(d) || d === 0) break;
        k += BigInt(d);
        if (k < 0n) k = 0n;
      }
    }
    const ge = (j: bigint): boolean => {
      if (j === 0n) return true;
      const c = this.ceil(j);
      return !c.over && s >= c.c;
    };
    let lo: bigint;
    let hi: bigint;
    let step = 1n;
    let guard = 0;
    if (ge(k)) {
      lo = k;
      hi = k + 1n;
      while (ge(hi)) {
        lo = hi;
        hi = lo + step;
        step *= 2n;
        if (++guard > 70) throw new Error('CosineDecayRestarts: period search did not bracket (a bug)');
      }
    } else {
      hi = k;
      lo = k > 0n ? k - 1n : 0n;
      while (!ge(lo)) {
        hi = lo;
        lo = lo > step ? lo - step : 0n;
        step *= 2n;
        if (++guard > 70) throw new Error('CosineDecayRestarts: period search did not bracket (a bug)');
      }
    }
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      if (ge(mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /** Period k at P_LO (offsets certain, see ceil()). */
  period(k: bigint): GeoPeriod {
    return this.#periodAt(k, P_LO);
  }

  /** Period k with its BFs at P_HI (the cancellation slow path's escalation). */
  periodHi(k: bigint): GeoPeriod {
    return this.#periodAt(k, P_HI);
  }

  #periodAt(k: bigint, p: number): GeoPeriod {
    const c0 = this.ceil(k);
    const c1 = this.ceil(k + 1n);
    const bk = p === P_LO ? c0.b : this.#bk(k, p);
    const bk1 = p === P_LO ? c1.b : this.#bk(k + 1n, p);
    const tk = this.#tk(k, p);
    const len = bfHuge(tk) ? tk : bfMul(this.#Db, tk, p);
    const mk = this.#mIsOne ? { m: 1n, e: 0 } : bfPow(this.#mb, k, p);
    return {
      k,
      first: c0.over ? Infinity : c0.c,
      next: c1.over ? Infinity : c1.c,
      nextHi: c1.hi,
      firstStep: c0.c,
      nextFirstStep: c1.c,
      startOffset: c0.off,
      endOffset: c1.endOff,
      length: bfHuge(len) ? Infinity : bfToNumber(len),
      peak: bfHuge(mk) ? Infinity : bfTiny(mk) ? 0 : bfToNumber(mk),
      bk,
      bk1,
      len,
      mk,
      p,
    };
  }

  /**
   * The reduced distance x = (s − B_k)/L_k (or (B_{k+1} − s)/L_k with fromEnd) as an exact
   * BigInt fraction [num, den], for k ≤ kTie (where B_k and B_{k+1} are known exactly and the
   * numbers stay ≤ ~52k bits); null beyond.
   */
  exactReduced(k: bigint, s: number, fromEnd: boolean): [bigint, bigint] | null {
    if (k + 1n > this.#kTie) return null;
    const a = BigInt(this.#a);
    const lNum = this.#Dm * this.#T ** k * (this.#De > 0 ? 1n << BigInt(this.#De) : 1n);
    const lDen = (1n << (a * k)) * (this.#De < 0 ? 1n << BigInt(-this.#De) : 1n);
    const sb = BigInt(s);
    const { N, Q } = k === 0n && !fromEnd ? { N: 0n, Q: 1n } : this.#bkExact(fromEnd ? k + 1n : k);
    const d = fromEnd ? N - sb * Q : sb * Q - N;
    return [d * lDen, Q * lNum];
  }

  /** lr0·(1 − α) exactly. */
  get lr0oma(): BF {
    return this.#lr0oma;
  }
}

function mkCeil(c: bigint, off: number, endOff: number, b: BF): Ceil {
  const hi = Number(c - 2n ** 53n);
  return { c: Number(c), over: c > 2n ** 53n, hi, off, endOff, b };
}

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
