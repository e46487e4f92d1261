/**
 * `eval` (one schedule) and `sweep` (M schedules): values at a list or range of steps
 * on a chosen backend, as JSON, CSV or raw float32.
 */
import { fromAnyJson, fromAnyJsonMany, stepCount, type AnySchedule } from '../index.ts';
import { parseFlags } from './args.ts';
import { BACKENDS, DEFAULT_BACKEND, type BackendContext } from './backends.ts';
import { CliUsageError, EXIT } from './errors.ts';
import type { CliIo } from './io.ts';
import {
  COMMON_FLAGS,
  OUT_HELP,
  STEPS_HELP,
  backendHelp,
  checkSize,
  configFlagName,
  configHelp,
  parseBackendFlag,
  parseFormatFlag,
  parseOutFlag,
  parseStepsFlags,
  readConfig,
} from './options.ts';
import { scheduleLabels } from './labels.ts';
import { OUTPUT_FORMATS, withOutput, writeResult } from './output.ts';

export const EVAL_FLAGS = COMMON_FLAGS;
export const SWEEP_FLAGS = COMMON_FLAGS;

const BACKEND_NAMES = Object.keys(BACKENDS);

export const EVAL_USAGE = `lr-schedules eval (--config FILE|- | --json TEXT) (--steps S1,S2,... | --range START:STOP[:STRIDE])
                  [--backend ${BACKEND_NAMES.join('|')}] [--format ${OUTPUT_FORMATS.join('|')}] [--out FILE|-] [--verbose]

${configHelp(`Keras JSON: a serialized schedule (Keras 3 or tf.keras form) or an
                    optimizer config whose learning_rate is one`)}
${STEPS_HELP}
${backendHelp(BACKEND_NAMES, DEFAULT_BACKEND)}
  --format FMT      json (default): {"backend","device"[,"fallbackReason"],"steps":[…],"values":[…]}
                      backend = what produced the values (webgpu, cpu, reference), device = the
                      adapter, "cpu" or "cpu (f64 reference)"; fallbackReason only when --backend
                      auto ran on the CPU. Values print as the shortest decimal of each double
                      (float32 backends: the float32 value exactly; reference: full f64)
                    csv: header step,value then one line per step
                    f32: the values as raw little-endian float32, nothing else (refused on a terminal;
                      the reference's doubles are rounded to float32)
${OUT_HELP}`;

export const SWEEP_USAGE = `lr-schedules sweep (--config FILE|- | --json TEXT) (--steps S1,S2,... | --range START:STOP[:STRIDE])
                   [--backend ${BACKEND_NAMES.join('|')}] [--format ${OUTPUT_FORMATS.join('|')}] [--out FILE|-] [--verbose]

  M schedules × N steps in one call (the GPU sweep). --steps and --range both work on
  every backend.
${configHelp(`a JSON array of schedule configs, each in any form eval accepts (or a
                    single one: M = 1); errors name the element ([2].config.decay_steps)`)}
${STEPS_HELP}
${backendHelp(BACKEND_NAMES, DEFAULT_BACKEND)}
  --format FMT      json (default): {"backend","device"[,"fallbackReason"],"schedules":M,
                      "labels":[…M],"steps":[…N],"values":[[row 0: N values],…M rows]}
                    csv: wide form, header step,<schedule 0>,…,<schedule M−1>, one line per step;
                      each schedule is named by its class and the fields that differ between
                      the sweep's schedules of that class, e.g.
                      "CosineDecay(warmup_target=0.001,warmup_steps=500)" (RFC 4180 quoting)
                    f32: M × N raw little-endian float32, row-major (value (r, c) at byte
                      4·(r·N + c)), nothing else (refused on a terminal)
${OUT_HELP}`;

function isJsonArray(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false; // deserialize reports the malformed JSON
  }
}

/** Runs eval (`sweep` false) or sweep; returns the exit code or 'help'. */
export async function runValuesCommand(command: 'eval' | 'sweep', argv: readonly string[], io: CliIo, ctx: BackendContext): Promise<number | 'help'> {
  const flags = parseFlags(argv, COMMON_FLAGS, command);
  if (flags.has('help')) return 'help';
  const steps = parseStepsFlags(flags, command);
  const backendName = parseBackendFlag(flags, BACKEND_NAMES, DEFAULT_BACKEND);
  const format = parseFormatFlag(flags, OUTPUT_FORMATS);
  const out = parseOutFlag(flags, io, format === 'f32');
  const configText = await readConfig(flags, command, io);
  let schedules: AnySchedule[];
  if (command === 'eval') {
    if (isJsonArray(configText)) throw new CliUsageError(`${configFlagName(flags)}: a JSON array of schedules; eval takes one schedule (use sweep for a list)`);
    schedules = [fromAnyJson(configText)];
  } else {
    schedules = fromAnyJsonMany(configText);
    if (schedules.length === 0) throw new CliUsageError(`${configFlagName(flags)}: the schedule list is empty; sweep needs at least one schedule`);
  }
  checkSize(schedules.length, stepCount(steps));
  const backend = BACKENDS[backendName];
  if (backend === undefined) throw new CliUsageError(`--backend = ${JSON.stringify(backendName)}: unknown backend`);
  const labels = command === 'sweep' ? scheduleLabels(schedules) : undefined;
  const t0 = performance.now();
  const r = await backend.run(ctx, schedules, steps);
  const ms = performance.now() - t0;
  await withOutput(out, io, (sink) => writeResult(sink, format, r, steps, command === 'sweep', labels));
  if (flags.has('verbose')) {
    io.stderr(
      `lr-schedules: ${command}: ${r.rows} × ${r.cols} values by ${r.backend} (${r.device}) in ${ms.toFixed(1)} ms` +
        `${r.fallbackReason === undefined ? '' : `; fallback: ${r.fallbackReason.replace(/\s*\n\s*/g, ' ')}`}\n`,
    );
  }
  return EXIT.ok;
}
