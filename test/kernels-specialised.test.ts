/**
 * The evaluator runs a part on a pipeline specialised for its rows' kind (SCHEDULE_KIND) and,
 * when the rows share their flags word, for those flags too (SCHEDULE_FLAGS,
 * src/kernels/index.ts pipelineConstants). The GPU accuracy tests judge the unspecialised
 * pipeline (test/helpers/kernels-dispatch.ts without constants); this test checks that every
 * specialisation writes the same bits as it, for every kind and every flag path below, so
 * those tests' verdict holds for the pipelines the evaluator uses.
 */
import { describe, expect, test } from 'vitest';
import { FLAGS_OVERRIDE, KIND_OVERRIDE, packSchedules, pipelineConstants } from '../src/kernels/index.ts';
import { SCHEDULE_KINDS } from '../src/schedules/registry.ts';
import { FLAG_PATH_CONFIGS as CONFIGS, FLAG_PATH_STEPS as STEPS, FLAG_PATH_WINDOW as WINDOW, bits, flagPathSchedules } from './helpers/gpu-flag-configs.ts';
import { requireDevice } from './helpers/gpu.ts';
import { evalList } from './helpers/kernels-dispatch.ts';

describe('pipelines specialised by kind and flags write the bits of the unspecialised pipeline', () => {
  test.each(SCHEDULE_KINDS)('%s: every config, specialised by kind alone and by kind and flags, equals the mixed pipeline bit for bit', async (kind) => {
    const { device } = await requireDevice();
    const schedules = flagPathSchedules(kind);
    const mixed = bits(await evalList(device, schedules, STEPS));
    const byKind = bits(await evalList(device, schedules, STEPS, pipelineConstants(schedules)));
    expect(byKind).toEqual(mixed);
    for (const [i, s] of schedules.entries()) {
      const constants = pipelineConstants([s], packSchedules([s], WINDOW).params);
      expect(constants?.[FLAGS_OVERRIDE], `config #${i} gets a flags specialisation`).toBeTypeOf('number');
      expect(constants?.[KIND_OVERRIDE]).toBeTypeOf('number');
      const got = bits(await evalList(device, [s], STEPS, constants));
      expect(got, `config #${i} ${JSON.stringify(CONFIGS[kind][i])}`).toEqual(mixed.subarray(i * STEPS.length, (i + 1) * STEPS.length));
    }
  });
});
