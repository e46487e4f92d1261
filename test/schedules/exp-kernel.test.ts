/**
 * expQ (src/schedules/exp-kernel.ts, fdlibm's exp), which ExponentialDecay's at() and fills take
 * for rate^(rem/D): within 1 ulp of e^y (oracle, 400 bits) over |y| ≤ 700, its reduction's branch
 * points (k·ln 2 ± ½·ln 2) included; and the schedule with it meets the reference contract
 * against the oracle (within 1e-12, f32 the rounding of such a double) for rates near 1, tiny
 * and huge rates (2^±989 just inside EXPQ_LOG2_RATE_MAX = 990, where fracPow takes expQ, and
 * 2^±991 just outside, where it takes Math.pow), fractional decay steps and steps
 * up to 2^32 − 1 and 2^53, while its fills give at()'s doubles bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { createSchedule, type Schedule } from '../../src/index.ts';
import { expQ } from '../../src/schedules/exp-kernel.ts';
import { EXPQ_LOG2_RATE_MAX, lnRate } from '../../src/schedules/exponential-decay.ts';
import * as B from '../oracle/bigfloat.ts';
import { checkAgainstOracle, expectSameAsAt } from '../helpers/cpu-contract.ts';
import { mulberry32 } from '../helpers/random.ts';

describe('expQ', () => {
  it('is within 1 ulp of e^y for |y| ≤ 700, the reduction boundaries included', () => {
    const r = mulberry32(0xe4b);
    const ys = [0, -0, 2 ** -1074, -1e-300, 1e-17, 2 ** -28, 0.5 * Math.LN2, -0.5 * Math.LN2, Math.LN2, 700, -700, 690, -690];
    for (let k = -1009; k <= 1009; k += 37) for (const d of [-0.5, -0.5 + 1e-15, 0.5 - 1e-15, 0.5]) ys.push((k + d) * Math.LN2);
    for (let i = 0; i < 3000; i++) ys.push((r() * 2 - 1) * (r() < 0.3 ? 1 : r() < 0.5 ? 700 : 1e-8));
    let worst = 0;
    for (const y of ys) {
      if (!(Math.abs(y) <= 700)) continue;
      const exact = B.exp(B.fromNumber(y));
      const e = B.toNumber(exact);
      const ulp = 2 ** (Math.floor(Math.log2(e)) - 52);
      const err = Math.abs(B.toNumber(B.sub(B.fromNumber(expQ(y)), exact))) / ulp;
      if (!(err < 1)) throw new Error(`y = ${y}: expQ ${expQ(y)}, exact ≈ ${e} (${err} ulp)`);
      worst = Math.max(worst, err);
    }
    expect(worst).toBeGreaterThan(0.3); // the grid reaches the kernel's rounding, not only exact cases
  });
});

const M = EXPQ_LOG2_RATE_MAX;
// just inside the expQ switch and just outside it, on both sides
const SWITCH = [2 ** -(M - 1), 2 ** (M - 1), 2 ** -(M + 1), 2 ** (M + 1)];

describe('ExponentialDecay with expQ', () => {
  it('takes expQ exactly for |log2 rate| ≤ EXPQ_LOG2_RATE_MAX and Math.pow beyond', () => {
    expect(M).toBe(990); // the number docs/accuracy.md states
    for (const rate of [...SWITCH, 2 ** -M, 2 ** M, 2 ** -M * (1 - 2 ** -53), 2 ** M * (1 + 2 ** -52)]) {
      const inside = rate >= 2 ** -M && rate <= 2 ** M; // |log2 rate| ≤ M
      const lnr = lnRate(rate);
      expect(Number.isNaN(lnr)).toBe(!inside);
      if (!inside) continue;
      // q = 0, f = ½: at(D/2) is lr0·1·expQ(½·lnr), one product (lr0 = 1: exact)
      const s = createSchedule('ExponentialDecay', { initialLearningRate: 1, decaySteps: 2, decayRate: rate }) as Schedule;
      expect(s.at(1)).toBe(expQ(0.5 * lnr));
    }
  });

  const rates = [0.9, 0.96, 0.5, 1 - 2 ** -40, 1 + 2 ** -40, 1.01, 1e-5, Math.exp(-689.9), Math.exp(-690.1), 1e-300, Math.exp(689), 3, ...SWITCH];
  it('meets the reference contract against the oracle: rates near 1, tiny and huge (both sides of the switch), fractional D, steps up to 2^53', () => {
    const r = mulberry32(0xe4c);
    let checked = 0;
    let maxUlp = 0;
    for (const rate of rates) {
      for (const D of [1, 7, 100, 999.25, 2 ** 20 + 0.5]) {
        const cfg = { initialLearningRate: 0.1 * (0.5 + r()), decaySteps: D, decayRate: rate, staircase: false };
        const s = createSchedule('ExponentialDecay', cfg) as Schedule;
        const span = Math.max(3, Math.ceil(D));
        // rate^(s/D) must stay representable: steps up to where the exponent is ~600 in log2
        const far = Math.min(2 ** 53, Math.floor((600 / Math.abs(Math.log2(rate))) * D));
        for (const [st, n, sd] of [[0, 2 * span, 1], [Math.max(0, far - 3 * span), 3 * span, 1], [Math.floor(far / 3), 50, 13]] as const) {
          const got = checkAgainstOracle(s, cfg, st, Math.min(n, 120), sd);
          checked += got.checked;
          maxUlp = Math.max(maxUlp, got.maxUlp);
          checked += expectSameAsAt(s, st, Math.min(n, 3000), sd);
        }
      }
    }
    expect(checked).toBeGreaterThan(rates.length * 5 * 300);
    expect(maxUlp).toBeLessThanOrEqual(0.5 + 1e-12 * 2 ** 24);
  });
});
