/**
 * Layer 0 schedules, CosineDecayRestarts: Keras's own test vectors (the values Keras's tests expect)
 * within the f64 reference bound (docs/accuracy.md#the-contract: relative 1e-12, exact at
 * the ends) and the exact ends and Keras behaviours kept (docs/semantics.md).
 * Cross-kind tests (properties, steps, validation, fill() = at()) are in common.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { CosineDecayRestarts } from '../../src/schedules/index.ts';
import { close, vec } from '../helpers/close.ts';

describe('Keras test vectors', () => {
  const steps6 = [0, 250, 500, 750, 1000, 1250];
  it('CosineDecayRestarts', () => {
    const R = (c: Partial<{ alpha: number; mMul: number; tMul: number }>) => new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 1000, ...c });
    vec(R({}), steps6, [1, 0.8535533905932737, 0.5, 0.14644660940672627, 1.0, 0.9619397662556434]);
    vec(R({ alpha: 0.1 }), steps6, [1, 0.8681980515339464, 0.55, 0.23180194846605365, 1.0, 0.9657457896300791]);
    vec(R({ mMul: 0.9 }), steps6, [1, 0.8535533905932737, 0.5, 0.14644660940672627, 0.9, 0.8657457896300791]);
    vec(R({ tMul: 1 }), steps6, [1, 0.8535533905932737, 0.5, 0.14644660940672627, 1.0, 0.8535533905932737]);
    expect(R({}).at(1000)).toBe(1);
    expect(R({ alpha: 0.1 }).at(1000)).toBe(1);
  });
});

describe('exact ends and the Keras behaviours kept (docs/semantics.md)', () => {
  it('CosineDecayRestarts: restarts at 10, 30, 70, 150 (t = 2), m_mul, alpha not scaled', () => {
    const r = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10 });
    for (const b of [10, 30, 70, 150, 310]) {
      expect(r.at(b)).toBe(1);
      expect(r.at(b - 1)).toBeLessThan(0.03);
    }
    const m = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, mMul: 0.5, alpha: 0.1 });
    close(m.at(0), 1);
    close(m.at(5), 0.55);
    close(m.at(10), 0.9 * 0.5 + 0.1);
    close(m.at(30), 0.9 * 0.25 + 0.1);
    close(m.at(70), 0.9 * 0.125 + 0.1);
    // (1.0, 1, t_mul = 3) at step 121 = (3^5 − 1)/2: the peak (naive f64 log gives 0.0)
    const t3 = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 1, tMul: 3 });
    expect(t3.at(121)).toBe(1);
    expect(t3.periodIndex(121)).toBe(5);
    expect(t3.periodIndex(120)).toBe(4);
    // (1.0, 1, t = 2) at 32767 = 2^15 − 1
    expect(new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 1 }).at(32767)).toBe(1);
  });
});
