/** Pins, highlights and row colours of the explorer (pure parts of pins.ts, view.ts, draw.ts). */
import { describe, expect, it } from 'vitest';
import { buildSchedules } from '../../src/app/build.ts';
import { domains, rowColors } from '../../src/app/draw.ts';
import { togglePin } from '../../src/app/pins.ts';
import { defaultSweep } from '../../src/app/sweep.ts';
import { PIN_COLORS, highlightsFor, type DisplayPoints } from '../../src/app/view.ts';

describe('togglePin', () => {
  it('pins a row, unpins a pinned one, and refuses a pin past the limit without changing the pins', () => {
    expect(togglePin([], 4)).toEqual({ pins: [4], full: false });
    expect(togglePin([4, 9], 4)).toEqual({ pins: [9], full: false });
    const full = Array.from({ length: PIN_COLORS.length }, (_, i) => i);
    expect(togglePin(full, 99)).toEqual({ pins: full, full: true });
    expect(togglePin(full, 3).pins).not.toContain(3);
  });
});

describe('highlightsFor', () => {
  it('draws each pin as a dark casing under its pin colour, then the hovered curve on top', () => {
    const h = highlightsFor([7, 2], 5);
    expect(h.map((x) => x.row)).toEqual([7, 7, 2, 2, 5, 5]);
    expect(h[1]?.rgba).toEqual([...(PIN_COLORS[0] as readonly number[]), 1]);
    expect(h[3]?.rgba).toEqual([...(PIN_COLORS[1] as readonly number[]), 1]);
    expect(h[0]?.width).toBeGreaterThan(h[1]?.width ?? Infinity);
    expect(h[5]).toEqual({ row: 5, rgba: [1, 1, 1, 1], width: 2.5 });
  });

  it('does not draw a hovered curve twice when it is pinned, nor a hover of -1', () => {
    expect(highlightsFor([3], 3).map((x) => x.row)).toEqual([3, 3]);
    expect(highlightsFor([], -1)).toEqual([]);
  });
});

describe('rowColors', () => {
  const { schedules } = buildSchedules(defaultSweep());

  it('colours by a swept key on viridis, log scale when the values span 20× or more', () => {
    const { rgba, bar } = rowColors(schedules, 'warmupTarget');
    expect(rgba.length).toBe(schedules.length * 4);
    expect(bar).toMatchObject({ label: 'colour: warmupTarget (log scale)', log: true });
    expect(bar?.v0).toBeCloseTo(1e-4, 12);
    expect(bar?.v1).toBeCloseTo(0.01, 12);
    for (let r = 0; r < schedules.length; r++) expect(rgba[r * 4 + 3]).toBe(1);
  });

  it('colours by row number for #index, and grey-blue with no colour bar for a key no row has', () => {
    expect(rowColors(schedules, '#index').bar).toMatchObject({ label: 'colour: schedule #', v0: 0, v1: schedules.length - 1, log: false });
    const none = rowColors(schedules, 'noSuchKey');
    expect(none.bar).toBeNull();
    expect(Array.from(none.rgba.subarray(0, 4))).toEqual(Array.from(Float32Array.of(0.55, 0.75, 1, 1)));
  });
});

describe('domains', () => {
  const pts = (ys: number[]): DisplayPoints => ({ rows: 1, perRow: ys.length, reduced: false, columns: 10, samples: ys.length, ys: Float32Array.from(ys) });

  it('linear: from min(0, lowest) to the highest plus 4 %; log: the positive values with margins', () => {
    const d = domains(pts([0.001, 0.1, 0.05]));
    expect(d.yDomain[0]).toBe(0);
    expect(d.yDomain[1]).toBeCloseTo(Math.fround(0.1) * 1.04, 9);
    expect(d.yDomainLog[1]).toBeCloseTo(Math.fround(0.1) * 1.25, 9);
    expect(d.yDomainLog[0]).toBeCloseTo(Math.fround(0.001) * 0.8, 9);
  });

  it('falls back to [0, 1] and [1e-4, 1] when no value is finite', () => {
    expect(domains(pts([Number.NaN]))).toEqual({ yDomain: [0, 1], yDomainLog: [1e-4, 1] });
  });
});
