/**
 * `plot`: one schedule or a sweep as a standalone SVG chart (plot.ts) for a quick look
 * without a browser: axes with round ticks, a title, a legend (or a colour bar beyond
 * 20 schedules). `--format png` rasterizes the same SVG with @resvg/resvg-js when
 * that optional package is installed (png.ts).
 */
import { describeSchedule, fromAnyJsonMany, stepCount, stepReader, type AnySchedule} from '../index.ts';
import { flagValue, parseFlags, type FlagSpec, type ParsedFlags } from './args.ts';
import { BACKENDS, type BackendContext } from './backends.ts';
import { CliUsageError, EXIT } from './errors.ts';
import type { CliIo } from './io.ts';
import { fieldText, scheduleLabels, sweptFields } from './labels.ts';
import { COMMON_FLAGS, OUT_HELP, STEPS_HELP, backendHelp, checkSize, configFlagName, configHelp, parseBackendFlag, parseFormatFlag, parseOutFlag, parseStepsFlags, readConfig } from './options.ts';
import { withOutput } from './output.ts';
import { renderSvg, type PlotInput } from './plot.ts';
import { svgToPng } from './png.ts';

export const PLOT_FLAGS: readonly FlagSpec[] = [
  ...COMMON_FLAGS,
  { name: 'title', kind: 'value' },
  { name: 'width', kind: 'value' },
  { name: 'height', kind: 'value' },
];

const PLOT_FORMATS = ['svg', 'png'] as const;
const PLOT_BACKENDS = Object.keys(BACKENDS);
const DEFAULT_PLOT_BACKEND = 'reference';

export const PLOT_USAGE = `lr-schedules plot (--config FILE|- | --json TEXT) (--steps S1,S2,... | --range START:STOP[:STRIDE])
                  [--backend ${PLOT_BACKENDS.join('|')}] [--format svg|png] [--title TEXT]
                  [--width PX] [--height PX] [--out FILE|-] [--verbose]

  One schedule or a sweep as a chart: linear axes with round ticks, a title (default:
  the schedule, or the sweep's classes), a legend naming each schedule by its class and
  swept parameters (as sweep's CSV header), or a colour bar beyond 20 schedules. Colours
  follow the swept parameter when exactly one numeric field varies.
${configHelp('one schedule config or a JSON array of them (as sweep)')}
${STEPS_HELP}
${backendHelp(PLOT_BACKENDS, DEFAULT_PLOT_BACKEND)}
  --format FMT      svg (default): a standalone SVG 1.1 document
                    png: the same chart rasterized by @resvg/resvg-js, an optional package
                      (npm install @resvg/resvg-js); without it exit 2 says so
  --title TEXT      the chart's title
  --width PX        chart width, 200 … 4000 (default 800; wider for long legend labels)
  --height PX       plot height without the legend, 150 … 4000 (default 480)
${OUT_HELP}`;

function parsePx(flags: ParsedFlags, name: string, dflt: number, min: number): number {
  const t = flagValue(flags, name);
  if (t === undefined) return dflt;
  if (!/^[0-9]+$/.test(t.trim()) || Number(t) < min || Number(t) > 4000) throw new CliUsageError(`--${name} = ${JSON.stringify(t)}: must be an integer ${min} … 4000 (pixels)`);
  return Number(t);
}

/** The numeric field a sweep varies, when all schedules share a class and exactly one field differs. */
export function colourField(schedules: readonly AnySchedule[]): { field: string; values: number[] } | undefined {
  if (schedules.length < 2) return undefined;
  const described = schedules.map(describeSchedule);
  const cls = new Set(described.map((d) => d.name));
  if (cls.size !== 1) return undefined;
  const configs = described.map((d) => d.params);
  const fields = sweptFields(configs);
  if (fields.length !== 1) return undefined;
  const field = fields[0] as string;
  const values = configs.map((c) => c[field]);
  if (!values.every((v): v is number => typeof v === 'number' && Number.isFinite(v))) return undefined;
  return { field, values };
}

function defaultTitle(schedules: readonly AnySchedule[]): string {
  if (schedules.length === 1) {
    const { name, params: cfg } = describeSchedule(schedules[0] as AnySchedule);
    const fields = Object.keys(cfg).filter((k) => k !== 'name');
    return `${name}(${fields.map((k) => `${k}=${fieldText(cfg[k])}`).join(', ')})`;
  }
  const classes = [...new Set(schedules.map((s) => describeSchedule(s).name))];
  return `${schedules.length} schedules: ${classes.join(', ')}`;
}

/** Runs plot; returns the exit code or 'help'. */
export async function runPlotCommand(argv: readonly string[], io: CliIo, ctx: BackendContext): Promise<number | 'help'> {
  const flags = parseFlags(argv, PLOT_FLAGS, 'plot');
  if (flags.has('help')) return 'help';
  const steps = parseStepsFlags(flags, 'plot');
  const backendName = parseBackendFlag(flags, PLOT_BACKENDS, DEFAULT_PLOT_BACKEND);
  const format = parseFormatFlag(flags, PLOT_FORMATS);
  const width = parsePx(flags, 'width', 800, 200);
  const height = parsePx(flags, 'height', 480, 150);
  const title = flagValue(flags, 'title');
  const out = parseOutFlag(flags, io, format === 'png');
  const configText = await readConfig(flags, 'plot', io);
  const schedules = fromAnyJsonMany(configText);
  if (schedules.length === 0) throw new CliUsageError(`${configFlagName(flags)}: the schedule list is empty; plot needs at least one schedule`);
  const cols = stepCount(steps);
  checkSize(schedules.length, cols);
  const backend = BACKENDS[backendName];
  if (backend === undefined) throw new CliUsageError(`--backend = ${JSON.stringify(backendName)}: unknown backend`);
  const labels = scheduleLabels(schedules);
  const colourBy = colourField(schedules);
  // Load the rasterizer before computing: a missing optional package is bad input, not a late failure.
  const png = format === 'png' ? await svgToPng() : undefined;
  const r = await backend.run(ctx, schedules, steps);
  const input: PlotInput = {
    title: title ?? defaultTitle(schedules),
    xLabel: 'step',
    yLabel: `learning rate (${r.backend})`,
    width,
    height,
    count: cols,
    stepAt: stepReader(steps),
    series: labels.map((label, row) => ({ label, values: r.values.subarray(row * cols, (row + 1) * cols) })),
    ...(colourBy === undefined ? {} : { colourBy }),
  };
  const svg = renderSvg(input);
  const bytes = png === undefined ? svg : png(svg);
  await withOutput(out, io, async (sink) => {
    await sink.write(bytes);
  });
  if (flags.has('verbose')) {
    io.stderr(
      `lr-schedules: plot: ${r.rows} × ${r.cols} values by ${r.backend} (${r.device}) drawn as ${format}` +
        `${r.fallbackReason === undefined ? '' : `; fallback: ${r.fallbackReason.replace(/\s*\n\s*/g, ' ')}`}\n`,
    );
  }
  return EXIT.ok;
}
