/**
 * The cpu-jobs group's pure parts (bench/cpu-jobs.ts, bench/cpu-formulas.ts): the jobs' sizes,
 * the max-ULP judge, and the naive formulas computing Keras's formula (they match the exact value
 * where Keras's formula is well conditioned). No timing.
 */
import { describe, expect, it } from 'vitest';
import { cpuJobDefs, maxUlp } from '../bench/cpu-jobs.ts';
import { naiveRow } from '../bench/cpu-formulas.ts';
import { createSchedule, type ScheduleKind } from '../src/index.ts';
import { ulpF32 } from '../src/verify/ulp.ts';

describe('cpu-jobs', () => {
  it('defines the three jobs of the issue at full size', () => {
    const [a, b, c] = cpuJobDefs(false);
    expect([a?.rows.length, a?.n, b?.rows.length, b?.n, c?.rows.length, c?.n]).toEqual([1, 2 ** 24, 10_000, 1000, 6000, 1000]);
    expect(new Set(c?.rows.map((r) => r.kind)).size).toBe(6);
  });

  it('measures ULP against the exact value, leaving out exact values below 2^-126 and calling NaN infinite', () => {
    const exact = Float64Array.of(1, 1, 2 ** -130, 3);
    expect(maxUlp(Float32Array.of(1, 1 + 2 ** -23, 0, 3), exact)).toBeCloseTo((2 ** -23) / ulpF32(1), 12);
    expect(maxUlp(Float32Array.of(1, 1, 0, NaN), exact)).toBe(Infinity);
    expect(maxUlp(Float32Array.of(1, 1, 2 ** -130, 3), exact)).toBe(0);
  });

  it('computes each Keras kind with its naive formula to within a few float32 ULP where that formula is well conditioned', () => {
    const [, , c] = cpuJobDefs(true);
    const n = 200;
    for (const row of (c?.rows ?? []).slice(0, 24)) {
      const s = createSchedule(row.kind as ScheduleKind, row.config as never);
      const got = new Float32Array(n);
      naiveRow(row, 0, n, got, 0);
      const exact = s.fill({ start: 0, count: n }, new Float64Array(n));
      // the early steps, far from the end of any decay (where Keras's 1 + cos cancels)
      expect(maxUlp(got.subarray(0, 40), exact.subarray(0, 40)), `${row.kind} ${JSON.stringify(row.config)}`).toBeLessThan(64);
    }
  });
});
