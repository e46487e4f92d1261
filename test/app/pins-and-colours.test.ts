/** Pins, highlights and row colours of the explorer (pure parts of pin-model.ts, view.ts, colors.ts, draw.ts). */
import { describe, expect, it } from 'vitest';
import { buildSchedules } from '../../src/app/build.ts';
import { RowColorCache, rowColors } from '../../src/app/colors.ts';
import { domains } from '../../src/app/draw.ts';
import { configKey, freeColor, hexColor, parseHex, pinRowsIn, shownPins, togglePin, type Pin } from '../../src/app/pin-model.ts';
import { defaultSweep, type SweepDef } from '../../src/app/sweep.ts';
import { THEMES, mapColor } from '../../src/app/theme.ts';
import { PIN_COLORS, highlightsFor, viridis, type DisplayPoints } from '../../src/app/view.ts';

const { schedules } = buildSchedules(defaultSweep());

describe('pins are configs', () => {
  it('pins a schedule, unpins the same config built again, and refuses a pin past the limit without changing the pins', () => {
    const a = schedules[4]!;
    const { pins } = togglePin([], a, 'a');
    expect(pins.map((p) => p.key)).toEqual([configKey(a)]);
    const again = buildSchedules(defaultSweep()).schedules[4]!;
    expect(again).not.toBe(a);
    expect(togglePin(pins, again, 'a again').pins).toEqual([]);
    let full: Pin[] = [];
    for (let i = 0; i < PIN_COLORS.length; i++) full = togglePin(full, schedules[i]!, `p${i}`).pins;
    expect(togglePin(full, schedules[99]!, 'one more')).toEqual({ pins: full, full: true });
  });

  it('gives each new pin the first colour no other pin uses', () => {
    const p1 = togglePin([], schedules[0]!, 'a').pins;
    const p2 = togglePin(p1, schedules[1]!, 'b').pins;
    expect(p2.map((p) => p.color)).toEqual([PIN_COLORS[0], PIN_COLORS[1]]);
    expect(freeColor(p2.slice(1))).toEqual(PIN_COLORS[0]);
  });

  it('finds each pin among another sweep\'s rows by config, and -1 where that sweep lacks it', () => {
    const pins = togglePin(togglePin([], schedules[10]!, 'x').pins, schedules[999]!, 'y').pins;
    const narrower: SweepDef = { ...defaultSweep(), params: { ...defaultSweep().params, warmupSteps: { mode: 'list', values: [0, 500, 1000] } } };
    const other = buildSchedules(narrower).schedules;
    const rows = pinRowsIn(pins, other.map(configKey));
    // Row 10 has warmupSteps 1000 (kept); row 999 has 2000 (dropped from the narrower sweep).
    expect(configKey(other[rows[0]!]!)).toBe(pins[0]!.key);
    expect(rows[1]).toBe(-1);
  });

  it('shows the pins not hidden that have a row on screen, in pin order, with their rows', () => {
    let pins: Pin[] = [];
    for (const r of [7, 3, 5, 9]) pins = togglePin(pins, schedules[r]!, `p${r}`).pins;
    pins[1]!.hidden = true;
    // The pin of row 9 has no row in this (made-up) sweep on screen.
    const rows = new Map(pins.slice(0, 3).map((p, i) => [p.key, [70, 30, 50][i]!]));
    expect(shownPins(pins, rows).map(({ pin, row }) => [pin.name, row])).toEqual([['p7', 70], ['p5', 50]]);
    expect(shownPins([], rows)).toEqual([]);
  });

  it('writes and reads colours as #rrggbb, and refuses other text', () => {
    expect(hexColor([1, 0.5, 0])).toBe('#ff8000');
    expect(parseHex('#ff8000')).toEqual([1, 128 / 255, 0]);
    expect(parseHex('red')).toBeNull();
  });
});

describe('highlightsFor', () => {
  it('draws each pin as a casing under its colour, then the hovered curve on top', () => {
    const h = highlightsFor([{ row: 7, rgb: [1, 0, 0] }, { row: 2, rgb: [0, 1, 0] }], 5);
    expect(h.map((x) => x.row)).toEqual([7, 7, 2, 2, 5, 5]);
    expect(h[1]?.rgba).toEqual([1, 0, 0, 1]);
    expect(h[3]?.rgba).toEqual([0, 1, 0, 1]);
    expect(h[0]?.width).toBeGreaterThan(h[1]?.width ?? Infinity);
    expect(h[5]).toEqual({ row: 5, rgba: [1, 1, 1, 1], width: 2.5 });
  });

  it('does not draw a hovered curve twice when it is pinned, nor a hover of -1', () => {
    expect(highlightsFor([{ row: 3, rgb: [1, 1, 1] }], 3).map((x) => x.row)).toEqual([3, 3]);
    expect(highlightsFor([], -1)).toEqual([]);
  });
});

describe('rowColors', () => {
  const dark = THEMES.dark;

  it('colours a many-valued key continuously on the theme\'s part of viridis, log scale when the values span 20× or more', () => {
    const { rgba, bar, groups } = rowColors(schedules, 'warmupTarget', dark, new Set());
    expect(groups).toBeNull();
    expect(rgba.length).toBe(schedules.length * 4);
    expect(bar).toMatchObject({ label: 'colour: warmupTarget (log scale)', log: true });
    expect(bar?.v0).toBeCloseTo(1e-4, 12);
    for (let r = 0; r < schedules.length; r++) expect(rgba[r * 4 + 3]).toBe(1);
  });

  it('keeps every colour of the map at a contrast of 3:1 (dark) or 2.9:1 (light) with the plot background', () => {
    // WCAG relative luminance and contrast ratio.
    const lin = (c: number): number => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    const lum = (c: readonly number[]): number => 0.2126 * lin(c[0]!) + 0.7152 * lin(c[1]!) + 0.0722 * lin(c[2]!);
    const hex = (h: string): number[] => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16) / 255);
    const ratio = (a: number, b: number): number => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    for (const [theme, min] of [[THEMES.dark, 3], [THEMES.light, 2.9]] as const) {
      const bg = lum(hex(theme.plotBg));
      let worst = Infinity;
      for (let t = 0; t <= 1; t += 1 / 64) worst = Math.min(worst, ratio(lum(mapColor(t, theme)), bg));
      expect(worst).toBeGreaterThanOrEqual(min);
    }
    // Viridis's own ends fail it: the darkest purple on the dark plot, the yellow on the light one.
    expect(ratio(lum(viridis(0)), lum(hex(THEMES.dark.plotBg)))).toBeLessThan(1.5);
    expect(ratio(lum(viridis(1)), lum(hex(THEMES.light.plotBg)))).toBeLessThan(1.5);
  });

  it('gives a few-valued key one group per value with its count, and alpha 0 to the rows of a hidden group', () => {
    const { rgba, bar, groups, visible } = rowColors(schedules, 'warmupSteps', dark, new Set(['500']));
    expect(bar).toBeNull();
    expect(groups?.map((g) => [g.value, g.rows, g.hidden])).toEqual([['0', 250, false], ['500', 250, true], ['1000', 250, false], ['2000', 250, false]]);
    for (let r = 0; r < schedules.length; r++) {
      const hidden = (schedules[r]!.config as { warmupSteps: number }).warmupSteps === 500;
      expect(rgba[r * 4 + 3]).toBe(hidden ? 0 : 1);
      expect(visible[r]).toBe(hidden ? 0 : 1);
    }
  });

  it('draws rows after the sweep\'s own (pins the sweep lacks) only as highlights', () => {
    const { visible } = rowColors(schedules, 'alpha', dark, new Set(), schedules.length - 2);
    expect(Array.from(visible.subarray(-3))).toEqual([1, 0, 0]);
  });
});

describe('RowColorCache', () => {
  it('computes once for the same inputs, and again when the key, the theme, the hidden groups (edited in place) or the rows change', () => {
    const cache = new RowColorCache();
    const hidden = new Set<string>();
    const a = cache.get(schedules, 'warmupSteps', THEMES.dark, hidden);
    expect(cache.get(schedules, 'warmupSteps', THEMES.dark, hidden)).toBe(a);
    expect(a).toEqual(rowColors(schedules, 'warmupSteps', THEMES.dark, hidden));
    hidden.add('500');
    const b = cache.get(schedules, 'warmupSteps', THEMES.dark, hidden);
    expect(b).not.toBe(a);
    expect(b.groups?.find((g) => g.value === '500')?.hidden).toBe(true);
    expect(cache.get(schedules, 'warmupSteps', THEMES.dark, new Set(['500']))).toBe(b);
    const light = cache.get(schedules, 'warmupSteps', THEMES.light, hidden);
    expect(light).not.toBe(b);
    expect(light.groups?.[0]?.rgb).toEqual(mapColor(0, THEMES.light));
    expect(cache.get(schedules, 'alpha', THEMES.light, hidden).label).toBe('alpha');
    expect(cache.get(schedules, 'alpha', THEMES.light, hidden, schedules.length - 1).visible.at(-1)).toBe(0);
    const again = buildSchedules(defaultSweep()).schedules;
    expect(cache.get(again, 'alpha', THEMES.light, hidden, schedules.length - 1)).not.toBe(cache.get(schedules, 'alpha', THEMES.light, hidden, schedules.length - 1));
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
