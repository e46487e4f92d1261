/**
 * Axes, grid and colour bar on 2D canvases, with ticks from d3-scale. Text is
 * drawn with fillText (never HTML).
 */
import { scaleLinear, scaleLog } from 'd3-scale';
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
  const y = yScaleOf(spec, ph);
  const yTicks = y.ticks(Math.max(2, Math.floor(ph / 50)));
  const yFmt = spec.log ? (y as ReturnType<typeof scaleLog>).tickFormat(Math.max(2, Math.floor(ph / 50)), '~e') : (y as ReturnType<typeof scaleLinear>).tickFormat(Math.max(2, Math.floor(ph / 50)), '~g');

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
  for (const t of yTicks) {
    const label = yFmt(t);
    const py = Math.round(m.top + (y(t) ?? 0)) + 0.5;
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
  const ticks: (readonly [number, string])[] = spec.categories
    ? [...spec.categories]
    : s.ticks(n).map((t) => [t, (s.tickFormat(n, spec.log && !same ? '~e' : '~g') as (d: number) => string)(t)] as const);
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
