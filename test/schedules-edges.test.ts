/**
 * Issue L.1 for the five kinds ExponentialDecay, InverseTimeDecay, PolynomialDecay,
 * CosineDecay, PiecewiseConstantDecay: the examples found at the edges of the accepted
 * parameter space, and every case of the same causes, on every backend. Expected values
 * come from the independent BigInt oracle (test/oracle/) or from closed forms; the
 * reference is judged by its contract (1e-12 relative, one subnormal ulp absolute), the
 * float32 backends by src/verify's acceptance intervals, or gpuSupport must decline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CosineDecay,
  ExponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  accepts,
  createEvaluator,
  gpuSupport,
  toleranceK,
  type Evaluator,
  type Schedule,
} from '../src/index.ts';
import { toNumber } from './oracle/bigfloat.ts';
import { judgeReference, oracle } from './oracle/schedules.ts';
import { requireDevice } from './helpers/gpu.ts';
import { close } from './helpers/close.ts';

const U32_MAX = 0xffffffff;
const STEPS = [0, 1, 2, 3, 7, 1000, 9999, 10000, 10001, 2 ** 24 + 1, 2 ** 31, U32_MAX];
const BIG = [2 ** 32, 2 ** 40 + 3, 2 ** 52 + 1, 2 ** 53];

/** Every reference value of s at steps judged against the oracle; returns the problems. */
function referenceProblems(s: Schedule, steps: readonly number[] = [...STEPS, ...BIG]): string[] {
  const out: string[] = [];
  const cfg = s.config as unknown as Record<string, unknown>;
  const fl = s.fill(steps);
  steps.forEach((x, i) => {
    const got = s.at(x);
    if (!Object.is(fl[i], got)) out.push(`step ${x}: fill ${fl[i]} ≠ at ${got}`);
    const ex = oracle(s.kind, cfg, x);
    if (ex === null) return;
    const why = judgeReference(ex, got);
    if (why !== null) out.push(`${s.kind} ${JSON.stringify(s.config)} step ${x}: ${why}`);
  });
  return out;
}

describe('InverseTimeDecay: floor(s/D) beyond 2^53 or ∞, rate 0, rate/D beyond the double range', () => {
  it('staircase with decay_steps = decay_rate = 5e-324: step 1 gives 0.05 (1 + 1), not 0 (rate·∞)', () => {
    const s = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 5e-324, decayRate: 5e-324, staircase: true });
    expect(s.at(1)).toBe(0.05);
    close(s.at(2), 0.1 / 3); // the reference contract: within 1e-12 relative
    expect(referenceProblems(s)).toEqual([]);
  });
  it('decay_rate 0 is exactly lr0 at every step, for any decay_steps (no 0·∞ = NaN)', () => {
    for (const D of [1e-300, 5e-324, 1, 1e300]) {
      for (const staircase of [false, true]) {
        const s = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: D, decayRate: 0, staircase });
        for (const x of [...STEPS, ...BIG]) expect(s.at(x)).toBe(0.1);
      }
    }
  });
  it('every combination of tiny/huge rate and decay_steps agrees with the oracle (reference)', () => {
    const mags = [5e-324, 1e-310, 1e-300, 1e-10, 1, 7, 1e10, 1e300, 1.7976931348623157e308];
    const bad: string[] = [];
    for (const D of mags) for (const rate of mags) for (const staircase of [false, true]) for (const lr0 of [0.1, -3e-300, 1e300]) {
      bad.push(...referenceProblems(new InverseTimeDecay({ initialLearningRate: lr0, decaySteps: D, decayRate: rate, staircase })));
    }
    expect(bad.slice(0, 20)).toEqual([]);
  });
});

describe('ExponentialDecay: rate 1, over/underflowing rate^q, subnormal rates', () => {
  it('decay_rate 1 with decay_steps 5e-324 is lr0 at every step (pow(1, ∞) was NaN)', () => {
    for (const staircase of [false, true]) {
      const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 5e-324, decayRate: 1, staircase });
      for (const x of [...STEPS, ...BIG]) expect(s.at(x)).toBe(0.1);
    }
  });
  it('rate^q beyond the double range while lr0·rate^x is not: exact powers on a mantissa·2^e', () => {
    const bad: string[] = [];
    const cases: [number, number, number][] = [
      [1e300, 0.5, 1], // 1e300·2^-2000 at step 2000: rate^q = 0 in double, value 2^-1003
      [1e-300, 2, 1], // growth from a tiny lr0
      [1e300, 5e-324, 1], // subnormal rate: rate^0.5 is normal, rate^1 subnormal
      [1e300, 5e-324, 3],
      [-1e300, 1e-300, 0.7],
      [1.7976931348623157e308, 0.9999999999999999, 1e-10], // q ≫ 2^53: rate^(s/D) = exp(−2^-53·s/D)
      [5e-324, 1.7976931348623157e308, 1e30],
    ];
    for (const [lr0, rate, D] of cases) {
      for (const staircase of [false, true]) {
        const s = new ExponentialDecay({ initialLearningRate: lr0, decaySteps: D, decayRate: rate, staircase });
        bad.push(...referenceProblems(s, [0, 1, 2, 3, 1000, 2000, 2100, 2 ** 20, U32_MAX, 2 ** 53]));
      }
    }
    expect(bad.slice(0, 20)).toEqual([]);
  });
});

describe('PolynomialDecay: sign symmetry, crossing zero, huge powers, huge/tiny decay_steps', () => {
  it('a negative schedule decaying to 0 is the mirror of the positive one (−0.1 → 0, 10000 steps, power 3)', () => {
    const neg = new PolynomialDecay({ initialLearningRate: -0.1, decaySteps: 10000, endLearningRate: 0, power: 3 });
    const pos = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10000, endLearningRate: 0, power: 3 });
    expect(Math.abs(neg.at(9999) - -1e-13)).toBeLessThanOrEqual(1e-12 * 1e-13);
    for (const x of [0, 1, 17, 5000, 9990, 9999, 10000, 2 ** 31]) expect(neg.at(x) === -pos.at(x)).toBe(true);
    // the CPU backend is fround of the reference: within half an ulp of the exact -1e-13
    const f = neg.fill([9999], new Float32Array(1))[0]!;
    expect(f).toBe(Math.fround(-1e-13));
    expect(referenceProblems(neg)).toEqual([]);
  });
  it('mirror symmetry holds for every sign combination, power and cycle', () => {
    for (const [lr0, end] of [[0.1, 0.001], [0.001, 0.1], [0.1, -0.1], [0, 0.5], [1e300, -1e300], [-5e-324, 3]] as const) {
      for (const power of [0.5, 1, 2, 3, 40]) for (const cycle of [false, true]) {
        const a = new PolynomialDecay({ initialLearningRate: lr0, decaySteps: 1000, endLearningRate: end, power, cycle });
        const b = new PolynomialDecay({ initialLearningRate: -lr0, decaySteps: 1000, endLearningRate: -end, power, cycle });
        for (const x of [0, 1, 333, 500, 999, 1000, 1001, 2500]) expect(b.at(x) + a.at(x)).toBe(0);
      }
    }
  });
  it('lr0 and end of opposite signs: relative accuracy through the zero crossing, exactly 0 at a rational zero', () => {
    // 0.1 → −0.1 over 10^6 steps, power 1: 0 at step 500000 exactly, tiny but exact-to-1e-12 next to it
    const s = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 1e6, endLearningRate: -0.1, power: 1 });
    expect(s.at(500000) === 0).toBe(true);
    const lin = new PolynomialDecay({ initialLearningRate: -8, decaySteps: 3, endLearningRate: 1, power: 1 }); // −8 + 9·s/3 at s = 1
    expect(lin.at(1)).toBe(-5);
    // integer powers with a zero at a non-dyadic fraction: 1 + (−9)·(1/3)² = 0 at step 2 of 3, exactly
    expect(new PolynomialDecay({ initialLearningRate: -8, decaySteps: 3, endLearningRate: 1, power: 2 }).at(2) === 0).toBe(true);
    expect(new PolynomialDecay({ initialLearningRate: -26, decaySteps: 3, endLearningRate: 1, power: 3 }).at(2) === 0).toBe(true);
    expect(new PolynomialDecay({ initialLearningRate: 8, decaySteps: 3, endLearningRate: -1, power: 2, cycle: true }).at(5) === 0).toBe(false);
    expect(new PolynomialDecay({ initialLearningRate: 8, decaySteps: 3, endLearningRate: -1, power: 2, cycle: true }).at(2) === 0).toBe(true);
    const bad: string[] = [];
    for (const power of [1, 2, 3, 0.5, 7.3, 100, 1e6])
      for (const cycle of [false, true]) {
        const x = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 1e6, endLearningRate: -0.3, power, cycle });
        // dense around the crossing, wherever it is
        let lo = 0;
        let hi = 1e6;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (x.at(mid) > 0) lo = mid;
          else hi = mid;
        }
        const steps: number[] = [];
        for (let k = lo - 20; k <= lo + 20; k++) if (k >= 0) steps.push(k);
        bad.push(...referenceProblems(x, [...steps, 1, 999999, 1000001, 1500000]));
      }
    expect(bad.slice(0, 20)).toEqual([]);
  });
  it('huge powers and cycles with s/D ≥ 2^53 (H = s + u, never ∞)', () => {
    const bad: string[] = [];
    bad.push(...referenceProblems(new PolynomialDecay({ initialLearningRate: 1.4390713043054678e114, decaySteps: 1.1392378155556852e-305, endLearningRate: 5e-324, power: 2.8698592549372244e-42, cycle: true })));
    bad.push(...referenceProblems(new PolynomialDecay({ initialLearningRate: 1, decaySteps: 1e-300, endLearningRate: 0, power: 0.5, cycle: true })));
    bad.push(...referenceProblems(new PolynomialDecay({ initialLearningRate: 1e300, decaySteps: 1e6, endLearningRate: 0, power: 1e5 })));
    bad.push(...referenceProblems(new PolynomialDecay({ initialLearningRate: 1e-300, decaySteps: 1e-300, endLearningRate: 1.5852166750381569e226, power: 0.5 })));
    expect(bad).toEqual([]);
  });
});

describe('CosineDecay: alpha outside [0, 1]', () => {
  it('α = −1 is exactly 0 at D/2 and α = −3 exactly 0 at D/3 (rational cos), and relative-accurate next to them', () => {
    const a = new CosineDecay({ initialLearningRate: 1, decaySteps: 1000, alpha: -1 });
    expect(a.at(500)).toBe(0);
    const b = new CosineDecay({ initialLearningRate: 2, decaySteps: 3000, alpha: -3 });
    expect(b.at(1000)).toBe(0);
    const bad: string[] = [];
    for (const D of [1000, 3e6, 2 ** 40]) for (const alpha of [-1, -3, -0.5, -1e10]) {
      const s = new CosineDecay({ initialLearningRate: 0.5, decaySteps: D, alpha });
      const steps: number[] = [];
      for (const c of [D / 2, D / 3, D / 4]) for (let k = -5; k <= 5; k++) steps.push(Math.floor(c) + k);
      bad.push(...referenceProblems(s, steps.filter((x) => x >= 0)));
    }
    expect(bad.slice(0, 20)).toEqual([]);
  });
  it('a fractional warmup puts d = s − W arbitrarily close to the zero of α = −1 (D/2) or α = −3 (D/3): still relative-accurate', () => {
    const bad: string[] = [];
    for (const [alpha, D] of [[-1, 2], [-1, 1000], [-3, 3], [-3, 3000]] as const)
      for (const W of [8.636168555094462e-78, 1e-300, 2 ** -40, 0.5]) {
        const s = new CosineDecay({ initialLearningRate: 1e-5, decaySteps: D, alpha, warmupTarget: -1.5e111, warmupSteps: W });
        bad.push(...referenceProblems(s, [...new Set([0, 1, 2, 3, Math.floor(D / 3), Math.ceil(D / 3), Math.floor(D / 2), Math.floor(D / 2) + 1, D])]));
      }
    expect(bad).toEqual([]);
  });
  it('α far above 1 (1e300): no cancellation of fl(1 − α)·g + α', () => {
    const s = new CosineDecay({ initialLearningRate: 1e-10, decaySteps: 1000, alpha: 1e300 });
    expect(referenceProblems(s, [1, 2, 3, 10, 500, 999])).toEqual([]);
  });
});

describe('GPU: gpuSupport covers the whole window and every f32 intermediate, or the GPU is right', () => {
  let gpu: Evaluator;
  let auto: Evaluator;
  beforeAll(async () => {
    const { device } = await requireDevice();
    gpu = await createEvaluator({ backend: 'webgpu', device });
    auto = await createEvaluator({ backend: 'auto', device });
  });
  afterAll(() => {
    gpu?.destroy();
    auto?.destroy();
  });

  /** The GPU's values (or 'auto''s CPU fallback where declined) judged against the oracle. */
  async function gpuProblems(s: Schedule, steps: readonly number[]): Promise<string[]> {
    const list = Uint32Array.from(steps);
    const w = { minStep: Math.min(...steps), maxStep: Math.max(...steps) };
    const declined = gpuSupport(s, w);
    const r = await (declined === null ? gpu : auto).sweep([s], list, { verify: 'none' });
    const out: string[] = [];
    if (declined === null && r.backend !== 'webgpu') out.push(`ran on ${r.backend}`);
    if (declined !== null && r.backend !== 'cpu') out.push(`declined (${declined.rule}) but ran on ${r.backend}`);
    const k = toleranceK(s);
    steps.forEach((x, i) => {
      const ex = oracle(s.kind, s.config as unknown as Record<string, unknown>, x);
      if (ex === null) return;
      const exact = toNumber(ex);
      const got = r.values[i]!;
      if (!accepts(k, exact, got)) out.push(`${s.kind} ${JSON.stringify(s.config)} step ${x} on ${r.backend}: got ${got}, exact ${exact}`);
    });
    return out;
  }

  it('PolynomialDecay with decay_steps ≥ 9e37 (1/D flushed in f32): lr0, not 0', async () => {
    for (const D of [2 ** 96, 9e37, 1e38, 3.5e38, 1e300]) {
      const s = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: D, endLearningRate: 0.05, power: 2 });
      expect(await gpuProblems(s, STEPS)).toEqual([]);
    }
  });
  it('InverseTimeDecay with rate/D beyond f32 declines for every window, step 0 alone included', async () => {
    const s = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1e-30, decayRate: 1e10 });
    expect(gpuSupport(s, { minStep: 0, maxStep: 0 })).not.toBeNull();
    expect(await gpuProblems(s, [0])).toEqual([]);
    expect(await gpuProblems(s, STEPS)).toEqual([]);
  });
  it('every kind at tiny/huge parameters: GPU within its bound or declined', async () => {
    const bad: string[] = [];
    const schedules: Schedule[] = [
      new ExponentialDecay({ initialLearningRate: 1e-40, decaySteps: 10, decayRate: 2 }), // f32-subnormal lr0 growing
      new ExponentialDecay({ initialLearningRate: 1, decaySteps: 5e-324, decayRate: 1 }),
      new ExponentialDecay({ initialLearningRate: 3e38, decaySteps: 1e-300, decayRate: 0.5 }),
      new PiecewiseConstantDecay({ boundaries: [10, 20], values: [1e-40, 1, 1e-45] }), // f32 subnormal values
      new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 5e-324, decayRate: 5e-324, staircase: true }),
      new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1e-300, decayRate: 0 }),
      new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1e300, alpha: 0.5 }),
      new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1e-300, alpha: 0.5 }),
      new PolynomialDecay({ initialLearningRate: -0.1, decaySteps: 10000, endLearningRate: 0, power: 3 }),
    ];
    for (const s of schedules) bad.push(...(await gpuProblems(s, STEPS)));
    expect(bad).toEqual([]);
  });
});
