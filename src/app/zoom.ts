/**
 * The view window, pure: which steps are evaluated for the visible x range (the explorer
 * evaluates exactly what it shows, so a zoom into 100 of 10^6 steps draws those 100 steps'
 * own values, never a stretched reduction), the log-x sampling, and the pixel ↔ data maps
 * that brush-to-zoom and pan use. No DOM: tested in Node.
 */
import type { StepRange } from './lib.ts';
import type { StepSpec } from './sweep.ts';

export interface ViewState {
  /** Visible steps [from, to] (null: the sweep's whole range). */
  x: readonly [number, number] | null;
  /** Visible learning rates [low, high] (null: fitted to the data). */
  y: readonly [number, number] | null;
  xLog: boolean;
}

/** Most samples a log x axis evaluates (beyond it, steps spread evenly in log space). */
export const LOG_SAMPLES = 2048;

export interface Sampling {
  /** The evaluated grid steps: first, count, stride (on a log axis: first, samples, the sweep's stride). */
  readonly range: StepRange;
  /** Log x axis: the steps evaluated, ascending, each once: every grid step, or (more than LOG_SAMPLES) steps evenly spaced in log(step) snapped to the grid. */
  readonly list: Float64Array | null;
  /** Log x axis: where each listed step is drawn, its fraction of the log axis [x0, x1] (null: evenly spaced samples). */
  readonly xs: Float32Array | null;
  /** The x domain drawn (the first and last step evaluated). */
  readonly x0: number;
  readonly x1: number;
}

/** Grid steps of `steps` inside the window [a, b] (at least two when the sweep has two). */
export function sampleSteps(steps: StepSpec, view: Pick<ViewState, 'x' | 'xLog'>): Sampling {
  const { start, end, stride } = steps;
  const lastGrid = start + Math.floor((end - start) / stride) * stride;
  const [a, b] = view.x ?? [start, lastGrid];
  let first = start + Math.ceil((Math.max(a, start) - start) / stride) * stride;
  let last = start + Math.floor((Math.min(b, lastGrid) - start) / stride) * stride;
  if (first > lastGrid) first = lastGrid;
  if (last < first) last = first;
  if (last === first && lastGrid > start) {
    // A window narrower than one stride still shows the two grid steps around it.
    if (last + stride <= lastGrid) last += stride;
    else first -= stride;
  }
  if (view.xLog) {
    const lo = first === 0 ? Math.min(stride, last) : first;
    const grid = Math.floor((last - lo) / stride) + 1;
    const n = Math.min(LOG_SAMPLES, grid);
    const snapped = new Float64Array(n);
    const la = Math.log(Math.max(lo, 1));
    const lb = Math.log(Math.max(last, 1));
    // Every grid step when they fit; else log-spaced ones snapped to the grid, which repeats a
    // step where the grid is coarser than the log spacing (the first steps): each step is
    // evaluated and drawn once, at its own x.
    let m = 0;
    for (let i = 0; i < n; i++) {
      const s = n === grid ? lo + i * stride : Math.exp(la + ((lb - la) * i) / (n - 1));
      const g = Math.min(last, Math.max(lo, start + Math.round((s - start) / stride) * stride));
      if (m === 0 || g > (snapped[m - 1] as number)) snapped[m++] = g;
    }
    const list = snapped.slice(0, m);
    const xs = Float32Array.from(list, (g) => (m === 1 ? 0.5 : toFraction(g, lo, last, true)));
    return { range: { start: lo, count: m, stride }, list, xs, x0: lo, x1: last };
  }
  return { range: { start: first, count: (last - first) / stride + 1, stride }, list: null, xs: null, x0: first, x1: last };
}

/** The step at sample `col` of a sampling (a list's entry, or the range's). */
export function stepAt(range: StepRange, list: Float64Array | null, col: number): number {
  return list ? (list[col] as number) : range.start + col * range.stride;
}

/** The data value at fraction t ∈ [0, 1] of an axis [d0, d1], linear or log. */
export function fromFraction(t: number, d0: number, d1: number, log: boolean): number {
  if (log) return Math.exp(Math.log(d0) + t * (Math.log(d1) - Math.log(d0)));
  return d0 + t * (d1 - d0);
}

/** The fraction of an axis [d0, d1] at data value v, linear or log. */
export function toFraction(v: number, d0: number, d1: number, log: boolean): number {
  if (log) return (Math.log(v) - Math.log(d0)) / (Math.log(d1) - Math.log(d0));
  return (v - d0) / (d1 - d0);
}

/**
 * The window a brush from (ax, ay) to (bx, by) (plot CSS pixels, y down) selects on axes
 * [x0, x1] × [y0, y1]: both axes, or only x (a flat brush) or only y (a tall thin one);
 * null for a click (under 5 px either way).
 */
export function brushWindow(ax: number, ay: number, bx: number, by: number, pw: number, ph: number, xd: readonly [number, number, boolean], yd: readonly [number, number, boolean]): Pick<ViewState, 'x' | 'y'> | null {
  const dx = Math.abs(bx - ax);
  const dy = Math.abs(by - ay);
  if (dx < 5 && dy < 5) return null;
  const clampX = (v: number): number => Math.min(pw, Math.max(0, v));
  const clampY = (v: number): number => Math.min(ph, Math.max(0, v));
  const x = dx >= 5 ? ([fromFraction(clampX(Math.min(ax, bx)) / pw, ...xd), fromFraction(clampX(Math.max(ax, bx)) / pw, ...xd)] as const) : null;
  const y = dy >= 5 ? ([fromFraction(1 - clampY(Math.max(ay, by)) / ph, ...yd), fromFraction(1 - clampY(Math.min(ay, by)) / ph, ...yd)] as const) : null;
  return { x, y };
}

/** Axes [d0, d1] moved by a drag of `dpx` pixels over an axis `px` pixels long (positive: towards the start). */
export function panned(d0: number, d1: number, log: boolean, dpx: number, px: number): [number, number] {
  const t = dpx / px;
  return [fromFraction(-t, d0, d1, log), fromFraction(1 - t, d0, d1, log)];
}

/** Axis [d0, d1] scaled by `factor` about the point at fraction t of it (that point stays put): factor < 1 zooms in. */
export function zoomedAbout(d0: number, d1: number, log: boolean, t: number, factor: number): [number, number] {
  return [fromFraction(t - t * factor, d0, d1, log), fromFraction(t + (1 - t) * factor, d0, d1, log)];
}

/**
 * The zoom factor of one wheel event: 2^(pixels / 250) (a mouse notch of 100 px: ×1.32),
 * steeper for a trackpad pinch (ctrl: e^(pixels / 100), as browsers scale pinches), and
 * at most ×2 either way per event. Lines and pages are taken as 16 and 400 pixels.
 */
export function wheelFactor(delta: number, deltaMode: number, pinch: boolean): number {
  const px = deltaMode === 1 ? delta * 16 : deltaMode === 2 ? delta * 400 : delta;
  const f = pinch ? Math.exp(px / 100) : 2 ** (px / 250);
  return Math.min(2, Math.max(0.5, f));
}

/**
 * An x window [a, b] kept inside the sweep's drawn steps [lo, hi]: shifted back in (same
 * width) when it overhangs an end, null (the whole sweep) when it is as wide or wider,
 * and no narrower than `minWidth` steps (about its middle).
 */
export function clampWindow(a: number, b: number, lo: number, hi: number, minWidth: number): readonly [number, number] | null {
  let w = b - a;
  if (!(w > 0) || w >= hi - lo) return null;
  let mid = (a + b) / 2;
  if (w < minWidth) w = Math.min(minWidth, hi - lo);
  mid = Math.min(hi - w / 2, Math.max(lo + w / 2, mid));
  return [mid - w / 2, mid + w / 2];
}
