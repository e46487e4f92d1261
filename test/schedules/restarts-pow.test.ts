/**
 * CosineDecayRestarts with t_mul = 1 at large restart indices k = floor(s/D) (1e6, 1e7, 2^32, up
 * to 2^53): its amplitude lr0·(1 − α)·m_mul^k takes m_mul^k by powInt (src/schedules/exp-kernel.ts,
 * binary powering in double-double), not the engine's Math.pow, which on an engine that powers
 * integers in doubles is ~k·2^-53 off. Against the oracle (400 bits): a peak (α = 0, so the value
 * is the amplitude) within the derived bound 2u + 7(k − 1)u² (docs/accuracy.md), at() taking
 * powInt's double, and every value of the schedule, m_mul near 1 and ordinary, within the
 * reference contract (1e-12; f32 the rounding of such a double), its fills giving at()'s doubles
 * bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { CosineDecayRestarts } from '../../src/schedules/index.ts';
import { powBase, powInt } from '../../src/schedules/exp-kernel.ts';
import * as B from '../oracle/bigfloat.ts';
import { oracle } from '../oracle/schedules.ts';
import { checkAgainstOracle, expectSameAsAt } from '../helpers/cpu-contract.ts';
import { scaledPowIntBound } from '../helpers/pow-bound.ts';

const u = 2 ** -53;

/** m_mul^k by binary powering in doubles, as an engine's powi does: what the amplitude must not depend on. */
function powiDoubles(x: number, k: number): number {
  let r = 1;
  let b = x;
  for (let n = k; n > 0; n = Math.floor(n / 2)) {
    if (n % 2 === 1) r *= b;
    b *= b;
  }
  return r;
}

/** |got − exact|/exact against the oracle. */
function relErr(cfg: Record<string, unknown>, step: number, got: number): number {
  const exact = oracle('CosineDecayRestarts', cfg, step) as B.BF;
  return B.toNumber(B.div(B.abs(B.sub(B.fromNumber(got), exact)), B.abs(exact)));
}

const NEAR_ONE = [1 - 1e-7, 1 + 1e-9, 1 - 2 ** -53, 1 + 2 ** -52];
const KS = [1e6, 1e7, 2 ** 32 - 1, 2 ** 32, 2 ** 52 + 3, 2 ** 53 - 1];

describe('CosineDecayRestarts t_mul = 1: m_mul^k at large k', () => {
  it('a peak (α = 0) is lr0·powInt(m_mul, k), within 2u + 7(k − 1)u² of the exact lr0·m_mul^k', () => {
    let checked = 0;
    let worst = 0; // in u
    for (const mMul of NEAR_ONE)
      for (const k of KS) {
        if (Math.abs(k * Math.log2(mMul)) > 60) continue; // m_mul^k outside [2^-60, 2^60]: the 320-bit path
        for (const D of [1, 3]) {
          const s = k * D;
          if (s > 2 ** 53) continue;
          const cfg = { initialLearningRate: 0.1, firstDecaySteps: D, tMul: 1, mMul, alpha: 0 };
          const r = new CosineDecayRestarts(cfg);
          const v = r.at(s);
          expect(v).toBe(0.1 * powInt(powBase(mMul), k));
          const rel = relErr(cfg, s, v);
          if (!(rel <= scaledPowIntBound(k))) throw new Error(`m_mul ${mMul}, k ${k}, D ${D}: ${v} off by ${rel} (bound ${scaledPowIntBound(k)})`);
          worst = Math.max(worst, rel / u);
          checked++;
        }
      }
    expect(checked).toBeGreaterThan(25);
    expect(worst).toBeGreaterThan(0.3); // reaches the roundings, not only exact powers
  });

  it('the bound tells powInt from powering in doubles (m_mul 1 − 1e-7, k = 10^7: the latter is far off the bound)', () => {
    const cfg = { initialLearningRate: 1, firstDecaySteps: 1, tMul: 1, mMul: 1 - 1e-7, alpha: 0 };
    const k = 1e7;
    expect(relErr(cfg, k, new CosineDecayRestarts(cfg).at(k))).toBeLessThanOrEqual(scaledPowIntBound(k));
    expect(relErr(cfg, k, powiDoubles(1 - 1e-7, k))).toBeGreaterThan(100 * scaledPowIntBound(k));
  });

  it('meets the reference contract against the oracle around k = 1e6, 1e7, 2^32 (m_mul near 1 and 0.5, 0.9), fills = at()', () => {
    let checked = 0;
    for (const mMul of [...NEAR_ONE, 0.5, 0.9])
      for (const D of [1, 7, 1000])
        for (const alpha of [0, 0.01]) {
          const cfg = { initialLearningRate: 0.1, firstDecaySteps: D, tMul: 1, mMul, alpha };
          const r = new CosineDecayRestarts(cfg);
          for (const k of [1e6, 1e7, 2 ** 32]) {
            // the last steps of period k − 1, its restart, and steps into period k (stride D/3: every phase)
            const stride = Math.max(1, Math.floor(D / 3));
            const start = k * D - 2 * stride;
            checked += checkAgainstOracle(r, cfg, start, 6, stride).checked;
            expectSameAsAt(r, start, 6, stride);
          }
        }
    expect(checked).toBe(6 * 3 * 2 * 3 * 6);
  });

  it('near 2^53 with D = 1 (every step a new period, k ≈ 2^53): the contract, fills and step lists = at()', () => {
    for (const mMul of [1 - 2 ** -53, 1 + 2 ** -52, 1 - 1e-15])
      for (const alpha of [0, 0.01]) {
        const cfg = { initialLearningRate: 0.1, firstDecaySteps: 1, tMul: 1, mMul, alpha };
        const r = new CosineDecayRestarts(cfg);
        const start = 2 ** 53 - 8;
        expect(checkAgainstOracle(r, cfg, start, 9, 1).checked).toBe(9);
        expectSameAsAt(r, start, 9, 1);
        const list = Float64Array.from({ length: 9 }, (_, i) => 2 ** 53 - i);
        const got = r.fill(list, new Float64Array(9));
        list.forEach((s, i) => expect(got[i]).toBe(r.at(s)));
      }
  });
});
