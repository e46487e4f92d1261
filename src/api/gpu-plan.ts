/**
 * How a call runs on the GPU, prepared on the host: every schedule packed (the packer is
 * the GPU-support check: a GpuUnsupportedError names the field and rule), each table
 * checked against the device's binding limit, the rows cut into parts whose parameters
 * and tables each fit one storage binding. When the GPU cannot take the request, the plan
 * is the cause instead, for the fallback policy (fallback.ts) to decide on.
 */

import { Pacer } from '../cpu/cpu-backend.ts';
import type { GpuBackend, GpuSteps } from '../gpu/gpu-backend.ts';
import type { GpuPart } from '../gpu/parts.ts';
import { GpuUnsupportedError, LAYOUTS, WGSL_CONSTS, packSchedules, pipelineConstants } from '../kernels/index.ts';
import type { FallbackCause } from './fallback.ts';
import type { EvaluatorSchedule } from './types.ts';
import type { Validated } from './validate.ts';

const U32_MAX = 0xffffffff;

/** Byte offsets inside one packed ScheduleParams row (the reflected layout). */
const PARAMS_STRIDE = LAYOUTS.ScheduleParams.size;
const PARAMS_WORDS = PARAMS_STRIDE / 4;
const FLAGS_WORD = LAYOUTS.ScheduleParams.members.flags.offset / 4;
const TABLE_OFF_WORD = LAYOUTS.ScheduleParams.members.table_off.offset / 4;

/** How a call runs on the GPU, or why it does not. */
export type GpuPlan = { readonly parts: readonly GpuPart[]; readonly steps: GpuSteps } | { readonly cause: FallbackCause };

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * The rows of a mixed-kind request grouped by kind and flags word (each group in row order), or
 * undefined when every row has the same kind. Each group then runs on a pipeline specialised to
 * its kind and its flags (pipelineConstants): on SwiftShader the mixed pipeline's switch over six
 * kinds measured 8-10x slower than a one-kind pipeline, and SwiftShader runs every flag path of a
 * pipeline specialised by kind alone (docs/benchmarks.md, "Kind groups by flags too"). A
 * mixed-kind request writes its groups through a scratch anyway, so more groups only cost more
 * parts and pipelines; a one-kind request keeps one part written in place (undefined here).
 */
function pipelineGroups(schedules: readonly EvaluatorSchedule[], rowWords: readonly Uint32Array[], rowAt: Uint32Array): number[][] | undefined {
  const first = schedules[0];
  if (!first || schedules.every((s) => s.kind === first.kind)) return undefined;
  const groups = new Map<string, number[]>();
  schedules.forEach((s, row) => {
    const key = `${s.kind} ${rowWords[row]![rowAt[row]! + FLAGS_WORD]!}`;
    const rows = groups.get(key);
    if (rows) rows.push(row);
    else groups.set(key, [row]);
  });
  return [...groups.values()];
}

function unsupported(row: number | undefined, s: EvaluatorSchedule | undefined, field: string, value: unknown, rule: string): { cause: FallbackCause } {
  return { cause: { kind: 'unsupported', row, scheduleKind: s?.kind, field, value, rule } };
}

/**
 * Packs the request for the GPU of `gpu` (by kind when `byKind`), or gives the cause
 * that keeps it off the GPU. Yields to the event loop every YIELD_MS and stops at an
 * abort of `signal`.
 */
export async function planGpu(gpu: GpuBackend, schedules: readonly EvaluatorSchedule[], v: Validated, signal: AbortSignal, byKind: boolean): Promise<GpuPlan> {
  if (gpu.lostReason !== undefined) return { cause: { kind: 'device-lost', lostReason: gpu.lostReason } };
  if (v.maxStep > U32_MAX) return { cause: { kind: 'step-above-u32', maxStep: v.maxStep } };
  const limits = gpu.limits;
  if (v.list && v.list.length * 4 > limits.maxBufferSize) {
    return unsupported(undefined, undefined, 'steps.length', v.list.length, `a GPU step list (4 bytes a step) must fit the device's maxBufferSize = ${limits.maxBufferSize} bytes: pass a range, or fewer steps per call`);
  }
  const bindName = limits.maxStorageBufferBindingSize <= limits.maxBufferSize ? 'maxStorageBufferBindingSize' : 'maxBufferSize';
  const maxBind = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  if (PARAMS_STRIDE > maxBind) return unsupported(undefined, undefined, 'schedule parameters (bytes per row)', PARAMS_STRIDE, `must be ≤ the device's ${bindName} = ${maxBind}`);
  const window = { minStep: v.minStep, maxStep: v.maxStep };
  const pacer = new Pacer(signal);
  const n = schedules.length;
  // Per row: the packed words of its chunk, the row's first word there, and a view of its table.
  const rowWords = new Array<Uint32Array>(n);
  const rowAt = new Uint32Array(n);
  const tables = new Array<Uint32Array | undefined>(n);
  // Rows are packed in chunks (one packSchedules call each: its per-call cost dominates for
  // small schedules), sized so that a chunk takes about 1-4 ms: big restart tables go one by one.
  let size = 1;
  for (let i = 0; i < n; ) {
    await pacer.tick();
    const end = Math.min(n, i + size);
    const t0 = now();
    let packed: ReturnType<typeof packSchedules>;
    try {
      packed = packSchedules(schedules.slice(i, end), window);
    } catch (err) {
      if (err instanceof GpuUnsupportedError && err.scheduleIndex !== undefined) {
        const r = i + err.scheduleIndex;
        return unsupported(r, schedules[r], err.field, err.value, err.rule);
      }
      if (end - i > 1) {
        size = 1; // find the row, one by one
        continue;
      }
      // Any other error of the packer (e.g. a schedule method refusing a period index the
      // table would need) means the GPU formulation cannot take this config: the CPU can.
      const e = err as Error | undefined;
      return unsupported(i, schedules[i], 'config', schedules[i]!.kind, `the GPU packer cannot pack it (${e?.name ?? 'Error'}: ${e?.message ?? String(err)}); the CPU computes it`);
    }
    const dt = now() - t0;
    const words = new Uint32Array(packed.params);
    const chunkTables = new Uint32Array(packed.tables);
    let last = -1; // the previous row of this chunk with a table: its table ends where the next begins
    const close = (endWord: number): void => {
      if (last >= 0) tables[last] = chunkTables.subarray(words[rowAt[last]! + TABLE_OFF_WORD]!, endWord);
    };
    for (let r = i; r < end; r++) {
      const at = (r - i) * PARAMS_WORDS;
      rowWords[r] = words;
      rowAt[r] = at;
      if ((words[at + FLAGS_WORD]! & WGSL_CONSTS.FLAG_TABLE) !== 0) {
        close(words[at + TABLE_OFF_WORD]!);
        last = r;
      }
    }
    close(chunkTables.length);
    for (let r = i; r < end; r++) {
      const t = tables[r];
      if (t && t.byteLength > maxBind) {
        const s = schedules[r]!;
        const what = s.kind === 'CosineDecayRestarts' ? 'restart table (bytes)' : `${s.kind} table (bytes)`;
        return unsupported(r, s, what, t.byteLength, `must be ≤ the device's ${bindName} = ${maxBind} (one storage binding); the CPU computes it`);
      }
    }
    i = end;
    size = dt < 1 ? Math.min(size * 2, 4096) : dt > 4 ? Math.max(1, size >> 1) : size;
  }
  const all = schedules.map((_, i) => i);
  const groups = (byKind ? pipelineGroups(schedules, rowWords, rowAt) : undefined) ?? [all];
  const parts: GpuPart[] = [];
  for (const group of groups) {
    let cur: number[] = [];
    let tableBytes = 0;
    const flush = (): void => {
      if (cur.length > 0) parts.push(assemble(schedules, cur, rowWords, rowAt, tables));
      cur = [];
      tableBytes = 0;
    };
    for (const r of group) {
      const tb = tables[r]?.byteLength ?? 0;
      if (cur.length > 0 && ((cur.length + 1) * PARAMS_STRIDE > maxBind || tableBytes + tb > maxBind)) flush();
      cur.push(r);
      tableBytes += tb;
    }
    flush();
    await pacer.tick();
  }
  const steps: GpuSteps = v.range ? v.range : { list: v.list instanceof Uint32Array ? v.list : Uint32Array.from(v.list!) };
  return { parts, steps };
}

/** One part's ScheduleParams rows and tables, each row's table_off pointing into the part's tables. */
function assemble(
  schedules: readonly EvaluatorSchedule[],
  rows: readonly number[],
  rowWords: readonly Uint32Array[],
  rowAt: Uint32Array,
  tables: readonly (Uint32Array | undefined)[],
): GpuPart {
  const params = new Uint32Array(rows.length * PARAMS_WORDS);
  let words = 0;
  for (const r of rows) words += tables[r]?.length ?? 0;
  const t = new Uint32Array(Math.max(1, words));
  let w = 0;
  let consecutive = true;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r !== rows[0]! + i) consecutive = false;
    const src = rowWords[r]!;
    const at = rowAt[r]!;
    const o = i * PARAMS_WORDS;
    for (let k = 0; k < PARAMS_WORDS; k++) params[o + k] = src[at + k]!;
    const table = tables[r];
    if (table) {
      params[o + TABLE_OFF_WORD] = w;
      t.set(table, w);
      w += table.length;
    }
  }
  return { rows, first: consecutive ? rows[0] : undefined, params: params.buffer, tables: t.buffer, constants: pipelineConstants(rows.map((r) => schedules[r]!), params.buffer) };
}
