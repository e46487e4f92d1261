/**
 * Sequences on the GPU, planned on the host (docs/design.md, "Sequences on the GPU"): each
 * Sequence row's columns are split into runs of one piece (a range: one run per piece it
 * crosses, found by exact integer arithmetic; a list: runs of consecutive columns in one
 * piece), every (row, piece) that is hit is packed over the local steps it serves (the
 * packer is the GPU-support check, as for the primitives), and the runs become entries of
 * eval_segments' table, tiled so that each tile's output, parameters, tables and table fit
 * one storage binding. A piece the GPU declines sends its runs to the CPU (`cpu`), with the
 * reason; the rest of the row stays on the GPU.
 */

import { Pacer } from '../cpu/cpu-backend.ts';
import type { GpuBackend } from '../gpu/gpu-backend.ts';
import type { SegmentDispatch, SegmentGroup, SegmentTile } from '../gpu/segments.ts';
import { GpuUnsupportedError, KIND_CODES, KIND_OVERRIDE, LAYOUTS, WGSL_CONSTS, packSchedules } from '../kernels/index.ts';
import type { ScheduleKind } from '../schedules/registry.ts';
import { formatValue } from '../schedules/errors.ts';
import { columnsBefore, pieceAt } from '../schedules/sequence.ts';
import type { EvaluatorPiece, EvaluatorSequence } from './types.ts';
import type { Validated } from './validate.ts';

const W = WGSL_CONSTS.SEGMENT_WORDS;
const WG = WGSL_CONSTS.WORKGROUP_SIZE;
const PARAMS_STRIDE = LAYOUTS.ScheduleParams.size;
/** The most workgroups along x of one entry: longer runs are cut into entries of ≤ 64·256 values. */
const MAX_GROUPS_X = 64;
/** The largest |scale| and |shift| the GPU applies in f32 (beyond, f32 products of a learning rate risk overflow). */
const AFFINE_MAX = 2 ** 64;

/** Columns [c0, c0 + n) of a row that the CPU computes, and why. */
export interface CpuRun {
  readonly row: number;
  readonly c0: number;
  readonly n: number;
}

/** The GPU tiles of a call's Sequence rows and the runs left to the CPU. */
export interface SequencePlan {
  readonly tiles: readonly SegmentTile[];
  readonly cpu: readonly CpuRun[];
  /** Why some runs are on the CPU (the first declined piece), when any are. */
  readonly reason: string | undefined;
  /** The first declined piece as a GpuUnsupportedError's parts (backend 'webgpu' throws it). */
  readonly declined: { readonly row: number; readonly field: string; readonly value: string; readonly rule: string } | undefined;
}

/** A run of one piece: columns [c0, c0 + n), local steps from `local0` (range) or the list. */
interface Run {
  readonly piece: number;
  readonly c0: number;
  readonly n: number;
}

/** The packed piece of one (row, piece): its kind, its params row and table, or why the GPU declines it. */
type Packed = { readonly kind: string; readonly params: Uint32Array; readonly table: Uint32Array | undefined } | { readonly declined: string };

const PW = PARAMS_STRIDE / 4;
const FLAGS_WORD = LAYOUTS.ScheduleParams.members.flags.offset / 4;
const TABLE_OFF_WORD = LAYOUTS.ScheduleParams.members.table_off.offset / 4;

/** The runs of one Sequence row over the call's steps. */
function runsOf(pieces: readonly EvaluatorPiece[], v: Validated): Run[] {
  const runs: Run[] = [];
  const pieceOf = (step: number): number => pieceAt(pieces, step);
  const N = v.cols;
  if (v.range) {
    const { start, stride } = v.range;
    for (let c = 0; c < N; ) {
      const k = pieceOf(start + c * stride);
      const end = k + 1 < pieces.length ? pieces[k + 1]!.begin : Infinity;
      const j = end === Infinity ? N : columnsBefore(end, start, stride, c, N);
      runs.push({ piece: k, c0: c, n: j - c });
      c = j;
    }
    return runs;
  }
  const list = v.list!;
  let cur = -1;
  let c0 = 0;
  for (let c = 0; c < N; c++) {
    const k = pieceOf(list[c]!);
    if (k !== cur) {
      if (cur >= 0) runs.push({ piece: cur, c0, n: c - c0 });
      cur = k;
      c0 = c;
    }
  }
  runs.push({ piece: cur, c0, n: N - c0 });
  return runs;
}

/** The local steps [min, max] a run serves. */
function runWindow(p: EvaluatorPiece, r: Run, v: Validated): { min: number; max: number } {
  if (v.range) {
    const s0 = v.range.start + r.c0 * v.range.stride;
    return { min: s0 - p.begin, max: s0 + (r.n - 1) * v.range.stride - p.begin };
  }
  let min = Infinity;
  let max = -Infinity;
  const list = v.list!;
  for (let c = r.c0; c < r.c0 + r.n; c++) {
    const s = list[c]!;
    if (s < min) min = s;
    if (s > max) max = s;
  }
  return { min: min - p.begin, max: max - p.begin };
}

function affineDeclined(p: EvaluatorPiece): string | undefined {
  for (const [name, x] of [['scale', p.scale], ['shift', p.shift]] as const) {
    if (!(Math.abs(x) <= AFFINE_MAX)) return `${name} = ${formatValue(x)}: the GPU applies it in float32, |${name}| must be ≤ 2^64`;
  }
  return undefined;
}

/** Packs one piece over its local window (the GPU-support check), or says why not. */
function packPiece(p: EvaluatorPiece, min: number, max: number, maxBind: number): Packed {
  const a = affineDeclined(p);
  if (a) return { declined: a };
  try {
    const packed = packSchedules([p.schedule], { minStep: min, maxStep: max });
    const params = new Uint32Array(packed.params);
    const hasTable = (params[FLAGS_WORD]! & WGSL_CONSTS.FLAG_TABLE) !== 0;
    const table = hasTable ? new Uint32Array(packed.tables) : undefined;
    if (table && table.byteLength > maxBind) return { declined: `table (bytes) = ${table.byteLength}: must be ≤ one storage binding (${maxBind}); the CPU computes it` };
    return { kind: p.schedule.kind, params, table };
  } catch (err) {
    if (err instanceof GpuUnsupportedError) return { declined: `${err.field} = ${formatValue(err.value)}: ${err.rule}` };
    const e = err as Error | undefined;
    return { declined: `the GPU packer cannot pack it (${e?.name ?? 'Error'}: ${e?.message ?? String(err)}); the CPU computes it` };
  }
}

const f32Bits = (x: number): number => {
  const b = new DataView(new ArrayBuffer(4));
  b.setFloat32(0, x, true);
  return b.getUint32(0, true);
};

/** A group being built: one kind's params rows, tables and entries (before bucketing). */
interface GroupBuild {
  kind: string;
  params: Uint32Array[];
  tables: Uint32Array[];
  tableWords: number;
  /** entries: row, a, b, count, out, scale, shift, mode; `a` of list runs relative to the tile's list. */
  entries: number[][];
}

/** The tile's groups as bytes: params, tables, [entries by size bucket | list], dispatches. */
function finishGroups(groups: Map<string, GroupBuild>, list: Uint32Array | undefined, maxY: number): SegmentGroup[] {
  const out: SegmentGroup[] = [];
  for (const g of groups.values()) {
    const params = new Uint32Array(Math.max(1, g.params.length) * PW);
    const tables = new Uint32Array(Math.max(1, g.tableWords));
    let tw = 0;
    g.params.forEach((row, i) => {
      params.set(row, i * PW);
      const t = g.tables[i];
      if (t && t.length > 0) {
        params[i * PW + TABLE_OFF_WORD] = tw;
        tables.set(t, tw);
        tw += t.length;
      }
    });
    // buckets: entries needing ≤ 1, 2, 4, … 64 workgroups along x, each one run of dispatches
    const buckets = new Map<number, number[][]>();
    for (const e of g.entries) {
      const gx = 2 ** Math.ceil(Math.log2(Math.max(1, Math.ceil(e[3]! / WG))));
      const b = buckets.get(gx) ?? [];
      b.push(e);
      buckets.set(gx, b);
    }
    const n = g.entries.length;
    const listBase = n * W;
    const data = new Uint32Array(listBase + (list ? list.length : 0) || 1);
    const dispatches: SegmentDispatch[] = [];
    let at = 0;
    for (const gx of [...buckets.keys()].sort((x, y) => x - y)) {
      const es = buckets.get(gx)!;
      // each dispatch as wide as its widest entry (≤ gx; no idle workgroups when the entries are alike)
      for (let i = 0; i < es.length; i += maxY) {
        const count = Math.min(maxY, es.length - i);
        let need = 1;
        for (let j = i; j < i + count; j++) need = Math.max(need, Math.ceil(es[j]![3]! / WG));
        dispatches.push({ first: at + i, count, groupsX: need });
      }
      for (const e of es) {
        data.set(e, at * W);
        if (e[7] !== 0) data[at * W + 1] = e[1]! + listBase;
        at++;
      }
    }
    if (list) data.set(list, listBase);
    out.push({ params: params.buffer, tables: tables.buffer, constants: { [KIND_OVERRIDE]: KIND_CODES[g.kind as ScheduleKind] }, data, dispatches });
  }
  return out;
}

/**
 * Plans the Sequence rows `rows` of a call (their snapshots in `seqs`) for the GPU of `gpu`:
 * the tiles and the runs left to the CPU. Paced (yields every YIELD_MS, stops at an abort).
 */
export async function planSequences(gpu: GpuBackend, rows: readonly number[], seqs: readonly EvaluatorSequence[], v: Validated, signal: AbortSignal): Promise<SequencePlan> {
  const limits = gpu.limits;
  const maxBind = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const outMax = Math.max(1, Math.floor(Math.min(maxBind, gpu.batchBytes) / 4));
  const maxY = limits.maxComputeWorkgroupsPerDimension;
  const maxX = Math.min(MAX_GROUPS_X, maxY);
  const pacer = new Pacer(signal);
  const N = v.cols;
  // Column windows: every tile covers one window; a row of the window's width fits the output.
  // A list window's steps go into binding 3 beside the segment table; in the worst case
  // (an unsorted list) every column is its own run: 4 + 4·SEGMENT_WORDS bytes a column.
  const width = Math.min(N, outMax, v.list ? Math.max(1, Math.floor(maxBind / (4 + 4 * W))) : N);
  const cpu: CpuRun[] = [];
  let reason: string | undefined;
  let declined: SequencePlan['declined'];
  const rowRuns: { runs: Run[]; packed: Map<number, Packed> }[] = [];
  for (let i = 0; i < rows.length; i++) {
    await pacer.tick();
    const pieces = seqs[i]!.config.pieces;
    const runs = runsOf(pieces, v);
    const windows = new Map<number, { min: number; max: number }>();
    for (const r of runs) {
      const w = runWindow(pieces[r.piece]!, r, v);
      const cur = windows.get(r.piece);
      windows.set(r.piece, cur ? { min: Math.min(cur.min, w.min), max: Math.max(cur.max, w.max) } : w);
    }
    const packed = new Map<number, Packed>();
    for (const [k, w] of windows) {
      const p = packPiece(pieces[k]!, w.min, w.max, maxBind);
      packed.set(k, p);
      if ('declined' in p && reason === undefined) {
        reason = `schedule #${rows[i]} (Sequence) pieces[${k}] (${pieces[k]!.schedule.kind}): ${p.declined}`;
        declined = { row: rows[i]!, field: `Sequence.pieces[${k}]`, value: pieces[k]!.schedule.kind, rule: p.declined };
      }
    }
    for (const r of runs) if ('declined' in packed.get(r.piece)!) cpu.push({ row: rows[i]!, c0: r.c0, n: r.n });
    rowRuns.push({ runs, packed });
  }
  const tiles: SegmentTile[] = [];
  for (let c0 = 0; c0 < N; c0 += width) {
    const cw = Math.min(width, N - c0);
    const list = v.list ? Uint32Array.from(v.list.subarray(c0, c0 + cw)) : undefined;
    let tileRows: number[] = [];
    let groups = new Map<string, GroupBuild>();
    let bytes = { params: 0, tables: 0, data: list ? list.length * 4 : 0 };
    const flush = (): void => {
      if (tileRows.length > 0) tiles.push({ rows: tileRows, col0: c0, cols: cw, groups: finishGroups(groups, list, maxY) });
      tileRows = [];
      groups = new Map();
      bytes = { params: 0, tables: 0, data: list ? list.length * 4 : 0 };
    };
    for (let i = 0; i < rows.length; i++) {
      await pacer.tick();
      const { runs, packed } = rowRuns[i]!;
      const pieces = seqs[i]!.config.pieces;
      // this row's entries and pieces in the window
      const entries: { kind: string; piece: number; e: number[] }[] = [];
      for (const r of runs) {
        const a0 = Math.max(r.c0, c0);
        const a1 = Math.min(r.c0 + r.n, c0 + cw);
        const pk = packed.get(r.piece)!;
        if (a1 <= a0 || 'declined' in pk) continue;
        const p = pieces[r.piece]!;
        for (let a = a0; a < a1; a += maxX * WG) {
          const n = Math.min(maxX * WG, a1 - a);
          const outAt = (a - c0); // + the row's offset in the tile, set when placed
          const e = v.range
            ? [0, v.range.start + a * v.range.stride - p.begin, v.range.stride, n, outAt, f32Bits(p.scale), f32Bits(p.shift), 0]
            : [0, a - c0, p.begin, n, outAt, f32Bits(p.scale), f32Bits(p.shift), 1];
          entries.push({ kind: pk.kind, piece: r.piece, e });
        }
      }
      const newParams = new Set(entries.map((x) => x.piece));
      let addParams = 0;
      let addTables = 0;
      for (const k of newParams) {
        const pk = packed.get(k) as Exclude<Packed, { declined: string }>;
        addParams += PARAMS_STRIDE;
        addTables += pk.table?.byteLength ?? 0;
      }
      if (entries.length === 0) continue;
      const fits = (n: number): boolean =>
        (n + 1) * cw <= outMax &&
        bytes.params + addParams <= maxBind &&
        bytes.tables + addTables <= maxBind &&
        bytes.data + entries.length * W * 4 <= maxBind;
      if (!fits(tileRows.length)) flush();
      if (!fits(0)) {
        // this row's segment table alone exceeds one binding (a list in very many runs)
        const rule = `must be ≤ one storage binding (${maxBind}); the CPU computes it`;
        reason ??= `schedule #${rows[i]} (Sequence): segment table (bytes) = ${entries.length * W * 4 + bytes.data}: ${rule}`;
        declined ??= { row: rows[i]!, field: 'segment table (bytes)', value: String(entries.length * W * 4 + bytes.data), rule };
        cpu.push({ row: rows[i]!, c0, n: cw });
        continue;
      }
      const localRow = tileRows.length;
      tileRows.push(rows[i]!);
      const rowIndex = new Map<number, number>();
      for (const x of entries) {
        let g = groups.get(x.kind);
        if (!g) groups.set(x.kind, (g = { kind: x.kind, params: [], tables: [], tableWords: 0, entries: [] }));
        let pr = rowIndex.get(x.piece);
        if (pr === undefined) {
          const pk = packed.get(x.piece) as Exclude<Packed, { declined: string }>;
          pr = g.params.length;
          g.params.push(pk.params);
          g.tables.push(pk.table ?? new Uint32Array(0));
          g.tableWords += pk.table?.length ?? 0;
          rowIndex.set(x.piece, pr);
        }
        x.e[0] = pr;
        x.e[4] = x.e[4]! + localRow * cw;
        g.entries.push(x.e);
      }
      bytes.params += addParams;
      bytes.tables += addTables;
      bytes.data += entries.length * W * 4;
    }
    flush();
  }
  return { tiles, cpu, reason, declined };
}
