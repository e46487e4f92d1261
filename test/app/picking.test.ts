/** Picking (src/app/picking.ts): which curve is under the pointer, as pure arithmetic on the drawn points. */
import { describe, expect, it } from 'vitest';
import { PICK_REACH, PixelYCache, pickCurve, pickSpan, pixelYs } from '../../src/app/picking.ts';
import { nearestSample, pointX, sampleX, type DisplayPoints, type PlotView } from '../../src/app/view.ts';

const LINEAR: PlotView = { y0: 0, y1: 1, log: false, alpha: 0.25 };
const PW = 100;
const PH = 100;

/** Every-sample points: one row per list of values. */
function samples(rows: readonly (readonly number[])[]): DisplayPoints {
  const n = rows[0]?.length ?? 0;
  return { rows: rows.length, perRow: n, reduced: false, columns: PW, samples: n, ys: Float32Array.from(rows.flat()) };
}

function pickAt(d: DisplayPoints, count: number, mx: number, my: number): ReturnType<typeof pickCurve> {
  return pickCurve(d, pixelYs(d, LINEAR, PH), count, mx, my, PW, PH);
}

describe('pickCurve', () => {
  it('picks the curve the pointer is on, and the step nearest its x', () => {
    const d = samples([[0.5, 0.5, 0.5], [0.9, 0.9, 0.9]]); // pixel y 50 and 10
    expect(pickAt(d, 3, 50, 52)).toEqual({ row: 0, col: 1 });
    expect(pickAt(d, 3, 20, 14)).toEqual({ row: 1, col: 0 });
    expect(pickAt(d, 3, 90, 8)).toEqual({ row: 1, col: 2 });
  });

  it(`picks nothing farther than ${PICK_REACH} pixels from every curve, or outside the plot`, () => {
    const d = samples([[0.5, 0.5, 0.5], [0.9, 0.9, 0.9]]);
    expect(pickAt(d, 3, 50, 30)).toBeNull(); // 20 px from both
    expect(pickAt(d, 3, 50, 50 + PICK_REACH + 0.5)).toBeNull();
    expect(pickAt(d, 3, 50, 50 + PICK_REACH - 0.5)).toEqual({ row: 0, col: 1 });
    expect(pickAt(d, 3, -1, 50)).toBeNull();
    expect(pickAt(d, 3, 50, PH + 1)).toBeNull();
  });

  it('measures the distance to the drawn segments, not to the samples or along y', () => {
    // Row 0 rises from the bottom-left to the top-right corner; row 1 is flat at pixel y 63.
    const d = samples([[0, 1], [0.37, 0.37]]);
    // At (50, 57): 7 px below row 0 vertically but 7/√2 ≈ 4.9 px from its segment; row 1 is 6 px away.
    expect(pickAt(d, 2, 50, 57)).toEqual({ row: 0, col: 1 });
    // Far from both samples of row 0 (≥ 42 px) yet on its segment.
    expect(pickAt(d, 2, 30, 70)).toEqual({ row: 0, col: 0 });
  });

  it('on M4-reduced points, a one-column spike can be picked at its top', () => {
    const columns = 10;
    const ys = new Float32Array(columns * 4).fill(0.1);
    ys[5 * 4 + 2] = 0.9; // column 5: first, min, MAX, last
    const d: DisplayPoints = { rows: 1, perRow: columns * 4, reduced: true, columns, samples: 1000, ys };
    // Column 5's centre is x = 55; the spike's top is pixel y 10.
    expect(pickAt(d, 1000, 55, 10)).toEqual({ row: 0, col: Math.round(0.55 * 999) });
    // The column's drawn vertical runs from its min (y 90) to the spike (y 10): on it, or 11 px beside it.
    expect(pickAt(d, 1000, 55, 50)).toEqual({ row: 0, col: Math.round(0.55 * 999) });
    expect(pickAt(d, 1000, 66, 50)).toBeNull();
  });

  it('a one-sample curve is picked near its single point', () => {
    const d = samples([[0.5]]);
    expect(pickAt(d, 1, 50, 55)).toEqual({ row: 0, col: 0 });
    expect(pickAt(d, 1, 50, 70)).toBeNull();
  });
});

describe('pixelYs and its cache', () => {
  it('maps values to pixel rows from the top, log views included', () => {
    const d = samples([[0, 0.25, 1]]);
    expect(Array.from(pixelYs(d, LINEAR, 200))).toEqual([200, 150, 0]);
    const log = samples([[1e-3]]);
    expect(pixelYs(log, { y0: 1e-4, y1: 1e-2, log: true, alpha: 1 }, 100)[0]).toBeCloseTo(50, 4);
  });

  it('keeps the ys of the latest points, view and height, and recomputes when any changes', () => {
    const cache = new PixelYCache();
    const d = samples([[0, 1]]);
    const a = cache.get(d, LINEAR, 100);
    expect(cache.get(d, LINEAR, 100)).toBe(a);
    expect(cache.get(d, { ...LINEAR }, 100)).toBe(a); // same view values
    const b = cache.get(d, LINEAR, 120);
    expect(b).not.toBe(a);
    expect(Array.from(b)).toEqual([120, 0]);
    expect(cache.get(d, { ...LINEAR, y1: 2 }, 120)[1]).toBe(60);
    expect(cache.get(samples([[0, 1]]), { ...LINEAR, y1: 2 }, 120)).not.toBe(b);
  });

  it('computes only the samples picking asks for, and keeps them for later picks', () => {
    // 3 rows × 200 samples: a pick at x = 50 of 100 px reads the samples within reach, not the row's ends.
    const rows = [0, 1, 2].map((r) => Array.from({ length: 200 }, (_, i) => ((r + 1) * (i + 1)) / 1000));
    const d = samples(rows);
    const log: PlotView = { y0: 1e-3, y1: 1, log: true, alpha: 1 };
    const full = pixelYs(d, log, PH);
    const [a, b] = pickSpan(d, 50, PW);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeLessThan(199);
    const cache = new PixelYCache();
    const ys = cache.get(d, log, PH, a, b);
    for (let r = 0; r < 3; r++) {
      for (let i = 0; i < 200; i++) expect(ys[r * 200 + i]).toBe(i >= a && i <= b ? full[r * 200 + i] : 0);
    }
    // A pick farther right fills its own span into the same array; a full get fills the rest.
    expect(cache.get(d, log, PH, ...pickSpan(d, 90, PW))).toBe(ys);
    expect(ys[2 * 200 + 180]).toBe(full[2 * 200 + 180]);
    expect(Array.from(cache.get(d, log, PH))).toEqual(Array.from(full));
    // The pick over the lazily filled ys is the pick over every point's.
    for (const [mx, my] of [[50, 40], [90, 20], [10, 99]] as const) {
      expect(pickCurve(d, new PixelYCache().get(d, log, PH, ...pickSpan(d, mx, PW)), 200, mx, my, PW, PH)).toEqual(pickCurve(d, full, 200, mx, my, PW, PH));
    }
  });
});

describe('samples drawn at their own x (a log x axis)', () => {
  // Steps 1, 2, 4, 8 on a log axis [1, 8]: x = 0, 1/3, 2/3, 1, whatever their index.
  const xs = Float32Array.from([0, 1 / 3, 2 / 3, 1]);
  const d: DisplayPoints = { ...samples([[0.2, 0.4, 0.6, 0.8]]), xs };

  it('are drawn and picked at that x', () => {
    expect([0, 1, 2, 3].map((i) => pointX(d, i))).toEqual([...xs]);
    expect(pickAt(d, 4, 30, 100 - 38)?.col).toBe(1);
    expect(pickAt(d, 4, 60, 100 - 58)?.col).toBe(2);
    expect(pickAt(d, 4, 99, 21)?.col).toBe(3);
  });

  it('put the crosshair on the sample drawn nearest the pointer, at that sample\'s x', () => {
    expect([0, 0.16, 0.17, 0.5, 0.9, 1].map((t) => nearestSample(4, xs, t))).toEqual([0, 0, 1, 1, 3, 3]);
    expect(sampleX(4, xs, 2)).toBe(xs[2]);
    // Evenly spaced (a linear axis): as before, i / (n − 1).
    expect([0, 0.16, 0.17, 0.5, 0.9, 1].map((t) => nearestSample(4, null, t))).toEqual([0, 0, 1, 2, 3, 3]);
    expect(sampleX(4, null, 2)).toBe(2 / 3);
  });

  it('pick the segment between uneven samples', () => {
    // Unevenly spaced: step 1 at x 0, the rest crowded at the right.
    const u: DisplayPoints = { ...samples([[0.1, 0.9, 0.9]]), xs: Float32Array.from([0, 0.9, 1]) };
    // On the segment from (0, 90) to (90, 10) at x 40: y 54.4 (evenly spaced it would be at y ~26).
    expect(pickAt(u, 3, 40, 54)).toEqual({ row: 0, col: 0 });
    expect(pickAt(u, 3, 80, 18)).toEqual({ row: 0, col: 1 });
  });
});
