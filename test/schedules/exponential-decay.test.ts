/**
 * Layer 0 schedules, ExponentialDecay: Keras's own test vectors (the values Keras's tests expect)
 * within the f64 reference bound (docs/accuracy.md#the-contract: relative 1e-12, exact at
 * the ends).
 * Cross-kind tests (properties, steps, validation, fill() = at()) are in common.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ExponentialDecay } from '../../src/schedules/index.ts';
import { close } from '../helpers/close.ts';

describe('Keras test vectors', () => {
  it('ExponentialDecay', () => {
    close(new ExponentialDecay({ initialLearningRate: 0.05, decaySteps: 10, decayRate: 0.96 }).at(5), 0.048989794855663564);
    const st = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.96, staircase: true });
    expect(st.at(1)).toBe(0.1);
    expect(st.at(2)).toBe(0.1);
    close(st.at(100), 0.02599864358413614);
  });
});
