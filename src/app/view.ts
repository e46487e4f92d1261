/**
 * What the renderers share: the view (domains, y scale), the display points used
 * for drawing and picking, the M4 column reduction, and the colour map.
 */

export interface PlotView {
  /** y domain in data units; for log, both > 0. */
  readonly y0: number;
  readonly y1: number;
  readonly log: boolean;
  /** Per-curve opacity of the bulk draw. */
  readonly alpha: number;
}

/** One highlighted curve drawn above the bulk: the hovered one, the pinned ones. */
export interface Highlight {
  readonly row: number;
  readonly rgba: readonly [number, number, number, number];
  /** Line width in CSS pixels. */
  readonly width: number;
}

/**
 * The points drawn for each curve: either every sample (`reduced` false,
 * P = samples) or M4 per pixel column (`reduced` true, P = 4 · columns: first,
 * min/max in the order they occur, last), so every peak stays visible.
 */
export interface DisplayPoints {
  readonly rows: number;
  readonly perRow: number;
  readonly reduced: boolean;
  readonly columns: number;
  readonly samples: number;
  readonly ys: Float32Array;
  /** Where each sample is drawn, as a fraction of the width (a log x axis: its step's x); absent: evenly spaced. Never reduced. */
  readonly xs?: Float32Array | null;
}

/** x of point i in [0, 1] across the plot. */
export function pointX(d: Pick<DisplayPoints, 'reduced' | 'columns' | 'samples' | 'xs'>, i: number): number {
  if (d.reduced) return (Math.floor(i / 4) + 0.5) / d.columns;
  return sampleX(d.samples, d.xs, i);
}

/** x in [0, 1] of sample i of `samples`: its own (`xs`, a log axis's), else evenly spaced. */
export function sampleX(samples: number, xs: Float32Array | null | undefined, i: number): number {
  if (xs) return xs[i] as number;
  return samples > 1 ? i / (samples - 1) : 0.5;
}

/** The sample of `samples` drawn nearest x fraction t (at its own x with `xs`, else evenly spaced). */
export function nearestSample(samples: number, xs: Float32Array | null | undefined, t: number): number {
  if (!xs) return samples > 1 ? Math.min(samples - 1, Math.max(0, Math.round(t * (samples - 1)))) : 0;
  const i = firstAtOrAfter(xs, t);
  if (i >= xs.length) return xs.length - 1;
  return i > 0 && t - (xs[i - 1] as number) <= (xs[i] as number) - t ? i - 1 : i;
}

/** The first index i of ascending `xs` with xs[i] ≥ t (xs.length when none). */
export function firstAtOrAfter(xs: Float32Array, t: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sample index range [a, b) that falls into each of `columns` pixel columns; length columns + 1. */
export function columnStarts(samples: number, columns: number): Uint32Array {
  const out = new Uint32Array(columns + 1);
  for (let c = 0; c <= columns; c++) out[c] = Math.min(samples, Math.ceil((c * samples) / columns));
  return out;
}

/**
 * Reduce to M4 per column when there are more than twice as many samples as pixels, and
 * the samples are evenly spaced: samples placed at their own x (`xs`, a log axis's at most
 * LOG_SAMPLES) are drawn each, so none is moved to a column it does not lie in.
 */
export function shouldReduce(samples: number, widthPx: number, xs: Float32Array | null = null): boolean {
  return xs === null && samples > 2 * widthPx;
}

/** CPU twin of the GPU reduction shader (used by the 2D fallback). */
export function reduceM4(values: Float32Array, rows: number, samples: number, columns: number): Float32Array {
  const starts = columnStarts(samples, columns);
  const out = new Float32Array(rows * columns * 4);
  for (let r = 0; r < rows; r++) {
    const base = r * samples;
    for (let c = 0; c < columns; c++) {
      const a = starts[c] as number;
      const b = starts[c + 1] as number;
      let mn = Infinity;
      let mx = -Infinity;
      let imn = a;
      let imx = a;
      for (let i = a; i < b; i++) {
        const v = values[base + i] as number;
        if (v < mn) { mn = v; imn = i; }
        if (v > mx) { mx = v; imx = i; }
      }
      const o = (r * columns + c) * 4;
      out[o] = values[base + a] as number;
      out[o + 1] = imn <= imx ? mn : mx;
      out[o + 2] = imn <= imx ? mx : mn;
      out[o + 3] = values[base + b - 1] as number;
    }
  }
  return out;
}

/**
 * yFraction for one view as a function of the value, with the view's logarithms taken once:
 * the same arithmetic in the same order, so the same results (for loops over many points).
 */
export function yFractionOf(view: PlotView): (v: number) => number {
  const clamp = (t: number): number => (Number.isFinite(t) ? Math.min(2, Math.max(-1, t)) : -1);
  if (view.log) {
    const l0 = Math.log10(view.y0);
    const span = Math.log10(view.y1) - l0;
    return (v) => clamp((Math.log10(Math.max(v, 1e-38)) - l0) / span);
  }
  const { y0 } = view;
  const span = view.y1 - y0;
  return (v) => clamp((v - y0) / span);
}

/** y of a value in [0, 1] (0 = bottom) for a view; clamped to [-1, 2] so off-scale values leave the plot. */
export function yFraction(view: PlotView, v: number): number {
  let t: number;
  if (view.log) {
    const l = Math.log10(Math.max(v, 1e-38));
    t = (l - Math.log10(view.y0)) / (Math.log10(view.y1) - Math.log10(view.y0));
  } else {
    t = (v - view.y0) / (view.y1 - view.y0);
  }
  return Number.isFinite(t) ? Math.min(2, Math.max(-1, t)) : -1;
}

// ---------------------------------------------------------------- colour

/** Viridis, sampled at 0, 0.1, …, 1 (matplotlib's table). */
const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [0x44, 0x01, 0x54], [0x48, 0x24, 0x75], [0x41, 0x44, 0x87], [0x35, 0x5f, 0x8d],
  [0x2a, 0x78, 0x8e], [0x21, 0x91, 0x8c], [0x22, 0xa8, 0x84], [0x44, 0xbf, 0x70],
  [0x7a, 0xd1, 0x51], [0xbd, 0xdf, 0x26], [0xfd, 0xe7, 0x25],
];

/** Viridis at t ∈ [0, 1] as 0–1 RGB. */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i] as readonly [number, number, number];
  const b = VIRIDIS[i + 1] as readonly [number, number, number];
  return [0, 1, 2].map((k) => ((a[k] as number) * (1 - f) + (b[k] as number) * f) / 255) as [number, number, number];
}

export function cssColor(rgb: readonly number[], alpha = 1): string {
  const [r = 0, g = 0, b = 0] = rgb;
  return `rgba(${Math.round(r * 255)}, ${Math.round(g * 255)}, ${Math.round(b * 255)}, ${alpha})`;
}

/** Distinct colours for pinned curves (Okabe–Ito, readable on dark and light). */
export const PIN_COLORS: readonly (readonly [number, number, number])[] = [
  [0.9, 0.62, 0.0], [0.34, 0.71, 0.91], [0.8, 0.47, 0.65], [0.0, 0.62, 0.45],
  [0.94, 0.89, 0.26], [0.84, 0.37, 0.0], [0.0, 0.45, 0.7], [1, 1, 1],
];

/** A pin as the renderers draw it: its row and colour. */
export interface PinDraw {
  readonly row: number;
  readonly rgb: readonly [number, number, number];
}

/**
 * The highlighted curves, bottom to top: each shown pin (a casing under its colour), then
 * the hovered curve if not pinned. Casing and hover colours follow the theme.
 */
export function highlightsFor(
  pins: readonly PinDraw[],
  hover: number,
  casing: readonly [number, number, number, number] = [0, 0, 0, 0.8],
  hoverRgba: readonly [number, number, number, number] = [1, 1, 1, 1],
): Highlight[] {
  const out: Highlight[] = [];
  for (const { row, rgb } of pins) out.push({ row, rgba: [...casing], width: 4.5 }, { row, rgba: [rgb[0], rgb[1], rgb[2], 1], width: 2.5 });
  if (hover >= 0 && !pins.some((p) => p.row === hover)) out.push({ row: hover, rgba: [casing[0], casing[1], casing[2], 0.85], width: 5 }, { row: hover, rgba: [...hoverRgba], width: 2.5 });
  return out;
}
