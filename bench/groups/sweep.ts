/**
 * The sweep group: M schedules × N steps, the kinds mixed row by row (sweepConfig), next to
 * the fill kernel and clearBuffer at the same number of floats.
 */
import { sampleIndices } from '../check.ts';
import { sweepConfig, sweepLabel } from '../configs.ts';
import { createStorage } from '../gpu.ts';
import type { SuiteRun } from '../measure.ts';
import type { BenchSchedule } from '../types.ts';
import { measureBaselines } from './baseline.ts';
import { measureEvaluator } from './evaluator.ts';

export async function runSweeps(run: SuiteRun): Promise<void> {
  const { device, opts, env } = run;
  if (!device || !opts.groups.has('sweep')) return;
  for (const [m, steps] of opts.sweeps) {
    const shape = sweepLabel(m, steps);
    const values = m * steps;
    const schedules: BenchSchedule[] = [];
    for (let r = 0; r < m; r++) {
      const { kind, config } = sweepConfig(r, steps);
      schedules.push(env.project.schedule(kind, config));
    }
    const a = await createStorage(device, values * 4, `bench sweep ${shape}`);
    const b = await createStorage(device, values * 4, `bench sweep b ${shape}`);
    try {
      await measureBaselines(run, 'sweep', `${values}`, values, a, b, false);
      const sample = sampleIndices(values, { count: opts.sampleCount, seed: m });
      await run.guard(`sweep/${shape}`, () => measureEvaluator(run, 'sweep', 'mixed', shape, schedules, { start: 0, count: steps }, a, sample));
    } finally {
      a.destroy();
      b.destroy();
    }
  }
}
