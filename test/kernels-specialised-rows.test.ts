/**
 * The one-row entry points (eval_range_row, eval_list_row: the row's parameters bound by
 * themselves, no division) write the bits of the unspecialised eval_list pipeline, the one the
 * GPU accuracy tests judge: for every kind and flag path, unspecialised, specialised by kind
 * and by kind and flags, over a step list and over ranges. Then the GPU backend's choice
 * between them and eval_range / eval_list (wide rows: the one-row path, cut at row
 * boundaries; narrow rows: dispatches spanning rows) changes no bit either, for one row and
 * many, with chunk and batch boundaries inside rows, readback and buffers; each call reports
 * (gpuStats.rowDispatches, gpuStats.tileDispatches) the path it took, all on the GPU. The tile
 * entry points (eval_range_tile / eval_list_tile: whole narrow rows, several columns a lane) too,
 * also with several workgroups a row. A rowPathMinCols or tileMinCols that is no threshold (NaN,
 * 0, a fraction) is refused.
 */
import { describe, expect, test } from 'vitest';
import { EvaluatorInputError, createEvaluator, type EvaluationResult, type EvaluatorLimits, type RunReport } from '../src/index.ts';
import { packSchedules, pipelineConstants } from '../src/kernels/index.ts';
import { SCHEDULE_KINDS } from '../src/schedules/registry.ts';
import { FLAG_PATH_CONFIGS as CONFIGS, FLAG_PATH_STEPS as STEPS, FLAG_PATH_WINDOW as WINDOW, bits, flagPathSchedules } from './helpers/gpu-flag-configs.ts';
import { readBuffer, requireDevice } from './helpers/gpu.ts';
import { evalList, evalRows } from './helpers/kernels-dispatch.ts';
import { mixedSchedules } from './helpers/schedules.ts';

/** Ranges for eval_range_row: the dense start, and a stride that reaches the top of u32. */
const RANGES = [
  { start: 0, stride: 1, count: 3000 },
  { start: 4_000_000_000, stride: 98_765, count: 2900 },
] as const;

describe('the one-row entry points write the bits of the unspecialised eval_list pipeline', () => {
  test.each(SCHEDULE_KINDS)('%s: every config, eval_list_row and eval_range_row, unspecialised and specialised', async (kind) => {
    const { device } = await requireDevice();
    const schedules = flagPathSchedules(kind);
    const mixed = bits(await evalList(device, schedules, STEPS));
    expect(bits(await evalRows(device, schedules, { list: STEPS }))).toEqual(mixed);
    expect(bits(await evalRows(device, schedules, { list: STEPS }, pipelineConstants(schedules)))).toEqual(mixed);
    for (const [i, s] of schedules.entries()) {
      const constants = pipelineConstants([s], packSchedules([s], WINDOW).params);
      const got = bits(await evalRows(device, [s], { list: STEPS }, constants));
      expect(got, `config #${i} ${JSON.stringify(CONFIGS[kind][i])}`).toEqual(mixed.subarray(i * STEPS.length, (i + 1) * STEPS.length));
    }
    for (const r of RANGES) {
      const list = Uint32Array.from({ length: r.count }, (_, i) => r.start + i * r.stride);
      const flat = bits(await evalList(device, schedules, list));
      expect(bits(await evalRows(device, schedules, r)), `range ${JSON.stringify(r)}`).toEqual(flat);
      const constants = pipelineConstants(schedules, packSchedules(schedules, { minStep: list[0]!, maxStep: list[list.length - 1]! }).params);
      expect(bits(await evalRows(device, schedules, r, constants)), `range ${JSON.stringify(r)}, specialised`).toEqual(flat);
    }
  });
});

/** Every kind's configs, so a mixed request has rows of every kind and many flag words. */
const ALL = SCHEDULE_KINDS.flatMap((kind) => flagPathSchedules(kind));

describe("the GPU backend's choice of entry point changes no bit", () => {
  // Small chunks and batches put chunk boundaries inside rows; rowPathMinCols and tileMinCols force each path.
  const small: EvaluatorLimits = { maxChunkElements: 700, readbackBatchBytes: 4 * 1900 };
  // `row`: every dispatch a one-row one; `tile`: every dispatch a tile one (default limits: 777, 1234
  // and 2600 columns are under 2^15 and at least 768); `span`: neither. The tile case's batches
  // (4 · 5000 bytes) end inside rows, and the planner cuts them at the rows before.
  const cases = [
    { name: 'wide rows: one-row path', limits: { ...small, rowPathMinCols: 1 }, row: 'row' },
    { name: 'narrow rows: spanning path', limits: { ...small, rowPathMinCols: Infinity, tileMinCols: Infinity }, row: 'span' },
    { name: 'narrow rows: tile path, batches of whole rows', limits: { readbackBatchBytes: 4 * 5000, tileMinCols: 1 }, row: 'tile' },
    { name: 'default limits', limits: {}, row: 'tile' },
  ] as const;
  type Path = (typeof cases)[number]['row'];

  /** The values of `r`, once it says it ran on the GPU alone, every dispatch on the path `row` names. */
  function onPath(r: RunReport | undefined, row: Path, what: string): void {
    expect(r, what).toBeDefined();
    expect({ backend: r!.backend, fallbackReason: r!.fallbackReason }, what).toEqual({ backend: 'webgpu', fallbackReason: undefined });
    const st = r!.gpuStats!;
    expect(st.dispatches, what).toBeGreaterThan(0);
    expect(st.rowDispatches, what).toBe(row === 'row' ? st.dispatches : 0);
    expect(st.tileDispatches, what).toBe(row === 'tile' ? st.dispatches : 0);
  }
  const values = (r: EvaluationResult, row: Path, what: string): Uint32Array => (onPath(r, row, what), bits(r.values));

  test('mixed sweeps (range and list) and single rows equal eval_list bit for bit on every path, readback and buffer', async () => {
    const { device } = await requireDevice();
    const range = { start: 3, count: 1234, stride: 5 };
    const rangeList = Uint32Array.from({ length: range.count }, (_, i) => range.start + i * range.stride);
    const list = STEPS.subarray(0, 2600);
    const expected = { range: bits(await evalList(device, ALL, rangeList)), list: bits(await evalList(device, ALL, list)) };
    const one = mixedSchedules()[0]!;
    const expectedOne = bits(await evalList(device, [one], list));
    for (const c of cases) {
      const ev = await createEvaluator({ backend: 'webgpu', device, limits: c.limits });
      expect(values(await ev.sweep(ALL, range), c.row, `${c.name}: range`), `${c.name}: range`).toEqual(expected.range);
      expect(values(await ev.sweep(ALL, list), c.row, `${c.name}: list`), `${c.name}: list`).toEqual(expected.list);
      expect(values(await ev.sweep([one], list), c.row, `${c.name}: one row`), `${c.name}: one row`).toEqual(expectedOne);
      const buf = await ev.sweepToBuffer(ALL, range);
      onPath(ev.lastBufferReport, c.row, `${c.name}: range into a buffer`);
      expect(bits(new Float32Array(await readBuffer(device, buf, ALL.length * range.count * 4))), `${c.name}: range into a buffer`).toEqual(expected.range);
      buf.destroy();
      ev.destroy();
    }
  });

  test('rows of one kind (one pipeline specialised by kind) with the row boundaries inside a batch', async () => {
    const { device } = await requireDevice();
    const rows = flagPathSchedules('ExponentialDecay');
    const list = STEPS.subarray(0, 777);
    const expected = bits(await evalList(device, rows, list));
    for (const c of cases) {
      const ev = await createEvaluator({ backend: 'webgpu', device, limits: c.limits });
      expect(values(await ev.sweep(rows, list), c.row, c.name), c.name).toEqual(expected);
      ev.destroy();
    }
  });
});

describe('the tile entry points with several workgroups a row', () => {
  test('20,000 columns (two workgroups of 40 columns a lane) of every kind, range and list, equal eval_list bit for bit', async () => {
    const { device } = await requireDevice();
    const rows = SCHEDULE_KINDS.map((kind) => flagPathSchedules(kind)[0]!);
    const range = { start: 11, count: 20_000, stride: 3 };
    const list = Uint32Array.from({ length: range.count }, (_, i) => range.start + i * range.stride);
    const expected = bits(await evalList(device, rows, list));
    const ev = await createEvaluator({ backend: 'webgpu', device });
    for (const [what, r] of [
      ['range', await ev.sweep(rows, range)],
      ['list', await ev.sweep(rows, list)],
    ] as const) {
      expect(r.gpuStats?.tileDispatches, what).toBe(r.gpuStats?.dispatches);
      expect(bits(r.values), what).toEqual(expected);
    }
    ev.destroy();
  });
});

describe('limits.rowPathMinCols and limits.tileMinCols', () => {
  const paths = { rowPathMinCols: 'the one-row entry points', tileMinCols: 'the tile entry points' } as const;
  test.each((['rowPathMinCols', 'tileMinCols'] as const).flatMap((field) => [NaN, 0, -1, 1.5, -Infinity].map((v) => [field, v] as const)))('%s = %s is refused, naming the field, the value and the rule', async (field, v) => {
    const err = await createEvaluator({ backend: 'cpu', limits: { [field]: v } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvaluatorInputError);
    expect(err).toMatchObject({ field: `limits.${field}`, rule: `must be an integer ≥ 1 (columns from which a request runs ${paths[field]}) or Infinity (never)` });
    expect(Object.is((err as EvaluatorInputError).value, v)).toBe(true);
  });
});
