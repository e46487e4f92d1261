/**
 * Layer 0 schedules, PolynomialDecay: Keras's own test vectors (the values Keras's tests expect)
 * within the f64 reference bound (docs/accuracy.md#the-contract: relative 1e-12, exact at
 * the ends) and the exact ends and Keras behaviours kept (docs/semantics.md).
 * Cross-kind tests (properties, steps, validation, fill() = at()) are in common.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { PolynomialDecay } from '../../src/schedules/index.ts';
import { close } from '../helpers/close.ts';

describe('Keras test vectors', () => {
  it('PolynomialDecay', () => {
    close(new PolynomialDecay({ initialLearningRate: 0.05, decaySteps: 10, endLearningRate: 0 }).at(5), 0.025);
    const a = new PolynomialDecay({ initialLearningRate: 0.05, decaySteps: 10, endLearningRate: 0.001 });
    expect(a.at(10)).toBe(0.001);
    close(a.at(5), 0.0255);
    expect(a.at(15)).toBe(0.001);
    close(new PolynomialDecay({ initialLearningRate: 0.05, decaySteps: 10, endLearningRate: 0.001, cycle: true }).at(15), 0.01325);
    close(new PolynomialDecay({ initialLearningRate: 0.05, decaySteps: 10, endLearningRate: 0, power: 0.5 }).at(5), 0.03535533905932738);
    const h = new PolynomialDecay({ initialLearningRate: 0.05, decaySteps: 10, endLearningRate: 0.001, power: 0.5 });
    expect(h.at(10)).toBe(0.001);
    close(h.at(5), 0.03564823227814083);
    expect(h.at(15)).toBe(0.001);
    close(new PolynomialDecay({ initialLearningRate: 0.05, decaySteps: 10, endLearningRate: 0.001, power: 0.5, cycle: true }).at(15), 0.0255);
    expect(new PolynomialDecay({ initialLearningRate: 0.001, decaySteps: 10, cycle: true }).at(0)).toBe(0.001);
  });
});

describe('exact ends and the Keras behaviours kept (docs/semantics.md)', () => {
  it('PolynomialDecay: cycle, step 0, k·D exactly end, power 0, increasing schedules', () => {
    const c = new PolynomialDecay({ initialLearningRate: 0.05, decaySteps: 10, endLearningRate: 0.001, cycle: true });
    const want = [0.05, 0.0451, 0.0255, 0.001, 0.02305, 0.001, 0.0157, 0.001];
    [0, 1, 5, 10, 11, 20, 21, 30].forEach((s, i) => close(c.at(s), want[i] as number));
    expect(c.at(10)).toBe(0.001);
    expect(c.at(30)).toBe(0.001);
    expect(c.at(10 * 2 ** 40)).toBe(0.001);
    const sq = new PolynomialDecay({ initialLearningRate: 1, decaySteps: 10, endLearningRate: 0, power: 2 });
    [0, 5, 10].forEach((s, i) => close(sq.at(s), [1, 0.25, 0][i] as number));
    const p0 = new PolynomialDecay({ initialLearningRate: 1, decaySteps: 10, endLearningRate: 0.3, power: 0 });
    expect([0, 5, 10, 11].map((s) => p0.at(s))).toEqual([1, 1, 1, 1]);
    const inc = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0.5 });
    close(inc.at(5), 0.3);
    expect(inc.at(10)).toBe(0.5);
    // increasing from 0: near step 0 the value is end·(1 − (1 − s/D)^p) ≈ end·p·s/D, no cancellation
    const inc0 = new PolynomialDecay({ initialLearningRate: 0, decaySteps: 1e9, endLearningRate: 1, power: 2 });
    close(inc0.at(1), 2e-9 - 1e-18); // 1 − (1 − 1e-9)^2
  });
});
