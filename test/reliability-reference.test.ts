/**
 * Issue F: regressions the fuzzer found in the f64 reference (src/schedules), judged
 * against exact values (docs/semantics.md#the-reference-value) and docs/accuracy.md#the-contract through verify().
 */
import { describe, expect, it } from 'vitest';
import { CosineDecay, CosineDecayRestarts, InverseTimeDecay, PolynomialDecay, createEvaluator, verify, type Schedule } from '../src/index.ts';

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

/**
 * Values of extreme but valid configs against high-precision test vectors (mpmath,
 * 600 bits, from the Keras formulas of docs/semantics.md), within the f64
 * reference's bound of docs/accuracy.md#the-contract (relative error ≤ 1e-12); `at` and `fill` (list
 * and range) must give the same doubles.
 */
const REF_BOUND = 1e-12;

function expectNearExact(s: Schedule, vectors: readonly (readonly [number, number])[]): void {
  const steps = vectors.map(([x]) => x);
  const list = s.fill(Float64Array.from(steps));
  vectors.forEach(([x, exact], i) => {
    const got = s.at(x);
    const where = `${s.kind} ${JSON.stringify(s.config)} at ${x}: got ${got}, exact ${exact}`;
    expect(Number.isFinite(got), where).toBe(true);
    expect(Math.abs(got - exact) / Math.abs(exact), where).toBeLessThanOrEqual(REF_BOUND);
    expect(Object.is(list[i], got), `fill(list) ${list[i]} ≠ at ${got}: ${where}`).toBe(true);
    const range = s.fill({ start: x, count: 1 });
    expect(Object.is(range[0], got), `fill(range) ${range[0]} ≠ at ${got}: ${where}`).toBe(true);
  });
}

describe('reference: no overflow where the exact value is finite (extreme inputs found by fuzzing)', () => {
  it('PolynomialDecay with initial 1e308 and end −1e308 (lr0 − end overflows) blends the halves', () => {
    const a = new PolynomialDecay({ initialLearningRate: 1e308, decaySteps: 1000, endLearningRate: -1e308 });
    expectNearExact(a, [[1, 9.9800000000000001096e307], [555, -1.1000000000000000121e307], [999, -9.9800000000000001096e307]]);
    expect(a.at(0)).toBe(1e308);
    expect(a.at(1000)).toBe(-1e308);
    const b = new PolynomialDecay({ initialLearningRate: 1.7e308, decaySteps: 1000, endLearningRate: -1.7e308, power: 2 });
    expectNearExact(b, [[1, 1.6932033999999999391e308], [300, -3.3999999999999998777e306], [999, -1.6999965999999999388e308]]);
    const c = new PolynomialDecay({ initialLearningRate: -1e308, decaySteps: 1000, endLearningRate: 1e308 });
    expectNearExact(c, [[1, -9.9800000000000001096e307], [555, 1.1000000000000000121e307]]);
  });

  it('CosineDecay warmup with learning rates near 1e308 (TwoProd splits overflowed: NaN)', () => {
    const a = new CosineDecay({ initialLearningRate: 1e308, decaySteps: 1000, warmupTarget: 1.5e308, warmupSteps: 100 });
    expectNearExact(a, [[1, 1.005000000000000011e308], [50, 1.2500000000000000137e308], [99, 1.4950000000000000164e308]]);
    expect(a.at(0)).toBe(1e308);
    expect(a.at(100)).toBe(1.5e308);
    const b = new CosineDecay({ initialLearningRate: 1e300, decaySteps: 1000, warmupTarget: 1e-300, warmupSteps: 2 ** 32 });
    expectNearExact(b, [[1, 9.9999999976716940885e299], [2 ** 31, 5.0000000000000002625e299], [2 ** 32 - 1, 2.3283064365386964113e290]]);
    const c = new CosineDecay({ initialLearningRate: -1.7e308, decaySteps: 10, warmupTarget: 1.7e308, warmupSteps: 7 });
    expectNearExact(c, [[1, -1.214285714285714242e308], [3, -2.428571428571428484e307], [4, 2.428571428571428484e307], [6, 1.214285714285714242e308]]);
    expect(c.at(0)).toBe(-1.7e308);
    // warmup_steps 1e305: W − s's TwoProd split overflowed (NaN); W and s are scaled by 2^-J
    const d = new CosineDecay({ initialLearningRate: -1e308, decaySteps: 10, warmupTarget: 1e308, warmupSteps: 1e305 });
    expectNearExact(d, [[1, -1.000000000000000011e308], [2 ** 32 - 1, -1.000000000000000011e308]]);
  });

  it('CosineDecayRestarts with first_decay_steps 1e-300 (t_mul^k past 2^996 in the boundary powering: NaN, and 0 at step 0)', () => {
    const a = new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 1e-300 });
    expect(a.at(0)).toBe(0.1);
    expectNearExact(a, [[1, 0.051064638334668853808], [2, 0.051064638334668853808], [1000, 0.056543273438630743876], [100000, 0.095292198730941604224], [2 ** 32 - 1, 0.051064638389268001273]]);
    const b = new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 1e-300, tMul: 1.5, alpha: 0.1 });
    expect(b.at(0)).toBe(0.1);
    expectNearExact(b, [[1, 0.01072331118761675338], [7, 0.027112804493943403235], [2 ** 32 - 1, 0.039702082851686796052]]);
    // t_mul = 1: s/D overflows to ∞ for s ≥ 2^28 (Math.pow(1, ∞) = NaN was the peak); s mod D stays exact (4000-bit vectors)
    const c = new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 1e-300, tMul: 1 });
    expectNearExact(c, [[1, 0.0026290440131986164233], [2 ** 28, 0.081048400925388658765], [2 ** 32 - 1, 0.021699180295298293806]]);
    const r = b.fill({ start: 0, count: 4096 });
    expect(r.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
  });

  it('CosineDecayRestarts where m_mul^k overflows or underflows but lr0·m_mul^k is ordinary (gave ∞ / 0)', () => {
    const up = new CosineDecayRestarts({ initialLearningRate: 1e-300, firstDecaySteps: 1, tMul: 1, mMul: 2 });
    expectNearExact(up, [[1099, 6.7914926452469294166e30], [1100, 1.3582985290493858833e31], [1500, 3.5074662110434039627e151]]);
    const down = new CosineDecayRestarts({ initialLearningRate: 1e300, firstDecaySteps: 1, tMul: 1, mMul: 0.5 });
    expectNearExact(down, [[1100, 7.362151829022863062e-32], [1101, 3.681075914511431531e-32]]);
    const withAlpha = new CosineDecayRestarts({ initialLearningRate: 1e300, firstDecaySteps: 1, tMul: 1, mMul: 0.5, alpha: 0.25 });
    expectNearExact(withAlpha, [[1100, 2.5000000000000001313e299]]);
    const geometric = new CosineDecayRestarts({ initialLearningRate: 1e-300, firstDecaySteps: 1e-3, tMul: 2, mMul: 2 });
    expectNearExact(geometric, [[1, 2.5450981728519456536e-300], [5, 3.6221192379638956085e-297]]);
  });

  it('InverseTimeDecay with decay_rate/decay_steps beyond 2^900 (1 + c·s overflowed: 0, and NaN at step 0)', () => {
    const a = new InverseTimeDecay({ initialLearningRate: 1e7, decaySteps: 1e-10, decayRate: 1e300 });
    expect(a.at(0)).toBe(1e7);
    expectNearExact(a, [[1, 9.9999999999999998393e-304], [5, 1.9999999999999999679e-304]]);
    const st = new InverseTimeDecay({ initialLearningRate: 1e7, decaySteps: 1e-10, decayRate: 1e300, staircase: true });
    expect(st.at(0)).toBe(1e7);
    // floor(s/D) with D the double nearest 1e-10 (slightly above it): floor(1/D) = 9999999999
    expectNearExact(st, [[1, 1.0000000000999999475e-303], [5, 2.000000000039999895e-304]]);
  });
});

describe('reference: exact ends for alpha outside [0, 1] (docs/accuracy.md)', () => {
  it('step 0, the decay start after warmup and restart peaks with m_mul = 1 are the start value itself', () => {
    // fl(1 − α) + α is 1 − 2^-53 for this α: lr0·((1 − α) + α) was 1 ulp below lr0 (found by test/fuzz).
    const alpha = -0.9999999999999983;
    expect(new CosineDecay({ initialLearningRate: 1, decaySteps: 61011, alpha }).at(0)).toBe(1);
    expect(new CosineDecay({ initialLearningRate: 1, decaySteps: 61011, alpha, warmupTarget: 1, warmupSteps: 1 }).at(1)).toBe(1);
    expect(new CosineDecay({ initialLearningRate: 0.3, decaySteps: 10, alpha: 2.7, warmupTarget: 0.7, warmupSteps: 5 }).at(5)).toBe(0.7);
    const arith = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, tMul: 1, alpha });
    const geo = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, tMul: 2, alpha: 1.9 });
    const steps = [0, 10, 20, 30, 70, 150];
    expect([0, 10, 20, 30].map((x) => arith.at(x))).toEqual([1, 1, 1, 1]);
    expect([0, 10, 30, 70, 150].map((x) => geo.at(x))).toEqual([1, 1, 1, 1, 1]);
    expect([...arith.fill(Float64Array.from(steps))].filter((_, i) => steps[i]! % 10 === 0)).toEqual(steps.map(() => 1));
  });
});
