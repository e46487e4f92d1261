/**
 * powInt (src/schedules/exp-kernel.ts): ExponentialDecay's rate^q for an integer q, binary powering
 * in double-double, so that no engine's Math.pow decides it (an engine that takes an integer
 * power by binary powering in doubles is off by ~q·2^-53: 1.3e-10 for rate 1 − 1e-7, q = 1e7).
 * Against the oracle (400 bits) it is within its derived bound u + 7(q − 1)u² relative
 * (docs/accuracy.md), at q up to 2^32 and beyond, for rates near 1, tiny rates and rates above 1;
 * and the schedule with it meets the reference contract (1e-12; f32 the rounding of such a double)
 * up to where its values underflow to 0 or overflow to Infinity (docs/semantics.md: no clamping,
 * a value beyond the double range is ±0 or ±Infinity), its fills giving at()'s doubles bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { createSchedule, type Schedule } from '../../src/index.ts';
import { powBase, powInt } from '../../src/schedules/exp-kernel.ts';
import * as B from '../oracle/bigfloat.ts';
import { checkAgainstOracle, expectSameAsAt } from '../helpers/cpu-contract.ts';
import { powIntBound } from '../helpers/pow-bound.ts';

const u = 2 ** -53;

/** rate^q to 400 bits. */
const exactPow = (rate: number, q: number): B.BF => B.exp(B.round(B.mul(B.fromNumber(q), B.ln(B.fromNumber(rate)))));

const RATES = [1 - 1e-7, 1 - 2 ** -40, 1 + 1e-9, 1 - 2 ** -53, 1 + 2 ** -52, 0.96, 0.5, 3, 1e-5, 1e-300, 2 ** -1074, 2 ** 1000];

/** Integer q from 1 to where |ln rate^q| reaches `lnMax` (2^32 ± 1, 1e7, powers of two and random ones between). */
function qs(rate: number, lnMax: number): number[] {
  const top = Math.floor(lnMax / Math.abs(Math.log(rate)));
  const out = [1, 2, 3, 1e7, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1, 2 ** 53, 2 ** 60 + 2 ** 8, top, top - 1];
  for (let k = 4; k < 64; k += 3) out.push(2 ** k - 1, Math.floor(2 ** k * 1.37));
  return [...new Set(out)].filter((q) => q >= 1 && q <= top && q === Math.floor(q));
}

describe('powInt', () => {
  it('is within u + 7(q − 1)u² of rate^q (oracle) wherever rate^q is a normal double', () => {
    let checked = 0;
    let worst = 0; // in u
    for (const rate of RATES) {
      const pb = powBase(rate);
      for (const q of qs(rate, 1000 * Math.LN2)) {
        const exact = exactPow(rate, q);
        const got = powInt(pb, q);
        const rel = B.toNumber(B.div(B.abs(B.sub(B.fromNumber(got), exact)), exact));
        if (!(rel <= powIntBound(q))) throw new Error(`rate ${rate}, q ${q}: powInt ${got}, exact ≈ ${B.toNumber(exact)} (relative ${rel}, bound ${powIntBound(q)})`);
        worst = Math.max(worst, rel / u);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(150);
    expect(worst).toBeGreaterThan(0.3); // reaches the final rounding, not only exact powers
  });
});

describe('ExponentialDecay at large q', () => {
  // lr0, rate, D, staircase: steps run from q ≈ 1e7 and 2^32 to the underflow (rate < 1) or overflow (rate > 1) edge
  const cases: [number, number, number, boolean][] = [
    [0.1, 1 - 1e-7, 1, true],
    [0.1, 1 - 1e-7, 3, false],
    [0.37, 1 - 2 ** -40, 1, true],
    [0.37, 1 - 2 ** -40, 5, false],
    [0.1, 1 + 1e-9, 1, true],
    [1e-300, 1 + 1e-9, 2, false],
    [1e300, 1e-300, 1, true],
    [1e300, 1e-300, 4, false],
    [3e-300, 3, 1, true],
    [1, 2 ** -1074, 1, true],
  ];
  it('meets the reference contract against the oracle through the subnormal range to 0, and to Infinity', () => {
    let checked = 0;
    let edges = 0;
    for (const [lr0, rate, D, staircase] of cases) {
      const cfg = { initialLearningRate: lr0, decaySteps: D, decayRate: rate, staircase };
      const s = createSchedule('ExponentialDecay', cfg) as Schedule;
      const L = Math.log(rate);
      // the step where lr0·rate^(s/D) reaches 2^-1022 (rate < 1) or the double maximum (rate > 1), and 2^-1075
      const at = (v: number): number => Math.floor((Math.log(v / lr0) / L) * D);
      const marks = rate < 1 ? [at(2 ** -1022), at(2 ** -1075)] : [at(Number.MAX_VALUE)];
      const starts = [1e7 * D, 2 ** 32 * D - 2 * D, ...marks.map((m) => m - 3 * D)].filter((st) => st >= 0 && st + 6 * D < 2 ** 53);
      for (const st of starts) {
        checked += checkAgainstOracle(s, cfg, st, 6 * D + 1, 1).checked;
        expectSameAsAt(s, st, 6 * D + 1, 1);
      }
      const last = s.at(Math.min(2 ** 53, marks[marks.length - 1]! + 4 * D));
      expect(last).toBe(rate < 1 ? 0 : Infinity);
      edges++;
    }
    expect(edges).toBe(cases.length);
    expect(checked).toBeGreaterThan(cases.length * 15);
  });
});
