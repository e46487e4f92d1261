/**
 * Which curve is under the pointer: pure functions of the drawn points, the view and
 * the plot size (CSS pixels), so they run and are tested in Node.
 */
import { firstAtOrAfter, nearestSample, pointX, yFraction, type DisplayPoints, type PlotView } from './view.ts';

/** A curve (row) and the sample (column of the step range) nearest the pointer's x. */
export interface Pick {
  readonly row: number;
  readonly col: number;
}

/** How near (CSS pixels) a curve must pass to be picked. */
export const PICK_REACH = 10;

/** Pixel y (0 = top) of every display point for a view and a plot height. */
export function pixelYs(d: DisplayPoints, v: PlotView, ph: number): Float32Array {
  const ys = new Float32Array(d.ys.length);
  for (let i = 0; i < ys.length; i++) ys[i] = (1 - yFraction(v, d.ys[i] as number)) * ph;
  return ys;
}

/** pixelYs, kept for the latest (points, view, height): picking is then plain arithmetic. */
export class PixelYCache {
  private last: { d: DisplayPoints; key: string; ys: Float32Array } | null = null;

  get(d: DisplayPoints, v: PlotView, ph: number): Float32Array {
    const key = `${v.y0}|${v.y1}|${v.log}|${ph}`;
    if (this.last && this.last.d === d && this.last.key === key) return this.last.ys;
    const ys = pixelYs(d, v, ph);
    this.last = { d, key, ys };
    return ys;
  }
}

/**
 * The curve nearest the pointer at (mx, my) within PICK_REACH pixels of its drawn
 * polyline, or null. `pys` is pixelYs(d, view, ph); `count` the number of steps in the
 * range (the picked column is the step nearest mx); pw × ph the plot size; `pickable`
 * (default: every row) leaves out curves that are not drawn.
 */
export function pickCurve(d: DisplayPoints, pys: Float32Array, count: number, mx: number, my: number, pw: number, ph: number, pickable?: (row: number) => boolean): Pick | null {
  if (mx < 0 || my < 0 || mx > pw || my > ph) return null;
  const reach = PICK_REACH;
  const col = nearestSample(count, d.reduced ? null : d.xs, mx / pw);
  let a: number;
  let b: number;
  if (d.xs && !d.reduced) {
    // Samples at their own x (a log axis): those within reach.
    const xs = d.xs;
    a = Math.max(0, firstAtOrAfter(xs, (mx - reach) / pw) - 1);
    b = Math.min(d.samples - 1, firstAtOrAfter(xs, (mx + reach) / pw));
  } else if (d.reduced) {
    const c0 = Math.max(0, Math.floor(((mx - reach) / pw) * d.columns));
    const c1 = Math.min(d.columns - 1, Math.ceil(((mx + reach) / pw) * d.columns));
    a = c0 * 4;
    b = c1 * 4 + 3;
  } else {
    const span = d.samples > 1 ? (reach / pw) * (d.samples - 1) : 0;
    const ic = d.samples > 1 ? (mx / pw) * (d.samples - 1) : 0;
    a = Math.max(0, Math.floor(ic - span) - 1);
    b = Math.min(d.samples - 1, Math.ceil(ic + span) + 1);
  }
  const xs = new Float64Array(b - a + 1);
  for (let i = a; i <= b; i++) xs[i - a] = pointX(d, i) * pw;
  let best = -1;
  let bestD = reach * reach;
  for (let r = 0; r < d.rows; r++) {
    if (pickable && !pickable(r)) continue;
    const o = r * d.perRow;
    let px = xs[0] as number;
    let py = pys[o + a] as number;
    if (a === b) {
      const dd = (px - mx) ** 2 + (py - my) ** 2;
      if (dd < bestD) { bestD = dd; best = r; }
      continue;
    }
    for (let i = a + 1; i <= b; i++) {
      const qx = xs[i - a] as number;
      const qy = pys[o + i] as number;
      const dx = qx - px;
      const dy = qy - py;
      const len = dx * dx + dy * dy;
      const t = len > 0 ? Math.max(0, Math.min(1, ((mx - px) * dx + (my - py) * dy) / len)) : 0;
      const ex = px + t * dx - mx;
      const ey = py + t * dy - my;
      const dd = ex * ex + ey * ey;
      if (dd < bestD) { bestD = dd; best = r; }
      px = qx;
      py = qy;
    }
  }
  return best >= 0 ? { row: best, col } : null;
}
