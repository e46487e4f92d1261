/**
 * CosineAnneal: a cosine from one value to another over a period, held or periodic
 * (docs/semantics.md#cosineanneal). Not a Keras class: the dialects write it (PyTorch
 * CosineAnnealingLR, Optax cosine_decay_schedule with its exponent, Hugging Face cosine decays,
 * OneCycle's cos phases); serialize / toKerasJson refuse it.
 */
import { exactSum } from './exact-sum.ts';
import { dd, ddAdd, ddExp, ddLog, ddMulD, ddSub, ef, mulPow2, twoProd, twoSum, halfPiSquaresDD } from './exact.ts';
import { ScheduleConfigError } from './errors.ts';
import { bool, list, logRange, num, resolveFields, single, type FieldTable } from './fields.ts';
import { HALF_PI, ScheduleBase, type FillOutput } from './schedule.ts';
import type { Resolved, StepList } from './types.ts';

const CLS = 'CosineAnneal';

/** `CosineAnneal { from, to, period, offset = 0, exponent = 1, hold = true }`. */
export interface CosineAnnealConfig {
  /** The value at x = 0 (step −offset). */
  from: number;
  /** The value at x = 1 (step period − offset). */
  to: number;
  /** Steps from x = 0 to x = 1 (> 0; any positive real). */
  period: number;
  /** Added to the step: x = (t + offset) / period. */
  offset?: number;
  /** The power of the cosine factor (> 0; ≠ 1 only with hold, as Optax's exponent). */
  exponent?: number;
  /** Clamp x to [0, 1] (true), or the periodic cosine for every x (false). */
  hold?: boolean;
}

/** Below this quotient (t + offset)/period the periodic reduction is done in double-double; above, exactly with BigInt. */
const Q_DD = 2 ** 40;

/**
 * `v = to + (from − to)·g^exponent`, `g = (1 + cos(π·x))/2`, `x = (t + offset)/period`; with
 * `hold` x is clamped to [0, 1] (`from` before, `to` after), without it the cosine is periodic
 * (period 2 in x: it rises back to `from` at x = 2, as PyTorch's CosineAnnealingLR past T_max).
 *
 * Evaluated as `to·(1 − G) + from·G`, G = g^exponent, with g = cos²(π/2·d/P) and 1 − g =
 * sin²(π/2·d/P) both from the smaller distance d to the nearer end (exact: TwoSum distances,
 * the periodic x reduced exactly modulo 2), 1 − G = −expm1(exponent·log g): no cancellation
 * anywhere when from and to have one sign (≲ 10 ulp). Where they have two signs and the terms
 * cancel by more than 2^9 the value is recomputed in double-double (≲ 2^-100 of the terms), with
 * g exact where it is rational (x ∈ {1/3, 1/2, 2/3}), so a zero at such a step is exactly 0.
 * Exact at x = 0 (`from`) and x = 1 (`to`) and wherever held. Relative error ≤ 1e-12 except
 * within ~2^-60 of an irrational zero of the curve, where the absolute error is ≲ 2^-100·max(|from|, |to|).
 *
 * @example
 * const s = new CosineAnneal({ from: 0.1, to: 0, period: 1000 });
 * s.at(0);    // 0.1
 * s.at(500);  // 0.05
 * s.at(1000); // 0
 */
export class CosineAnneal extends ScheduleBase<'CosineAnneal', Resolved<CosineAnnealConfig>> {
  readonly kind = 'CosineAnneal' as const;
  /** The field table (the contract's order): keys, defaults, rules, explorer hints (no Keras keys). */
  static readonly fields = [
    { name: 'from', type: 'float', rule: 'finite', explorer: num('value at x = 0 (the cosine peak)', logRange(1e-3, 1e-1, 10)) },
    { name: 'to', type: 'float', rule: 'finite', explorer: num('value at x = 1 (the floor)', single(0)) },
    { name: 'period', type: 'step', rule: '> 0', explorer: num('steps from x = 0 to x = 1', list(1000, 5000, 10000)) },
    { name: 'offset', type: 'float', default: 0, rule: 'finite', explorer: num('added to the step: x = (step + offset) / period', single(0)) },
    { name: 'exponent', type: 'float', default: 1, rule: '> 0', explorer: num('power of the cosine factor (1: plain cosine; needs hold otherwise)', single(1)) },
    { name: 'hold', type: 'bool', default: true, rule: 'boolean', explorer: bool('hold the ends (false: periodic, rising again past x = 1)', single(true)) },
  ] as const satisfies FieldTable<CosineAnnealConfig>;
  readonly #from: number;
  readonly #to: number;
  readonly #P: number;
  readonly #off: number;
  readonly #e: number;
  readonly #hold: boolean;
  readonly #k: number;
  readonly #sameSign: boolean;

  /** Builds and validates (docs/semantics.md#validation): finite numbers, period > 0, exponent > 0 and 1 unless held. */
  constructor(config: CosineAnnealConfig) {
    const r = resolveFields<CosineAnnealConfig>(CLS, CosineAnneal.fields, config);
    if (r.exponent !== 1 && !r.hold) {
      throw new ScheduleConfigError(`${CLS}.exponent`, r.exponent, 'must be 1 when hold is false (the exponent shapes a held anneal, as Optax\'s; the periodic cosine has none): set hold: true or exponent: 1');
    }
    super(r);
    this.#from = r.from;
    this.#to = r.to;
    this.#P = r.period;
    this.#off = r.offset;
    this.#e = r.exponent;
    this.#hold = r.hold;
    this.#k = HALF_PI / r.period;
    this.#sameSign = !(r.from * r.to < 0);
  }

  protected valueAt(t: number): number {
    const off = this.#off;
    const P = this.#P;
    // d = t + offset = h0 + l0 exactly (TwoSum)
    const h0 = t + off;
    const bb = h0 - t;
    const l0 = t - (h0 - bb) + (off - bb);
    if (h0 === 0) return this.#from;
    if (this.#hold) {
      if (h0 < 0) return this.#from;
      // u = P − d as uh + ul (TwoSum of P and −h0, then − l0); correctly rounded where small
      twoSum(P, -h0);
      const uh = ef.hi;
      const ul = ef.lo - l0;
      let u = uh + ul;
      if (Math.abs(u) < 1e-6 * (P + h0)) u = exactSum(P, -h0, -l0);
      if (u <= 0) return this.#to;
      return this.#combine(u, h0 + l0, false, uh, ul, h0, l0);
    }
    return this.#periodic(h0, l0);
  }

  /** hold = false: x reduced exactly to r ∈ [0, P) of half-period q; even q descends from `from`, odd q rises from `to`. */
  #periodic(h0: number, l0: number): number {
    const P = this.#P;
    let q = Math.floor((h0 + l0) / P);
    let rh: number;
    let rl: number;
    if (Math.abs(q) < Q_DD) {
      // r = d − q·P as a double-double: q·P = p + pe exactly (TwoProd)
      const red = (qq: number): void => {
        twoProd(qq, P);
        const p = ef.hi;
        const pe = ef.lo;
        twoSum(h0, -p);
        rh = ef.hi;
        rl = ef.lo + (l0 - pe);
        const s = rh + rl;
        rl = rl - (s - rh);
        rh = s;
      };
      red(q);
      if (rh! < 0) red(--q);
      else if (rh! >= P) red(++q);
    }
    let odd = Math.abs(q % 2) === 1;
    if (!(Math.abs(q) < Q_DD)) {
      const x = exactReduce(h0, l0, P);
      odd = x.odd;
      rh = x.rh;
      rl = x.rl;
    }
    if (rh! === 0 && rl! === 0) return odd ? this.#to : this.#from;
    twoSum(P, -rh!);
    const uh = ef.hi;
    const ul = ef.lo - rl!;
    const u = uh + ul;
    if (u <= 0) return odd ? this.#from : this.#to; // (r rounds up to P: the next anchor)
    return this.#combine(u, rh! + rl!, odd, uh, ul, rh!, rl!);
  }

  /**
   * to·(1 − G) + from·G from the distances u to the end and d from the start of the half period
   * (u + d = P; `rising`: g and 1 − g swap), uh + ul and dh + dl the same as double-doubles.
   */
  #combine(u: number, d: number, rising: boolean, uh: number, ul: number, dh: number, dl: number): number {
    const useU = u <= d;
    const x = this.#k * (useU ? u : d);
    const sn = Math.sin(x);
    const cs = Math.cos(x);
    // g = ½(1 + cos(π·d/P)) = sin²(π/2·u/P) = cos²(π/2·d/P), h = 1 − g
    let g = useU ? sn * sn : cs * cs;
    let h = useU ? cs * cs : sn * sn;
    if (rising) [g, h] = [h, g];
    let G = g;
    let H = h;
    const e = this.#e;
    if (e !== 1) {
      const lg = g >= 0.5 ? Math.log1p(-h) : Math.log(g);
      G = Math.exp(e * lg);
      H = -Math.expm1(e * lg);
    }
    const A = this.#to * H;
    const B = this.#from * G;
    const v = A + B;
    if (this.#sameSign || Math.abs(v) * 512 >= Math.abs(A) + Math.abs(B)) return v;
    return this.#ddValue(useU ? uh : dh, useU ? ul : dl, useU !== rising);
  }

  /** The same in double-double from the smaller distance m = mh + ml; `sinSide`: g = sin²(π/2·m/P) (else cos²). */
  #ddValue(mh: number, ml: number, sinSide: boolean): number {
    const P = this.#P;
    const { s2, c2 } = halfPiSquaresDD(mh, ml, P);
    let G = sinSide ? s2 : c2;
    let H = sinSide ? c2 : s2;
    if (this.#e !== 1) {
      G = ddExp(ddMulD(ddLog(G), this.#e, dd(0)));
      H = ddSub(dd(1), G, dd(0));
    }
    const v = ddAdd(ddMulD(H, this.#to, dd(0)), ddMulD(G, this.#from, dd(0)), dd(0));
    return v.hi + v.lo;
  }

  protected fillRange(start: number, stride: number, count: number, out: FillOutput): void {
    for (let i = 0; i < count; i++) out[i] = this.valueAt(start + i * stride);
  }

  protected fillList(list: StepList, n: number, out: FillOutput): void {
    for (let i = 0; i < n; i++) out[i] = this.valueAt(list[i] as number);
  }
}

/** d = h0 + l0 = q·P + r, 0 ≤ r < P, exactly with BigInt (a quotient beyond 2^40): the parity of q and r as a double-double. */
function exactReduce(h0: number, l0: number, P: number): { odd: boolean; rh: number; rl: number } {
  const a = toRat(h0);
  const b = toRat(l0);
  const p = toRat(P);
  const e = Math.min(a.e, b.e, p.e);
  const D = (a.m << BigInt(a.e - e)) + (b.m << BigInt(b.e - e));
  const Pm = p.m << BigInt(p.e - e);
  let q = D / Pm;
  let r = D - q * Pm;
  if (r < 0n) {
    r += Pm;
    q -= 1n;
  }
  const top = Number(r);
  return { odd: q % 2n !== 0n, rh: mulPow2(top, e), rl: mulPow2(Number(r - BigInt(top)), e) };
}

/** A finite double as m·2^e (BigInt m). */
function toRat(x: number): { m: bigint; e: number } {
  if (x === 0) return { m: 0n, e: 0 };
  let e = 0;
  let m = x;
  while (!Number.isInteger(m)) {
    m *= 2;
    e--;
  }
  while (Math.abs(m) > 2 ** 53) {
    m /= 2;
    e++;
  }
  return { m: BigInt(m), e };
}
