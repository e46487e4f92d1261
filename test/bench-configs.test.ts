/**
 * The bench's mixed rows (bench/configs.ts's sweepConfig, bench/cpu-jobs.ts's job (c)): each
 * kind's rows take every variant docs/benchmarks.md names, and every row is a config both the
 * GPU (strict 'webgpu', verified value by value) and the CPU take.
 */
import { describe, expect, it } from 'vitest';
import { sweepConfig } from '../bench/configs.ts';
import { cpuJobDefs } from '../bench/cpu-jobs.ts';
import { SCHEDULE_KINDS, createEvaluator, createSchedule, type ScheduleKind } from '../src/index.ts';
import { requireDevice } from './helpers/gpu.ts';

type Row = { readonly kind: string; readonly config: Record<string, unknown> };

/** The set of values `pick` takes over the rows of `kind`, as JSON (null for an absent field). */
function variants(rows: readonly Row[], kind: string, pick: (c: Record<string, unknown>) => unknown): string[] {
  return [...new Set(rows.filter((r) => r.kind === kind).map((r) => JSON.stringify(pick(r.config) ?? null)))].sort();
}

const warmup = (c: Record<string, unknown>): boolean => (c['warmupSteps'] as number) > 0 && c['warmupTarget'] !== null;

/** What the Keras six's rows must cover (docs/benchmarks.md, job (c): warmup or not, t_mul 1 or 2, staircase, cycle, power 1 … 2). */
function expectKerasVariants(rows: readonly Row[]): void {
  expect(variants(rows, 'CosineDecay', (c) => [warmup(c), c['alpha']])).toEqual(['[false,0.01]', '[false,0.02]', '[false,0]', '[true,0.01]', '[true,0.02]', '[true,0]']);
  expect(variants(rows, 'CosineDecayRestarts', (c) => c['tMul'])).toEqual(['1', '2']);
  expect(variants(rows, 'ExponentialDecay', (c) => c['staircase'])).toEqual(['false', 'true']);
  expect(variants(rows, 'InverseTimeDecay', (c) => c['staircase'])).toEqual(['false', 'true']);
  expect(variants(rows, 'PolynomialDecay', (c) => [c['cycle'], c['power']])).toEqual(['[false,1.5]', '[false,1]', '[false,2]', '[true,1.5]', '[true,1]', '[true,2]']);
  // scale and initial value vary within a kind too
  for (const kind of ['CosineDecay', 'PiecewiseConstantDecay', 'InverseTimeDecay']) {
    expect(variants(rows, kind, (c) => c['initialLearningRate'] ?? (c['values'] as number[])[0]).length, kind).toBe(7);
  }
}

describe('bench mixed rows', () => {
  const sweep: Row[] = Array.from({ length: 120 }, (_, r) => sweepConfig(r, 1000));

  it('a sweep takes the kinds in turn, and each kind’s rows take its variants in turn', () => {
    expect(sweep.map((r) => r.kind)).toEqual(Array.from({ length: 120 }, (_, r) => SCHEDULE_KINDS[r % SCHEDULE_KINDS.length]));
    expectKerasVariants(sweep);
    expect(variants(sweep, 'SqrtAnneal', (c) => c['reverse'])).toEqual(['false', 'true']);
    expect(variants(sweep, 'Cyclic', (c) => c['mode'])).toEqual(['"exp_range"', '"triangular"', '"triangular2"']);
    expect(variants(sweep, 'Linear', (c) => (c['from'] as number) < (c['to'] as number))).toEqual(['false', 'true']);
    expect(variants(sweep, 'CosineAnneal', (c) => [c['hold'], c['exponent']])).toEqual(['[false,1]', '[true,1]', '[true,2]']);
  });

  it('job (c) takes the six Keras kinds in turn through the variants its docs name', () => {
    for (const quick of [true, false]) {
      const rows = cpuJobDefs(quick)[2]?.rows ?? [];
      expect(rows.slice(0, 12).map((r) => r.kind)).toEqual([...SCHEDULE_KINDS.slice(0, 6), ...SCHEDULE_KINDS.slice(0, 6)]);
      expectKerasVariants(rows);
    }
  });

  it('every row is a config the GPU takes (strict, verified) and the CPU takes', async () => {
    const job = cpuJobDefs(true)[2]?.rows.slice(0, 60) ?? [];
    const schedules = [...sweep, ...job].map((r) => createSchedule(r.kind as ScheduleKind, r.config as never));
    const { device } = await requireDevice();
    const gpu = await createEvaluator({ backend: 'webgpu', device });
    const cpu = await createEvaluator({ backend: 'cpu' });
    try {
      const got = await gpu.sweep(schedules, { start: 0, count: 1000 }, { verify: 'all' });
      expect([got.backend, got.fallbackReason, got.verification?.ok]).toEqual(['webgpu', undefined, true]);
      const want = await cpu.sweep(schedules, { start: 0, count: 1000 });
      expect(want.values.every(Number.isFinite)).toBe(true);
    } finally {
      gpu.destroy();
      cpu.destroy();
    }
  });
});
