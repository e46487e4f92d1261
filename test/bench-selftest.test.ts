import { describe, expect, it } from 'vitest';
import { project } from '../bench/project.ts';
import { defaultOptions } from '../bench/options.ts';
import { runSuite } from '../bench/suite.ts';
import type { BenchEnv } from '../bench/types.ts';
import { requireDevice } from './helpers/gpu.ts';

describe('bench self-test on the GPU', () => {
  it('flags both deliberately wrong fast kernels, through the same path as every bench row', async () => {
    const { device } = await requireDevice();
    const lines: string[] = [];
    const env: BenchEnv = {
      platform: 'node',
      project,
      device,
      tfjs: () => Promise.reject(new Error('not used')),
      now: () => performance.now(),
      log: (l) => lines.push(l),
    };
    const opts = { ...defaultOptions(true, new Set(['self-test'] as const)), selfTestLog2: 14, minReps: 1, maxReps: 1 };
    const result = await runSuite(env, opts);
    expect(result.rows.map((r) => [r.variant, r.verdict])).toEqual([
      ['WRONG: naive f32 cosine kernel', 'flagged'],
      ['WRONG: linear "cosine" kernel', 'flagged'],
    ]);
    for (const r of result.rows) expect(r.check?.failed).toBeGreaterThan(0);
    expect(result.ok).toBe(true);
  });
});
