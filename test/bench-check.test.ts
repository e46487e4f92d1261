import { describe, expect, it } from 'vitest';
import { CosineDecay, PiecewiseConstantDecay, ulpF32, verify } from '../src/index.ts';
import { checkSample, describeCheck, ownTolerance, sampleIndices, type Reference } from '../bench/check.ts';
import { computeRatios, runOk, verdictOf } from '../bench/ratios.ts';
import { planFor } from '../bench/measure.ts';
import { summarize } from '../bench/stats.ts';
import { V, type Row } from '../bench/types.ts';

/** Cosine decay (α = 0) over n steps, its sample, and the float32 rounding of its exact values there. */
function cosine(n: number): { ref: Reference; indices: number[]; exact: number[]; got: Float32Array } {
  const s = new CosineDecay({ initialLearningRate: 0.1, decaySteps: n, alpha: 0 });
  const indices = sampleIndices(n, { count: 256, extra: [n - 2, n - 1] });
  const exact = indices.map((i) => s.at(i));
  return { ref: { schedules: [s], start: 0, cols: n }, indices, exact, got: Float32Array.from(exact) };
}

describe('bench verification (a fast wrong kernel must show up as wrong)', () => {
  it('passes a correctly rounded float32 output, judged by the kind\'s own bound', () => {
    const { ref, indices, got } = cosine(2 ** 20);
    const r = checkSample(ref, indices, got);
    expect(r).toMatchObject({ ok: true, failed: 0, checked: indices.length, tolerance: { kind: 'bound', k: 20 } });
    expect(r.maxUlp).toBeLessThanOrEqual(1);
    expect(r.maxK).toBeLessThanOrEqual(0.5);
    expect(describeCheck(r)).toMatch(/^ok /);
  });

  it('flags a wrong formula (linear instead of cosine) at almost every sampled step', () => {
    const n = 2 ** 20;
    const { ref, indices } = cosine(n);
    const got = Float32Array.from(indices, (s) => 0.1 * (1 - s / n));
    const r = checkSample(ref, indices, got);
    expect(r.ok).toBe(false);
    expect(r.failed).toBeGreaterThan(indices.length * 0.9);
    expect(r.failures.length).toBeLessThanOrEqual(8);
    expect(describeCheck(r)).toMatch(/^FAIL .*step \d+ → got/);
  });

  it('flags an error of a few ULP over the bound, only near the end of the decay, at its own index and step', () => {
    const n = 2 ** 20;
    const { ref, indices, exact } = cosine(n);
    // Right everywhere, except that the last two steps lose 64 ULP: the edges of the sample catch it.
    const got = Float32Array.from(exact, (x, j) => ((indices[j] as number) >= n - 2 ? x + 64 * ulpF32(x) : x));
    const r = checkSample(ref, indices, got);
    expect(r.ok).toBe(false);
    expect(r.failed).toBe(2);
    expect(r.failures.map((f) => [f.index, f.step])).toEqual([
      [n - 2, n - 2],
      [n - 1, n - 1],
    ]);
  });

  it('flags NaN, an off-by-one step, and a non-exact piecewise value', () => {
    const n = 4096;
    const { ref, indices, got } = cosine(n);
    const nan = Float32Array.from(got);
    nan[5] = Number.NaN;
    expect(checkSample(ref, indices, nan).failed).toBe(1);
    const shifted = Float32Array.from(indices, (s) => 0.05 * (1 + Math.cos((Math.PI * (s + 1)) / n)));
    expect(checkSample(ref, indices, shifted).ok).toBe(false);
    const pcd = new PiecewiseConstantDecay({ boundaries: [10], values: [0.1, 0.01] });
    const pref: Reference = { schedules: [pcd], start: 0, cols: 20 };
    expect(ownTolerance(pcd)).toEqual({ kind: 'exact' });
    expect(checkSample(pref, [0], [Math.fround(0.1) + 2 ** -27]).ok).toBe(false);
    expect(checkSample(pref, [0, 15], [Math.fround(0.1), Math.fround(0.01)])).toMatchObject({ ok: true, tolerance: { kind: 'exact' } });
  });

  it('judges each row of a sweep by its own kind, and reports indices into the whole result', () => {
    const cos = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100 });
    const pcd = new PiecewiseConstantDecay({ boundaries: [10], values: [0.1, 0.01] });
    const ref: Reference = { schedules: [cos, pcd], start: 5, cols: 100 };
    const indices = [0, 99, 100, 104, 105, 199];
    const steps = indices.map((i) => 5 + (i % 100));
    const rowOf = (i: number): CosineDecay | PiecewiseConstantDecay => (i < 100 ? cos : pcd);
    const right = indices.map((i, j) => Math.fround(rowOf(i).at(steps[j] as number)));
    expect(checkSample(ref, indices, right)).toMatchObject({ ok: true, checked: 6, tolerance: { kind: 'bound', k: 20 } });
    // One float32 step off is inside CosineDecay's bound, not PiecewiseConstantDecay's exact rounding.
    const nudged = right.map((x) => x + ulpF32(x));
    const r = checkSample(ref, indices, nudged);
    expect(r.failed).toBe(4);
    expect(r.failures.map((f) => [f.index, f.step])).toEqual([
      [100, 5],
      [104, 9],
      [105, 10],
      [199, 104],
    ]);
    expect(() => checkSample(ref, [200], [0])).toThrow(/outside the 2 × 100 result/);
  });

  it('peers: an absolute tolerance instead of the bound (verify\'s absTolerance)', () => {
    const { ref, indices, exact } = cosine(4096);
    const close = exact.map((x, j) => x + (j % 2 ? 1 : -1) * 0.9e-6);
    const r = checkSample(ref, indices, close, { abs: 1e-6 });
    expect(r).toMatchObject({ ok: true, tolerance: { kind: 'abs', abs: 1e-6 } });
    expect(checkSample(ref, indices, close).ok).toBe(false); // far outside the project's bound
    expect(checkSample(ref, indices, close, { abs: 0.5e-6 }).failed).toBe(indices.length);
    const s = ref.schedules[0] as CosineDecay;
    const v = verify([s], [0, 1], [s.at(0) + 2e-6, s.at(1)], { absTolerance: 1e-6 });
    expect(v).toMatchObject({ ok: false, failedCount: 1, bounds: [] });
    expect(v.failures[0]).toMatchObject({ step: 0, lo: s.at(0) - 1e-6, hi: s.at(0) + 1e-6 });
    expect(() => verify([s], [0], [0], { absTolerance: -1 })).toThrow(/absTolerance = -1: must be a finite number ≥ 0/);
  });

  it('a device baseline (no schedule kind) must match its float32 reference exactly', () => {
    const ref: Reference = { schedules: [{ kind: 'fill kernel', config: {}, at: (i) => Math.fround(i * 2 ** -20) }], start: 0, cols: 8 };
    expect(checkSample(ref, [0, 3, 7], [0, Math.fround(3 * 2 ** -20), Math.fround(7 * 2 ** -20)])).toMatchObject({ ok: true, tolerance: { kind: 'exact' } });
    expect(checkSample(ref, [3], [Math.fround(3 * 2 ** -20) * (1 + 2 ** -23)]).ok).toBe(false);
  });

  it('an empty sample never passes', () => {
    expect(checkSample(cosine(16).ref, [], []).ok).toBe(false);
  });

  it('samples edges, extras, spread and random indices, sorted and unique', () => {
    const idx = sampleIndices(1000, { count: 10, edge: 2, extra: [500, 5000, -1] });
    expect(idx).toEqual([...new Set(idx)].sort((a, b) => a - b));
    expect(idx).toEqual(expect.arrayContaining([0, 1, 998, 999, 500]));
    expect(idx.every((i) => i >= 0 && i < 1000)).toBe(true);
    expect(sampleIndices(1000, { seed: 1 })).toEqual(sampleIndices(1000, { seed: 1 }));
    expect(sampleIndices(3)).toEqual([0, 1, 2]);
  });

  it('verdicts: right rows ok, wrong kernels flagged, a missed wrong kernel fails the run', () => {
    const pcd = new PiecewiseConstantDecay({ boundaries: [10], values: [0.1, 0.01] });
    const ref: Reference = { schedules: [pcd], start: 0, cols: 20 };
    const pass = checkSample(ref, [0], [Math.fround(0.1)]);
    const fail = checkSample(ref, [0], [0.2]);
    expect(verdictOf(pass, 'pass')).toBe('ok');
    expect(verdictOf(fail, 'pass')).toBe('WRONG');
    expect(verdictOf(fail, 'fail')).toBe('flagged');
    expect(verdictOf(pass, 'fail')).toBe('MISSED');
    expect(verdictOf(undefined, 'pass')).toBe('skipped');
    const row = (verdict: Row['verdict']): Row => ({ ...fakeRow('single', V.kept, 'CosineDecay', '2^20', 2 ** 20, 10), verdict });
    expect(runOk([row('ok'), row('flagged')])).toBe(true);
    expect(runOk([row('ok'), row('MISSED')])).toBe(false);
    expect(runOk([row('WRONG')])).toBe(false);
  });
});
function fakeRow(group: Row['group'], variant: string, kind: string, shape: string, values: number, ms: number, timing: Row['timing'] = 'timestamp-query'): Row {
  const t = summarize([ms]);
  return { id: `${group}/${variant}/${kind}/${shape}`, group, variant, kind, shape, values, timing, time: t, wall: summarize([ms + 4]), gpu: timing === 'wall' ? undefined : t, valuesPerSecond: values / ms, warmup: 0, check: undefined, expect: 'pass', verdict: 'ok' };
}

describe('bench ratios', () => {
  it('kernel/fill per kind and size, fused vs tfjs-webgpu, CPU fallback vs naive JS and tfjs-cpu', () => {
    const rows: Row[] = [
      fakeRow('baseline', V.fill, '-', '2^20', 2 ** 20, 10),
      fakeRow('baseline', V.clear, '-', '2^20', 2 ** 20, 1, 'wall'),
      fakeRow('single', V.kept, 'CosineDecay', '2^20', 2 ** 20, 20),
      fakeRow('single', V.kept, 'ExponentialDecay', '2^20', 2 ** 20, 40),
      fakeRow('sweep', V.fill, '-', '1000000', 1e6, 10),
      fakeRow('sweep', V.kept, 'mixed', '100 × 10^4', 1e6, 50),
      fakeRow('peers', V.kept, 'CosineDecay', '2^22', 2 ** 22, 100),
      fakeRow('peers', V.readback, 'CosineDecay', '2^22', 2 ** 22, 200, 'wall'),
      fakeRow('peers', V.tfWebgpuKept, 'CosineDecay', '2^22', 2 ** 22, 300),
      fakeRow('peers', V.tfWebgpuReadback, 'CosineDecay', '2^22', 2 ** 22, 500, 'wall'),
      fakeRow('peers', V.naive, 'CosineDecay', '2^22', 2 ** 22, 40, 'wall'),
      fakeRow('peers', V.tfCpu, 'CosineDecay', '2^22', 2 ** 22, 800, 'wall'),
      fakeRow('peers', V.cpuFallback, 'CosineDecay', '2^22', 2 ** 22, 80, 'wall'),
    ];
    const r = computeRatios(rows);
    expect(r.kernelOverFill.map((k) => [k.kind, k.shape, k.overFillKernel])).toEqual([
      ['CosineDecay', '2^20', 0.5],
      ['ExponentialDecay', '2^20', 0.25],
      ['mixed', '100 × 10^4', 0.2],
    ]);
    // clearBuffer is timed on the wall clock only (fake wall = 1 + 4 ms)
    expect(r.kernelOverFill[0]?.overClearBuffer).toBeCloseTo(5 / 20, 12);
    expect(r.fusedVsTfjsWebgpu).toEqual({ ratio: 3, timing: 'timestamp-query', withReadback: (500 + 4) / (200 + 4) });
    expect(r.cpuFallbackVsNaiveJs).toBeCloseTo((40 + 4) / (80 + 4), 12);
    expect(r.cpuFallbackVsTfjsCpu).toBeCloseTo((800 + 4) / (80 + 4), 12);
  });

  it('compares on wall time when the two rows used different clocks, and reports missing peers as undefined', () => {
    const rows: Row[] = [fakeRow('peers', V.kept, 'CosineDecay', '2^22', 2 ** 22, 100), fakeRow('peers', V.tfWebgpuKept, 'CosineDecay', '2^22', 2 ** 22, 300, 'wall')];
    const r = computeRatios(rows);
    expect(r.fusedVsTfjsWebgpu?.timing).toBe('wall');
    expect(r.fusedVsTfjsWebgpu?.ratio).toBeCloseTo(304 / 104, 12);
    expect(r.cpuFallbackVsNaiveJs).toBeUndefined();
    expect(r.kernelOverFill).toEqual([]);
  });
});

describe('bench repetition plan', () => {
  const opts = { minReps: 3, maxReps: 11, budgetMs: 1000, slowRunMs: 1500, maxRunMs: 10_000 };
  it('warms up the first time and for cheap runs, repeats by budget', () => {
    expect(planFor(opts, true, undefined)).toMatchObject({ warmup: 1, minReps: 3, maxReps: 11 });
    expect(planFor(opts, false, 100)).toMatchObject({ warmup: 1, minReps: 3 });
    expect(planFor(opts, false, 800)).toMatchObject({ warmup: 0, minReps: 3 });
  });
  it('two repetitions for slow runs, skipped (with the reason) over the limit', () => {
    expect(planFor(opts, false, 2000)).toMatchObject({ warmup: 0, minReps: 2, maxReps: 2 });
    expect(planFor(opts, false, 20_000).skip).toMatch(/estimated 20\.0 s per run > limit 10 s/);
  });
});
