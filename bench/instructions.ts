/**
 * Static instruction counts of the range kernels per kind (and of the mixed-sweep
 * pipeline): Dawn's generated SPIR-V (bench/spirv-dump.ts, `dump_shaders` toggle, after
 * override substitution, robustness clamps included), optimised by `spirv-opt -O` (which
 * inlines every call into the entry point and folds the other kinds away), counted by
 * `spirv-dis`: every instruction of the entry point except OpLabel, OpSelectionMerge and
 * OpLoopMerge (block labels and structure annotations, which execute nothing). A proxy for
 * per-value ALU work (docs/benchmarks.md): a kernel is memory-bound only below a few tens
 * of instructions per value. Needs Debian's `spirv-tools` (spirv-as, spirv-opt,
 * spirv-dis); without them the group is skipped with a line saying so.
 *
 * Each kind is counted on both range entry points, each specialised twice: by SCHEDULE_KIND and
 * SCHEDULE_FLAGS with the flags of the `single` group's schedule of that kind, and by
 * SCHEDULE_KIND alone (a part whose rows differ in their flags). `counts` is eval_range_row with
 * kind and flags: the pipeline the `single` row runs (one row: the one-row entry point, its
 * parameters bound by themselves). `spanning` is eval_range (dispatches spanning rows: narrow
 * sweeps) with kind and flags; `anyFlags` and `spanningAnyFlags` the same with the kind alone;
 * `mixed` eval_range unspecialised (a mixed sweep of narrow rows), `mixedRow` eval_range_row
 * unspecialised (mixed wide rows).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLAGS_OVERRIDE, packSchedules, pipelineConstants } from '../src/kernels/index.ts';
import { createSchedule, type ConfigByKind, type Schedule } from '../src/index.ts';
import { SCHEDULE_KINDS, type ScheduleKind } from '../src/schedules/index.ts';
import { singleConfig } from './configs.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const NOT_COUNTED = new Set(['OpLabel', 'OpSelectionMerge', 'OpLoopMerge']);

export interface InstructionCounts {
  readonly tool: string;
  readonly rule: string;
  /** Instructions of eval_range_row (what the `single` row runs) specialised for each kind and the flags of its `single` row (flagsOf), and `mixed` (eval_range, no specialisation). */
  readonly counts: Readonly<Record<string, number>>;
  /** Instructions of eval_range_row specialised for each kind alone (flags read per row). */
  readonly anyFlags: Readonly<Record<string, number>>;
  /** Instructions of eval_range (dispatches spanning rows) specialised for each kind and the flags of its `single` row, and `mixedRow` (eval_range_row, no specialisation). */
  readonly spanning: Readonly<Record<string, number>>;
  /** Instructions of eval_range specialised for each kind alone. */
  readonly spanningAnyFlags: Readonly<Record<string, number>>;
  /** The ScheduleParams.flags word `counts` was specialised for, per kind. */
  readonly flagsOf: Readonly<Record<string, number>>;
}

/** The packed flags word of the `single` group's schedule of `kind` at 2^20 steps (bench/configs.ts). */
export function singleFlags(kind: ScheduleKind): number {
  const s = createSchedule(kind, singleConfig(kind, 2 ** 20).config as unknown as ConfigByKind[typeof kind]) as Schedule;
  const { params } = packSchedules([s], { minStep: 0, maxStep: 2 ** 20 - 1 });
  // one row: its pipeline is specialised for its own flags word (the evaluator's pipelineConstants)
  return pipelineConstants([s], params)?.[FLAGS_OVERRIDE] as number;
}

/** The SPIR-V disassembly Dawn printed after `/* Dumped SPIRV disassembly *\/` (its first module). */
export function extractSpirv(stdout: string): string {
  const at = stdout.indexOf('Dumped SPIRV disassembly');
  if (at < 0) throw new Error('no "Dumped SPIRV disassembly" in the output of bench/spirv-dump.ts');
  const lines = stdout.slice(stdout.indexOf('\n', at) + 1).split('\n');
  const end = lines.findIndex((l) => l.startsWith('info:'));
  return (end < 0 ? lines : lines.slice(0, end)).filter((l) => l.trim() === '' || /^\s*(;|%|Op)/.test(l)).join('\n');
}

/** Instructions in the bodies of the module's functions (after -O: the entry point alone), but NOT_COUNTED. */
export function countInstructions(disassembly: string): number {
  let inFunction = false;
  let n = 0;
  for (const line of disassembly.split('\n')) {
    const op = /(?:^|\s)(Op[A-Za-z0-9]+)/.exec(line)?.[1];
    if (op === undefined) continue;
    if (op === 'OpFunction') inFunction = true;
    else if (op === 'OpFunctionEnd') inFunction = false;
    else if (inFunction && !NOT_COUNTED.has(op)) n++;
  }
  return n;
}

function has(tool: string): boolean {
  return spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The counts, or the reason they were skipped. */
export function measureInstructions(log: (line: string) => void): InstructionCounts | { readonly skipped: string } {
  const missing = ['spirv-as', 'spirv-opt', 'spirv-dis'].filter((t) => !has(t));
  if (missing.length > 0) {
    const skipped = `instruction counts skipped: ${missing.join(', ')} not found (Debian package spirv-tools)`;
    log(skipped);
    return { skipped };
  }
  const dir = mkdtempSync(join(tmpdir(), 'lr-spirv-'));
  const count = (name: string, args: readonly string[], entry: 'range' | 'rangeRow'): number => {
    const env = { ...process.env, SPIRV_ENTRY: entry };
    const asm = join(dir, `${name}.spvasm`);
    const asArgs = ['--target-env', 'vulkan1.3', asm, '-o', join(dir, `${name}.spv`)];
    // Dawn's dump now and then reaches the pipe cut short (an unassemblable last line, about one
    // pipeline in 30 here): such a dump is taken again, at most twice.
    for (let attempt = 1; ; attempt++) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', join(HERE, 'spirv-dump.ts'), ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, env });
      if (child.status !== 0) throw new Error(`bench/spirv-dump.ts ${args.join(' ')} failed: ${child.stderr}`);
      writeFileSync(asm, extractSpirv(child.stdout));
      if (attempt === 3 || spawnSync('spirv-as', asArgs, { stdio: 'ignore' }).status === 0) break;
    }
    execFileSync('spirv-as', asArgs);
    execFileSync('spirv-opt', ['-O', join(dir, `${name}.spv`), '-o', join(dir, `${name}.opt.spv`)]);
    execFileSync('spirv-dis', [join(dir, `${name}.opt.spv`), '-o', join(dir, `${name}.opt.spvasm`)]);
    return countInstructions(readFileSync(join(dir, `${name}.opt.spvasm`), 'utf8'));
  };
  const counts: Record<string, number> = {};
  const anyFlags: Record<string, number> = {};
  const spanning: Record<string, number> = {};
  const spanningAnyFlags: Record<string, number> = {};
  const flagsOf: Record<string, number> = {};
  try {
    for (const kind of SCHEDULE_KINDS) {
      const flags = singleFlags(kind);
      flagsOf[kind] = flags;
      counts[kind] = count(kind, [kind, `${flags}`], 'rangeRow');
      anyFlags[kind] = count(`${kind}-any`, [kind], 'rangeRow');
      spanning[kind] = count(`${kind}-spanning`, [kind, `${flags}`], 'range');
      spanningAnyFlags[kind] = count(`${kind}-spanning-any`, [kind], 'range');
      log(
        `instructions  eval_range_row ${kind.padEnd(24)} ${String(counts[kind]).padStart(4)}  (flags ${flags}; any flags ${anyFlags[kind]}; eval_range ${spanning[kind]} / ${spanningAnyFlags[kind]})`,
      );
    }
    counts.mixed = count('mixed', ['mixed'], 'range');
    spanning.mixedRow = count('mixed-row', ['mixed'], 'rangeRow');
    log(`instructions  eval_range     ${'mixed'.padEnd(24)} ${String(counts.mixed).padStart(4)}  (eval_range_row ${spanning.mixedRow})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const v = spawnSync('spirv-opt', ['--version'], { encoding: 'utf8' });
  const version = `${v.stdout}${v.stderr}`.split('\n')[0]?.trim() || 'spirv-opt';
  return { tool: `Dawn dump_shaders (Tint) + ${version} -O`, rule: 'entry-point instructions after spirv-opt -O, except OpLabel, OpSelectionMerge, OpLoopMerge', counts, anyFlags, spanning, spanningAnyFlags, flagsOf };
}
