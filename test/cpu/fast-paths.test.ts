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
