/**
 * The SVG chart of `lr-schedules plot`: one polyline per schedule over linear axes with
 * round ticks (d3-array, through ticks.ts), a title, axis labels and a legend (one row per
 * schedule up to {@link MAX_LEGEND_ROWS}, a colour bar beyond). Colours follow the swept
 * parameter when the sweep varies exactly one numeric field (viridis over its value),
 * else a 20-colour palette (or viridis over the index, beyond 20 schedules).
 *
 * The output is a standalone SVG 1.1 document; every piece of text is XML-escaped.
 * Long series are decimated per pixel column to the column's first, minimum, maximum
 * and last points (in step order), so spikes survive; every drawn point is a real
 * (step, value) pair, listed in the polyline's `data-steps`.
 */
import { niceDomain, tickLabels, ticks } from './ticks.ts';

export const MAX_LEGEND_ROWS = 20;

/** Escapes text for XML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

export interface PlotSeries {
  readonly label: string;
  /** The series' values, one per column (same length as the steps). */
  readonly values: ArrayLike<number>;
}

export interface PlotInput {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly width: number;
  readonly height: number;
  /** Number of columns and the step of each. */
  readonly count: number;
  readonly stepAt: (i: number) => number;
  readonly series: readonly PlotSeries[];
  /** Colour by this numeric field (its value per series), when the sweep varies one. */
  readonly colourBy?: { readonly field: string; readonly values: readonly number[] };
}

const PALETTE = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
  '#aec7e8', '#ffbb78', '#98df8a', '#ff9896', '#c5b0d5', '#c49c94', '#f7b6d2', '#c7c7c7', '#dbdb8d', '#9edae5',
];
/** Viridis at nine evenly spaced points (matplotlib's colour map). */
const VIRIDIS = ['#440154', '#472c7a', '#3b518b', '#2c718e', '#21908d', '#27ad81', '#5cc863', '#aadc32', '#fde725'];

/** Viridis at t ∈ [0, 1] (linear between the nine stops). */
export function viridis(t: number): string {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(u));
  const f = u - i;
  const a = VIRIDIS[i] as string;
  const b = VIRIDIS[i + 1] as string;
  const ch = (s: string, k: number): number => parseInt(s.slice(1 + 2 * k, 3 + 2 * k), 16);
  const mix = [0, 1, 2].map((k) => Math.round(ch(a, k) + (ch(b, k) - ch(a, k)) * f));
  return `#${mix.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

const MARGIN = { left: 78, right: 24, top: 44, bottom: 52 };
const FONT = 12;
const ROW = 18;
const num = (v: number): string => String(Math.round(v * 100) / 100);

/** [min, max] of `xs` by a loop (a spread into Math.min fails beyond ~10^5 arguments). */
function extent(xs: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

/**
 * The column indices drawn for one series, in step order: all finite ones when there
 * are at most 2 per pixel column, else per pixel column the first, minimum, maximum and
 * last finite ones. `at(k)` is the column of the k-th step in step order (no array of
 * all columns is built: a range can have 2^28 of them).
 */
export function decimate(count: number, at: (k: number) => number, values: ArrayLike<number>, columns: number): number[] {
  const out: number[] = [];
  const finite = (c: number): boolean => Number.isFinite(values[c] as number);
  if (count <= 2 * columns) {
    for (let k = 0; k < count; k++) if (finite(at(k))) out.push(at(k));
    return out;
  }
  const per = count / columns;
  for (let b = 0; b < columns; b++) {
    const lo = Math.floor(b * per);
    const hi = Math.min(count, Math.floor((b + 1) * per));
    let first = -1;
    let last = -1;
    let kMin = -1;
    let kMax = -1;
    for (let k = lo; k < hi; k++) {
      const c = at(k);
      const v = values[c] as number;
      if (!Number.isFinite(v)) continue;
      if (first < 0) first = k;
      last = k;
      if (kMin < 0 || v < (values[at(kMin)] as number)) kMin = k;
      if (kMax < 0 || v > (values[at(kMax)] as number)) kMax = k;
    }
    if (first < 0) continue;
    const ks = [...new Set([first, kMin, kMax, last])].sort((x, y) => x - y);
    for (const k of ks) out.push(at(k));
  }
  return out;
}

/** Renders the chart; returns the SVG document text. */
export function renderSvg(p: PlotInput): string {
  const n = p.series.length;
  const useBar = n > MAX_LEGEND_ROWS;
  const legendH = useBar ? 64 : 12 + ROW * n;
  const longest = Math.max(0, extent(p.series.map((s) => s.label.length))[1]);
  const width = Math.max(p.width, useBar ? 0 : Math.min(4000, MARGIN.left + 40 + Math.ceil(longest * FONT * 0.62)));
  const height = p.height + legendH;
  const pw = width - MARGIN.left - MARGIN.right;
  const ph = p.height - MARGIN.top - MARGIN.bottom;

  // Columns in step order: a range is; a --steps list may be unsorted or repeat.
  let sorted = true;
  for (let i = 1; i < p.count && sorted; i++) if (p.stepAt(i) < p.stepAt(i - 1)) sorted = false;
  let at = (k: number): number => k;
  if (!sorted) {
    const order = Array.from({ length: p.count }, (_, i) => i).sort((a, b) => p.stepAt(a) - p.stepAt(b));
    at = (k) => order[k] as number;
  }

  let vMin = Infinity;
  let vMax = -Infinity;
  for (const s of p.series) {
    for (let i = 0; i < p.count; i++) {
      const v = s.values[i] as number;
      if (Number.isFinite(v)) {
        if (v < vMin) vMin = v;
        if (v > vMax) vMax = v;
      }
    }
  }
  if (vMin > vMax) [vMin, vMax] = [0, 1];
  if (vMin > 0) vMin = 0; // learning rates: show the distance to 0
  if (vMax < 0) vMax = 0;
  if (vMin === vMax) vMax = vMin + 1;
  const sMin = p.stepAt(at(0));
  const sMax = p.stepAt(at(Math.max(0, p.count - 1)));
  const xCount = Math.max(2, Math.floor(pw / 90));
  const yCount = Math.max(2, Math.floor(ph / 50));
  const [x0, x1] = sMin === sMax ? [sMin - 1, sMax + 1] : niceDomain(sMin, sMax, xCount);
  const [y0, y1] = niceDomain(vMin, vMax, yCount);
  const xs = (s: number): number => MARGIN.left + ((s - x0) / (x1 - x0)) * pw;
  const ys = (v: number): number => MARGIN.top + (1 - (v - y0) / (y1 - y0)) * ph;

  const [cLo, cHi] = p.colourBy === undefined ? [0, 0] : extent(p.colourBy.values);
  const colourOf = (i: number): string => {
    if (p.colourBy !== undefined) return viridis(cHi === cLo ? 0.5 : ((p.colourBy.values[i] as number) - cLo) / (cHi - cLo));
    return useBar ? viridis(n === 1 ? 0.5 : i / (n - 1)) : (PALETTE[i % PALETTE.length] as string);
  };

  const parts: string[] = [];
  parts.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="${FONT}">`,
  );
  parts.push(`<title>${escapeXml(p.title)}</title>`);
  parts.push(`<defs><clipPath id="plot-area"><rect x="${MARGIN.left}" y="${MARGIN.top}" width="${pw}" height="${ph}"/></clipPath></defs>`);
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<text class="title" x="${num(width / 2)}" y="24" text-anchor="middle" font-size="15">${escapeXml(p.title)}</text>`);

  // Axes: grid lines, ticks and labels.
  const xt = ticks(x0, x1, xCount);
  const yt = ticks(y0, y1, yCount);
  const xl = tickLabels(xt);
  const yl = tickLabels(yt);
  parts.push(`<g class="x-axis" data-domain="${x0} ${x1}">`);
  xt.forEach((t, i) => {
    const x = num(xs(t));
    parts.push(
      `<g class="tick" data-value="${t}"><line x1="${x}" x2="${x}" y1="${MARGIN.top}" y2="${MARGIN.top + ph + 5}" stroke="#e3e3e3"/><text x="${x}" y="${MARGIN.top + ph + 18}" text-anchor="middle">${escapeXml(xl[i] as string)}</text></g>`,
    );
  });
  parts.push(`</g>`);
  parts.push(`<g class="y-axis" data-domain="${y0} ${y1}">`);
  yt.forEach((t, i) => {
    const y = num(ys(t));
    parts.push(
      `<g class="tick" data-value="${t}"><line x1="${MARGIN.left - 5}" x2="${MARGIN.left + pw}" y1="${y}" y2="${y}" stroke="#e3e3e3"/><text x="${MARGIN.left - 8}" y="${y}" dy="0.32em" text-anchor="end">${escapeXml(yl[i] as string)}</text></g>`,
    );
  });
  parts.push(`</g>`);
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${pw}" height="${ph}" fill="none" stroke="#888888"/>`);
  parts.push(`<text class="x-label" x="${num(MARGIN.left + pw / 2)}" y="${MARGIN.top + ph + 40}" text-anchor="middle">${escapeXml(p.xLabel)}</text>`);
  parts.push(
    `<text class="y-label" transform="translate(18 ${num(MARGIN.top + ph / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(p.yLabel)}</text>`,
  );

  // Series.
  parts.push(`<g class="series" clip-path="url(#plot-area)" fill="none" stroke-width="1.5">`);
  p.series.forEach((s, i) => {
    const idx = decimate(p.count, at, s.values, Math.max(1, Math.round(pw)));
    const pts = idx.map((c) => `${num(xs(p.stepAt(c)))},${num(ys(s.values[c] as number))}`).join(' ');
    const steps = idx.map((c) => String(p.stepAt(c))).join(' ');
    parts.push(`<polyline data-index="${i}" data-label="${escapeXml(s.label)}" stroke="${colourOf(i)}" points="${pts}" data-steps="${steps}"/>`);
  });
  parts.push(`</g>`);

  // Legend: rows, or a colour bar.
  const top = p.height;
  parts.push(`<g class="legend">`);
  if (!useBar) {
    p.series.forEach((s, i) => {
      const y = top + 4 + ROW * i + ROW / 2;
      parts.push(
        `<g class="legend-entry"><line x1="${MARGIN.left}" x2="${MARGIN.left + 24}" y1="${y}" y2="${y}" stroke="${colourOf(i)}" stroke-width="3"/><text x="${MARGIN.left + 32}" y="${y}" dy="0.32em">${escapeXml(s.label)}</text></g>`,
      );
    });
  } else {
    const field = p.colourBy?.field ?? 'schedule index';
    const vals = p.colourBy?.values ?? p.series.map((_, i) => i);
    const [lo, hi] = extent(vals);
    const barW = Math.min(360, pw);
    parts.push(`<defs><linearGradient id="colour-bar" x1="0" x2="1" y1="0" y2="0">`);
    for (let k = 0; k <= 8; k++) parts.push(`<stop offset="${k / 8}" stop-color="${viridis(k / 8)}"/>`);
    parts.push(`</linearGradient></defs>`);
    parts.push(`<text class="colour-bar-title" x="${MARGIN.left}" y="${top + 14}">${escapeXml(`${field} (${n} schedules)`)}</text>`);
    parts.push(`<rect class="colour-bar" x="${MARGIN.left}" y="${top + 22}" width="${barW}" height="12" fill="url(#colour-bar)"/>`);
    const bt = hi === lo ? [lo] : ticks(lo, hi, 5);
    const bl = tickLabels(bt);
    bt.forEach((t, k) => {
      const x = num(MARGIN.left + (hi === lo ? 0.5 : (t - lo) / (hi - lo)) * barW);
      parts.push(`<text class="colour-bar-tick" x="${x}" y="${top + 48}" text-anchor="middle">${escapeXml(bl[k] as string)}</text>`);
    });
  }
  parts.push(`</g>`);
  parts.push(`</svg>`);
  return `${parts.join('\n')}\n`;
}
