/**
 * The baseline and single groups, interleaved by size (they share the two buffers of a
 * size): the device's rates at 2^k floats, then one schedule of every kind over 2^k steps.
 */
import { SCHEDULE_KINDS } from '../../src/index.ts';
import { sampleIndices } from '../check.ts';
import { pow2Label, singleConfig } from '../configs.ts';
import { createStorage } from '../gpu.ts';
import type { SuiteRun } from '../measure.ts';
import { measureBaselines } from './baseline.ts';
import { measureEvaluator } from './evaluator.ts';

export async function runBaselineAndSingle(run: SuiteRun): Promise<void> {
  const { device, opts, env } = run;
  if (!device || !(opts.groups.has('baseline') || opts.groups.has('single'))) return;
  for (const log2 of opts.log2Sizes) {
    const n = 2 ** log2;
    const shape = pow2Label(log2);
    const a = await createStorage(device, n * 4, `bench a ${shape}`);
    const b = await createStorage(device, n * 4, `bench b ${shape}`);
    try {
      if (opts.groups.has('baseline')) await measureBaselines(run, 'baseline', shape, n, a, b, true);
      if (opts.groups.has('single')) {
        for (const kind of opts.kinds) {
          const { config, edges } = singleConfig(kind, n);
          const s = env.project.schedule(kind, config);
          const sample = sampleIndices(n, { count: opts.sampleCount, extra: edges, seed: log2 * 131 + SCHEDULE_KINDS.indexOf(kind) });
          await run.guard(`single/${kind}/${shape}`, () => measureEvaluator(run, 'single', kind, shape, [s], { start: 0, count: n }, a, sample));
        }
      }
    } finally {
      a.destroy();
      b.destroy();
    }
  }
}
