/**
 * Which curve is under the pointer: pure functions of the drawn points, the view and
 * the plot size (CSS pixels), so they run and are tested in Node.
 */
import { firstAtOrAfter, nearestSample, pointX, yFractionOf, type DisplayPoints, type PlotView } from './view.ts';

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
  fillPixelYs(ys, d, v, ph, 0, d.perRow - 1);
  return ys;
}

/** pixelYs of samples a…b of every row, into `ys`. */
function fillPixelYs(ys: Float32Array, d: DisplayPoints, v: PlotView, ph: number, a: number, b: number): void {
  const f = yFractionOf(v);
  for (let o = 0; o < ys.length; o += d.perRow) {
    for (let i = o + a; i <= o + b; i++) ys[i] = (1 - f(d.ys[i] as number)) * ph;
  }
}

/**
 * pixelYs for the latest (points, view, height), filled a span of samples at a time as
 * picking asks for them (`pickSpan`): a sweep's draw does not compute every point's pixel
 * (10,000 × 1,000 took ~400 ms of the page's thread right after the first frame), a hover
 * computes the samples within its reach that no earlier hover of this view did.
 */
export class PixelYCache {
  private last: { d: DisplayPoints; key: string; ys: Float32Array; filled: Uint8Array } | null = null;

  /** The pixel ys, filled at least at samples a…b (default: all) of every row. */
  get(d: DisplayPoints, v: PlotView, ph: number, a = 0, b = d.perRow - 1): Float32Array {
    const key = `${v.y0}|${v.y1}|${v.log}|${ph}`;
    if (!this.last || this.last.d !== d || this.last.key !== key) this.last = { d, key, ys: new Float32Array(d.ys.length), filled: new Uint8Array(d.perRow) };
    const { ys, filled } = this.last;
    for (let i = Math.max(0, a); i <= Math.min(b, d.perRow - 1); i++) {
      if (filled[i]) continue;
      let j = i;
      while (j < b && j + 1 < d.perRow && !filled[j + 1]) j++;
      fillPixelYs(ys, d, v, ph, i, j);
      filled.fill(1, i, j + 1);
      i = j;
    }
    return ys;
  }
}

/**
 * The samples a…b (indices within a row) that pickCurve reads for a pointer at x = mx
 * (CSS pixels) on a plot pw wide: those within PICK_REACH of it, and one more each side.
 */
export function pickSpan(d: DisplayPoints, mx: number, pw: number): [number, number] {
  const reach = PICK_REACH;
  if (d.xs && !d.reduced) {
    // Samples at their own x (a log axis): those within reach.
    const xs = d.xs;
    return [Math.max(0, firstAtOrAfter(xs, (mx - reach) / pw) - 1), Math.min(d.samples - 1, firstAtOrAfter(xs, (mx + reach) / pw))];
  }
  if (d.reduced) {
    const c0 = Math.max(0, Math.floor(((mx - reach) / pw) * d.columns));
    const c1 = Math.min(d.columns - 1, Math.ceil(((mx + reach) / pw) * d.columns));
    return [c0 * 4, c1 * 4 + 3];
  }
  const span = d.samples > 1 ? (reach / pw) * (d.samples - 1) : 0;
  const ic = d.samples > 1 ? (mx / pw) * (d.samples - 1) : 0;
  return [Math.max(0, Math.floor(ic - span) - 1), Math.min(d.samples - 1, Math.ceil(ic + span) + 1)];
}

/**
 * The curve nearest the pointer at (mx, my) within PICK_REACH pixels of its drawn
 * polyline, or null. `pys` is pixelYs(d, view, ph), filled at least at pickSpan(d, mx, pw); `count` the number of steps in the
 * range (the picked column is the step nearest mx); pw × ph the plot size; `pickable`
 * (default: every row) leaves out curves that are not drawn.
 */
export function pickCurve(d: DisplayPoints, pys: Float32Array, count: number, mx: number, my: number, pw: number, ph: number, pickable?: (row: number) => boolean): Pick | null {
  if (mx < 0 || my < 0 || mx > pw || my > ph) return null;
  const reach = PICK_REACH;
  const col = nearestSample(count, d.reduced ? null : d.xs, mx / pw);
  const [a, b] = pickSpan(d, mx, pw);
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
