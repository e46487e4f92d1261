/** The closing-note ratios and the verdicts of a run, from its rows (pure; test/bench-check.test.ts). */
import type { CheckReport } from './check.ts';
import type { TimingMethod } from './gpu.ts';
import { speedRatio, throughputRatio } from './stats.ts';
import { V, type Group, type KernelFillRatio, type Ratios, type Row, type Verdict } from './types.ts';

function findRow(rows: readonly Row[], group: Group, variant: string, kind?: string, shape?: string): Row | undefined {
  return rows.find((r) => r.group === group && r.variant === variant && (kind === undefined || r.kind === kind) && (shape === undefined || r.shape === shape));
}

/** Same-clock times of two rows: primary when both used the same method, else wall. */
function sameClock(a: Row, b: Row): { ta: number; tb: number; timing: TimingMethod } {
  if (a.timing === b.timing) return { ta: a.time.median, tb: b.time.median, timing: a.timing };
  return { ta: a.wall.median, tb: b.wall.median, timing: 'wall' };
}

/** The closing-note ratios from a run's rows. */
export function computeRatios(rows: readonly Row[]): Ratios {
  const kernelOverFill: KernelFillRatio[] = [];
  for (const r of rows) {
    if (r.variant !== V.kept || (r.group !== 'single' && r.group !== 'sweep')) continue;
    const fillGroup: Group = r.group === 'single' ? 'baseline' : 'sweep';
    const fill = findRow(rows, fillGroup, V.fill, '-', r.group === 'single' ? r.shape : `${r.values}`);
    const clear = findRow(rows, fillGroup, V.clear, '-', r.group === 'single' ? r.shape : `${r.values}`);
    if (!fill) continue;
    const c = sameClock(r, fill);
    kernelOverFill.push({
      kind: r.kind,
      shape: r.shape,
      values: r.values,
      timing: c.timing,
      overFillKernel: throughputRatio(r.values, c.ta, fill.values, c.tb),
      overClearBuffer: clear ? throughputRatio(r.values, r.time.median, clear.values, clear.wall.median) : Number.NaN,
    });
  }
  const fused = findRow(rows, 'peers', V.kept);
  const fusedRb = findRow(rows, 'peers', V.readback);
  const tfw = findRow(rows, 'peers', V.tfWebgpuKept);
  const tfwRb = findRow(rows, 'peers', V.tfWebgpuReadback);
  let fusedVsTfjsWebgpu: Ratios['fusedVsTfjsWebgpu'];
  if (fused && tfw) {
    const c = sameClock(fused, tfw);
    fusedVsTfjsWebgpu = {
      ratio: speedRatio(c.ta, c.tb),
      timing: c.timing,
      withReadback: fusedRb && tfwRb ? speedRatio(fusedRb.wall.median, tfwRb.wall.median) : Number.NaN,
    };
  }
  const cpu = findRow(rows, 'peers', V.cpuFallback);
  const naive = findRow(rows, 'peers', V.naive);
  const tfc = findRow(rows, 'peers', V.tfCpu);
  return {
    kernelOverFill,
    fusedVsTfjsWebgpu,
    cpuFallbackVsNaiveJs: cpu && naive ? speedRatio(cpu.wall.median, naive.wall.median) : undefined,
    cpuFallbackVsTfjsCpu: cpu && tfc ? speedRatio(cpu.wall.median, tfc.wall.median) : undefined,
  };
}

/** A row's verdict from its check and expectation. */
export function verdictOf(check: CheckReport | undefined, expect: 'pass' | 'fail'): Verdict {
  if (!check) return 'skipped';
  if (expect === 'pass') return check.ok ? 'ok' : 'WRONG';
  return check.ok ? 'MISSED' : 'flagged';
}

/** A run passes when every checked row meets its expectation: right rows right, wrong kernels flagged. */
export function runOk(rows: readonly Row[]): boolean {
  return rows.every((r) => r.verdict === 'ok' || r.verdict === 'flagged');
}
