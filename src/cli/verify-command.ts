/**
 * `verify`: evaluates schedules on a float32 backend and judges every (or a sample of)
 * value against the exact f64 reference with the library's verify() (docs/accuracy.md),
 * printing the report. Exit 0 when every checked value lies in its acceptance
 * interval, 1 when some do not (a finding, reported in full), 2 for bad input.
 */
import { boundsText, fromAnyJsonMany, formatFailures, stepCount, verify, type VerifyReport } from '../index.ts';
import { flagValue, parseFlags, type FlagSpec } from './args.ts';
import { BACKENDS, type BackendContext } from './backends.ts';
import { CliUsageError, EXIT } from './errors.ts';
import type { CliIo } from './io.ts';
import { COMMON_FLAGS, OUT_HELP, STEPS_HELP, backendHelp, checkSize, configFlagName, configHelp, parseBackendFlag, parseFormatFlag, parseOutFlag, parseStepsFlags, readConfig } from './options.ts';
import { withOutput, type Computed } from './output.ts';

export const VERIFY_FLAGS: readonly FlagSpec[] = [
  ...COMMON_FLAGS,
  { name: 'sample', kind: 'value' },
  { name: 'all', kind: 'switch' },
];

/** Float32 backends: the reference is the judge, not a candidate. */
const VERIFY_BACKENDS = Object.keys(BACKENDS).filter((n) => BACKENDS[n]?.float32 === true);
const VERIFY_FORMATS = ['text', 'json'] as const;
type VerifyFormat = (typeof VERIFY_FORMATS)[number];

export const VERIFY_USAGE = `lr-schedules verify (--config FILE|- | --json TEXT) (--steps S1,S2,... | --range START:STOP[:STRIDE])
                    [--backend ${VERIFY_BACKENDS.join('|')}] [--sample N | --all] [--format text|json] [--out FILE|-] [--verbose]

  Evaluates on the backend, then checks the float32 values against the exact f64
  reference: |got − exact| ≤ k · 2^-23 · |exact| + 2^-126 with k per kind: ExponentialDecay 8,
  InverseTimeDecay 10, CosineDecay 20, CosineDecayRestarts 20 (24 when t_mul = 1 and
  m_mul ≠ 1), PolynomialDecay 8 + 10·max(1, power); PiecewiseConstantDecay must equal
  the float32-rounded value (docs/accuracy.md: the contract and why).
${configHelp('one schedule config or a JSON array of them (as sweep)')}
${STEPS_HELP}
${backendHelp(VERIFY_BACKENDS, 'auto')}
  --all             check every value (the default)
  --sample N        check the first and last value of every schedule plus N values spread
                    evenly over all of them (deterministic)
  --format FMT      text (default): the report, failures as CTS lines
                      "schedule #i (Kind), step s → got X, expected [lo, hi] (exact E, n ULP)"
                    json: {"ok","backend","device"[,"fallbackReason"],"schedules","steps","mode",
                      "checked","failedCount","maxUlp","maxAbs","maxRel","failures":[…]}
                    maxUlp (text: "max error: n ULP") is over exact values of magnitude ≥ 2^-126;
                      smaller ones are judged by the 2^-126 absolute slack (abs, rel include them)
${OUT_HELP}
  Exit: 0 every checked value in bound; 1 some value out of bound (the report lists up to
  100 failures; stderr gets one line); 2 bad input; 3 backend unavailable.`;

function parseSample(flags: ReturnType<typeof parseFlags>): { mode: 'all' } | { mode: 'sample'; size: number } {
  const sample = flagValue(flags, 'sample');
  if (sample !== undefined && flags.has('all')) throw new CliUsageError('verify: give at most one of --sample N or --all');
  if (sample === undefined) return { mode: 'all' };
  if (!/^[0-9]+$/.test(sample.trim()) || Number(sample) < 1 || Number(sample) > 2 ** 28) {
    throw new CliUsageError(`--sample = ${JSON.stringify(sample)}: must be an integer 1 … 2^28`);
  }
  return { mode: 'sample', size: Number(sample) };
}

const fmt = (x: number): string => (x === 0 || (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4) ? x.toPrecision(4).replace(/\.?0+$/, '') : x.toExponential(3));

/** The text report. */
export function formatReport(report: VerifyReport, r: Computed): string {
  const lines = [
    `verify: ${report.ok ? 'OK' : 'FAILED'}: ${report.failedCount} of ${report.checked} checked values outside ${boundsText(report.bounds)}`,
    `backend: ${r.backend} (${r.device})`,
    ...(r.fallbackReason === undefined ? [] : [`fallback: ${r.fallbackReason.replace(/\s*\n\s*/g, ' ')}`]),
    `checked: ${report.checked} of ${r.rows} × ${r.cols} = ${r.rows * r.cols} values (${report.mode})`,
    `max error: ${fmt(report.maxUlp)} ULP, abs ${fmt(report.maxAbs)}, rel ${fmt(report.maxRel)} (${fmt(report.maxRel / 2 ** -23)} × 2^-23)`,
    `failures: ${report.failedCount}`,
  ];
  const f = formatFailures(report);
  return `${lines.join('\n')}\n${f === '' ? '' : `${f}\n`}`;
}

/** Runs verify; returns the exit code or 'help'. */
export async function runVerifyCommand(argv: readonly string[], io: CliIo, ctx: BackendContext): Promise<number | 'help'> {
  const flags = parseFlags(argv, VERIFY_FLAGS, 'verify');
  if (flags.has('help')) return 'help';
  const steps = parseStepsFlags(flags, 'verify');
  const backendName = parseBackendFlag(flags, VERIFY_BACKENDS, 'auto', 'verify checks a float32 backend against the f64 reference');
  const sample = parseSample(flags);
  const format: VerifyFormat = parseFormatFlag(flags, VERIFY_FORMATS);
  const out = parseOutFlag(flags, io, false);
  const configText = await readConfig(flags, 'verify', io);
  const schedules = fromAnyJsonMany(configText);
  if (schedules.length === 0) throw new CliUsageError(`${configFlagName(flags)}: the schedule list is empty; verify needs at least one schedule`);
  const cols = stepCount(steps);
  if (cols === 0) throw new CliUsageError('verify: the steps are empty; give at least one step');
  checkSize(schedules.length, cols);
  const backend = BACKENDS[backendName];
  if (backend === undefined) throw new CliUsageError(`--backend = ${JSON.stringify(backendName)}: unknown backend`);
  const t0 = performance.now();
  const r = await backend.run(ctx, schedules, steps);
  const report = verify(schedules, steps, r.values, sample.mode === 'all' ? { mode: 'all' } : { mode: 'sample', sampleSize: sample.size });
  const ms = performance.now() - t0;
  const text =
    format === 'text'
      ? formatReport(report, r)
      : `${JSON.stringify({
          ok: report.ok,
          backend: r.backend,
          device: r.device,
          ...(r.fallbackReason === undefined ? {} : { fallbackReason: r.fallbackReason }),
          schedules: r.rows,
          steps: r.cols,
          mode: report.mode,
          checked: report.checked,
          failedCount: report.failedCount,
          maxUlp: report.maxUlp,
          maxAbs: report.maxAbs,
          maxRel: report.maxRel,
          failures: report.failures,
        })}\n`;
  await withOutput(out, io, async (sink) => {
    await sink.write(text);
  });
  if (flags.has('verbose')) io.stderr(`lr-schedules: verify: ${r.rows} × ${r.cols} values by ${r.backend} (${r.device}), evaluated and checked in ${ms.toFixed(1)} ms\n`);
  if (!report.ok) {
    io.stderr(`lr-schedules: verify: ${report.failedCount} of ${report.checked} checked values lie outside ${boundsText(report.bounds)} (max ${fmt(report.maxUlp)} ULP)\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}
