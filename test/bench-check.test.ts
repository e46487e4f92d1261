import { describe, expect, it } from 'vitest';
import { acceptance, checkSample, describeCheck, sampleIndices, ulpF32 } from '../bench/check.ts';
import { computeRatios, planFor, runOk, verdictOf, V, type Row } from '../bench/suite.ts';
import { summarize } from '../bench/stats.ts';

/** Exact cosine decay (α = 0) and the sample of an n-element output. */
function cosine(n: number): { steps: number[]; exact: number[]; indices: number[] } {
  const indices = sampleIndices(n, { count: 256, extra: [n - 2, n - 1] });
  const exact = indices.map((s) => 0.05 * (1 + Math.cos((Math.PI * s) / n)));
  return { steps: indices, exact, indices };
}

describe('bench verification (a fast wrong kernel must show up as wrong)', () => {
  it('ulpF32 is the float32 spacing', () => {
    expect(ulpF32(1)).toBe(2 ** -23);
    expect(ulpF32(1.5)).toBe(2 ** -23);
    expect(ulpF32(0.75)).toBe(2 ** -24);
    expect(ulpF32(2 ** -130)).toBe(2 ** -149);
  });

  it('acceptance intervals follow the contract of docs/accuracy.md', () => {
    const { lo, hi } = acceptance(1, { kind: 'bound', k: 20 });
    expect(hi - 1).toBeCloseTo(20 * 2 ** -23 + 2 ** -126, 20);
    expect(1 - lo).toBeCloseTo(20 * 2 ** -23 + 2 ** -126, 20);
    expect(acceptance(0.1, { kind: 'exact' })).toEqual({ lo: Math.fround(0.1), hi: Math.fround(0.1) });
  });

  it('passes a correctly rounded float32 output', () => {
    const { steps, exact, indices } = cosine(2 ** 20);
    const got = Float32Array.from(exact);
    const r = checkSample({ indices, steps, got, exact }, { kind: 'bound', k: 20 });
    expect(r.ok).toBe(true);
    expect(r.failed).toBe(0);
    expect(r.maxUlp).toBeLessThanOrEqual(0.5);
    expect(describeCheck(r)).toMatch(/^ok /);
  });

  it('flags a wrong formula (linear instead of cosine) at almost every sampled step', () => {
    const n = 2 ** 20;
    const { steps, exact, indices } = cosine(n);
    const got = Float32Array.from(steps, (s) => 0.1 * (1 - s / n));
    const r = checkSample({ indices, steps, got, exact }, { kind: 'bound', k: 20 });
    expect(r.ok).toBe(false);
    expect(r.failed).toBeGreaterThan(indices.length * 0.9);
    expect(r.failures.length).toBeLessThanOrEqual(8);
    expect(describeCheck(r)).toMatch(/^FAIL .*step \d+ → got/);
  });

  it('flags an error of a few ULP over the bound, only near the end of the decay', () => {
    const n = 2 ** 20;
    const { steps, exact, indices } = cosine(n);
    // Right everywhere, except that the last two steps lose 64 ULP: the edges of the sample catch it.
    const got = Float32Array.from(exact, (x, j) => ((steps[j] as number) >= n - 2 ? x + 64 * ulpF32(x) : x));
    const r = checkSample({ indices, steps, got, exact }, { kind: 'bound', k: 20 });
    expect(r.ok).toBe(false);
    expect(r.failed).toBe(2);
    expect(r.failures.map((f) => f.step)).toEqual([n - 2, n - 1]);
  });

  it('flags NaN, an off-by-one step, and a non-exact piecewise value', () => {
    const n = 4096;
    const { steps, exact, indices } = cosine(n);
    const nan = Float32Array.from(exact);
    nan[5] = Number.NaN;
    expect(checkSample({ indices, steps, got: nan, exact }, { kind: 'bound', k: 20 }).failed).toBe(1);
    const shifted = Float32Array.from(steps, (s) => 0.05 * (1 + Math.cos((Math.PI * (s + 1)) / n)));
    expect(checkSample({ indices, steps, got: shifted, exact }, { kind: 'bound', k: 20 }).ok).toBe(false);
    const r = checkSample({ indices: [0], steps: [0], got: [Math.fround(0.1) + 2 ** -27], exact: [0.1] }, { kind: 'exact' });
    expect(r.ok).toBe(false);
  });

  it('an empty sample never passes', () => {
    expect(checkSample({ indices: [], steps: [], got: [], exact: [] }, { kind: 'exact' }).ok).toBe(false);
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
    const pass = checkSample({ indices: [0], steps: [0], got: [Math.fround(0.1)], exact: [0.1] }, { kind: 'exact' });
    const fail = checkSample({ indices: [0], steps: [0], got: [0.2], exact: [0.1] }, { kind: 'exact' });
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
