/**
 * Layer 0 schedules, CosineDecay: Keras's own test vectors (the values Keras's tests expect)
 * within the f64 reference bound (docs/accuracy.md#the-contract: relative 1e-12, exact at
 * the ends) and the exact ends and Keras behaviours kept (docs/semantics.md).
 * Cross-kind tests (properties, steps, validation, fill() = at()) are in common.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { CosineDecay } from '../../src/schedules/index.ts';
import { close, vec } from '../helpers/close.ts';

describe('Keras test vectors', () => {
  const steps6 = [0, 250, 500, 750, 1000, 1250];
  it('CosineDecay', () => {
    vec(new CosineDecay({ initialLearningRate: 1, decaySteps: 1000 }), steps6, [1, 0.8535533905932737, 0.5, 0.14644660940672627, 0, 0]);
    vec(new CosineDecay({ initialLearningRate: 1, decaySteps: 1000, alpha: 0.1 }), steps6, [1, 0.8681980515339464, 0.55, 0.23180194846605365, 0.1, 0.1]);
    const w1 = new CosineDecay({ initialLearningRate: 0, decaySteps: 10, warmupTarget: 10, warmupSteps: 1500 });
    vec(w1, steps6, [0, 1.6666666666666665, 3.333333333333333, 5, 6.666666666666666, 8.333333333333334]);
    const w2 = new CosineDecay({ initialLearningRate: 0, decaySteps: 1000, warmupTarget: 10, warmupSteps: 2000 });
    for (let s = 0; s <= 2000; s += 250) close(w2.at(s), s / 200);
    expect(w2.at(2000)).toBe(10);
    vec(w2, [2250, 2500, 2750], [8.535533905932738, 5.0, 1.4644660940672627]);
  });
});

describe('exact ends and the Keras behaviours kept (docs/semantics.md)', () => {
  it('CosineDecay: step 0 = lr0, end = lr·α exactly (0 for α = 0), flat after', () => {
    const s = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, alpha: 0.1 });
    expect(s.at(0)).toBe(0.1);
    expect(s.at(1000)).toBe(0.1 * 0.1);
    expect(s.at(2 ** 53)).toBe(0.1 * 0.1);
    const z = new CosineDecay({ initialLearningRate: 0.3, decaySteps: 777.25 });
    expect(z.at(777)).toBeGreaterThan(0);
    expect(z.at(778)).toBe(0);
    expect(z.at(0)).toBe(0.3);
  });
  it('CosineDecay warmup: strict <, + initial_learning_rate, decay from warmup_target, continuity', () => {
    const s = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, alpha: 0.1, warmupTarget: 1.0, warmupSteps: 100 });
    expect(s.at(0)).toBe(0.1);
    close(s.at(50), 0.55);
    close(s.at(99), 0.991);
    expect(s.at(100)).toBe(1.0); // decay branch, fraction 0
    close(s.at(600), 0.55);
    close(s.at(1100), 0.1);
    close(s.at(5000), 0.1);
    // continuity at the end of the warmup: the last warmup step is one linear step below the target
    close(s.at(100) - s.at(99), (1.0 - 0.1) / 100);
    // warmup_target with warmup_steps 0: decay starts from the target
    const t = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, warmupTarget: 0.5 });
    expect(t.at(0)).toBe(0.5);
    close(t.at(500), 0.25);
    expect(t.at(1000)).toBe(0);
    // warmup_steps ignored without a target
    const u = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, warmupSteps: 100 });
    expect(u.at(0)).toBe(0.1);
    close(u.at(100), 0.1 * 0.5 * (1 + Math.cos(Math.PI / 10)));
    // alpha outside [0, 1] is affine, as in Keras
    expect(new CosineDecay({ initialLearningRate: 1, decaySteps: 1000, alpha: 2 }).at(1000)).toBe(2);
    expect(new CosineDecay({ initialLearningRate: 1, decaySteps: 1000, alpha: -0.5 }).at(1000)).toBe(-0.5);
  });
  it('CosineDecay warmup with fractional warmup steps ends exactly', () => {
    const s = new CosineDecay({ initialLearningRate: 0, decaySteps: 10.5, warmupTarget: 1, warmupSteps: 0.5 });
    expect(s.at(0)).toBe(0);
    expect(s.at(11)).toBe(0); // 11 = D + W: the end
    expect(s.at(10)).toBeGreaterThan(0);
    close(s.at(1), 0.5 * (1 + Math.cos((Math.PI * 0.5) / 10.5)));
  });
});
