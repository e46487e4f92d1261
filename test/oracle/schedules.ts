/**
 * The independent fuzz oracle: the six Keras formulas (docs/semantics.md, in real
 * arithmetic on the f64 parameters) evaluated in floating BigInt (test/oracle/bigfloat.ts,
 * 400 significant bits, unbounded exponent). Imports nothing from src/ and shares no code
 * with the f64 reference or with test/schedules-reference.ts.
 *
 * Rational parts are exact (sums, products, the period index of t_mul = 1, floor(s/D),
 * staircase exponents, integer powers of PolynomialDecay up to 64), so exact zeros
 * (a zero crossing at a rational step) come out as exactly 0; everything else carries
 * a relative error ≲ 2^-380. The result is a BF; `toNumber` rounds it once.
 *
 * The only case it may decline (returns null) is a CosineDecayRestarts step within
 * 2^-300 (relative) of a boundary B_k with t_mul ≠ 1 at k > 64, where exact rationals
 * would be too large and the 400-bit boundary cannot place the step: in practice configs
 * whose periods are shorter than ~2^-300 of the step (first_decay_steps ≲ 1e-290 with
 * t_mul near 1). The fuzz counts these steps (about 2 in 10^4 pairs of the long profile).
 */
import * as B from './bigfloat.ts';
import type { BF } from './bigfloat.ts';

type Cfg = Record<string, unknown>;

const num = (c: Cfg, k: string, d: number): number => (typeof c[k] === 'number' ? (c[k] as number) : d);

const N = B.fromNumber;

/** (1 − α)·g + α = g + α·(1 − g), exact identity; both halves accurate, so any α is fine. */
function decayed(alpha: BF, g: BF, h: BF): BF {
  return B.add(g, B.mul(alpha, h));
}

function exponential(c: Cfg, s: number): BF {
  const lr0 = N(num(c, 'initialLearningRate', NaN));
  const D = N(num(c, 'decaySteps', NaN));
  const rate = num(c, 'decayRate', NaN);
  if (lr0.m === 0n || rate === 1 || s === 0) return lr0;
  let x = B.div(N(s), D);
  if (c.staircase === true) {
    const q = B.floorDiv(N(s), D);
    if (q === 0n) return lr0;
    x = B.fromBigInt(q);
  }
  return B.round(B.mul(lr0, B.exp(B.round(B.mul(x, B.ln(N(rate)))))));
}

function inverseTime(c: Cfg, s: number): BF {
  const lr0 = N(num(c, 'initialLearningRate', NaN));
  const Dn = num(c, 'decaySteps', NaN);
  const D = N(Dn);
  const rate = N(num(c, 'decayRate', NaN));
  if (s === 0 || rate.m === 0n || lr0.m === 0n) return lr0;
  if (c.staircase === true) {
    const q = B.floorDiv(N(s), D);
    // lr0 / (1 + rate·q)
    return B.div(lr0, B.add(B.ONE, B.mul(rate, B.fromBigInt(q))));
  }
  // lr0 / (1 + rate·s/D) = lr0·D / (D + rate·s)
  return B.div(B.mul(lr0, D), B.add(D, B.mul(rate, N(s))));
}

function polynomial(c: Cfg, s: number): BF {
  const lr0 = N(num(c, 'initialLearningRate', NaN));
  const Dn = num(c, 'decaySteps', NaN);
  const D = N(Dn);
  const end = N(num(c, 'endLearningRate', 0.0001));
  const power = num(c, 'power', 1);
  const S = N(s);
  // Keras: cycle → multiplier = 1 at step 0, else ceil(s/D); D·multiplier; p = s/(D·mult).
  // no cycle: p = min(s, D)/D.
  let H: BF;
  if (c.cycle === true) {
    let mult: bigint;
    if (s === 0) mult = 1n;
    else {
      // ceil(s/D) exactly
      const q = B.floorDiv(S, D);
      mult = B.cmp(B.mul(B.fromBigInt(q), D), S) === 0 ? q : q + 1n;
    }
    H = B.mul(D, B.fromBigInt(mult));
  } else H = D;
  const Sc = c.cycle !== true && B.cmp(S, D) > 0 ? D : S;
  const u = B.sub(H, Sc); // H·(1 − p), exact, ≥ 0
  const A = B.sub(lr0, end);
  if (power === 0) return lr0; // (1 − p)^0 = 1, also at p = 1 (TF pow(0, 0) = 1)
  if (u.m === 0n) return end;
  if (Number.isInteger(power) && power <= 64) {
    // (A·u^p + end·H^p) / H^p: exact numerator, so exact zeros stay 0
    const up = B.powInt(u, power);
    const Hp = B.powInt(H, power);
    return B.div(B.add(B.mul(A, up), B.mul(end, Hp)), Hp);
  }
  // w = power·ln(1 − p), p = Sc/H: log1p(−p) for p ≤ ½ (1 − p may be 1 − 1e-300, not representable at 400 bits), ln(u/H) above
  const f = B.div(Sc, H);
  const lnr = B.cmp(f, { m: 1n, e: -1 }) <= 0 ? B.log1p(B.neg(f)) : B.ln(B.div(u, H)); // u/H itself where 1 − p is small
  const w = B.round(B.mul(N(power), lnr));
  // lr0 + A·(y − 1) where y is near 1 (expm1 keeps its relative precision), end + A·y elsewhere:
  // either way the absolute error is ≤ |A|·2^-400
  const em1 = B.expm1(w);
  if (B.cmp(B.abs(em1), { m: 1n, e: -1 }) < 0) return B.round(B.add(lr0, B.mul(A, em1)));
  return B.round(B.add(B.mul(A, B.exp(w)), end));
}

function cosine(c: Cfg, s: number): BF {
  const lr0 = N(num(c, 'initialLearningRate', NaN));
  const D = N(num(c, 'decaySteps', NaN));
  const alpha = N(num(c, 'alpha', 0));
  const wtRaw = c.warmupTarget;
  const S = N(s);
  let from = lr0;
  let d = S;
  if (typeof wtRaw === 'number') {
    const wt = N(wtRaw);
    const W = N(num(c, 'warmupSteps', 0));
    from = wt;
    if (B.cmp(S, W) < 0) {
      // lr0 + (wt − lr0)·s/W = (lr0·(W − s) + wt·s)/W
      return B.div(B.add(B.mul(lr0, B.sub(W, S)), B.mul(wt, S)), W);
    }
    d = B.sub(S, W);
  }
  if (B.cmp(d, D) >= 0) return B.mul(from, alpha);
  const z = B.nearRationalZero(num(c, 'alpha', 0), d, D);
  if (z !== null) return B.round(B.mul(from, z));
  const { g, h } = B.cosineHalvesOf(d, D);
  return B.round(B.mul(from, decayed(alpha, g, h)));
}

function restarts(c: Cfg, s: number): BF | null {
  const lr0 = N(num(c, 'initialLearningRate', NaN));
  const Dn = num(c, 'firstDecaySteps', NaN);
  const D = N(Dn);
  const t = num(c, 'tMul', 2);
  const mNum = num(c, 'mMul', 1);
  const alpha = N(num(c, 'alpha', 0));
  const S = N(s);
  let k: bigint;
  let a: BF; // s − B_k
  let L: BF; // L_k
  let atStart = false;
  if (t === 1) {
    k = B.floorDiv(S, D);
    a = B.sub(S, B.mul(B.fromBigInt(k), D));
    L = D;
  } else {
    const T = N(t);
    const tm1 = B.sub(T, B.ONE);
    const lnT = B.ln(T);
    // B_k = D·(t^k − 1)/(t − 1) ≤ s ⇔ k ≤ ln(1 + s(t − 1)/D)/ln t
    const x = B.ln(B.add(B.ONE, B.div(B.mul(S, tm1), D)));
    const kf = B.div(x, lnT);
    k = B.floor(kf);
    const boundary = (j: bigint): BF => B.div(B.mul(D, B.expm1(B.round(B.mul(B.fromBigInt(j), lnT)))), tm1);
    // confirm with B_k ≤ s < B_{k+1}, deciding near-ties exactly when k is small
    const le = (j: bigint): boolean | null => {
      if (j <= 0n) return true;
      const Bj = boundary(j);
      const diff = B.sub(S, Bj);
      if (diff.m !== 0n && (S.m === 0n || B.ilog2(B.abs(diff)) > B.ilog2(Bj) - 300)) return diff.m > 0n;
      if (j > 64n) return null;
      // exact: s·(t − 1) ≥ D·(t^j − 1)
      const lhs = B.mul(S, tm1);
      const rhs = B.mul(D, B.sub(B.powInt(T, Number(j)), B.ONE));
      return B.cmp(lhs, rhs) >= 0;
    };
    for (let guard = 0; ; guard++) {
      if (guard > 8) return null;
      const lo = le(k);
      if (lo === null) return null;
      if (!lo) {
        k -= 1n;
        continue;
      }
      const hi = le(k + 1n);
      if (hi === null) return null;
      if (hi) {
        k += 1n;
        continue;
      }
      break;
    }
    if (k <= 64n) {
      // small k: B_k = D·Σ_{j<k} t^j and L_k = D·t^k exactly (dyadic), so exact fractions (the
      // middle of a period with alpha −1: a zero) come out exact
      let sum = B.ZERO;
      let tj = B.ONE;
      for (let j = 0n; j < k; j++) {
        sum = B.add(sum, tj);
        tj = B.mul(tj, T);
      }
      a = B.sub(S, B.mul(D, sum));
      L = B.mul(D, tj);
      if (a.m === 0n) atStart = true;
    } else {
      const Bk = boundary(k);
      const tk = B.exp(B.round(B.mul(B.fromBigInt(k), lnT)));
      L = B.round(B.mul(D, tk));
      a = B.sub(S, Bk);
    }
  }
  // m^k exactly where it stays small (m_mul = 1, k = 0, m_mul = 0, a power of two for any k, an
  // odd mantissa M while k·bitlen(M) ≤ 4096), else exp(k·ln m) at 400 bits
  let mk: BF;
  let mkExact = true;
  if (mNum === 1 || k === 0n) mk = B.ONE;
  else if (mNum === 0) mk = B.ZERO;
  else {
    const m = N(mNum);
    let M = m.m;
    let e = m.e;
    while ((M & 1n) === 0n) {
      M >>= 1n;
      e++;
    }
    if (M === 1n && Math.abs(e * Number(k)) <= 2 ** 50) mk = B.ldexp(B.ONE, e * Number(k)); // (k may be ~2^1127: t_mul 1, tiny D)
    else if (k * BigInt(M.toString(2).length) <= 4096n) mk = B.powInt(m, Number(k));
    else {
      mk = B.exp(B.round(B.mul(B.fromBigInt(k), B.ln(m))));
      mkExact = false;
    }
  }
  // lr0·((1 − α)·m^k·g + α) with g = 1 − h: in the first half of the period c − (1 − α)·m^k·h with
  // the constant part c = (1 − α)·m^k + α exact where m^k is (so c = 0, e.g. α = −1 with m^k = ½,
  // leaves −(1 − α)·m^k·h with its full relative precision however small h is), in the second half
  // α + (1 − α)·m^k·g (g small, relative-accurate)
  const oma = B.sub(B.ONE, alpha); // exact
  const amp = B.mul(oma, mk);
  const cst = B.add(amp, alpha);
  if (atStart || B.sign(a) <= 0) return B.round(B.mul(lr0, mkExact ? cst : B.round(cst)));
  const z = mNum === 1 || k === 0n ? B.nearRationalZero(num(c, 'alpha', 0), a, L) : null;
  if (z !== null) return B.round(B.mul(lr0, z));
  const { g, h } = B.cosineHalvesOf(a, L);
  const firstHalf = B.cmp(B.ldexp(a, 1), L) <= 0;
  const inner = firstHalf ? B.sub(cst, B.mul(amp, h)) : B.add(alpha, B.mul(amp, g));
  return B.round(B.mul(lr0, inner));
}

function piecewise(c: Cfg, s: number): BF {
  const bs = c.boundaries as readonly number[];
  const vs = c.values as readonly number[];
  let j = 0;
  while (j < bs.length && B.cmp(N(s), N(bs[j]!)) > 0) j++;
  return N(vs[j]!);
}

/** The oracle's formula of each kind it knows (written from docs/semantics.md, not from src/). */
const ORACLES: Readonly<Record<string, (config: Cfg, step: number) => BF | null>> = {
  ExponentialDecay: exponential,
  InverseTimeDecay: inverseTime,
  PolynomialDecay: polynomial,
  CosineDecay: cosine,
  CosineDecayRestarts: restarts,
  PiecewiseConstantDecay: piecewise,
};

/** The exact value of kind/config at an integer step, or null where the oracle declines (see the header). */
export function oracle(kind: string, config: Cfg, step: number): BF | null {
  const f = Object.hasOwn(ORACLES, kind) ? ORACLES[kind] : undefined;
  if (!f) throw new RangeError(`oracle: unknown kind ${kind}`);
  return f(config, step);
}

/**
 * The reference's contract against the oracle: |got − exact| ≤ 1e-12·|exact| + 2^-1074
 * (one subnormal ulp: a value the double range cannot hold to 1e-12 must still be the
 * nearest few subnormals, and 0 exactly where the exact value underflows); ±Infinity
 * only where the exact value is within 1e-12 of overflowing. Returns null or why not.
 */
export function judgeReference(exact: BF, got: number): string | null {
  if (Number.isNaN(got)) return 'NaN';
  const ex = B.toNumber(exact);
  if (!Number.isFinite(got)) {
    // exact·(1 + 1e-12) must reach the overflow threshold 2^1024·(1 − 2^-54)
    const big = B.abs(exact);
    const threshold = B.sub({ m: 1n, e: 1024 }, { m: 1n, e: 970 });
    const ok = Math.sign(got) === B.sign(exact) && B.cmp(B.add(big, B.div(big, N(1e12))), threshold) >= 0;
    return ok ? null : `got ${got}, exact ≈ ${ex}`;
  }
  const err = B.abs(B.sub(N(got), exact));
  const tol = B.add(B.div(B.abs(exact), N(1e12)), { m: 1n, e: -1074 });
  if (B.cmp(err, tol) <= 0) return null;
  const rel = exact.m === 0n ? Infinity : B.toNumber(B.div(err, B.abs(exact)));
  return `got ${got}, exact ≈ ${ex} (relative error ${rel})`;
}
