/**
 * Flags shared by eval, sweep and verify: the config, the steps, the backend, the
 * format, the output file. Every check happens here, before anything is computed
 * or written; a failure is a {@link CliUsageError} naming the flag, the value and
 * the rule.
 */
import { constants as bufferConstants } from 'node:buffer';
import type { Steps } from '../index.ts';
import { flagValue, type FlagSpec, type ParsedFlags } from './args.ts';
import { BACKENDS } from './backends.ts';
import { CliUsageError } from './errors.ts';
import { bytesText, tooLarge, type CliIo } from './io.ts';
import { parseRange, parseStepList } from './steps-arg.ts';
import { decodeUtf8Strict } from './utf8.ts';

/** The largest number of values (schedules × steps) one run prints. */
export const MAX_VALUES = 2 ** 28;

/** The default limit on a config's size (--max-config-bytes raises it). */
export const DEFAULT_MAX_CONFIG_BYTES = 64 * 2 ** 20;
/** The largest --max-config-bytes: the longest string this Node can hold (a decoded config is one). */
export const MAX_CONFIG_BYTES_CAP: number = bufferConstants.MAX_STRING_LENGTH;

/** Flags that say where the config comes from (every command that reads one). */
export const CONFIG_FLAGS: readonly FlagSpec[] = [
  { name: 'config', kind: 'value' },
  { name: 'json', kind: 'value' },
  { name: 'max-config-bytes', kind: 'value' },
];

export const COMMON_FLAGS: readonly FlagSpec[] = [
  ...CONFIG_FLAGS,
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
/** Help lines of --config, --json, --max-config-bytes (`what`: what the config holds). */
export const configHelp = (what: string): string => `  --config FILE|-   ${what}; - reads stdin
  --json TEXT       the same config inline, instead of --config (e.g. --json '{"class_name": …}')
  --max-config-bytes N
                    the most bytes of config read (default ${DEFAULT_MAX_CONFIG_BYTES}, 64 MiB); configs are
                    strict UTF-8 (an invalid byte is an error naming its offset)`;
export const OUT_HELP = `  --out FILE|-      write there instead of stdout (- is stdout). A regular file is replaced
                    atomically (temp file + rename; a failed or interrupted run creates or touches
                    nothing; its mode is kept); a symlink is followed (the link stays); a FIFO or
                    device (/dev/null) is written in place. SIGINT/SIGTERM mid-write: exit 130/143,
                    no temp file left
  --verbose         one line on stderr: backend, device, size, time (and the fallback reason, if any);
                    without it stderr stays empty on success`;

/** `--backend` help listing the given backends. */
export function backendHelp(names: readonly string[], dflt: string): string {
  const lines = names.map((n) => `                      ${n.padEnd(9)} ${BACKENDS[n]?.description ?? ''}`);
  return `  --backend NAME    default ${dflt}:\n${lines.join('\n')}`;
}

/** The flag the config came from, for messages: --json or --config. */
export const configFlagName = (flags: ParsedFlags): string => (flags.has('json') ? '--json' : '--config');

/** `--max-config-bytes N`: an integer 1 … {@link MAX_CONFIG_BYTES_CAP} (default 64 MiB). */
export function parseMaxConfigBytes(flags: ParsedFlags): number {
  const text = flagValue(flags, 'max-config-bytes');
  if (text === undefined) return DEFAULT_MAX_CONFIG_BYTES;
  const t = text.trim();
  if (!/^[0-9]+$/.test(t) || Number(t) < 1 || Number(t) > MAX_CONFIG_BYTES_CAP) {
    throw new CliUsageError(`--max-config-bytes = ${JSON.stringify(text)}: must be an integer 1 … ${MAX_CONFIG_BYTES_CAP} (the longest string Node holds)`);
  }
  return Number(t);
}

/**
 * The config text: `--config FILE|-` (read now, at most --max-config-bytes, strict
 * UTF-8) or `--json TEXT`; exactly one is required.
 */
export async function readConfig(flags: ParsedFlags, command: string, io: CliIo): Promise<string> {
  const config = flagValue(flags, 'config');
  const json = flagValue(flags, 'json');
  const maxBytes = parseMaxConfigBytes(flags);
  if (config !== undefined && json !== undefined) throw new CliUsageError(`${command}: give one of --config FILE|- or --json TEXT, not both`);
  if (json !== undefined) {
    const size = Buffer.byteLength(json, 'utf8');
    if (size > maxBytes) throw new CliUsageError(`--json: ${bytesText(size)}, over the limit of ${bytesText(maxBytes)} a config may have; raise it with --max-config-bytes N`);
    return json;
  }
  if (config === undefined) throw new CliUsageError(`${command}: --config FILE|- (or --json TEXT) is required`);
  if (config === '') throw new CliUsageError('--config = "": needs a file name, or - for stdin');
  const got = await io.readInput(config, maxBytes);
  if (typeof got === 'string') {
    const size = Buffer.byteLength(got, 'utf8');
    if (size > maxBytes) throw tooLarge(config, maxBytes, size);
    return got;
  }
  return decodeUtf8Strict(got, `--config = ${JSON.stringify(config)}`);
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
  const flag = flagValue(flags, 'out');
  if (flag === '') throw new CliUsageError('--out = "": needs a file name (or - for stdout)');
  const out = flag === '-' ? undefined : flag;
  if (binary && out === undefined && io.stdoutIsTTY === true) {
    throw new CliUsageError(`--format = ${JSON.stringify(flagValue(flags, 'format') ?? '')}: refusing to write binary to a terminal; use --out FILE or a pipe`);
  }
  return out;
}

/** Rejects M × N above {@link MAX_VALUES}. */
export function checkSize(rows: number, cols: number): void {
  if (rows * cols > MAX_VALUES) {
    throw new CliUsageError(`schedules × steps = ${rows} × ${cols} = ${rows * cols}: more than the CLI prints (2^28 values); use fewer steps or schedules`);
  }
}
