/**
 * fast-check generators shared by the quick fuzz profile (test/fuzz-quick.test.ts, in
 * CI) and the long one (the same file with FUZZ_PROFILE=long, `npm run fuzz`): random VALID configs
 * of every kind (docs/semantics.md#validation) across many orders of magnitude, and
 * step lists dense near each config's edges, up to 2^32 − 1.
 */
import fc from 'fast-check';
import {
  CosineDecayRestarts,
  KERAS_KINDS,
  createSchedule,
  type ConfigByKind,
  type Schedule,
  type ScheduleKind,
} from '../../src/index.ts';

export const U32_MAX = 0xffffffff;

/** A config of one kind, as data (replayable: printed on failure). */
export type AnyConfig = { [K in ScheduleKind]: { readonly kind: K; readonly config: ConfigByKind[K] } }[ScheduleKind];

export function build(c: AnyConfig): Schedule {
  return createSchedule(c.kind, c.config as never);
}

/** 2^e for e uniform in [lo, hi]: a positive number log-uniform over many orders of magnitude. */
const logUniform = (lo: number, hi: number): fc.Arbitrary<number> =>
  fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }).map((e) => 2 ** e);

/** A learning rate: mostly ordinary, sometimes huge or tiny, sometimes negative or zero. */
export const learningRate: fc.Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: logUniform(-14, 2) },
  { weight: 1, arbitrary: fc.constantFrom(0.1, 0.01, 1, 1e-3, 3e-4) },
  { weight: 2, arbitrary: logUniform(-100, 100) },
  { weight: 1, arbitrary: logUniform(-120, 120).map((x) => -x) },
  { weight: 1, arbitrary: fc.constant(0) },
);

/** decay_steps / first_decay_steps: any positive real (integers, halves, tiny, huge). */
export const decaySteps: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 100_000 }) },
  { weight: 2, arbitrary: logUniform(0, 32).map((x) => Math.max(1, Math.round(x))) },
  { weight: 2, arbitrary: logUniform(-10, 34) }, // non-integer, from 1e-3 to 2^34
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 1_000_000 }).map((n) => n + 0.5) },
  { weight: 1, arbitrary: fc.constantFrom(1, 2, 3, 7, 1000, 2 ** 24, 2 ** 24 + 1, 2 ** 31, U32_MAX, 2 ** 32) },
);

const alpha: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
  { weight: 1, arbitrary: logUniform(-60, -10) }, // tiny α
  { weight: 1, arbitrary: fc.double({ min: -1, max: 3, noNaN: true }) }, // unusual but valid (Keras computes it)
);

const cosineDecay = fc
  .record({
    initialLearningRate: learningRate,
    decaySteps,
    alpha,
    warmup: fc.option(
      fc.record({
        warmupTarget: learningRate,
        warmupSteps: fc.oneof(
          fc.integer({ min: 0, max: 10_000 }),
          logUniform(0, 32).map((x) => Math.min(U32_MAX, Math.floor(x))),
          logUniform(-4, 20), // fractional W
        ),
      }),
      { freq: 2 },
    ),
  })
  .map(({ warmup, ...c }): AnyConfig => ({ kind: 'CosineDecay', config: warmup ? { ...c, ...warmup } : c }));

const cosineDecayRestarts = fc
  .record({
    initialLearningRate: learningRate,
    firstDecaySteps: decaySteps,
    tMul: fc.oneof(
      fc.constant(1),
      fc.constant(2),
      fc.constantFrom(1.5, 3, 1.25, 10),
      fc.double({ min: 1, max: 4, noNaN: true }),
      logUniform(-30, -3).map((x) => 1 + x),
    ),
    mMul: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 1, max: 2, noNaN: true })),
    alpha: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: -0.5, max: 2, noNaN: true })),
  })
  .map((config): AnyConfig => ({ kind: 'CosineDecayRestarts', config }));

const exponentialDecay = fc
  .record({
    initialLearningRate: learningRate,
    decaySteps,
    decayRate: fc.oneof(
      fc.double({ min: 0.5, max: 1, noNaN: true }),
      fc.constantFrom(0.96, 0.5, 0.1, 1, 2),
      logUniform(-40, 4),
      fc.double({ min: 0.999999, max: 1.000001, noNaN: true }),
    ),
    staircase: fc.boolean(),
  })
  .map((config): AnyConfig => ({ kind: 'ExponentialDecay', config }));

const inverseTimeDecay = fc
  .record({
    initialLearningRate: learningRate,
    decaySteps,
    decayRate: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2, noNaN: true }), logUniform(-40, 30)),
    staircase: fc.boolean(),
  })
  .map((config): AnyConfig => ({ kind: 'InverseTimeDecay', config }));

const polynomialDecay = fc
  .record({
    initialLearningRate: learningRate,
    decaySteps,
    endLearningRate: fc.oneof(fc.constant(0.0001), fc.constant(0), learningRate),
    power: fc.oneof(fc.constant(1), fc.constantFrom(0, 0.5, 2, 3), fc.double({ min: 0, max: 7.3, noNaN: true })),
    cycle: fc.boolean(),
  })
  .map((config): AnyConfig => ({ kind: 'PolynomialDecay', config }));

/** 1 … 40 strictly increasing boundaries (integers, non-integers, huge) and one more value. */
const piecewiseConstantDecay = fc
  .record({
    gaps: fc.array(
      fc.oneof(fc.integer({ min: 1, max: 1000 }), logUniform(-3, 30), fc.integer({ min: 1, max: 100 }).map((n) => n + 0.5)),
      { minLength: 1, maxLength: 40 },
    ),
    first: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 10_000 }), logUniform(0, 32), fc.constant(-5)),
    values: fc.array(learningRate, { minLength: 41, maxLength: 41 }),
  })
  .map(({ gaps, first, values }): AnyConfig => {
    const boundaries: number[] = [];
    let b = first;
    for (const g of gaps) {
      boundaries.push(b);
      const next = b + g;
      b = next > b ? next : b * (1 + 2 ** -50) + 1; // strictly increasing even where b + g rounds to b
    }
    return { kind: 'PiecewiseConstantDecay', config: { boundaries, values: values.slice(0, boundaries.length + 1) } };
  });

/** Constant: any learning rate (tiny, huge, negative, zero). */
const constant = learningRate.map((value): AnyConfig => ({ kind: 'Constant', config: { value } }));

/** Linear: any two rates (one sign or two), any positive steps, integer and fractional offsets of either sign, held or not. */
const linear = fc
  .record({
    from: learningRate,
    to: fc.oneof(learningRate, learningRate.map((x) => -x)),
    steps: decaySteps,
    offset: fc.oneof(fc.constant(0), fc.integer({ min: -100_000, max: 100 }), fc.double({ min: -1e6, max: 1e3, noNaN: true })),
    hold: fc.boolean(),
  })
  .map((config): AnyConfig => ({ kind: 'Linear', config }));

/** CosineAnneal: any two rates (one sign or two), any positive period, offsets of either sign; exponent ≠ 1 held, periodic otherwise too. */
const cosineAnneal = fc
  .record({
    from: learningRate,
    to: fc.oneof(fc.constant(0), learningRate, learningRate.map((x) => -x)),
    period: decaySteps,
    offset: fc.oneof(fc.constant(0), fc.integer({ min: -100_000, max: 100 }), fc.double({ min: -1e6, max: 1e3, noNaN: true })),
    shape: fc.oneof(fc.constant({ exponent: 1, hold: true }), fc.constant({ exponent: 1, hold: false }), fc.double({ min: 0.1, max: 8, noNaN: true }).map((exponent) => ({ exponent, hold: true }))),
  })
  .map(({ shape, ...rest }): AnyConfig => ({ kind: 'CosineAnneal', config: { ...rest, ...shape } }));
/** SqrtAnneal: from/to of one sign (either may be 0), any positive steps, both directions. */
const sqrtAnneal = fc
  .record({ a: learningRate, frac: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2, noNaN: true })), steps: decaySteps, reverse: fc.boolean() })
  .map(({ a, frac, steps, reverse }): AnyConfig => ({ kind: 'SqrtAnneal', config: { from: a, to: a * frac, steps, reverse } }));

/** InverseSqrt: any value, any positive timescale. */
const inverseSqrt = fc.record({ value: learningRate, timescale: decaySteps }).map((config): AnyConfig => ({ kind: 'InverseSqrt', config }));

/** Cyclic: base/max of one sign, integer and fractional step sizes, the three modes (gamma > 1 only rising). */
const cyclic = fc
  .record({
    baseLr: learningRate,
    ratio: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 20, noNaN: true })),
    stepSizeUp: decaySteps,
    stepSizeDown: fc.option(decaySteps, { nil: null }),
    mode: fc.constantFrom('triangular', 'triangular2', 'exp_range'),
    gamma: fc.oneof(fc.constant(1), fc.double({ min: 0.9, max: 1, noNaN: true }), logUniform(-30, -1).map((x) => 1 - x), fc.constant(1.0001)),
  })
  .map(({ ratio, gamma, baseLr, ...c }): AnyConfig => {
    const maxLr = baseLr * ratio;
    return { kind: 'Cyclic', config: { ...c, baseLr, maxLr, gamma: gamma > 1 && Math.abs(maxLr) < Math.abs(baseLr) ? 1 : gamma } };
  });

/** Arbitraries by kind. */
export const CONFIG_BY_KIND: Readonly<Record<ScheduleKind, fc.Arbitrary<AnyConfig>>> = {
  CosineDecay: cosineDecay,
  CosineDecayRestarts: cosineDecayRestarts,
  ExponentialDecay: exponentialDecay,
  InverseTimeDecay: inverseTimeDecay,
  PolynomialDecay: polynomialDecay,
  PiecewiseConstantDecay: piecewiseConstantDecay,
  Constant: constant,
  Linear: linear,
  CosineAnneal: cosineAnneal,
  SqrtAnneal: sqrtAnneal,
  InverseSqrt: inverseSqrt,
  Cyclic: cyclic,
};

/** Any valid config of any kind. */
export const anyConfig: fc.Arbitrary<AnyConfig> = fc.oneof(...Object.values(CONFIG_BY_KIND));

/** Any valid config of a Keras class (what Keras JSON holds). */
export const kerasConfig: fc.Arbitrary<AnyConfig> = fc.oneof(...KERAS_KINDS.map((k) => CONFIG_BY_KIND[k]));

/** A schedule name: absent (the class default), null, or any string without "/" (quotes, HTML, unicode, lone surrogates). */
export const scheduleName: fc.Arbitrary<string | null | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }).filter((n) => !n.includes('/')) },
  { weight: 1, arbitrary: fc.constantFrom('', 'lr "cos"\\ \n', '<img src=x onerror=window.__pwned=1>', 'ünïcødé ✓ 学习率') },
);

/** Any valid config of a Keras class, with a random name (for the serialize round trip). */
export const namedConfig: fc.Arbitrary<AnyConfig> = fc
  .tuple(kerasConfig, scheduleName)
  .map(([c, name]) => (name === undefined ? c : ({ kind: c.kind, config: { ...c.config, name } } as AnyConfig)));

/** A step: log-uniform over 0 … 2^32 − 1 (so small, medium and huge steps all appear). */
export const randomStep: fc.Arbitrary<number> = fc.oneof(
  logUniform(0, 32).map((x) => Math.min(U32_MAX, Math.floor(x) - 1)),
  fc.integer({ min: 0, max: 2 ** 31 - 1 }).map((n) => n * 2 + (n & 1)),
  fc.integer({ min: 0, max: 2000 }),
);

/** Steps every sweep includes (the grid edges of docs/accuracy.md#how-tests-judge-a-float). */
export const GLOBAL_EDGES: readonly number[] = [0, 1, 2, 2 ** 24 - 1, 2 ** 24, 2 ** 24 + 1, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, U32_MAX - 1, U32_MAX];

/** The points where a config's formula changes: decay end, warmup end, restart boundaries, piecewise boundaries, … */
export function configEdges(s: Schedule, max = U32_MAX): number[] {
  const pts: number[] = [];
  const c = s.config as unknown as Record<string, unknown>;
  const num = (k: string): number => (typeof c[k] === 'number' ? (c[k] as number) : 0);
  switch (s.kind) {
    case 'CosineDecay': {
      const D = num('decaySteps');
      const W = c.warmupTarget === null ? 0 : num('warmupSteps');
      pts.push(D, W, W + D, D / 2, W + D / 2);
      break;
    }
    case 'CosineDecayRestarts': {
      const r = s as CosineDecayRestarts;
      const kMax = r.periodIndex(max);
      const ks = new Set<number>();
      for (let k = 0; k <= Math.min(kMax, 12); k++) ks.add(k);
      // kMax − 3 … kMax by subtraction (k++ cannot pass 2^53: kMax may be 2^53 itself)
      for (let i = 3; i >= 0; i--) if (kMax - i >= 0) ks.add(kMax - i);
      for (const k of ks) {
        const p = r.period(k);
        pts.push(p.firstStep, p.nextFirstStep, p.firstStep + p.length / 2);
      }
      break;
    }
    case 'ExponentialDecay':
    case 'InverseTimeDecay': {
      const D = num('decaySteps');
      pts.push(D, 2 * D, 3 * D, 1000 * D);
      break;
    }
    case 'PolynomialDecay': {
      const D = num('decaySteps');
      pts.push(D, 2 * D, 3 * D, D / 2);
      break;
    }
    case 'PiecewiseConstantDecay':
      pts.push(...s.config.boundaries);
      break;
    case 'Linear':
      pts.push(-num('offset'), num('steps') - num('offset'));
      break;
    case 'CosineAnneal':
      for (let m = 0; m <= 4; m++) pts.push((m * num('period')) / 2 - num('offset'));
      break;
    case 'SqrtAnneal': {
      const D = num('steps');
      pts.push(D, D / 2, D / 4);
      break;
    }
    case 'InverseSqrt':
      pts.push(num('timescale'), 3 * num('timescale'));
      break;
    case 'Cyclic': {
      const up = num('stepSizeUp');
      const T = up + (c.stepSizeDown === null ? up : num('stepSizeDown'));
      pts.push(up, T, T + up, 2 * T, 1000 * T, 1000 * T + up);
      break;
    }
  }
  const out: number[] = [];
  for (const p of pts) {
    if (!Number.isFinite(p) || p < -2 || p > max + 2) continue;
    const f = Math.floor(p);
    for (let d = -2; d <= 2; d++) {
      const x = f + d;
      if (x >= 0 && x <= max) out.push(x);
    }
  }
  return out;
}

/** The step list of one batch: global edges, every config's edges, then `extra` (random) steps. Deduplicated, unsorted order kept. */
export function batchSteps(schedules: readonly Schedule[], extra: readonly number[], max = U32_MAX): Uint32Array {
  const set = new Set<number>(GLOBAL_EDGES.filter((x) => x <= max));
  for (const s of schedules) for (const x of configEdges(s, max)) set.add(x);
  for (const x of extra) if (x >= 0 && x <= max) set.add(x);
  return Uint32Array.from(set);
}

/** A compact, replayable description of a batch for failure messages. */
export function describeConfigs(configs: readonly AnyConfig[]): string {
  return configs.map((c, i) => `#${i} ${c.kind} ${JSON.stringify(c.config)}`).join('\n');
}

/** Fuzz profile sizes: 'quick' (CI, default) or 'long' (FUZZ_PROFILE=long, npm run fuzz). */
export interface FuzzProfile {
  readonly name: 'quick' | 'long';
  /** Property runs (batches) for the evaluator property. */
  readonly batches: number;
  /** Configs per batch. */
  readonly configsPerBatch: number;
  /** Random steps per batch besides the edges. */
  readonly randomSteps: number;
  /** Length of the dense contiguous range swept per batch. */
  readonly denseRange: number;
  /** Runs of the reference-invariant and round-trip properties. */
  readonly invariantRuns: number;
  /** The (config, step) pairs the GPU must have verified at least. */
  readonly minGpuPairs: number;
}

export function fuzzProfile(): FuzzProfile {
  if (process.env.FUZZ_PROFILE === 'long') {
    return { name: 'long', batches: 260, configsPerBatch: 8, randomSteps: 256, denseRange: 2048, invariantRuns: 3000, minGpuPairs: 1_000_000 };
  }
  return { name: 'quick', batches: 12, configsPerBatch: 6, randomSteps: 64, denseRange: 256, invariantRuns: 150, minGpuPairs: 20_000 };
}

/** A seed from FUZZ_SEED (to replay a run), else fast-check's own. */
export function fuzzSeed(): { seed?: number } {
  const s = process.env.FUZZ_SEED;
  return s !== undefined && s !== '' ? { seed: Number(s) } : {};
}
