/**
 * The fill loops' fast paths (module-level loops, exact integer shortcuts, per-q and
 * per-remainder memos, the restart period memo) give exactly the reference `at()`, bit for
 * bit, in f64 and after the one rounding to float32: every kind, many configs (integer and
 * fractional decay steps, α inside and outside [0, 1], warmup, staircase, cycle, growth),
 * ranges with strides and starts up to 2^53, and step lists.
 */
import { describe, expect, it } from 'vitest';
import { createSchedule, type Schedule } from '../../src/index.ts';
import { mulberry32 } from '../helpers/random.ts';

type Rand = () => number;
/** The kinds whose fill loops have fast paths. */
const KINDS = ['CosineDecay', 'CosineDecayRestarts', 'ExponentialDecay', 'PiecewiseConstantDecay', 'PolynomialDecay', 'InverseTimeDecay'] as const;
type FastKind = (typeof KINDS)[number];
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/** A random config of `kind`, sized for steps around `n`. */
function randomConfig(kind: FastKind, r: Rand, n: number): Record<string, unknown> {
  const lr0 = pick(r, [0.1, 1, 3e-4, -0.5, 0, 1e-30]) * (0.5 + r());
  const D = r() < 0.7 ? Math.max(1, Math.round(n * (0.05 + r()))) : n * (0.05 + r()) + 0.37;
  switch (kind) {
    case 'CosineDecay': {
      const warm = r() < 0.6;
      const W = r() < 0.75 ? Math.round(n * r() * 0.3) : n * r() * 0.3 + 0.5;
      return { initialLearningRate: lr0, decaySteps: D, alpha: pick(r, [0, 0.01, 0.5, 1, -1, -3, 1.5]), warmupTarget: warm ? pick(r, [0.1, 1, -0.2]) : null, warmupSteps: warm ? W : 0 };
    }
    case 'CosineDecayRestarts':
      return { initialLearningRate: lr0, firstDecaySteps: Math.max(1, Math.round(D / 8)) + (r() < 0.2 ? 0.25 : 0), tMul: pick(r, [1, 2, 1.5, 3]), mMul: pick(r, [1, 0.9, 0.5, 1.1]), alpha: pick(r, [0, 0.01, 0.3, -0.5, 1.2]) };
    case 'ExponentialDecay':
      return { initialLearningRate: lr0, decaySteps: Math.max(1e-3, D / pick(r, [1, 10, 100])), decayRate: pick(r, [0.9, 0.5, 0.96, 1, 1.01, 1e-5]), staircase: r() < 0.4 };
    case 'PiecewiseConstantDecay': {
      const b = [Math.floor(n * r() * 0.3), Math.floor(n * (0.3 + r() * 0.3)) + 0.5, Math.floor(n * (0.7 + r()))];
      return { boundaries: b, values: [lr0, lr0 / 2, lr0 / 4, -lr0] };
    }
    case 'PolynomialDecay':
      return { initialLearningRate: lr0, decaySteps: D, endLearningRate: pick(r, [lr0 / 100, 0, lr0 * 2, -lr0 / 10, 1e-4]), power: pick(r, [1, 0.5, 1.5, 2, 3, 7.3, 0, 1e-3, 17]), cycle: r() < 0.4 };
    case 'InverseTimeDecay':
      return { initialLearningRate: lr0, decaySteps: Math.max(1e-3, D / pick(r, [1, 10])), decayRate: pick(r, [0.5, 0, 2, 1e-3]), staircase: r() < 0.4 };
  }
}

/** Every value of fill (range or list) equals at() (f64, Object.is) and fround(at()) (f32); throws on the first that does not. */
function expectSame(s: Schedule, steps: { start: number; count: number; stride: number } | number[], label: string): number {
  const list = Array.isArray(steps) ? steps : Array.from({ length: steps.count }, (_, i) => steps.start + i * steps.stride);
  const f64 = s.fill(steps, new Float64Array(list.length));
  const f32 = s.fill(steps, new Float32Array(list.length));
  for (let i = 0; i < list.length; i++) {
    const st = list[i] as number;
    const v = s.at(st);
    if (!Object.is(f64[i], v) || !Object.is(f32[i], Math.fround(v))) {
      throw new Error(`${label}: ${s.kind} ${JSON.stringify(s.config)} step ${st}: fill ${f64[i]} / ${f32[i]}, at ${v}`);
    }
  }
  return list.length;
}

describe('fill fast paths = at(), bit for bit', () => {
  for (const kind of KINDS) {
    it(`holds for ${kind} over random configs, ranges, strides, starts up to 2^53 and lists`, () => {
      const r = mulberry32(0x5eed + kind.length * 7919);
      let checked = 0;
      for (let c = 0; c < 40; c++) {
        const n = pick(r, [50, 1000, 4096, 1e5]);
        const s = createSchedule(kind, randomConfig(kind, r, n) as never) as Schedule;
        checked += expectSame(s, { start: 0, count: Math.min(n * 2, 3000), stride: 1 }, 'range from 0');
        checked += expectSame(s, { start: Math.floor(r() * n), count: 700, stride: pick(r, [1, 3, 97]) }, 'strided range');
        checked += expectSame(s, { start: pick(r, [2 ** 52, 2 ** 53 - 700, 2 ** 32 - 5]), count: 300, stride: 1 }, 'range near 2^52, 2^53, 2^32');
        const list = Array.from({ length: 300 }, () => (r() < 0.8 ? Math.floor(r() * n * 3) : Math.floor(r() * 2 ** 53)));
        checked += expectSame(s, list, 'list');
        // a second fill of the same schedule (memoised periods, per-q caches) must not change a bit
        checked += expectSame(s, { start: 0, count: Math.min(n * 2, 3000), stride: 1 }, 'range from 0 again');
      }
      expect(checked).toBeGreaterThan(40 * 1500);
    });
  }

  it('holds over the long rows of the benchmark jobs: a warmup cosine over 2^22 steps, mixed kinds over 2^16', () => {
    const a = createSchedule('CosineDecay', { initialLearningRate: 0, decaySteps: 2 ** 22 - 2 ** 19, warmupTarget: 0.1, warmupSteps: 2 ** 18 });
    expect(expectSame(a, { start: 0, count: 2 ** 22, stride: 1 }, 'job a')).toBe(2 ** 22);
    const r = mulberry32(42);
    for (const kind of KINDS) {
      const s = createSchedule(kind, randomConfig(kind, r, 2 ** 15) as never) as Schedule;
      expect(expectSame(s, { start: 0, count: 2 ** 16, stride: 1 }, 'long row')).toBe(2 ** 16);
    }
  });
});

/** The staircase periods of the edge cases: the smallest odd, one above 2^52, the largest below 2^53. */
const EDGE_D = [3, 2 ** 52 + 1, 2 ** 53 - 1] as const;
const TOP = 2 ** 53;

/**
 * Ranges for period D: from 0 and ending at exactly 2^53, with strides 1, D − 1, D, D + 1 and
 * 2D + 1 (below, equal to and above D), as long as the step range allows (at least 2 steps).
 * With D = 3 the range ending at 2^53 holds q = (2^53 + 1)/3 − 1, whose next-q start (q + 1)·3 =
 * 2^53 + 1 rounds to 2^53: stairRange's `top ≤ 2^53` branch with a rounded top.
 */
function edgeRanges(D: number): { start: number; count: number; stride: number }[] {
  const out: { start: number; count: number; stride: number }[] = [];
  for (const stride of [1, D - 1, D, D + 1, 2 * D + 1]) {
    if (stride < 1 || stride > TOP) continue;
    const count = Math.min(400, Math.floor(TOP / stride) + 1);
    if (count < 2) continue;
    out.push({ start: 0, count, stride });
    out.push({ start: TOP - (count - 1) * stride, count, stride });
  }
  return out;
}

describe('fill fast paths = at() at the edges of the step range and of the staircase periods', () => {
  const stairs: [string, (D: number) => Schedule[]][] = [
    ['ExponentialDecay', (D) => [0.5, 0.96, 1 - 2 ** -40, 1.01].flatMap((decayRate) => [true, false].map((staircase) => createSchedule('ExponentialDecay', { initialLearningRate: 0.1, decaySteps: D, decayRate, staircase })))],
    ['InverseTimeDecay', (D) => [0.5, 2, 1e-300, 1e300].map((decayRate) => createSchedule('InverseTimeDecay', { initialLearningRate: 0.1, decaySteps: D, decayRate, staircase: true }))],
    ['PolynomialDecay', (D) => [1, 0.5, 2, 3.7].flatMap((power) => [1e-4, 0.3].map((endLearningRate) => createSchedule('PolynomialDecay', { initialLearningRate: 0.1, decaySteps: D, endLearningRate, power, cycle: true })))],
  ];
  for (const [kind, make] of stairs) {
    it(`holds for ${kind}'s staircase / cycle with D ∈ {3, 2^52 + 1, 2^53 − 1}, strides at and past D, ranges ending at 2^53, and their steps as lists`, () => {
      let checked = 0;
      for (const D of EDGE_D) {
        for (const s of make(D)) {
          for (const range of edgeRanges(D)) {
            checked += expectSame(s, range, `D ${D} range`);
            checked += expectSame(s, Array.from({ length: range.count }, (_, i) => range.start + i * range.stride).reverse(), `D ${D} list`);
          }
        }
      }
      expect(checked).toBeGreaterThan(EDGE_D.length * 4 * 2 * 400);
    });
  }

  it('holds for PiecewiseConstantDecay with boundaries one ulp either side of an integer, at 2^52 − ½, 2^52 + 1, 2^53 − 1, 2^53 and past it', () => {
    const b = [0.1, 3 - 2 ** -51, 3, 3 + 2 ** -51, 2 ** 52 - 0.5, 2 ** 52 + 1, TOP - 1, TOP, TOP + 2];
    const s = createSchedule('PiecewiseConstantDecay', { boundaries: b, values: b.map((_, i) => 1 / (i + 1)).concat(-1) });
    let checked = 0;
    for (const D of EDGE_D) {
      for (const range of edgeRanges(D)) {
        checked += expectSame(s, range, `stride ${range.stride} range`);
        checked += expectSame(s, Array.from({ length: range.count }, (_, i) => range.start + i * range.stride), `stride ${range.stride} list`);
      }
    }
    // each boundary's neighbourhood, stride 1: the stretch ends exactly there
    for (const x of b) checked += expectSame(s, { start: Math.max(0, Math.min(TOP - 8, Math.floor(x) - 3)), count: 9, stride: 1 }, `around ${x}`);
    expect(checked).toBeGreaterThan(EDGE_D.length * 2 * 400);
  });
});
