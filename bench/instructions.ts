/**
 * Static instruction counts of the `eval_range` kernel per kind (and of the mixed-sweep
 * pipeline): Dawn's generated SPIR-V (bench/spirv-dump.ts, `dump_shaders` toggle, after
 * override substitution, robustness clamps included), optimised by `spirv-opt -O` (which
 * inlines every call into the entry point and folds the other kinds away), counted by
 * `spirv-dis`: every instruction of the entry point except OpLabel, OpSelectionMerge and
 * OpLoopMerge (block labels and structure annotations, which execute nothing). A proxy for
 * per-value ALU work (docs/benchmarks.md): a kernel is memory-bound only below a few tens
 * of instructions per value. Needs Debian's `spirv-tools` (spirv-as, spirv-opt,
 * spirv-dis); without them the group is skipped with a line saying so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEDULE_KINDS } from '../src/schedules/index.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const NOT_COUNTED = new Set(['OpLabel', 'OpSelectionMerge', 'OpLoopMerge']);

export interface InstructionCounts {
  readonly tool: string;
  readonly rule: string;
  /** Instructions of eval_range specialised for each kind, and `mixed` (no specialisation). */
  readonly counts: Readonly<Record<string, number>>;
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
  const counts: Record<string, number> = {};
  try {
    for (const which of [...SCHEDULE_KINDS, 'mixed']) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', join(HERE, 'spirv-dump.ts'), which], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
      if (child.status !== 0) throw new Error(`bench/spirv-dump.ts ${which} failed: ${child.stderr}`);
      const asm = join(dir, `${which}.spvasm`);
      writeFileSync(asm, extractSpirv(child.stdout));
      execFileSync('spirv-as', ['--target-env', 'vulkan1.3', asm, '-o', join(dir, `${which}.spv`)]);
      execFileSync('spirv-opt', ['-O', join(dir, `${which}.spv`), '-o', join(dir, `${which}.opt.spv`)]);
      execFileSync('spirv-dis', [join(dir, `${which}.opt.spv`), '-o', join(dir, `${which}.opt.spvasm`)]);
      counts[which] = countInstructions(readFileSync(join(dir, `${which}.opt.spvasm`), 'utf8'));
      log(`instructions  eval_range ${which.padEnd(24)} ${counts[which]}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const v = spawnSync('spirv-opt', ['--version'], { encoding: 'utf8' });
  const version = `${v.stdout}${v.stderr}`.split('\n')[0]?.trim() || 'spirv-opt';
  return { tool: `Dawn dump_shaders (Tint) + ${version} -O`, rule: 'entry-point instructions after spirv-opt -O, except OpLabel, OpSelectionMerge, OpLoopMerge', counts };
}
