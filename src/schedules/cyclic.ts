/**
 * Cyclic: PyTorch's CyclicLR (docs/semantics.md#cyclic). Not a Keras class.
 */
import { bigRatToNumber } from './exact-sum.ts';
import { ef, mulPow2, toDyadic, twoSum } from './exact.ts';
import { ScheduleConfigError } from './errors.ts';
import { list, logRange, num, resolveFields, single, type FieldTable } from './fields.ts';
import { ScheduleBase, type FillOutput } from './schedule.ts';
import type { Resolved, StepList } from './types.ts';

/** The scale policies of CyclicLR. */
export const CYCLIC_MODES = ['triangular', 'triangular2', 'exp_range'] as const;
export type CyclicMode = (typeof CYCLIC_MODES)[number];

/** `Cyclic { baseLr, maxLr, stepSizeUp, stepSizeDown = stepSizeUp, mode = 'triangular', gamma = 1 }`. */
export interface CyclicConfig {
  /** The value at the start of each cycle. */
  baseLr: number;
  /** The peak of the first cycle; the sign of baseLr (or either is 0). */
  maxLr: number;
  /** Steps from base to peak (any positive real). */
  stepSizeUp: number;
  /** Steps from peak back to base (any positive real); null (the default): stepSizeUp. */
  stepSizeDown?: number | null;
  /** 'triangular' (scale 1), 'triangular2' (halved each cycle), 'exp_range' (gamma^t). */
  mode?: CyclicMode;
  /** exp_range's factor per step, > 0 (≤ 1 when |maxLr| < |baseLr|). */
  gamma?: number;
}

const CLS = 'Cyclic';
const MODE_TRI = 0;
const MODE_TRI2 = 1;
const MODE_EXP = 2;

/**
 * PyTorch's CyclicLR with `cycle_momentum` false (scale_mode from mode), in exact arithmetic:
 * T = up + down, position p = t mod T (exact), s = p/up while p ≤ up, else (T − p)/down;
 * v = baseLr + (maxLr − baseLr)·s·scale with scale 1 (triangular), 2^-floor(t/T)
 * (triangular2: halved each cycle) or gamma^t (exp_range).
 *
 * Numerics: p = t mod T is exact (IEEE remainder), floor(t/T) is exact (round((t − p)/T), exact
 * below 2^51 and irrelevant above, where 2^-q is 0), s and 1 − s are each one or two roundings
 * from p. With |maxLr| ≥ |baseLr| the value is baseLr + amp·w (amp = maxLr − baseLr of the sign of
 * baseLr), else maxLr + (baseLr − maxLr)·(1 − w), 1 − w = (1 − s) + s·(1 − scale) (1 − gamma^t
 * by expm1): two terms of one sign either way, relative error ≲ 10·2^-53. When up + down is not
 * a double, p, floor(t/T) and s come from exact BigInt rationals. Exact at p = 0 (baseLr) and at the
 * peaks of scale 1 (maxLr).
 *
 * @example
 * const s = new Cyclic({ baseLr: 0.001, maxLr: 0.006, stepSizeUp: 2000, mode: 'triangular2' });
 * s.at(0);    // 0.001
 * s.at(2000); // 0.006
 * s.at(6000); // 0.0035 (the second peak, halved)
 * @see https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.CyclicLR.html
 */
export class Cyclic extends ScheduleBase<'Cyclic', Resolved<CyclicConfig>> {
  readonly kind = 'Cyclic' as const;
  /** The field table (CyclicLR's argument order): keys, defaults, rules, explorer hints (`mode` with the explorer's choice control). */
  static readonly fields = [
    { name: 'baseLr', type: 'float', rule: 'finite, one sign', explorer: num('value at the start of each cycle', single(1e-4)) },
    { name: 'maxLr', type: 'float', rule: 'finite, one sign', explorer: num('peak of the first cycle', logRange(1e-3, 1e-2, 10)) },
    { name: 'stepSizeUp', type: 'step', rule: '> 0', explorer: num('steps from base to peak', list(500, 1000, 2000)) },
    { name: 'stepSizeDown', type: 'float?', default: null, rule: '> 0?', explorer: { control: 'nullableNumber', hint: 'steps from peak to base; none = stepSizeUp', sweep: single(null) } },
    { name: 'mode', type: 'str', default: 'triangular', rule: 'choice', choices: CYCLIC_MODES, explorer: { control: 'choice', hint: 'triangular: the same cycle; triangular2: the amplitude halves each cycle; exp_range: scaled by gamma^step', sweep: single('triangular') } },
    { name: 'gamma', type: 'float', default: 1, rule: '> 0', explorer: num("exp_range's factor per step (> 1 only with maxLr beyond baseLr); the other modes ignore it", single(1)) },
  ] as const satisfies FieldTable<CyclicConfig>;
  readonly #base: number;
  readonly #max: number;
  readonly #up: number;
  readonly #down: number;
  /** up + down when it is a double (else NaN: the BigInt path). */
  readonly #T: number;
  readonly #mode: number;
  readonly #gamma: number;
  readonly #lnGamma: number;
  /** |maxLr| ≥ |baseLr|: v = base + amp·w; else v = max + amp·(1 − w). */
  readonly #rising: boolean;
  readonly #amp: number;
  /** up and down integers (T = up + down exact): the cycle from an integer quotient. */
  readonly #intT: boolean;

  /** Builds and validates: baseLr, maxLr finite and of one sign (or 0), step sizes > 0 (down may be null), mode, gamma > 0 (≤ 1 when |maxLr| < |baseLr|). */
  constructor(config: CyclicConfig) {
    const resolved = resolveFields<CyclicConfig>(CLS, Cyclic.fields, config);
    const { baseLr, maxLr, stepSizeUp, stepSizeDown, mode, gamma } = resolved;
    if (gamma > 1 && Math.abs(maxLr) < Math.abs(baseLr)) {
      throw new ScheduleConfigError(
        `${CLS}.gamma`,
        gamma,
        `must be ≤ 1 when |maxLr| < |baseLr| (${maxLr} < ${baseLr}): gamma^step > 1 would carry the value through zero; give a gamma ≤ 1 or a maxLr beyond baseLr`,
      );
    }
    super(resolved);
    this.#base = baseLr;
    this.#max = maxLr;
    this.#up = stepSizeUp;
    this.#down = stepSizeDown ?? stepSizeUp;
    twoSum(this.#up, this.#down);
    this.#T = ef.lo === 0 && Number.isFinite(ef.hi) ? ef.hi : Number.NaN;
    this.#mode = mode === 'triangular' ? MODE_TRI : mode === 'triangular2' ? MODE_TRI2 : MODE_EXP;
    this.#gamma = gamma;
    this.#lnGamma = Math.log(gamma);
    this.#rising = Math.abs(maxLr) >= Math.abs(baseLr);
    this.#amp = this.#rising ? maxLr - baseLr : baseLr - maxLr;
    this.#intT = Number.isInteger(this.#up) && Number.isInteger(this.#down) && this.#T <= 2 ** 53;
  }

  protected valueAt(t: number): number {
    const T = this.#T;
    if (T !== T) return this.#slowValue(t);
    const up = this.#up;
    let pos: number;
    let q = 0;
    if (this.#intT && t + T <= 2 ** 53) {
      // integer T: floor(t/T) from the rounded quotient, corrected by one; q·T and t − q·T are exact integers
      q = Math.floor(t / T);
      pos = t - q * T;
      if (pos < 0) {
        pos += T;
        q--;
      } else if (pos >= T) {
        pos -= T;
        q++;
      }
    } else {
      pos = t % T;
      // floor(t/T): exact below 2^51, and 2^-q is 0 above
      if (this.#mode === MODE_TRI2) q = Math.round((t - pos) / T);
    }
    if (pos === 0) return this.#base;
    let s: number;
    let u: number;
    if (pos <= up) {
      s = pos / up;
      u = (up - pos) / up;
    } else {
      const down = this.#down;
      s = (T - pos) / down;
      u = (pos - up) / down;
    }
    return this.#combine(t, s, u, q);
  }

  /** v from s, u = 1 − s and the cycle index q (triangular2) at step t. */
  #combine(t: number, s: number, u: number, q: number): number {
    const mode = this.#mode;
    const amp = this.#amp;
    // maxLr = baseLr: a constant (0·gamma^t is 0 also where gamma^t overflows to ∞)
    if (amp === 0) return this.#base;
    // a peak of scale 1 is maxLr exactly
    if (u === 0 && (mode === MODE_TRI || (mode === MODE_TRI2 ? q === 0 : this.#gamma === 1))) return this.#max;
    if (this.#rising) {
      if (mode === MODE_TRI) return this.#base + amp * s;
      if (mode === MODE_TRI2) return this.#base + (q <= 1000 ? amp * s * 2 ** -q : mulPow2(amp * s, -q));
      // gamma^t = exp(t·ln γ): |t·ln γ| ≤ 624 on this branch (2^-900 ≤ scale ≤ 2^900), so ≤ 624·2^-52 ≈ 1.4e-13 relative
      const scale = Math.exp(t * this.#lnGamma);
      if (scale >= 2 ** -900 && scale <= 2 ** 900) return this.#base + amp * (s * scale);
      // amp·s·gamma^t where gamma^t alone would underflow or overflow (s = 0 at a cycle start
      // must give 0, not 0·∞): one exp of the summed logarithms (∞ only where the value is past the double range)
      const as = amp * s;
      return this.#base + (as === 0 ? 0 : Math.sign(as) * Math.exp(Math.log(Math.abs(as)) + t * this.#lnGamma));
    }
    if (mode === MODE_TRI) return this.#max + amp * u;
    if (mode === MODE_TRI2) return this.#max + amp * (u + s * (1 - mulPow2(1, -q)));
    return this.#max + amp * (u + s * -Math.expm1(t * this.#lnGamma));
  }

  /** up + down is not a double: the position and the cycle from exact dyadic rationals. */
  #slowValue(t: number): number {
    const a = toDyadic(this.#up);
    const b = toDyadic(this.#down);
    const e = Math.min(a.e, b.e, 0);
    const U = a.m << BigInt(a.e - e);
    const D = b.m << BigInt(b.e - e);
    const T = U + D;
    const tt = BigInt(t) << BigInt(-e);
    const q = tt / T;
    const P = tt - q * T;
    if (P === 0n) return this.#base;
    const [sn, un, den] = P <= U ? [P, U - P, U] : [T - P, P - U, D];
    return this.#combine(t, bigRatToNumber(sn, den), bigRatToNumber(un, den), Number(q));
  }

  protected fillRange(start: number, stride: number, count: number, out: FillOutput): void {
    for (let i = 0; i < count; i++) out[i] = this.valueAt(start + i * stride);
  }

  protected fillList(list: StepList, n: number, out: FillOutput): void {
    for (let i = 0; i < n; i++) out[i] = this.valueAt(list[i] as number);
  }
}
