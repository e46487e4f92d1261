/**
 * The loss curve next to the learning-rate curve as one SVG string (no DOM needed):
 * what the example page shows, and what an explorer "train with this schedule" panel
 * can drop into its markup.
 */
import type { TrainResult } from './train.ts';

function polyline(xs: ArrayLike<number>, ys: ArrayLike<number>, x0: number, w: number, h: number, xMax: number, yMax: number, color: string): string {
  const pts: string[] = [];
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i] ?? Number.NaN;
    if (!Number.isFinite(y)) continue;
    pts.push(`${(x0 + ((xs[i] ?? 0) / xMax) * w).toFixed(1)},${(h - (y / yMax) * h + 10).toFixed(1)}`);
  }
  return `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${pts.join(' ')}"/>`;
}

/** Text for SVG markup: the chart's labels are numbers and fixed words today, but a caller may pass user text later. */
function xmlText(s: string | number): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function maxOf(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, a[i] ?? 0);
  return m || 1;
}

/** An axis from 0 to `top`, with its ticks (value, label). */
export interface AxisTicks {
  readonly top: number;
  readonly ticks: readonly (readonly [number, string])[];
}

/**
 * How the chart writes its axes (a page passes its own plot's, so both read alike): `step`
 * the training-step axis over [0, steps] (its top stays `steps`), `value` the loss and the
 * learning-rate axes over [0, ≥ the curve's maximum]; `px` is the axis's length in pixels.
 */
export interface ChartAxes {
  readonly step?: (steps: number, px: number) => AxisTicks;
  readonly value?: (max: number, px: number) => AxisTicks;
}

/** Round tick values 0, s, 2s, … (s 1, 2 or 5 times a power of ten, ~`n` of them) up to `max`, or past it to the next tick when `roundUp`. */
function roundTicks(max: number, n: number, roundUp: boolean): { top: number; values: number[] } {
  const raw = max / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? raw;
  const top = roundUp ? Math.ceil(max / step - 1e-9) * step : max;
  const values: number[] = [];
  for (let i = 0; i * step <= top * (1 + 1e-9); i++) values.push(Number((i * step).toPrecision(12)));
  return { top: roundUp ? Number(top.toPrecision(12)) : max, values };
}

function tickText(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(3))) : v.toExponential(1).replace('e-', 'e−');
}

/** The chart's own axes: ~4 round ticks on each, the value axes reaching the tick above the maximum. */
const OWN_AXES: Required<ChartAxes> = {
  step: (steps) => {
    const { top, values } = roundTicks(steps, 4, false);
    return { top, ticks: values.map((v) => [v, tickText(v)]) };
  },
  value: (max) => {
    const { top, values } = roundTicks(max, 4, true);
    return { top, ticks: values.map((v) => [v, tickText(v)]) };
  },
};

/**
 * Two panels side by side: loss (left) and the learning rate the kernel used (right), both
 * against the training step, each with ticks and labels on both axes (`axes`: whose ticks;
 * the chart's own by default). Each value axis runs from 0 to its top tick, at or above the
 * curve's maximum.
 */
export function trainingChartSvg(
  r: Pick<TrainResult, 'lossCurve' | 'lossSteps' | 'lrUsed' | 'lrSteps' | 'steps'>,
  size = { width: 640, height: 220 },
  axes: ChartAxes = {},
): string {
  const pw = size.width / 2 - 80;
  const ph = size.height - 50;
  const stepAxis = (axes.step ?? OWN_AXES.step)(r.steps, pw);
  const valueAxis = axes.value ?? OWN_AXES.value;
  const lossAxis = valueAxis(maxOf(r.lossCurve), ph);
  const lrAxis = valueAxis(maxOf(r.lrUsed), ph);
  const axis = (x0: number, name: string, values: AxisTicks): string => {
    const yTicks = values.ticks.map(([v, label]) => {
      const y = ph + 10 - (v / values.top) * ph;
      return `<line x1="${x0 - 4}" y1="${y.toFixed(1)}" x2="${x0}" y2="${y.toFixed(1)}" stroke="#888"/><text x="${x0 - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${xmlText(label)}</text>`;
    });
    const xTicks = stepAxis.ticks.map(([v, label]) => {
      const x = x0 + (v / stepAxis.top) * pw;
      return `<line x1="${x.toFixed(1)}" y1="${ph + 10}" x2="${x.toFixed(1)}" y2="${ph + 14}" stroke="#888"/><text x="${x.toFixed(1)}" y="${ph + 25}" text-anchor="middle">${xmlText(label)}</text>`;
    });
    return (
      `<g font-size="11" font-family="sans-serif" fill="#888"><line x1="${x0}" y1="10" x2="${x0}" y2="${ph + 10}" stroke="#888"/>` +
      `<line x1="${x0}" y1="${ph + 10}" x2="${x0 + pw}" y2="${ph + 10}" stroke="#888"/>` +
      yTicks.join('') + xTicks.join('') +
      `<text x="${x0 + pw / 2}" y="${ph + 40}" text-anchor="middle">training step</text>` +
      `<text x="${x0 - 46}" y="${10 + ph / 2}" text-anchor="middle" transform="rotate(-90 ${x0 - 46} ${10 + ph / 2})">${xmlText(name)}</text></g>`
    );
  };
  const left = 60;
  const right = size.width / 2 + 60;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}" role="img" aria-label="training loss and learning rate">` +
    axis(left, 'loss', lossAxis) +
    polyline(r.lossSteps, r.lossCurve, left, pw, ph, stepAxis.top, lossAxis.top, '#c0392b') +
    axis(right, 'learning rate', lrAxis) +
    polyline(r.lrSteps, r.lrUsed, right, pw, ph, stepAxis.top, lrAxis.top, '#2471a3') +
    `</svg>`
  );
}
