/**
 * Layer 0 schedules, PiecewiseConstantDecay: Keras's own test vectors (the values Keras's tests expect)
 * within the f64 reference bound (docs/accuracy.md#the-contract: relative 1e-12, exact at
 * the ends).
 * Cross-kind tests (properties, steps, validation, fill() = at()) are in common.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { PiecewiseConstantDecay } from '../../src/schedules/index.ts';

describe('Keras test vectors', () => {
  it('PiecewiseConstantDecay (inclusive upper boundaries, exact values)', () => {
    const s = new PiecewiseConstantDecay({ boundaries: [100, 110, 120], values: [1.0, 0.1, 0.01, 0.001] });
    expect([0, 100, 105, 110, 120, 999].map((x) => s.at(x))).toEqual([1.0, 1.0, 0.1, 0.1, 0.01, 0.001]);
    const t = new PiecewiseConstantDecay({ boundaries: [1, 2, 3], values: [0.4, 0.5, 0.6, 0.7] });
    expect([0, 1, 2, 3, 4].map((x) => t.at(x))).toEqual([0.4, 0.4, 0.5, 0.6, 0.7]);
  });
});
