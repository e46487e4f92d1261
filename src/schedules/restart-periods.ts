/**
 * Exact restart periods of CosineDecayRestarts for t_mul > 1 (internal to
 * src/schedules), computed in the binary floating point of binary-float.ts (why not
 * doubles, and the error model, are there).
 *
 * Bounded work: a power t^k costs 2·bitlen(k) ≤ 128 multiplications (k < 2^64 always:
 * see periodIndex); no loop here runs more than a fixed number of times (searches:
 * ≤ 2·64 + 8 comparisons).
 */
import {
  BF_ZERO,
  P_EXACT,
  P_HI,
  P_LO,
  bfAdd,
  bfCeil,
  bfDiv,
  bfExp,
  bfHuge,
  bfMul,
  bfNum,
  bfPow,
  bfSub,
  bfTiny,
  bfToNumber,
  bitLen,
  oddDyadic,
  type BF,
} from './binary-float.ts';

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
