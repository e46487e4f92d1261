/**
 * CosineDecayRestarts with t_mul = 2 and an integer first_decay_steps D: period k starts at
 * D * (2^k - 1), so the kernel takes the period row as firstLeadingBit(s / D + 1) - k0 and the
 * row's start from the integers (FLAG_DOUBLING) instead of the table search, and where no period
 * of the window is clamped at 2^32 - 1 also the row's last step, extra and 1 / length
 * (FLAG_DOUBLING_INTS). The packer must
 * mark exactly the schedules and windows where that holds, and the kernel must keep the bound of
 * docs/accuracy.md at every period start ±1, also for windows whose table starts past period 0.
 */
import { describe, expect, test } from 'vitest';
import { packSchedules, WGSL_CONSTS, type StepWindow } from '../src/kernels/index.ts';
import { CosineDecayRestarts } from '../src/schedules/cosine-decay-restarts.ts';
import { expectGpuCases, type GpuCase } from './helpers/gpu-cases.ts';
import { U32_MAX, uniqSteps } from './helpers/kernels-accuracy.ts';

const flagSet = (flag: number) => (s: CosineDecayRestarts, w: StepWindow): boolean => ((new Uint32Array(packSchedules([s], w).params)[1] ?? 0) & flag) !== 0;
const doublingFlag = flagSet(WGSL_CONSTS.FLAG_DOUBLING);
const intsFlag = flagSet(WGSL_CONSTS.FLAG_DOUBLING_INTS);

describe('CosineDecayRestarts t_mul = 2, integer D: period row without the search', () => {
  test('the packer marks t_mul = 2 with an integer D, and nothing else', () => {
    const r = (D: number, tMul: number) => new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: D, tMul, mMul: 0.9 });
    expect(WGSL_CONSTS.FLAG_DOUBLING).toBeGreaterThan(0);
    for (const D of [1, 7, 1000, 16384, 3e9]) expect(doublingFlag(r(D, 2), { minStep: 0, maxStep: U32_MAX - 1 }), `D = ${D}`).toBe(true);
    expect(doublingFlag(r(1000, 2), { minStep: 5_000_000, maxStep: 4e9 })).toBe(true);
    // s / D + 1 would wrap at s = 2^32 - 1 with D = 1
    expect(doublingFlag(r(1, 2), { minStep: 0, maxStep: U32_MAX })).toBe(false);
    for (const [D, tMul] of [[100.5, 2], [1000, 1.5], [1000, 3], [7, 1.01], [12.5, 1]] as const) expect(doublingFlag(r(D, tMul), { minStep: 0, maxStep: 100_000 }), `D = ${D}, t_mul = ${tMul}`).toBe(false);
  });

  test('FLAG_DOUBLING_INTS (last step, extra and 1 / length from D and k) exactly where no period of the window ends past 2^32 - 1', () => {
    const r = (D: number) => new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: D, tMul: 2, mMul: 0.9 });
    for (const D of [1, 7, 1000, 16384, 3e9]) {
      // the window ends in the period that starts at or before 2^32 - 2: it ends past 2^32 - 1 but for D = 1
      expect(intsFlag(r(D), { minStep: 0, maxStep: U32_MAX - 1 }), `D = ${D}, to 2^32 - 2`).toBe(D === 1);
      expect(intsFlag(r(D), { minStep: 0, maxStep: 2 ** 20 }), `D = ${D}, to 2^20`).toBe(true);
    }
    expect(intsFlag(new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 1000, tMul: 1.5 }), { minStep: 0, maxStep: 2 ** 20 })).toBe(false);
  });

  test('every period start ±1 within the bound, windows from period 0 and past it', async () => {
    const cases: GpuCase[] = [];
    for (const D of [1, 3, 1000, 12345, 3e9])
      for (const mMul of [1, 0.9, 1.1])
        for (const minStep of [0, 5000, 2 ** 31 + 7])
          for (const toEnd of [true, false]) {
            const s = new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: D, tMul: 2, mMul, alpha: 0.01 });
            // to 2^32 - 2 (its last period ends past 2^32 - 1: no FLAG_DOUBLING_INTS but for D = 1), or to
            // the last step of the period before (FLAG_DOUBLING_INTS)
            const maxStep = toEnd ? U32_MAX - 1 : s.period(s.periodIndex(U32_MAX - 1) - 1).nextFirstStep - 1;
            if (minStep > maxStep) continue;
            const st: number[] = [minStep, maxStep];
            for (let k = 0; k <= s.periodIndex(maxStep); k++) {
              const b = s.period(k).firstStep;
              for (const x of [b - 1, b, b + 1, b + Math.floor(D / 3)]) if (x >= minStep && x <= maxStep) st.push(x);
            }
            const window = { minStep, maxStep };
            expect(doublingFlag(s, window), JSON.stringify({ D, mMul, minStep })).toBe(true);
            expect(intsFlag(s, window), JSON.stringify({ D, mMul, minStep, maxStep })).toBe(!toEnd || D === 1);
            cases.push({ s, steps: uniqSteps(st), window });
          }
    await expectGpuCases(cases);
  });
});
