import { describe, expect, it } from 'vitest';
import { csvCell } from '../src/app/csv.ts';
import { columnStarts, pointX, reduceM4, shouldReduce, viridis, yFraction, yFractionOf } from '../src/app/view.ts';

describe('explorer drawing helpers', () => {
  it('column starts cover every sample exactly once', () => {
    const s = columnStarts(10, 3);
    expect(Array.from(s)).toEqual([0, 4, 7, 10]);
    const big = columnStarts(1_000_003, 797);
    expect(big[0]).toBe(0);
    expect(big[797]).toBe(1_000_003);
    for (let c = 0; c < 797; c++) expect((big[c + 1] as number) - (big[c] as number)).toBeGreaterThan(0);
  });

  it('M4 keeps first, last, and min/max in the order they occur (every peak survives)', () => {
    // One row, 8 samples, 2 columns: [1, 9, 2, 3] and [5, 0, 7, 4].
    const v = Float32Array.of(1, 9, 2, 3, 5, 0, 7, 4);
    const r = reduceM4(v, 1, 8, 2);
    expect(Array.from(r)).toEqual([1, 1, 9, 3, 5, 0, 7, 4]);
    // max before min: order is first, max, min, last.
    const w = reduceM4(Float32Array.of(2, 8, 1, 3), 1, 4, 1);
    expect(Array.from(w)).toEqual([2, 8, 1, 3]);
    // A one-sample spike in a long row stays visible.
    const spike = new Float32Array(10_000).fill(1);
    spike[4321] = 50;
    const red = reduceM4(spike, 1, 10_000, 100);
    expect(Math.max(...red)).toBe(50);
    expect(shouldReduce(10_000, 800)).toBe(true);
    expect(shouldReduce(1_001, 800)).toBe(false);
  });

  it('point x and y fractions', () => {
    expect(pointX({ reduced: false, columns: 0, samples: 11 }, 5)).toBe(0.5);
    expect(pointX({ reduced: true, columns: 4, samples: 100 }, 9)).toBeCloseTo(0.625);
    const lin = { y0: 0, y1: 2, log: false, alpha: 1 };
    expect(yFraction(lin, 1)).toBe(0.5);
    expect(yFraction(lin, 100)).toBe(2);
    const log = { y0: 1e-4, y1: 1e-2, log: true, alpha: 1 };
    expect(yFraction(log, 1e-3)).toBeCloseTo(0.5, 12);
    expect(yFraction(log, 0)).toBe(-1);
    expect(yFraction(lin, Number.NaN)).toBe(-1);
  });

  it('yFractionOf a view gives yFraction\'s values exactly, off-scale and non-finite ones included', () => {
    const values = [-1, 0, 1e-40, 3e-7, 1e-4, 1.5e-3, 0.01, 0.3, 1, 7, 1e30, Number.NaN, Infinity, -Infinity];
    for (const view of [{ y0: 0, y1: 2, log: false, alpha: 1 }, { y0: -0.5, y1: 0.25, log: false, alpha: 1 }, { y0: 1e-4, y1: 1e-2, log: true, alpha: 1 }, { y0: 3e-9, y1: 0.7, log: true, alpha: 1 }]) {
      const f = yFractionOf(view);
      for (const v of values) expect(f(v)).toBe(yFraction(view, v));
    }
  });

  it('viridis runs dark purple to yellow', () => {
    const [r0, g0, b0] = viridis(0);
    const [r1, g1, b1] = viridis(1);
    expect(b0).toBeGreaterThan(r0);
    expect(r1 + g1).toBeGreaterThan(1.5);
    expect(b1).toBeLessThan(0.3);
    expect(g0).toBeLessThan(0.1);
    expect(viridis(Number.NaN)).toEqual(viridis(0));
  });

  it('CSV cells are quoted and never start a formula', () => {
    expect(csvCell('a "b"')).toBe('"a ""b"""');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('+1')).toBe('"\'+1"');
    expect(csvCell('#12 CosineDecay alpha=0')).toBe('"#12 CosineDecay alpha=0"');
  });
});
