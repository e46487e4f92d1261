/**
 * GPU accuracy of PolynomialDecay with an integer power 2 … 8 (FLAG_POW_INT: p products of r,
 * shaders/kinds/polynomial-decay.wgsl) against the f64 reference, judged only by the interval
 * of docs/accuracy.md#the-contract (k = 8 + 10·p), on the unspecialised pipeline and on the
 * one specialised by kind and flags (test/kernels-specialised.test.ts checks that they agree
 * bit for bit on other configs; here both are judged).
 */
import { afterAll, describe, expect, test } from 'vitest';
import { WGSL_CONSTS, packSchedules, pipelineConstants } from '../src/kernels/index.ts';
import { PolynomialDecay } from '../src/schedules/polynomial-decay.ts';
import { requireDevice } from './helpers/gpu.ts';
import { evalList } from './helpers/kernels-dispatch.ts';
import { gridFor, judge, summaryLines } from './helpers/kernels-accuracy.ts';

afterAll(() => {
  console.log(['GPU accuracy (PolynomialDecay, integer powers 2 … 8):', ...summaryLines()].join('\n'));
});

describe('PolynomialDecay with an integer power meets the bound of docs/accuracy.md', () => {
  test('powers 2 … 8, cycle or not, integer and fractional D, end 0 / 1e-4 / 0.15, on both pipelines', async () => {
    const { device } = await requireDevice();
    const failures: string[] = [];
    let seed = 9000;
    let i = 0;
    for (const power of [2, 3, 4, 5, 6, 7, 8])
      for (const D of [1, 1000, 1e5, 3e9, 999.5])
        for (const cycle of [false, true])
          for (const endLearningRate of [0, 1e-4, 0.15]) {
            if (cycle && !Number.isInteger(D)) continue;
            const s = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: D, endLearningRate, power, cycle });
            const steps = gridFor(D, [], { seed: seed++, dense: 1024, uniform: 1024, logN: 512 });
            const window = { minStep: steps[0]!, maxStep: steps[steps.length - 1]! };
            const constants = pipelineConstants([s], packSchedules([s], window).params);
            expect(constants?.SCHEDULE_FLAGS ?? 0, `power ${power} takes the product path`).toSatisfy((f: number) => (f & WGSL_CONSTS.FLAG_POW_INT) !== 0);
            failures.push(...judge([s], steps, await evalList(device, [s], steps), i));
            failures.push(...judge([s], steps, await evalList(device, [s], steps, constants), i));
            i++;
          }
    expect(failures.slice(0, 100).join('\n')).toBe('');
  });
});
