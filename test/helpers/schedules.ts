import {
  CosineDecay,
  CosineDecayRestarts,
  ExponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  type Schedule,
} from '../../src/index.ts';

/** One schedule of each kind plus variants (warmup, restarts with m_mul, staircase, cycle, power). */
export function mixedSchedules(): Schedule[] {
  return [
    new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 }),
    new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, alpha: 0.01, warmupTarget: 1, warmupSteps: 100 }),
    new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 100, mMul: 0.9 }),
    new CosineDecayRestarts({ initialLearningRate: 0.05, firstDecaySteps: 64, tMul: 1, mMul: 0.8, alpha: 0.1 }),
    new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 }),
    new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 7, decayRate: 0.96, staircase: true }),
    new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 1000, power: 2 }),
    new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 300, cycle: true, endLearningRate: 0.001 }),
    new PiecewiseConstantDecay({ boundaries: [10, 100, 1000], values: [1, 0.5, 0.1, 0.01] }),
    new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }),
    new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }),
  ];
}

/** Edge steps (docs/accuracy.md#how-tests-judge-a-float) for the schedules above, plus the u32 extremes. */
export const EDGE_STEPS: readonly number[] = [
  0, 1, 6, 7, 8, 9, 10, 11, 63, 64, 65, 99, 100, 101, 127, 128, 129, 299, 300, 301, 300 * 7, 999, 1000, 1001,
  2 ** 24 - 1, 2 ** 24, 2 ** 24 + 1, 2 ** 31, 2 ** 32 - 2, 2 ** 32 - 1,
];
