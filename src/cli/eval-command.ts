/**
 * `eval`: evaluate one schedule (Keras JSON) at a list or range of steps.
 */
import { deserialize, stepsToArray, type Steps } from '../index.ts';
import { flagValue, parseFlags, type FlagSpec } from './args.ts';
import { BACKENDS, DEFAULT_BACKEND } from './backends.ts';
import { CliUsageError } from './errors.ts';
import { OUTPUT_FORMATS, formatEval, type OutputFormat } from './output.ts';
import type { CliIo } from './io.ts';
import { parseRange, parseStepList } from './steps-arg.ts';

export const EVAL_FLAGS: readonly FlagSpec[] = [
  { name: 'config', kind: 'value' },
  { name: 'steps', kind: 'value' },
  { name: 'range', kind: 'value' },
  { name: 'backend', kind: 'value' },
  { name: 'format', kind: 'value' },
  { name: 'out', kind: 'value' },
  { name: 'help', kind: 'switch' },
];

export const EVAL_USAGE = `lr-schedules eval --config FILE|- (--steps S1,S2,... | --range START:STOP[:STRIDE])
                  [--backend reference] [--format json|csv] [--out FILE]

  --config FILE|-   Keras JSON: a serialized schedule (Keras 3 or tf.keras form) or an
                    optimizer config whose learning_rate is one; - reads stdin
  --steps LIST      comma-separated integer steps, 0 … 2^53
  --range A:B[:S]   steps A, A+S, A+2S, … below B (B is exclusive; S defaults to 1)
  --backend NAME    ${Object.keys(BACKENDS).join(' | ')} (default ${DEFAULT_BACKEND}: the exact f64 reference)
  --format FMT      json (default): {"backend","device","steps","values"}; csv: step,value
  --out FILE        write there (atomically) instead of stdout`;

/** Parsed eval options (shared with later commands such as sweep and verify). */
export interface EvalOptions {
  readonly configText: string;
  readonly steps: Steps;
  readonly backend: string;
  readonly format: OutputFormat;
  readonly out: string | undefined;
}

/** Reads and checks the flags of eval; reads the config. */
export async function parseEvalOptions(argv: readonly string[], io: CliIo): Promise<EvalOptions | 'help'> {
  const flags = parseFlags(argv, EVAL_FLAGS, 'eval');
  if (flags.has('help')) return 'help';
  const config = flagValue(flags, 'config');
  if (config === undefined) throw new CliUsageError('eval: --config FILE|- is required');
  const stepsText = flagValue(flags, 'steps');
  const rangeText = flagValue(flags, 'range');
  if ((stepsText === undefined) === (rangeText === undefined)) throw new CliUsageError('eval: give exactly one of --steps or --range');
  const steps: Steps = stepsText !== undefined ? parseStepList(stepsText) : parseRange(rangeText as string);
  const backend = flagValue(flags, 'backend') ?? DEFAULT_BACKEND;
  if (!Object.hasOwn(BACKENDS, backend)) {
    throw new CliUsageError(`--backend = ${JSON.stringify(backend)}: unknown backend (available: ${Object.keys(BACKENDS).join(', ')})`);
  }
  const format = flagValue(flags, 'format') ?? 'json';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new CliUsageError(`--format = ${JSON.stringify(format)}: must be one of ${OUTPUT_FORMATS.join(', ')}`);
  }
  const out = flagValue(flags, 'out');
  if (out === '') throw new CliUsageError('--out = "": needs a file name');
  const configText = await io.readInput(config);
  return { configText, steps, backend, format: format as OutputFormat, out };
}

/** Runs eval; returns the output text (the caller writes it). */
export async function runEval(opts: EvalOptions): Promise<string> {
  const schedule = deserialize(opts.configText);
  const stepArray = stepsToArray(opts.steps);
  const backend = BACKENDS[opts.backend];
  if (backend === undefined) throw new CliUsageError(`--backend = ${JSON.stringify(opts.backend)}: unknown backend`);
  const r = await backend.evaluate(schedule, opts.steps);
  return formatEval(opts.format, { backend: r.backend, device: r.device, steps: stepArray, values: r.values });
}
