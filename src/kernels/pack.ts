/**
 * The TS side of the WGSL byte contract: ScheduleParams rows, restart / piecewise
 * tables and the Job uniform, packed with byte offsets taken ONLY from the layouts
 * that wgsl_reflect computed at generation time (wgsl.generated.ts). Every
 * parameter-only constant is computed in f64 and rounded once to f32: each kind's
 * packer and GPU-support rules live in src/kernels/kinds/<kind>.ts (beside its WGSL,
 * shaders/kinds/<kind>.wgsl), the maths they share in host.ts.
 */
import type { ScheduleKind } from '../schedules/registry.ts';
import { FieldError, formatValue } from '../schedules/errors.ts';
import { KIND_CODES as GENERATED_KIND_CODES, LAYOUTS } from './wgsl.generated.ts';
import { U32_MAX, isUnsupported, type Fields, type GpuUnsupported, type KernelSchedule, type PackResult, type ParamName, type StepWindow } from './host.ts';
import { PACKERS } from './packers.generated.ts';

export { RESTART_ROWS_MAX, fixedPoint, type GpuUnsupported, type KernelSchedule, type RestartPeriod, type RestartPeriods, type StepWindow } from './host.ts';

/** Thrown by packSchedules / packScheduleParams for a config (or window) the GPU does not support. */
export class GpuUnsupportedError extends FieldError {
  override readonly name = 'GpuUnsupportedError';
  constructor(
    field: string,
    value: unknown,
    rule: string,
    readonly scheduleIndex?: number,
  ) {
    super(field, value, rule, `${scheduleIndex === undefined ? '' : `schedule #${scheduleIndex}: `}${field} = ${formatValue(value)}: ${rule}`);
  }
}

const FULL_WINDOW: StepWindow = { minStep: 0, maxStep: U32_MAX };

/** Kind code (WGSL `KIND_*` constant, generated from SCHEDULE_KINDS) of a schedule kind. */
export const KIND_CODES: Readonly<Record<ScheduleKind, number>> = GENERATED_KIND_CODES;

// ------------------------------------------------------------------------------------------
// Field writing by reflected layout.

type JobName = keyof typeof LAYOUTS.Job.members;

function writeMember(view: DataView, at: number, m: { offset: number; size: number; type: string }, v: number | readonly number[], name: string): void {
  const vals = typeof v === 'number' ? [v] : v;
  const isVec = m.type.startsWith('vec');
  const lanes = isVec ? m.size / 4 : 1;
  if (vals.length !== lanes) throw new Error(`pack: ${name} needs ${lanes} value(s), got ${vals.length}`);
  const float = m.type.includes('f32') || m.type.endsWith('f');
  vals.forEach((x, i) => {
    const o = at + m.offset + 4 * i;
    if (float) view.setFloat32(o, x, true);
    else {
      if (!Number.isInteger(x) || x < 0 || x > U32_MAX) throw new Error(`pack: ${name} = ${x} is not a u32`);
      view.setUint32(o, x, true);
    }
  });
}

function writeParams(view: DataView, at: number, fields: Fields): void {
  const members = LAYOUTS.ScheduleParams.members;
  for (const name of Object.keys(fields) as ParamName[]) {
    const v = fields[name];
    if (v === undefined) continue;
    writeMember(view, at, members[name], v, name);
  }
}

function checkWindow(w: StepWindow): void {
  if (!Number.isInteger(w.minStep) || !Number.isInteger(w.maxStep) || w.minStep < 0 || w.maxStep > U32_MAX || w.minStep > w.maxStep) {
    throw new RangeError(`packSchedules: window [${w.minStep}, ${w.maxStep}] must be integers with 0 ≤ minStep ≤ maxStep ≤ 2^32 − 1`);
  }
}

/** The packer of each kind (with its GPU-support rules), generated from the registry (`npm run gen`); the compiler checks that every kind has one. */
export { PACKERS };

function packOne(s: KernelSchedule, window: StepWindow): PackResult {
  return (PACKERS[s.kind] as (s: KernelSchedule, window: StepWindow) => PackResult)(s, window);
}

// ------------------------------------------------------------------------------------------
// Public API.

/**
 * `null` when the GPU kernels give the bound of docs/accuracy.md#the-contract for this schedule over the
 * window (default: every u32 step), else why not ({ field, value, rule }): the evaluator
 * then computes this schedule on the CPU. Restart tables larger than RESTART_ROWS_MAX are
 * reported too.
 */
export function gpuSupport(schedule: KernelSchedule, window: StepWindow = FULL_WINDOW): GpuUnsupported | null {
  checkWindow(window);
  const r = packOne(schedule, window);
  return isUnsupported(r) ? r : null;
}

export interface PackedSchedules {
  /** `rows` ScheduleParams structs (binding 1). */
  readonly params: ArrayBuffer;
  /** Restart / piecewise tables as u32 words (binding 2), at least 4 bytes. */
  readonly tables: ArrayBuffer;
  /** Number of ScheduleParams rows (= schedules.length). */
  readonly rows: number;
}

/**
 * Packs schedules for eval_range / eval_list. Tables are built for steps in
 * [minStep, maxStep] only; the kernels must only be asked for steps in that window.
 * Throws GpuUnsupportedError (field, value, rule, scheduleIndex) for a config the GPU
 * does not support (check gpuSupport first).
 */
export function packSchedules(schedules: readonly KernelSchedule[], window: StepWindow): PackedSchedules {
  checkWindow(window);
  const stride = LAYOUTS.ScheduleParams.size;
  const params = new ArrayBuffer(Math.max(1, schedules.length) * stride);
  const view = new DataView(params);
  const tables: Uint32Array[] = [];
  let words = 0;
  schedules.forEach((s, i) => {
    const r = packOne(s, window);
    if (isUnsupported(r)) throw new GpuUnsupportedError(r.field, r.value, r.rule, i);
    const fields: Fields = { ...r.fields };
    if (r.table) {
      fields.table_off = words;
      tables.push(r.table);
      words += r.table.length;
    }
    writeParams(view, i * stride, fields);
  });
  const out = new Uint32Array(Math.max(1, words));
  let o = 0;
  for (const t of tables) {
    out.set(t, o);
    o += t.length;
  }
  return { params, tables: out.buffer, rows: schedules.length };
}

/**
 * One ScheduleParams struct (LAYOUTS.ScheduleParams.size bytes) for a user's own kernel
 * that includes SCHEDULES_WGSL and calls e.g. `cosine_decay(params, step)`. Configs that
 * need a table (CosineDecayRestarts other than t_mul = 1 with integer D; more than 8
 * piecewise boundaries) throw: use packSchedules([s], window) and bind its tables behind
 * `lr_table`.
 */
export function packScheduleParams(schedule: KernelSchedule): ArrayBuffer {
  const r = packOne(schedule, FULL_WINDOW);
  if (isUnsupported(r)) throw new GpuUnsupportedError(r.field, r.value, r.rule);
  if (r.table) {
    throw new GpuUnsupportedError('kind', schedule.kind, 'this config needs a table (restart periods / long piecewise list): use packSchedules([schedule], window) and bind its tables behind lr_table');
  }
  const buf = new ArrayBuffer(LAYOUTS.ScheduleParams.size);
  writeParams(new DataView(buf), 0, r.fields);
  return buf;
}

/** The Job uniform of evaluate.wgsl (camelCase of its members). */
export interface JobParams {
  readonly row0: number;
  readonly col0: number;
  readonly cols: number;
  readonly count: number;
  readonly start: number;
  readonly stride: number;
  readonly groupsX: number;
  readonly outOffset: number;
  /** eval_range_tile / eval_list_tile: columns per invocation; default 1 (the other entry points ignore it). */
  readonly laneCols?: number;
}

const JOB_NAMES: Readonly<Record<keyof JobParams, JobName>> = {
  row0: 'row0',
  col0: 'col0',
  cols: 'cols',
  count: 'count',
  start: 'start',
  stride: 'stride',
  groupsX: 'groups_x',
  outOffset: 'out_offset',
  laneCols: 'lane_cols',
};

/** The Job uniform's bytes (LAYOUTS.Job.size), every member a u32. */
export function packJob(job: JobParams): ArrayBuffer {
  const buf = new ArrayBuffer(LAYOUTS.Job.size);
  const view = new DataView(buf);
  for (const key of Object.keys(JOB_NAMES) as (keyof JobParams)[]) {
    const name = JOB_NAMES[key];
    writeMember(view, 0, LAYOUTS.Job.members[name], job[key] ?? 1, name);
  }
  return buf;
}
