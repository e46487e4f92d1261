/**
 * Issue F: regressions the fuzzer found in the f64 reference (src/schedules), judged
 * against exact values (keras-schedules.md Part A.1) and accuracy.md §4 through verify().
 */
import { describe, expect, it } from 'vitest';
import { CosineDecayRestarts, createEvaluator, verify } from '../src/index.ts';

describe('reference: no NaN where the exact value is finite', () => {
  it('CosineDecayRestarts with initial_learning_rate 0 and m_mul > 1 is exactly 0 after m_mul^k overflows', async () => {
    // Found by test/fuzz: 0 · m_mul^k gave NaN once m_mul^k overflowed f64 (k ≈ 1.7e8 here).
    const s = new CosineDecayRestarts({ initialLearningRate: 0, firstDecaySteps: 0.000976562500000006, tMul: 1.0000000670112972, mMul: 1.841321432487983, alpha: 0.9999999999999983 });
    const t1 = new CosineDecayRestarts({ initialLearningRate: 0, firstDecaySteps: 1, tMul: 1, mMul: 2 });
    for (const x of [2, 3, 1270105808, 2 ** 32 - 1]) expect(s.at(x)).toBe(0);
    for (const x of [1100, 5000, 2 ** 32 - 1]) expect(t1.at(x)).toBe(0);
    const ev = await createEvaluator({ backend: 'cpu' });
    const r = await ev.sweep([s, t1], Uint32Array.of(0, 2, 5000, 2 ** 32 - 1), { verify: 'all' });
    expect([...r.values]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    ev.destroy();
  });

  it('CosineDecayRestarts with alpha 1 is exactly initial_learning_rate at every step, also where m_mul^k overflows', () => {
    // (1 − α)·m_mul^k was 0 · ∞ = NaN.
    const s = new CosineDecayRestarts({ initialLearningRate: 0.5, firstDecaySteps: 1, tMul: 1, mMul: 2, alpha: 1 });
    const g = new CosineDecayRestarts({ initialLearningRate: 0.5, firstDecaySteps: 0.001, tMul: 1.000001, mMul: 3, alpha: 1 });
    for (const x of [0, 1, 1023, 1024, 1025, 5000, 2 ** 32 - 1]) {
      expect(s.at(x)).toBe(0.5);
      expect(g.at(x)).toBe(0.5);
    }
    const steps = Uint32Array.of(0, 1100, 5000, 2 ** 31, 2 ** 32 - 1);
    expect(verify([s, g], steps, Float32Array.from([...s.fill(steps), ...g.fill(steps)])).ok).toBe(true);
  });
});
