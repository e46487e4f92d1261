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

/** Up to five round tick values in [0, max] (1, 2 or 5 times a power of ten apart). */
function ticks(max: number): number[] {
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = 0; v <= max * (1 + 1e-9); v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function tickText(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(3))) : v.toExponential(1).replace('e-', 'e−');
}

/**
 * Two panels side by side: loss (left) and the learning rate the kernel used (right), both
 * against the training step, each with ticks and labels on both axes. `stepText` writes the
 * step axis's tick labels (a page passes its own plot's formatter, e.g. `5,000`).
 */
export function trainingChartSvg(
  r: Pick<TrainResult, 'lossCurve' | 'lossSteps' | 'lrUsed' | 'lrSteps' | 'steps'>,
  size = { width: 640, height: 220 },
  stepText: (v: number) => string = tickText,
): string {
  const pw = size.width / 2 - 80;
  const ph = size.height - 50;
  const lossMax = maxOf(r.lossCurve);
  const lrMax = maxOf(r.lrUsed);
  const axis = (x0: number, name: string, yMax: number): string => {
    const yTicks = ticks(yMax).map((v) => {
      const y = ph + 10 - (v / yMax) * ph;
      return `<line x1="${x0 - 4}" y1="${y.toFixed(1)}" x2="${x0}" y2="${y.toFixed(1)}" stroke="#888"/><text x="${x0 - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${xmlText(tickText(v))}</text>`;
    });
    const xTicks = ticks(r.steps).map((v) => {
      const x = x0 + (v / r.steps) * pw;
      return `<line x1="${x.toFixed(1)}" y1="${ph + 10}" x2="${x.toFixed(1)}" y2="${ph + 14}" stroke="#888"/><text x="${x.toFixed(1)}" y="${ph + 25}" text-anchor="middle">${xmlText(stepText(v))}</text>`;
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
    axis(left, 'loss', lossMax) +
    polyline(r.lossSteps, r.lossCurve, left, pw, ph, r.steps, lossMax, '#c0392b') +
    axis(right, 'learning rate', lrMax) +
    polyline(r.lrSteps, r.lrUsed, right, pw, ph, r.steps, lrMax, '#2471a3') +
    `</svg>`
  );
}
