/**
 * MultiStepLR's levels lr·gamma^k at many milestones (k = 10^6 by repeats, 2^18 distinct): the
 * reader takes gamma^k by powInt (src/schedules/exp-kernel.ts, binary powering in double-double,
 * not the engine's Math.pow, which may power in doubles: ~k·2^-53 off), so each level is within
 * 2u + 7(k − 1)u² of the exact lr·gamma^k (docs/dialects.md), for gamma near 1 and ordinary; the
 * schedule's at() and fills give those levels; and toPyTorch's MultiStepLR check takes the same
 * function, so it writes back exactly the levels the reader builds and refuses a level one ulp off.
 */
import { describe, expect, it } from 'vitest';
import { DialectError, PiecewiseConstantDecay, fromPyTorch, toPyTorch, type AnySchedule, type Schedule } from '../../src/index.ts';
import { multiStepLevel } from '../../src/dialects/pytorch.ts';
import * as B from '../oracle/bigfloat.ts';
import { expectSameAsAt } from '../helpers/cpu-contract.ts';
import { scaledPowIntBound } from '../helpers/pow-bound.ts';

const u = 2 ** -53;

/** |got − lr·gamma^k|/(lr·gamma^k), the power at 400 bits. */
function relErr(lr: number, gamma: number, k: number, got: number): number {
  const exact = B.mul(B.fromNumber(lr), B.exp(B.round(B.mul(B.fromNumber(k), B.ln(B.fromNumber(gamma))))));
  return B.toNumber(B.div(B.abs(B.sub(B.fromNumber(got), exact)), exact));
}

const multiStep = (milestones: number[], gamma: number, lr: number): AnySchedule =>
  fromPyTorch({ module: 'torch.optim.lr_scheduler', class_name: 'MultiStepLR', config: { milestones, gamma }, lr });

describe('MultiStepLR levels at many milestones', () => {
  it('level k = 10^6 − 1 and 10^6 (milestone 10 repeated, then 20) is within 2u + 7(k − 1)u² of lr·gamma^k; at() and fills give it', () => {
    const K = 1e6;
    const ms = [...new Array<number>(K - 1).fill(10), 20];
    let worst = 0;
    for (const gamma of [1 - 1e-7, 1 + 1e-9, 0.9999, 0.5, 0.9]) {
      const s = multiStep(ms, gamma, 0.1);
      for (const [step, k] of [[9, 0], [10, K - 1], [20, K]] as const) {
        const v = s.at(step);
        expect(v).toBe(multiStepLevel(0.1, gamma, k));
        if (k === 0) expect(v).toBe(0.1);
        else if (Math.abs(k * Math.log2(gamma)) < 1000) {
          const rel = relErr(0.1, gamma, k, v);
          if (!(rel <= scaledPowIntBound(k))) throw new Error(`gamma ${gamma}, k ${k}: ${v} off by ${rel} (bound ${scaledPowIntBound(k)})`);
          worst = Math.max(worst, rel / u);
        } else expect(v).toBe(0); // 0.5^k, 0.9^k at k ≈ 10^6: far below the subnormals
      }
      expectSameAsAt(s as Schedule, 0, 25, 1);
    }
    expect(worst).toBeGreaterThan(0.3); // reaches the roundings, not only exact values
  });

  it('toPyTorch writes back exactly the levels the reader builds (2^18 distinct milestones) and refuses a level one ulp off', () => {
    const N = 2 ** 18;
    const ms = Array.from({ length: N }, (_, i) => i + 1);
    for (const gamma of [1 - 1e-7, 1 + 1e-9, 0.9999]) {
      // lr a power of two: values[1]/values[0] gives gamma back exactly
      const read = multiStep(ms, gamma, 0.125);
      expect(read).toBeInstanceOf(PiecewiseConstantDecay);
      const { boundaries, values } = (read as PiecewiseConstantDecay).config;
      const plain = new PiecewiseConstantDecay({ boundaries: [...boundaries], values: [...values] });
      const w = toPyTorch(plain);
      expect(w.class_name).toBe('MultiStepLR');
      expect(w.config.gamma).toBe(gamma);
      const back = fromPyTorch(w);
      for (const step of [0, 1, 1000, N - 1, N, N + 5]) expect(back.at(step)).toBe(plain.at(step));
      const off = [...values];
      off[N] = (off[N] as number) * (1 + 2 ** -52); // the last level one ulp up (it is not a power of two)
      expect(off[N]).not.toBe(values[N]);
      expect(() => toPyTorch(new PiecewiseConstantDecay({ boundaries: [...boundaries], values: off }))).toThrow(DialectError);
      expect(() => toPyTorch(new PiecewiseConstantDecay({ boundaries: [...boundaries], values: off }))).toThrow(`values[${N}] would be ${values[N]}`);
    }
  });

  it('a sign change or a zero is refused by the gamma rule, before any level is formed', () => {
    for (const values of [[0.1, -0.05, 0.025], [0.1, 0, 0]]) {
      expect(() => toPyTorch(new PiecewiseConstantDecay({ boundaries: [9, 99], values }))).toThrow('must keep one sign and no zero');
    }
  });
});
