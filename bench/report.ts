/**
 * The table's columns and the closing note, shared by the Node runner (text) and
 * the page (DOM). Pure.
 */
import { formatMs, formatRate } from './stats.ts';
import type { Ratios, Row, SuiteResult } from './types.ts';

export interface Column {
  readonly key: string;
  readonly title: string;
  /** What the column means (docs/benchmarks.md repeats it). */
  readonly help: string;
  readonly align: 'left' | 'right';
  format(row: Row): string;
}

function ulpText(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return x < 10 ? x.toFixed(1) : x.toPrecision(3);
}

export const COLUMNS: readonly Column[] = [
  { key: 'group', title: 'group', help: 'baseline, single, sweep, peers or self-test', align: 'left', format: (r) => r.group },
  { key: 'variant', title: 'variant', help: 'what ran (see the variants list)', align: 'left', format: (r) => r.variant },
  { key: 'kind', title: 'kind', help: "schedule kind; 'mixed' for sweeps; '-' for device baselines", align: 'left', format: (r) => r.kind },
  { key: 'shape', title: 'size', help: 'steps (2^k) or schedules × steps; the values one run writes', align: 'left', format: (r) => r.shape },
  { key: 'timing', title: 'clock', help: "'timestamp-query': GPU time of compute passes; 'wall': from the call to the queue (or CPU work) being done", align: 'left', format: (r) => (r.timing === 'timestamp-query' ? 'gpu-ts' : 'wall') },
  { key: 'median', title: 'median ms', help: 'median over the timed repetitions, on the clock of the previous column', align: 'right', format: (r) => formatMs(r.time.median) },
  { key: 'spread', title: 'spread', help: '(max − min) / median of the timed repetitions', align: 'right', format: (r) => `${(r.time.spread * 100).toFixed(0)}%` },
  { key: 'reps', title: 'reps', help: 'timed repetitions (+ untimed warm-ups)', align: 'right', format: (r) => `${r.time.n}${r.warmup ? `+${r.warmup}w` : ''}` },
  { key: 'rate', title: 'values/s', help: 'values written per second at the median time', align: 'right', format: (r) => formatRate(r.valuesPerSecond) },
  { key: 'wall', title: 'wall ms', help: 'median wall time (includes submission, ~4 ms per awaited promise in dawn.node, readback where the variant has it)', align: 'right', format: (r) => formatMs(r.wall.median) },
  { key: 'gpu', title: 'gpu ms', help: 'median GPU time of the compute passes (timestamp-query), where measured', align: 'right', format: (r) => (r.gpu ? formatMs(r.gpu.median) : '—') },
  {
    key: 'check',
    title: 'check',
    help: "verification of a sample of this row's own output (values within tolerance / values checked, largest error in float32 ULP): ok, WRONG, flagged (a wrong kernel caught), MISSED (a wrong kernel not caught)",
    align: 'left',
    format: (r) =>
      r.check
        ? r.check.failed === 0
          ? `${r.verdict} ${r.check.checked}/${r.check.checked} ≤${ulpText(r.check.maxUlp)}ulp`
          : `${r.verdict}: ${r.check.failed}/${r.check.checked} wrong, ≤${ulpText(r.check.maxUlp)}ulp`
        : r.verdict,
  },
];

/** A plain-text table of the rows. */
export function formatTable(rows: readonly Row[]): string {
  const cells = rows.map((r) => COLUMNS.map((c) => c.format(r)));
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...cells.map((row) => (row[i] as string).length)));
  const line = (xs: readonly string[]): string =>
    xs
      .map((x, i) => ((COLUMNS[i] as Column).align === 'right' ? x.padStart(widths[i] as number) : x.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  const notes = rows.filter((r) => r.note).map((r) => `  note: ${r.id}: ${r.note ?? ''}`);
  return [line(COLUMNS.map((c) => c.title)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line), ...notes].join('\n');
}

function x(r: number | undefined): string {
  return r === undefined || !Number.isFinite(r) ? 'n/a' : `${r.toPrecision(3)}×`;
}

/** The kernel/fill ratios as a kind × size grid. */
export function kernelFillGrid(ratios: Ratios): { shapes: string[]; rows: { kind: string; cells: (number | undefined)[] }[] } {
  const single = ratios.kernelOverFill.filter((r) => r.kind !== 'mixed');
  const shapes = [...new Set(single.map((r) => r.shape))];
  const kinds = [...new Set(single.map((r) => r.kind))];
  return {
    shapes,
    rows: kinds.map((kind) => ({ kind, cells: shapes.map((s) => single.find((r) => r.kind === kind && r.shape === s)?.overFillKernel) })),
  };
}

/** The closing note: the four ratios the issue asks for, from this run. */
export function formatRatios(result: SuiteResult): string {
  const r = result.ratios;
  const out: string[] = ['Ratios from this run (throughput ratios; >1 means the first is faster):'];
  const grid = kernelFillGrid(r);
  if (grid.rows.length) {
    const clock = r.kernelOverFill[0]?.timing ?? 'wall';
    out.push(`  kernel (kept on GPU) / fill kernel, per kind and size [${clock}]:`);
    out.push(`    ${'kind'.padEnd(24)}${grid.shapes.map((s) => s.padStart(8)).join('')}`);
    for (const row of grid.rows) out.push(`    ${row.kind.padEnd(24)}${row.cells.map((c) => (c === undefined || !Number.isFinite(c) ? 'n/a' : c.toFixed(3)).padStart(8)).join('')}`);
  }
  for (const m of r.kernelOverFill.filter((k) => k.kind === 'mixed')) out.push(`  sweep ${m.shape} / fill kernel of ${m.values} floats: ${m.overFillKernel.toFixed(3)} [${m.timing}]`);
  if (r.fusedVsTfjsWebgpu) {
    out.push(`  fused kernel vs tfjs-webgpu (kept on GPU) [${r.fusedVsTfjsWebgpu.timing}]: ${x(r.fusedVsTfjsWebgpu.ratio)}; with readback [wall]: ${x(r.fusedVsTfjsWebgpu.withReadback)}`);
  } else out.push('  fused kernel vs tfjs-webgpu: n/a');
  out.push(`  CPU fallback vs naive JS loop [wall]: ${x(r.cpuFallbackVsNaiveJs)}`);
  out.push(`  CPU fallback vs tfjs-cpu [wall]: ${x(r.cpuFallbackVsTfjsCpu)}`);
  out.push(`  total suite time: ${(result.totalMs / 1000).toFixed(1)} s; GPU timing: ${result.timingMethod}`);
  const bad = result.rows.filter((row) => row.verdict === 'WRONG' || row.verdict === 'MISSED');
  out.push(result.ok ? '  verification: every row ok, every wrong kernel flagged' : `  verification FAILED: ${bad.map((b) => `${b.id} (${b.verdict})`).join('; ') || 'no rows'}`);
  for (const s of result.skipped) out.push(`  skipped: ${s}`);
  for (const e of result.errors) out.push(`  ERROR: ${e}`);
  return out.join('\n');
}
