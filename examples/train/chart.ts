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

/** Two panels side by side: loss (left) and the learning rate the kernel used (right), both against the step. */
export function trainingChartSvg(r: Pick<TrainResult, 'lossCurve' | 'lossSteps' | 'lrUsed' | 'lrSteps' | 'steps'>, size = { width: 640, height: 220 }): string {
  const pw = size.width / 2 - 50;
  const ph = size.height - 40;
  const lossMax = maxOf(r.lossCurve);
  const lrMax = maxOf(r.lrUsed);
  const axis = (x0: number, label: string, top: string): string =>
    `<g font-size="11" font-family="sans-serif"><line x1="${x0}" y1="10" x2="${x0}" y2="${ph + 10}" stroke="#888"/>` +
    `<line x1="${x0}" y1="${ph + 10}" x2="${x0 + pw}" y2="${ph + 10}" stroke="#888"/>` +
    `<text x="${x0 + 4}" y="20">${xmlText(top)}</text><text x="${x0 + pw / 2}" y="${ph + 28}" text-anchor="middle">${xmlText(label)}</text>` +
    `<text x="${x0 + pw}" y="${ph + 28}" text-anchor="end">${xmlText(r.steps)}</text></g>`;
  const left = 40;
  const right = size.width / 2 + 40;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}" role="img" aria-label="training loss and learning rate">` +
    axis(left, 'step: loss', lossMax.toPrecision(3)) +
    polyline(r.lossSteps, r.lossCurve, left, pw, ph, r.steps, lossMax, '#c0392b') +
    axis(right, 'step: learning rate', lrMax.toPrecision(3)) +
    polyline(r.lrSteps, r.lrUsed, right, pw, ph, r.steps, lrMax, '#2471a3') +
    `</svg>`
  );
}
