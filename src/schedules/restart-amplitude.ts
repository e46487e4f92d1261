/**
 * The amplitude lr0·(1 − α)·m_mul^k of a CosineDecayRestarts period, and the
 * cancellation slow path C + A·sin²(π/2·x), in the binary floating point of
 * binary-float.ts (internal to src/schedules).
 */
import { BF_ZERO, EXP_SAT, bfAdd, bfExp, bfHuge, bfMul, bfScale, bfSign, bfSinCos2, bfTiny, bfToNumber, type BF } from './binary-float.ts';

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
