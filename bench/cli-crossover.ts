/**
 * `npm run bench -- --only cli-crossover`: where `--backend auto` of the CLI should
 * switch from the CPU to WebGPU. Times the CLI itself, a fresh process per run
 * (`node --import tsx src/cli/main.ts sweep … --format f32 --out /dev/null`), so Dawn's
 * load, adapter, device and pipeline creation count, exactly as a user's run pays them;
 * `--backend cpu` and `--backend webgpu` alternate for M × N = 2^4 … 2^24 values of a
 * mixed sweep (the six kinds in turn, bench/configs.ts's sweepConfig), in one run.
 *
 * Reports per size the median wall times, then
 * - the measured crossover: the smallest size from which WebGPU is faster at every
 *   larger size measured (or none);
 * - the bound: WebGPU's fixed start cost (its time minus the CPU's at the smallest
 *   size) times the CPU's throughput (values over the CPU's compute time, from the
 *   CLI's --verbose line, at the largest size). Below it the CPU
 *   has finished all of the work before any GPU has started, however fast its kernels;
 * - the constant the CLI uses (AUTO_CPU_BELOW in src/cli/backends.ts), and `auto`'s
 *   times beside the other two.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSchedule, serialize, type ConfigByKind } from '../src/index.ts';
import { AUTO_CPU_BELOW } from '../src/cli/backends.ts';
import { median } from './stats.ts';
import { sweepConfig } from './configs.ts';

/** Schedules per sweep (N = values / M). */
const M = 8;

export interface CrossoverRow {
  readonly values: number;
  readonly cpuMs: number;
  readonly webgpuMs: number;
  readonly autoMs: number;
  readonly autoBackend: string;
  /** The CPU's compute time inside the process (its --verbose line), median. */
  readonly cpuComputeMs: number;
}

export interface CrossoverResult {
  readonly rows: readonly CrossoverRow[];
  readonly startCostMs: number;
  readonly cpuValuesPerSecond: number;
  readonly boundValues: number;
  readonly measuredCrossover: number | undefined;
  readonly chosen: number;
  readonly consistent: boolean;
}

function timeCli(args: readonly string[]): Promise<{ ms: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) reject(new Error(`lr-schedules ${args.join(' ')}: exit ${code}: ${stderr.trim()}`));
      else resolve({ ms, stderr });
    });
  });
}

export async function runCliCrossover(quick: boolean, log: (line: string) => void): Promise<CrossoverResult> {
  const log2s = quick ? [4, 12, 16, 20] : [4, 8, 12, 14, 16, 18, 20, 22, 24];
  const reps = quick ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'lr-crossover-'));
  const rows: CrossoverRow[] = [];
  try {
    for (const k of log2s) {
      const values = 2 ** k;
      const n = values / M;
      const cfg = join(dir, `sweep-${k}.json`);
      const schedules = Array.from({ length: M }, (_, r) => {
        const { kind, config } = sweepConfig(r, Math.max(64, n)); // parameters sized for ≥ 64 steps (distinct piecewise boundaries)
        return serialize(createSchedule(kind, config as unknown as ConfigByKind[typeof kind]));
      });
      writeFileSync(cfg, JSON.stringify(schedules));
      const args = (b: string): string[] => ['sweep', '--config', cfg, '--range', `0:${n}`, '--backend', b, '--format', 'f32', '--out', '/dev/null', '--verbose'];
      const cpu: number[] = [];
      const cpuCompute: number[] = [];
      const gpu: number[] = [];
      for (let i = 0; i < reps; i++) {
        const c = await timeCli(args('cpu'));
        cpu.push(c.ms);
        cpuCompute.push(Number(/ in ([0-9.]+) ms/.exec(c.stderr)?.[1] ?? NaN));
        gpu.push((await timeCli(args('webgpu'))).ms);
      }
      const auto = await timeCli(args('auto'));
      const autoBackend = /values by (\w+)/.exec(auto.stderr)?.[1] ?? '?';
      const row = { values, cpuMs: median(cpu), webgpuMs: median(gpu), autoMs: auto.ms, autoBackend, cpuComputeMs: median(cpuCompute) };
      rows.push(row);
      log(`cli-crossover: 2^${k} values (${M} × ${n}): cpu ${row.cpuMs.toFixed(0)} ms, webgpu ${row.webgpuMs.toFixed(0)} ms, auto ${row.autoMs.toFixed(0)} ms (${autoBackend})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const first = rows[0] as CrossoverRow;
  const last = rows[rows.length - 1] as CrossoverRow;
  const startCostMs = first.webgpuMs - first.cpuMs;
  // The CPU's throughput from its own compute time at the largest size (process start is noise there).
  const cpuValuesPerSecond = last.values / (last.cpuComputeMs / 1000);
  const boundValues = Math.max(0, startCostMs / 1000) * cpuValuesPerSecond;
  let measuredCrossover: number | undefined;
  for (let i = rows.length - 1; i >= 0; i--) {
    const r = rows[i] as CrossoverRow;
    if (r.webgpuMs < r.cpuMs) measuredCrossover = r.values;
    else break;
  }
  const chosen = AUTO_CPU_BELOW;
  // The constant must not exceed the measured crossover (else auto is slower above it) and should not sit far below the bound.
  const consistent = (measuredCrossover === undefined || chosen <= measuredCrossover) && chosen <= Math.max(boundValues * 2, measuredCrossover ?? 0);
  log(
    `cli-crossover: WebGPU start ≈ ${startCostMs.toFixed(0)} ms; CPU ≈ ${(cpuValuesPerSecond / 1e6).toFixed(1)} M values/s; ` +
      `bound (start × CPU rate) ≈ ${Math.round(boundValues)} values ≈ 2^${Math.log2(Math.max(1, boundValues)).toFixed(1)}; ` +
      `measured crossover: ${measuredCrossover === undefined ? `none up to 2^${Math.log2(last.values)}` : `2^${Math.log2(measuredCrossover)}`}; ` +
      `AUTO_CPU_BELOW = 2^${Math.log2(chosen)} (src/cli/backends.ts): ${consistent ? 'consistent with this run' : 'NOT consistent with this run'}`,
  );
  return { rows, startCostMs, cpuValuesPerSecond, boundValues, measuredCrossover, chosen, consistent };
}
