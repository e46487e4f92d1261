/**
 * The evaluator runs a part on a pipeline specialised for its rows' kind (SCHEDULE_KIND) and,
 * when the rows share their flags word, for those flags too (SCHEDULE_FLAGS,
 * src/kernels/index.ts pipelineConstants). The GPU accuracy tests judge the unspecialised
 * pipeline (test/helpers/kernels-dispatch.ts without constants); this test checks that every
 * specialisation writes the same bits as it, for every kind and every flag path below, so
 * those tests' verdict holds for the pipelines the evaluator uses.
 */
import { describe, expect, test } from 'vitest';
import { createSchedule, type ConfigByKind, type Schedule, type ScheduleKind } from '../src/index.ts';
import { FLAGS_OVERRIDE, KIND_OVERRIDE, packSchedules, pipelineConstants } from '../src/kernels/index.ts';
import { SCHEDULE_KINDS } from '../src/schedules/registry.ts';
import { requireDevice } from './helpers/gpu.ts';
import { evalList } from './helpers/kernels-dispatch.ts';
import { EDGE_STEPS } from './helpers/schedules.ts';

/** Configs per kind that take each flag path of its kernel (staircase, warmup, tables, growth, hold, modes, the three k_shift ranges of the fixed-point exponent, …). */
const CONFIGS: { readonly [K in ScheduleKind]: readonly Record<string, unknown>[] } = {
  CosineDecay: [
    { initialLearningRate: 0.1, decaySteps: 1000 },
    { initialLearningRate: 0.1, decaySteps: 1000, alpha: 0.01, warmupTarget: 1, warmupSteps: 100 },
    { initialLearningRate: 0.1, decaySteps: 1234.5, alpha: 0.1 },
  ],
  CosineDecayRestarts: [
    { initialLearningRate: 0.1, firstDecaySteps: 100, mMul: 0.9 },
    { initialLearningRate: 0.05, firstDecaySteps: 64, tMul: 1, mMul: 0.8, alpha: 0.1 },
    { initialLearningRate: 0.05, firstDecaySteps: 64, tMul: 1, mMul: 1 },
    { initialLearningRate: 0.05, firstDecaySteps: 1e6, tMul: 1, mMul: 1.0001 },
    { initialLearningRate: 0.05, firstDecaySteps: 1e6 + 0.5, tMul: 1, mMul: 0.9 },
  ],
  ExponentialDecay: [
    { initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 },
    { initialLearningRate: 0.1, decaySteps: 7, decayRate: 0.96, staircase: true },
    { initialLearningRate: 1e-6, decaySteps: 1e8, decayRate: 1.01 },
    { initialLearningRate: 0.1, decaySteps: 2.5, decayRate: 0.999999 },
    { initialLearningRate: 0.1, decaySteps: 1, decayRate: 1e-6 },
    { initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.01, staircase: true },
  ],
  PiecewiseConstantDecay: [
    { boundaries: [10, 100, 1000], values: [1, 0.5, 0.1, 0.01] },
    { boundaries: Array.from({ length: 20 }, (_, i) => 7 * (i + 1) ** 3), values: Array.from({ length: 21 }, (_, i) => 1 / (i + 1)) },
  ],
  PolynomialDecay: [
    { initialLearningRate: 0.1, decaySteps: 1000, power: 2 },
    { initialLearningRate: 0.1, decaySteps: 300, cycle: true, endLearningRate: 0.001 },
    { initialLearningRate: 0.1, decaySteps: 300.25, power: 1 },
    { initialLearningRate: 0.1, decaySteps: 300, power: 0 },
    { initialLearningRate: 0.1, decaySteps: 777, power: 0.5, cycle: true, endLearningRate: 0.01 },
  ],
  InverseTimeDecay: [
    { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 },
    { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true },
  ],
  Constant: [{ value: 0.25 }],
  Linear: [
    { from: 0.1, to: 0.01, steps: 1000 },
    { from: 0.05, to: 0.1, steps: 1000, offset: -10.5, hold: false },
  ],
  CosineAnneal: [
    { from: 0.1, to: 0.001, period: 1000 },
    { from: 0.1, to: 0.001, period: 777.25, offset: -50, exponent: 2 },
    { from: 0.1, to: 0.001, period: 1000, hold: false },
  ],
  SqrtAnneal: [
    { from: 0.1, to: 0.001, steps: 1000 },
    { from: 0.1, to: 0.001, steps: 1000.5, reverse: true },
  ],
  InverseSqrt: [{ value: 0.1, timescale: 100 }],
  Cyclic: [
    { baseLr: 0.001, maxLr: 0.1, stepSizeUp: 100 },
    { baseLr: 0.001, maxLr: 0.1, stepSizeUp: 100, stepSizeDown: 50, mode: 'triangular2' },
    { baseLr: 0.001, maxLr: 0.1, stepSizeUp: 100, mode: 'exp_range', gamma: 0.999 },
    { baseLr: 0.1, maxLr: 0.001, stepSizeUp: 100, mode: 'exp_range', gamma: 0.99 },
    { baseLr: 0.1, maxLr: 0.001, stepSizeUp: 100, mode: 'triangular2' },
  ],
};

/** Edge steps and a dense run near the start, sorted and unique. */
const STEPS = Uint32Array.from(new Set([...EDGE_STEPS, ...Array.from({ length: 2500 }, (_, i) => i), 5000, 20_000, 123_456, 10_000_000])).sort();

function bits(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

describe('pipelines specialised by kind and flags write the bits of the unspecialised pipeline', () => {
  test.each(SCHEDULE_KINDS)('%s: every config, specialised by kind alone and by kind and flags, equals the mixed pipeline bit for bit', async (kind) => {
    const { device } = await requireDevice();
    const schedules: Schedule[] = CONFIGS[kind].map((c) => createSchedule(kind, c as unknown as ConfigByKind[typeof kind]) as Schedule);
    const window = { minStep: STEPS[0]!, maxStep: STEPS[STEPS.length - 1]! };
    const mixed = bits(await evalList(device, schedules, STEPS));
    const byKind = bits(await evalList(device, schedules, STEPS, pipelineConstants(schedules)));
    expect(byKind).toEqual(mixed);
    for (const [i, s] of schedules.entries()) {
      const constants = pipelineConstants([s], packSchedules([s], window).params);
      expect(constants?.[FLAGS_OVERRIDE], `config #${i} gets a flags specialisation`).toBeTypeOf('number');
      expect(constants?.[KIND_OVERRIDE]).toBeTypeOf('number');
      const got = bits(await evalList(device, [s], STEPS, constants));
      expect(got, `config #${i} ${JSON.stringify(CONFIGS[kind][i])}`).toEqual(mixed.subarray(i * STEPS.length, (i + 1) * STEPS.length));
    }
  });
});
