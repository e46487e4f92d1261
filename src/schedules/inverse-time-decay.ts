/**
 * keras.optimizers.schedules.InverseTimeDecay (docs/semantics.md#inversetimedecay).
 */
import { floorDiv, mulPow2, split } from './exact.ts';
import { LR0, NAME, bool, linRange, list, logRange, num, resolveFields, single, type FieldTable } from './fields.ts';
import { ScheduleBase, type FillOutput } from './schedule.ts';
import { stairRange } from './segments.ts';
import type { InverseTimeDecayConfig, Resolved, StepList } from './types.ts';

const CLS = 'InverseTimeDecay';

/**
 * Inverse-time decay: `lr(s) = lr0 / (1 + rate · s/D)`; with `staircase`,
 * `lr0 / (1 + rate · floor(s/D))` (exact floor). No clamping.
 *
 * Numerics: rate ≥ 0 and s ≥ 0, so 1 + x has no cancellation; x = (rate/D)·s
 * (two roundings; staircase: rate·floor(s/D), one), then 1 + x and the division:
 * relative error ≲ 4 ulp. Exact at step 0 and everywhere for rate = 0. Over the whole
 * double range: where floor(s/D) ≥ 2^53 (it may overflow: decay_steps 5e-324) x is
 * rate·s/D from exact power-of-two-scaled mantissas (so 5e-324 · (1/5e-324) is 1, not
 * 0·∞); when x is ∞ or above 2^1000, 1 + x = x to 2^-1000 and the value is
 * lr0·D/(rate·s) (staircase with floor(s/D) < 2^53: lr0/(rate·floor(s/D))), evaluated on
 * exact power-of-two-scaled mantissas so that no intermediate overflows or underflows
 * (≲ 4 ulp; a subnormal result is rounded twice, within one subnormal ulp).
 *
 * @example
 * const s = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.96 });
 * s.at(0);  // 0.1
 * s.at(1);  // 0.09124087591240876
 * s.at(10); // 0.05102040816326531
 * @see https://keras.io/api/optimizers/learning_rate_schedules/inverse_time_decay/
 */
export class InverseTimeDecay extends ScheduleBase<'InverseTimeDecay', Resolved<InverseTimeDecayConfig>> {
  readonly kind = 'InverseTimeDecay' as const;
  /** The field table (Keras's get_config order): keys, defaults, rules, explorer hints. */
  static readonly fields = [
    { ...LR0, explorer: num('rate at step 0', logRange(1e-3, 1e-1, 20)) },
    { name: 'decaySteps', keras: 'decay_steps', type: 'step', rule: '> 0', explorer: num('time scale', list(100, 1000)) },
    { name: 'decayRate', keras: 'decay_rate', type: 'float', rule: '≥ 0', explorer: num('lr / (1 + rate · step / decay_steps)', linRange(0.1, 2, 20)) },
    { name: 'staircase', keras: 'staircase', type: 'bool', default: false, rule: 'boolean', explorer: bool('decay in whole steps', single(false)) },
    NAME('InverseTimeDecay'),
  ] as const satisfies FieldTable<InverseTimeDecayConfig>;
  readonly #lr0: number;
  readonly #D: number;
  readonly #rate: number;
  readonly #c: number;
  readonly #staircase: boolean;

  /** Builds and validates (Part A.4): finite numbers, decaySteps > 0, decayRate ≥ 0. */
  constructor(config: InverseTimeDecayConfig) {
    const resolved = resolveFields<InverseTimeDecayConfig>(CLS, InverseTimeDecay.fields, config);
    super(resolved);
    const { initialLearningRate, decaySteps, decayRate, staircase } = resolved;
    this.#lr0 = initialLearningRate;
    this.#D = decaySteps;
    this.#rate = decayRate;
    this.#c = decayRate / decaySteps;
    this.#staircase = staircase;
  }

  protected valueAt(s: number): number {
    const lr0 = this.#lr0;
    const r = this.#rate;
    if (s === 0 || r === 0) return lr0;
    if (this.#staircase) {
      const q = floorDiv(s, this.#D);
      // q ≥ 2^53 (or ∞ when s/D overflows): floor(s/D) = s/D to 2^-53, and rate·s/D may
      // well be ordinary (decay_rate 5e-324 with decay_steps 5e-324): scaled product
      const x = q < 2 ** 53 ? r * q : quotient(r, s, this.#D, 1);
      if (x < 2 ** 1000) return lr0 / (1 + x);
      return q < 2 ** 53 ? quotient(lr0, 1, r, q) : quotient(lr0, this.#D, r, s);
    }
    const x = this.#c * s;
    if (x < 2 ** 1000) return lr0 / (1 + x);
    return quotient(lr0, this.#D, r, s);
  }

  protected fillRange(start: number, stride: number, count: number, out: FillOutput): void {
    const D = this.#D, l1 = this.#lr0, r1 = this.#rate;
    if (r1 === 0) out.fill(l1, 0, count);
    else if (this.#staircase && Number.isInteger(D) && D <= 2 ** 53) {
      // one fill per q: lr0/(1 + rate·q) (fastFill's value), or valueAt per step beyond its range
      stairRange(out, start, stride, count, D, (q) => {
        const x = r1 * q;
        return x < 2 ** 1000 && q < 2 ** 53 ? l1 / (1 + x) : Number.NaN;
      }, (s) => this.valueAt(s));
    } else fastFill(out, null, start, stride, count, this.#lr0, this.#D, this.#rate, this.#c, this.#staircase, (s) => this.valueAt(s));
  }

  protected fillList(list: StepList, n: number, out: FillOutput): void {
    if (this.#rate === 0) out.fill(this.#lr0, 0, n);
    else fastFill(out, list, 0, 0, n, this.#lr0, this.#D, this.#rate, this.#c, this.#staircase, (s) => this.valueAt(s));
  }
}

/**
 * valueAt over a range (list null) or a list, rate > 0, bit for bit: lr0/(1 + c·s), or with
 * staircase and an integer D ≤ 2^53 lr0/(1 + rate·q) with q = (s − s mod D)/D (exact: floorDiv's
 * value), one division per q; `ref` for every other case (x ≥ 2^1000, a fractional D with
 * staircase). Ranges reach the integer staircase only through fillRange's stairRange (one fill
 * per q), so here it serves lists, whose steps need not be in order: s mod D per step. Number parameters are copied through `x * 1` (see cosine-decay.ts).
 */
function fastFill(out: FillOutput, list: StepList | null, start: number, stride: number, count: number, lr0: number, D: number, rate: number, c: number, staircase: boolean, ref: (s: number) => number): void {
  const l1 = lr0 * 1, D1 = D * 1, r1 = rate * 1, c1 = c * 1, s0 = start * 1, ds = stride * 1;
  const intStair = staircase && Number.isInteger(D1) && D1 <= 2 ** 53;
  let lastQ = -1;
  let vq = l1;
  for (let i = 0; i < count; i++) {
    const s = list === null ? s0 + i * ds : (list[i] as number);
    if (s === 0) out[i] = l1;
    else if (!staircase) {
      const x = c1 * s;
      out[i] = x < 2 ** 1000 ? l1 / (1 + x) : ref(s);
    } else if (intStair) {
      const q = (s - (s % D1)) / D1;
      if (q !== lastQ) {
        lastQ = q;
        const x = r1 * q;
        vq = x < 2 ** 1000 && q < 2 ** 53 ? l1 / (1 + x) : Number.NaN;
      }
      out[i] = vq === vq ? vq : ref(s);
    } else out[i] = ref(s);
  }
}

/** (a·b)/(c·d) for finite a and positive finite b, c, d, with no intermediate overflow or underflow (mantissas in [1, 2), exponents summed exactly). */
function quotient(a: number, b: number, c: number, d: number): number {
  if (a === 0) return a;
  const [ma, ea] = split(a);
  const [mb, eb] = split(b);
  const [mc, ec] = split(c);
  const [md, ed] = split(d);
  return mulPow2((ma * mb) / (mc * md), ea + eb - ec - ed);
}
