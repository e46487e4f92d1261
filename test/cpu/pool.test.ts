/**
 * CpuPool (src/cpu/pool.node.ts): the worker threads give exactly each schedule's own float32
 * fill, for mixed kinds, one long row split across workers, step lists, a kind the registry
 * does not know (filled on the calling thread), a second evaluation of the same schedules, and a
 * non-shared output. The pool runs in a child process (test/helpers/pool-child.ts), where tsx's
 * loader is available to the workers. No timing.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sweepConfig } from '../../bench/configs.ts';

const CHILD = fileURLToPath(new URL('../helpers/pool-child.ts', import.meta.url));

interface Result {
  readonly name: string;
  readonly values: number;
  readonly mismatches: number;
  readonly firstMismatch: string | null;
}

function runChild(cases: unknown[]): Result[] {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD], { input: JSON.stringify(cases), encoding: 'utf8', timeout: 120_000, maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`pool child failed (exit ${r.status} ${r.signal ?? ''}): ${r.stderr.slice(-3000)}`);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Result);
}

describe('CpuPool', () => {
  it('gives the same bits as each schedule’s own fill, in every case', () => {
    const mixed = Array.from({ length: 300 }, (_, r) => sweepConfig(r, 500));
    const cases = [
      { name: 'mixed kinds, 3 threads', threads: 3, schedules: mixed, steps: { start: 0, count: 500 } },
      { name: 'one long row, 2 threads', threads: 2, schedules: [{ kind: 'CosineDecay', config: { initialLearningRate: 0, decaySteps: 200_000, warmupTarget: 0.1, warmupSteps: 20_000 } }], steps: { start: 0, count: 250_000 } },
      { name: 'strided range from a large start', threads: 2, schedules: mixed.slice(0, 60), steps: { start: 2 ** 40, count: 700, stride: 12345 } },
      { name: 'step list', threads: 2, schedules: mixed.slice(0, 60), steps: Array.from({ length: 900 }, (_, i) => (i * 7919) % 100_000) },
      { name: 'an unknown kind among registry kinds', threads: 2, schedules: [mixed[0], { kind: 'Custom', config: { scale: 0.5 } }, mixed[1]], steps: { start: 0, count: 40_000 } },
      { name: 'the same schedules twice, into a non-shared array', threads: 2, schedules: mixed.slice(0, 120), steps: { start: 3, count: 333 }, twice: true, plainOut: true },
    ];
    const results = runChild(cases);
    expect(results.map((r) => r.name)).toEqual(cases.map((c) => c.name));
    for (const r of results) {
      expect(r.values, r.name).toBeGreaterThan(0);
      expect(r.firstMismatch, r.name).toBeNull();
      expect(r.mismatches, r.name).toBe(0);
    }
  });
});
