/**
 * Edge distributions for the fuzz (issue L.8): parameters log-uniform over the WHOLE
 * double range (subnormals up to 1.8e308), with the named edges over-weighted: decay
 * steps below 1e-300 and above 1e37, t_mul within 1e-15 of 1 and up to 1e300, m_mul
 * overflowing, negative rates, ends far above the start, alpha outside [0, 1], huge
 * powers. Every config here is VALID (the validation must accept it or refuse it with
 * a named-field error; the edge property checks which).
 */
import fc from 'fast-check';
import type { AnyConfig } from './arbitraries.ts';
import { decaySteps as ordinarySteps, learningRate as ordinaryLr } from './arbitraries.ts';

/** m·2^e for m ∈ [1, 2), applied in two halves (2^e alone is out of range below −1022). */
function scale(m: number, e: number): number {
  const h = Math.trunc(e / 2);
  return m * 2 ** h * 2 ** (e - h);
}

/** Named edge magnitudes. */
const EDGE_MAGNITUDES = [
  5e-324, 1e-323, 2.225073858507201e-308, 2.2250738585072014e-308, 1e-310, 1e-300, 1e-200, 1e-45, 1.1754943508222875e-38,
  1e37, 9e37, 1e38, 3.4028234663852886e38, 3.5e38, 1e300, 1.7976931348623157e308, 2 ** 53, 2 ** 32, 2 ** 24 + 1, 0.5, 1, 2,
] as const;

/** A positive double log-uniform over the whole range, or a named edge. */
export const anyPositive: fc.Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.integer({ min: -1074, max: 1023 }), fc.double({ min: 1, max: 2, maxExcluded: true, noNaN: true })).map(([e, m]) => scale(m, e)).filter((x) => x > 0 && Number.isFinite(x)) },
  { weight: 1, arbitrary: fc.constantFrom(...EDGE_MAGNITUDES) },
);

const tiny: fc.Arbitrary<number> = fc.tuple(fc.integer({ min: -1074, max: -998 }), fc.double({ min: 1, max: 2, maxExcluded: true, noNaN: true })).map(([e, m]) => scale(m, e)).filter((x) => x > 0);
const huge: fc.Arbitrary<number> = fc.tuple(fc.integer({ min: 123, max: 1023 }), fc.double({ min: 1, max: 2, maxExcluded: true, noNaN: true })).map(([e, m]) => scale(m, e)).filter((x) => Number.isFinite(x));

const signed = (a: fc.Arbitrary<number>): fc.Arbitrary<number> => fc.tuple(a, fc.boolean()).map(([x, n]) => (n ? -x : x));

/** A learning rate: ordinary, or anything finite of either sign (subnormal to 1.8e308), or 0. */
export const edgeLr: fc.Arbitrary<number> = fc.oneof(
  { weight: 2, arbitrary: ordinaryLr },
  { weight: 3, arbitrary: signed(anyPositive) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0.1, 0.1, -1, 1e-300, -1e-300, 5e-324, -5e-324) },
);

/** decay_steps: ordinary, whole range, below 1e-300, above 1e37. */
export const edgeSteps: fc.Arbitrary<number> = fc.oneof(
  { weight: 2, arbitrary: ordinarySteps },
  { weight: 2, arbitrary: anyPositive },
  { weight: 1, arbitrary: tiny },
  { weight: 1, arbitrary: huge },
);

/** alpha: 0, [0, 1], or anything finite of either sign. */
const edgeAlpha: fc.Arbitrary<number> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
  { weight: 2, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, -3, 2, -0.5, 1.5) },
  { weight: 2, arbitrary: signed(anyPositive) },
);

/** A value at or near 1 from above: within 1e-15 (a few ulp), or log-uniform above 1. */
const nearOneAbove: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 1, max: 4 }).map((k) => 1 + k * 2 ** -52),
  fc.double({ min: -52, max: -1, noNaN: true }).map((e) => 1 + 2 ** e),
);

const cosineDecay = fc
  .record({
    initialLearningRate: edgeLr,
    decaySteps: edgeSteps,
    alpha: edgeAlpha,
    warmup: fc.option(fc.record({ warmupTarget: edgeLr, warmupSteps: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10_000 }), anyPositive) }), { freq: 2 }),
  })
  .map(({ warmup, ...c }): AnyConfig => ({ kind: 'CosineDecay', config: warmup ? { ...c, ...warmup } : c }));

const cosineDecayRestarts = fc
  .record({
    initialLearningRate: edgeLr,
    firstDecaySteps: edgeSteps,
    tMul: fc.oneof(fc.constant(1), fc.constant(2), nearOneAbove, anyPositive.map((x) => 1 + x), fc.constantFrom(1e300, 1e10, 1.7976931348623157e308)),
    mMul: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 2, noNaN: true }), anyPositive),
    alpha: edgeAlpha,
  })
  .map((config): AnyConfig => ({ kind: 'CosineDecayRestarts', config }));

const exponentialDecay = fc
  .record({
    initialLearningRate: edgeLr,
    decaySteps: edgeSteps,
    decayRate: fc.oneof(
      fc.constant(1),
      fc.double({ min: 0.5, max: 1.5, noNaN: true }),
      fc.integer({ min: -8, max: 8 }).map((k) => 1 + k * 2 ** -53).filter((x) => x > 0),
      anyPositive,
    ),
    staircase: fc.boolean(),
  })
  .map((config): AnyConfig => ({ kind: 'ExponentialDecay', config }));

const inverseTimeDecay = fc
  .record({
    initialLearningRate: edgeLr,
    decaySteps: edgeSteps,
    decayRate: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2, noNaN: true }), anyPositive),
    staircase: fc.boolean(),
  })
  .map((config): AnyConfig => ({ kind: 'InverseTimeDecay', config }));

const polynomialDecay = fc
  .record({
    initialLearningRate: edgeLr,
    decaySteps: edgeSteps,
    // an end far above (or below) the start: lr·2^k
    endLearningRate: fc.oneof(edgeLr, fc.tuple(edgeLr, fc.integer({ min: -60, max: 60 })).map(([x, k]) => scale(1, k) * x).filter((x) => Number.isFinite(x))),
    power: fc.oneof(fc.constantFrom(0, 1, 2, 3, 0.5), fc.double({ min: 0, max: 8, noNaN: true }), anyPositive),
    cycle: fc.boolean(),
  })
  .map((config): AnyConfig => ({ kind: 'PolynomialDecay', config }));

/** Schedules that cross zero at a rational step: lr0 = −j·m, end = m·i (small integers), integer powers, small D. */
const polynomialCrossing = fc
  .record({
    m: fc.oneof(fc.constantFrom(1, 0.1, 1e-300, 1e300, 3), anyPositive),
    j: fc.integer({ min: 1, max: 40 }),
    i: fc.integer({ min: 1, max: 9 }),
    flip: fc.boolean(),
    decaySteps: fc.integer({ min: 2, max: 12 }),
    power: fc.integer({ min: 1, max: 4 }),
    cycle: fc.boolean(),
  })
  .map(({ m, j, i, flip, decaySteps, power, cycle }): AnyConfig => {
    const sg = flip ? -1 : 1;
    return { kind: 'PolynomialDecay', config: { initialLearningRate: -sg * j * m, decaySteps, endLearningRate: sg * i * m, power, cycle } };
  });

const piecewiseConstantDecay = fc
  .record({
    bs: fc.uniqueArray(fc.oneof(signed(anyPositive), fc.integer({ min: -5, max: 100_000 }), fc.integer({ min: 0, max: 2 ** 32 + 5 })), { minLength: 0, maxLength: 24 }),
    values: fc.array(edgeLr, { minLength: 25, maxLength: 25 }),
  })
  .map(({ bs, values }): AnyConfig => {
    const boundaries = [...new Set(bs)].sort((a, b) => a - b);
    return { kind: 'PiecewiseConstantDecay', config: { boundaries, values: values.slice(0, boundaries.length + 1) } };
  });

export const EDGE_CONFIG_BY_KIND = {
  CosineDecay: cosineDecay,
  CosineDecayRestarts: cosineDecayRestarts,
  ExponentialDecay: exponentialDecay,
  InverseTimeDecay: inverseTimeDecay,
  PolynomialDecay: fc.oneof({ weight: 3, arbitrary: polynomialDecay }, { weight: 1, arbitrary: polynomialCrossing }),
  PiecewiseConstantDecay: piecewiseConstantDecay,
} as const;

/** Any edge config of any kind (equal weights). */
export const edgeConfig: fc.Arbitrary<AnyConfig> = fc.oneof(...Object.values(EDGE_CONFIG_BY_KIND));
