/**
 * Axes, grid and colour bar on 2D canvases, with ticks from d3-scale. Text is
 * drawn with fillText (never HTML).
 */
import { scaleLinear, scaleLog } from 'd3-scale';
import { formatSci, formatSig, isPlain } from './fmt.ts';
import { THEMES, mapColor, type Theme } from './theme.ts';

export type { Theme };

export interface Margins {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export const MARGINS: Margins = { left: 78, right: 32, top: 14, bottom: 46 };

export interface AxesSpec {
  readonly width: number;
  readonly height: number;
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
  readonly log: boolean;
  /** A log x axis (x0 > 0). */
  readonly xLog?: boolean;
  readonly xLabel: string;
  readonly yLabel: string;
}

export const THEME: Theme = THEMES.dark;

const FONT = '12px system-ui, -apple-system, "Segoe UI", sans-serif';

export function yScaleOf(spec: Pick<AxesSpec, 'y0' | 'y1' | 'log'>, h: number) {
  return spec.log ? scaleLog().domain([spec.y0, spec.y1]).range([h, 0]) : scaleLinear().domain([spec.y0, spec.y1]).range([h, 0]);
}

/**
 * Value ticks' labels in the page's number form (fmt.ts formatSig, as the crosshair and the
 * tooltips write values: plain in [1e-3, 1e4), else `2e-5`, `1.5e4`, never `0.00002` or
 * `2e+3`), all with the fewest significant digits that write every labelled tick exactly,
 * and all in one form: when a labelled tick is outside [1e-3, 1e4), every one is written
 * `m e k` (`5e-4, 1e-3, 1.5e-3`, not `5e-4, 0.001, 0.0015`), as on a log axis (`log`), whose
 * decades read best alike; `labelled` says which ticks get a label (d3 marks a log axis's
 * minor ticks; they get ''). 0 is `0`.
 */
export function tickLabels(ticks: readonly number[], options: { readonly log?: boolean; readonly labelled?: (t: number) => boolean } = {}): string[] {
  const labelled = options.labelled ?? ((): boolean => true);
  const shown = ticks.filter(labelled);
  const sci = options.log === true || !shown.every(isPlain);
  const write = (t: number, p: number): string => (sci ? formatSci(t, p) : formatSig(t, p));
  let p = 1;
  // d3's ticks are the doubles nearest their decimals: 12 digits of them are the decimal.
  while (p < 12 && !shown.every((t) => Number(write(t, p)) === Number(t.toPrecision(12)))) p++;
  return ticks.map((t) => (labelled(t) ? write(t, p) : ''));
}

/** The y scale over `ph` pixels, its ticks (one per ~50 px) and their labels ('' for a minor log tick). */
export function yAxisOf(spec: Pick<AxesSpec, 'y0' | 'y1' | 'log'>, ph: number): { y: (v: number) => number; yTicks: number[]; yLabels: string[] } {
  const n = Math.max(2, Math.floor(ph / 50));
  const s = yScaleOf(spec, ph);
  const yTicks = s.ticks(n);
  // On a log axis d3 says which ticks to label (the powers of ten, or more when few): its '' marks a minor tick.
  const d3Label = spec.log ? (s as ReturnType<typeof scaleLog>).tickFormat(n, '~e') : null;
  return { y: (v) => s(v) ?? 0, yTicks, yLabels: tickLabels(yTicks, d3Label ? { log: true, labelled: (t) => d3Label(t) !== '' } : {}) };
}

/**
 * A value axis from 0 up to at least `max` over `px` pixels, for a chart of values ≥ 0 (the
 * train panel's loss and learning rate): the domain rounded up to a tick (d3's nice), ticks
 * one per ~40 px (the charts are short: d3 asked for 4 on 190 px gives 4 to 7), labelled as tickLabels writes them.
 */
export function valueAxisOf(max: number, px: number): { top: number; ticks: [number, string][] } {
  const n = Math.max(2, Math.floor(px / 40));
  // Less one f32 ulp: an f32 maximum just above a round value (f32(0.1) = 0.10000000149…) keeps that value as the top.
  const s = scaleLinear().domain([0, max > 0 && Number.isFinite(max) ? max * (1 - 2 ** -23) : 1]).nice(n);
  const ticks = s.ticks(n);
  const labels = tickLabels(ticks);
  return { top: s.domain()[1] ?? max, ticks: ticks.map((t, i) => [t, labels[i] ?? '']) };
}

/** The x scale, its ticks and their labels (log: 1, 10, 100, … as 1e+0 …, linear: 1,000s). */
export function xAxisOf(spec: Pick<AxesSpec, 'x0' | 'x1' | 'xLog'>, pw: number): { x: (v: number) => number; xTicks: number[]; xFmt: (v: number) => string } {
  const n = Math.max(2, Math.floor(pw / 90));
  if (spec.xLog && spec.x0 > 0 && spec.x1 > spec.x0) {
    const s = scaleLog().domain([spec.x0, spec.x1]).range([0, pw]);
    return { x: (v) => s(v), xTicks: s.ticks(n), xFmt: s.tickFormat(n, ',~r') };
  }
  const s = scaleLinear().domain([spec.x0, spec.x1]).range([0, pw]);
  return { x: (v) => s(v), xTicks: s.ticks(n), xFmt: s.tickFormat(n, ',~f') };
}

/** Draws background, grid, ticks, labels (CSS pixel units; ctx already scaled by dpr). */
export function drawAxes(ctx: CanvasRenderingContext2D, spec: AxesSpec, theme: Theme = THEME): void {
  const m = MARGINS;
  const pw = spec.width - m.left - m.right;
  const ph = spec.height - m.top - m.bottom;
  ctx.save();
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, spec.width, spec.height);
  ctx.fillStyle = theme.plotBg;
  ctx.fillRect(m.left, m.top, pw, ph);
  ctx.font = FONT;
  const { x, xTicks, xFmt } = xAxisOf(spec, pw);
  const { y, yTicks, yLabels } = yAxisOf(spec, ph);

  ctx.lineWidth = 1;
  for (const t of xTicks) {
    const px = Math.round(m.left + x(t)) + 0.5;
    ctx.strokeStyle = theme.grid;
    ctx.beginPath();
    ctx.moveTo(px, m.top);
    ctx.lineTo(px, m.top + ph);
    ctx.stroke();
    ctx.strokeStyle = theme.axis;
    ctx.beginPath();
    ctx.moveTo(px, m.top + ph);
    ctx.lineTo(px, m.top + ph + 5);
    ctx.stroke();
    ctx.fillStyle = theme.text;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillText(xFmt(t), px, m.top + ph + 8);
  }
  for (const [i, t] of yTicks.entries()) {
    const label = yLabels[i] ?? '';
    const py = Math.round(m.top + y(t)) + 0.5;
    if (label !== '') {
      ctx.strokeStyle = theme.grid;
      ctx.beginPath();
      ctx.moveTo(m.left, py);
      ctx.lineTo(m.left + pw, py);
      ctx.stroke();
    }
    ctx.strokeStyle = theme.axis;
    ctx.beginPath();
    ctx.moveTo(m.left - (label === '' ? 3 : 5), py);
    ctx.lineTo(m.left, py);
    ctx.stroke();
    if (label !== '') {
      ctx.fillStyle = theme.text;
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      ctx.fillText(label, m.left - 8, py);
    }
  }
  ctx.strokeStyle = theme.axis;
  ctx.strokeRect(m.left + 0.5, m.top + 0.5, pw - 1, ph - 1);
  ctx.fillStyle = theme.text;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText(spec.xLabel, m.left + pw / 2, spec.height - 4);
  ctx.translate(14, m.top + ph / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText(spec.yLabel, 0, 0);
  ctx.restore();
}

export interface ColorBarSpec {
  readonly width: number;
  readonly height: number;
  readonly label: string;
  readonly v0: number;
  readonly v1: number;
  readonly log: boolean;
  /** Tick labels for categorical values (booleans): value → text. */
  readonly categories?: readonly (readonly [number, string])[];
}

/** The colour bar's ticks over a bar `w` pixels long: [x from the bar's start, label] ('' for a minor log tick). The page's bar and the exported SVG's share them. */
export function colorBarTicks(spec: Pick<ColorBarSpec, 'v0' | 'v1' | 'log' | 'categories'>, w: number): [number, string][] {
  const same = spec.v0 === spec.v1;
  const s = spec.log && !same ? scaleLog().domain([spec.v0, spec.v1]).range([0, w]) : scaleLinear().domain(same ? [spec.v0 - 1, spec.v0 + 1] : [spec.v0, spec.v1]).range([0, w]);
  const n = Math.max(2, Math.floor(w / 80));
  let ticks: (readonly [number, string])[];
  if (spec.categories) ticks = [...spec.categories];
  else {
    const values = s.ticks(n);
    const d3Label = spec.log && !same ? (s.tickFormat(n, '~e') as (d: number) => string) : null;
    const labels = tickLabels(values, d3Label ? { log: true, labelled: (t) => d3Label(t) !== '' } : {});
    ticks = values.map((t, i) => [t, labels[i] ?? ''] as const);
  }
  return ticks.map(([t, label]) => [s(t) ?? 0, label]);
}

/** A horizontal viridis bar with ticks, label above. */
export function drawColorBar(ctx: CanvasRenderingContext2D, spec: ColorBarSpec, theme: Theme = THEME): void {
  const padX = 26;
  const barY = 20;
  const barH = 12;
  const w = spec.width - 2 * padX;
  ctx.save();
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, spec.width, spec.height);
  ctx.font = FONT;
  ctx.fillStyle = theme.text;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(spec.label, padX, 2);
  for (let i = 0; i < w; i++) {
    const [r, g, b] = mapColor(i / Math.max(1, w - 1), theme);
    ctx.fillStyle = `rgb(${Math.round(r * 255)},${Math.round(g * 255)},${Math.round(b * 255)})`;
    ctx.fillRect(padX + i, barY, 1, barH);
  }
  ctx.strokeStyle = theme.axis;
  ctx.fillStyle = theme.text;
  ctx.textAlign = 'center';
  for (const [x, label] of colorBarTicks(spec, w)) {
    const px = Math.round(padX + x) + 0.5;
    ctx.beginPath();
    ctx.moveTo(px, barY + barH);
    ctx.lineTo(px, barY + barH + (label === '' ? 3 : 5));
    ctx.stroke();
    if (label !== '') ctx.fillText(label, px, barY + barH + 7);
  }
  ctx.restore();
}
