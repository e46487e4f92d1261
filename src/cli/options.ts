/**
 * Flags shared by eval, sweep and verify: the config, the steps, the backend, the
 * format, the output file. Every check happens here, before anything is computed
 * or written; a failure is a {@link CliUsageError} naming the flag, the value and
 * the rule.
 */
import type { Steps } from '../index.ts';
import { flagValue, type FlagSpec, type ParsedFlags } from './args.ts';
import { BACKENDS } from './backends.ts';
import { CliUsageError } from './errors.ts';
import type { CliIo } from './io.ts';
import { parseRange, parseStepList } from './steps-arg.ts';

/** The largest number of values (schedules × steps) one run prints. */
export const MAX_VALUES = 2 ** 28;

export const COMMON_FLAGS: readonly FlagSpec[] = [
  { name: 'config', kind: 'value' },
  { name: 'steps', kind: 'value' },
  { name: 'range', kind: 'value' },
  { name: 'backend', kind: 'value' },
  { name: 'format', kind: 'value' },
  { name: 'out', kind: 'value' },
  { name: 'verbose', kind: 'switch' },
  { name: 'help', kind: 'switch' },
];

/** Help lines of the common flags. */
export const STEPS_HELP = `  --steps LIST      comma-separated integer steps, 0 … 2^53 (any order, repeats allowed)
  --range A:B[:S]   steps A, A+S, A+2S, … below B (B is exclusive, > A; S defaults to 1)`;
export const OUT_HELP = `  --out FILE        write there (atomically: a failed run creates or touches nothing) instead of stdout
  --verbose         one line on stderr: backend, device, size, time (and the fallback reason, if any);
                    without it stderr stays empty on success`;

/** `--backend` help listing the given backends. */
export function backendHelp(names: readonly string[], dflt: string): string {
  const lines = names.map((n) => `                      ${n.padEnd(9)} ${BACKENDS[n]?.description ?? ''}`);
  return `  --backend NAME    default ${dflt}:\n${lines.join('\n')}`;
}

/** `--config FILE|-`: required; read now. */
export async function readConfig(flags: ParsedFlags, command: string, io: CliIo): Promise<string> {
  const config = flagValue(flags, 'config');
  if (config === undefined) throw new CliUsageError(`${command}: --config FILE|- is required`);
  if (config === '') throw new CliUsageError('--config = "": needs a file name, or - for stdin');
  return io.readInput(config);
}

/** Exactly one of `--steps` / `--range`. */
export function parseStepsFlags(flags: ParsedFlags, command: string): Steps {
  const stepsText = flagValue(flags, 'steps');
  const rangeText = flagValue(flags, 'range');
  if ((stepsText === undefined) === (rangeText === undefined)) throw new CliUsageError(`${command}: give exactly one of --steps or --range`);
  return stepsText !== undefined ? parseStepList(stepsText) : parseRange(rangeText as string);
}

/** `--backend`, one of `allowed` (default `dflt`). */
export function parseBackendFlag(flags: ParsedFlags, allowed: readonly string[], dflt: string, why = ''): string {
  const backend = flagValue(flags, 'backend') ?? dflt;
  if (!allowed.includes(backend)) {
    throw new CliUsageError(`--backend = ${JSON.stringify(backend)}: ${why || 'unknown backend'} (available: ${allowed.join(', ')})`);
  }
  return backend;
}

/** `--format`, one of `allowed` (default the first). */
export function parseFormatFlag<F extends string>(flags: ParsedFlags, allowed: readonly F[]): F {
  const format = flagValue(flags, 'format') ?? allowed[0];
  if (format === undefined || !(allowed as readonly string[]).includes(format)) {
    throw new CliUsageError(`--format = ${JSON.stringify(format)}: must be one of ${allowed.join(', ')}`);
  }
  return format as F;
}

/** `--out FILE` (undefined: stdout). Binary output to a terminal is refused. */
export function parseOutFlag(flags: ParsedFlags, io: CliIo, binary: boolean): string | undefined {
  const out = flagValue(flags, 'out');
  if (out === '') throw new CliUsageError('--out = "": needs a file name');
  if (binary && out === undefined && io.stdoutIsTTY === true) {
    throw new CliUsageError('--format = "f32": refusing to write binary to a terminal; use --out FILE or a pipe');
  }
  return out;
}

/** Rejects M × N above {@link MAX_VALUES}. */
export function checkSize(rows: number, cols: number): void {
  if (rows * cols > MAX_VALUES) {
    throw new CliUsageError(`schedules × steps = ${rows} × ${cols} = ${rows * cols}: more than the CLI prints (2^28 values); use fewer steps or schedules`);
  }
}
