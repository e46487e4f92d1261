/**
 * Layer 0 schedules, InverseTimeDecay: Keras's own test vectors (the values Keras's tests expect)
 * within the f64 reference bound (docs/accuracy.md#the-contract: relative 1e-12, exact at
 * the ends).
 * Cross-kind tests (properties, steps, validation, fill() = at()) are in common.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { InverseTimeDecay } from '../../src/schedules/index.ts';
import { close, vec } from '../helpers/close.ts';

describe('Keras test vectors', () => {
  it('InverseTimeDecay', () => {
    const want = [
      0.1, 0.09124087591240876, 0.08389261744966443, 0.07763975155279504, 0.07225433526011561, 0.06756756756756757,
      0.06345177664974619, 0.059808612440191394, 0.05656108597285068, 0.053648068669527905, 0.05102040816326531,
    ];
    vec(new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.96 }), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], want);
    const st = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.96, staircase: true });
    for (let i = 0; i < 10; i++) expect(st.at(i)).toBe(0.1);
    close(st.at(10), 0.05102040816326531);
  });
});
