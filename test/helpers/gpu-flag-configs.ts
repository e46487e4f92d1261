/**
 * Configs that take every flag path of each kind's kernel, and the steps to run them at: shared
 * by the tests that check that pipelines specialised by kind and flags, and the one-row entry
 * points, write the bits of the unspecialised eval_list pipeline (the one the GPU accuracy
 * tests judge).
 */
import { createSchedule, type ConfigByKind, type Schedule, type ScheduleKind } from '../../src/index.ts';
import { EDGE_STEPS } from './schedules.ts';

/** Configs per kind that take each flag path of its kernel (staircase, warmup, tables, growth, hold, modes, the three k_shift ranges of the fixed-point exponent, …). */
export const FLAG_PATH_CONFIGS: { readonly [K in ScheduleKind]: readonly Record<string, unknown>[] } = {
  CosineDecay: [
    { initialLearningRate: 0.1, decaySteps: 1000 },
    { initialLearningRate: 0.1, decaySteps: 1000, alpha: 0.01, warmupTarget: 1, warmupSteps: 100 },
    { initialLearningRate: 0.1, decaySteps: 1234.5, alpha: 0.1 },
  ],
  CosineDecayRestarts: [
    { initialLearningRate: 0.1, firstDecaySteps: 100, mMul: 0.9 },
    // t_mul 2 with the last period past 2^32 - 1 (its last step clamped): FLAG_DOUBLING without FLAG_DOUBLING_INTS
    { initialLearningRate: 0.1, firstDecaySteps: 3e9, mMul: 0.9 },
    { initialLearningRate: 0.1, firstDecaySteps: 100, tMul: 1.5, mMul: 0.9 },
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
    // inline lists of each length class (the count n is in the flags: one pipeline per n)
    { boundaries: [5], values: [2, 0.25] },
    { boundaries: [3, 30, 300, 3000], values: [1, 0.5, 0.25, 0.125, 0.0625] },
    { boundaries: [2.5, 40, 41, 600, 7000], values: [1, 2, 3, 4, 5, 6] },
    { boundaries: [1, 2, 4, 8, 16, 32, 64, 128], values: [9, 8, 7, 6, 5, 4, 3, 2, 1] },
    // folded on the host: -3 (no step at or below it) and 2^32 - 0.5 (no step past its floor)
    { boundaries: [-3, 20, 4294967295.5], values: [1, 0.5, 0.25, 0.125] },
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
export const FLAG_PATH_STEPS = Uint32Array.from(new Set([...EDGE_STEPS, ...Array.from({ length: 2500 }, (_, i) => i), 5000, 20_000, 123_456, 10_000_000])).sort();

/** The step window of FLAG_PATH_STEPS, as packSchedules takes it. */
export const FLAG_PATH_WINDOW = { minStep: FLAG_PATH_STEPS[0]!, maxStep: FLAG_PATH_STEPS[FLAG_PATH_STEPS.length - 1]! };

/** A kind's FLAG_PATH_CONFIGS as schedules, in their order. */
export function flagPathSchedules(kind: ScheduleKind): Schedule[] {
  return FLAG_PATH_CONFIGS[kind].map((c) => createSchedule(kind, c as unknown as ConfigByKind[typeof kind]) as Schedule);
}

/** The bits of float32 values (to compare them exactly, −0 and NaN payloads included). */
export function bits(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}
