/** The exported images' title and legend layout (legend.ts imageLegend), which the PNG and the SVG both draw. */
import { describe, expect, it } from 'vitest';
import { colorBarTicks } from '../../src/app/axes.ts';
import { buildSchedules } from '../../src/app/build.ts';
import { rowColors } from '../../src/app/colors.ts';
import { ROW_H, imageLegend, wrapText, type ImageLegendInput, type Mark } from '../../src/app/legend.ts';
import { defaultSweep } from '../../src/app/sweep.ts';
import { THEMES, mapColor } from '../../src/app/theme.ts';

const { schedules } = buildSchedules(defaultSweep());
/** 7 px a character: a stand-in for the canvas's measureText (the layout only compares widths). */
const measure = (s: string): number => s.length * 7;
const base = (over: Partial<ImageLegendInput>): ImageLegendInput => ({
  title: 'CosineDecay: 1,000 schedules · steps 0–10,000',
  colors: rowColors(schedules, 'warmupSteps', THEMES.dark, new Set(['500'])),
  pins: [],
  theme: THEMES.dark,
  axesHeight: 456,
  width: 700,
  barLeft: 78,
  barWidth: 400,
  measure,
  ...over,
});
const texts = (marks: readonly Mark[]): string[] => marks.flatMap((m) => (m.kind === 'text' ? [m.text] : []));
/** The box a mark covers (a text: its measured width around its middle line). */
function box(m: Mark): { x0: number; x1: number; y0: number; y1: number } {
  if (m.kind === 'text') {
    const w = measure(m.text);
    const x0 = m.middle ? m.x - w / 2 : m.x;
    return { x0, x1: x0 + w, y0: m.y - 6, y1: m.y + 6 };
  }
  if (m.kind === 'tick') return { x0: m.x, x1: m.x, y0: m.y0, y1: m.y1 };
  return { x0: m.x, x1: m.x + m.w, y0: m.y, y1: m.y + m.h };
}
const overlap = (a: ReturnType<typeof box>, b: ReturnType<typeof box>): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

describe('imageLegend', () => {
  it('splits the title at its last " · " into the sweep and its steps', () => {
    expect(texts(imageLegend(base({})).title)).toEqual(['CosineDecay: 1,000 schedules', 'steps 0–10,000']);
    expect(texts(imageLegend(base({ title: 'no steps' })).title)).toEqual(['no steps', '']);
    expect(imageLegend(base({})).plotTop).toBe(44);
  });

  it('wraps a title wider than the image after its commas, and moves the plot and legends down by the lines added', () => {
    const title = 'CosineDecay: 1,000 schedules, sweeping alpha, warmupTarget, warmupSteps · steps 0–10,000';
    const wide = imageLegend(base({ title }));
    const narrow = imageLegend(base({ title, width: 300 }));
    const lines = texts(narrow.title);
    expect(lines.slice(0, -1).join('')).toBe('CosineDecay: 1,000 schedules, sweeping alpha, warmupTarget, warmupSteps');
    expect(lines.at(-1)).toBe('steps 0–10,000');
    for (const s of lines) expect(measure(s)).toBeLessThanOrEqual(300 - 20);
    const added = (lines.length - texts(wide.title).length) * ROW_H;
    expect(added).toBeGreaterThan(0);
    expect(narrow.plotTop).toBe(wide.plotTop + added);
    expect(Math.min(...narrow.legend.map((m) => box(m).y0))).toBeGreaterThan(narrow.plotTop + 456);
  });

  it('lays out the discrete legend (values and curve counts) in columns that fit the width, a hidden group faded and marked, nothing overlapping, all above the height', () => {
    const L = imageLegend(base({ pins: [{ name: 'my baseline', rgb: [1, 0, 0] }] }));
    expect(texts(L.legend)).toEqual(['colour: warmupSteps', '0 (250)', '500 (250, hidden)', '1000 (250)', '2000 (250)']);
    const swatches = L.legend.filter((m) => m.kind === 'rect');
    expect(swatches.map((m) => (m.kind === 'rect' ? m.opacity : 0))).toEqual([1, 0.3, 1, 1]);
    const all = [...L.title, ...L.legend, ...L.pins];
    for (const [i, a] of all.entries()) {
      const b = box(a);
      expect(b.x1).toBeLessThanOrEqual(700);
      expect(b.y1).toBeLessThanOrEqual(L.height);
      for (const c of all.slice(i + 1)) expect(overlap(b, box(c)), `${JSON.stringify(a)} over ${JSON.stringify(c)}`).toBe(false);
    }
    // The pins' legend comes under the discrete one.
    expect(Math.min(...L.pins.map((m) => box(m).y0))).toBeGreaterThan(Math.max(...L.legend.map((m) => box(m).y1)));
  });

  it('puts more groups on more rows on a narrower image', () => {
    const wide = imageLegend(base({ width: 700 }));
    const narrow = imageLegend(base({ width: 150 }));
    const rows = (L: typeof wide): number => new Set(L.legend.filter((m) => m.kind === 'rect').map((m) => box(m).y0)).size;
    expect(rows(wide)).toBe(1);
    expect(rows(narrow)).toBe(4);
    expect(narrow.height - narrow.plotTop).toBe(wide.height - wide.plotTop + 3 * ROW_H);
  });

  it('draws the colour bar as the page does: its label, the theme\'s map, and the page\'s ticks', () => {
    const colors = rowColors(schedules, 'warmupTarget', THEMES.light, new Set());
    const L = imageLegend(base({ colors, theme: THEMES.light }));
    expect(texts(L.legend)).toEqual(['colour: warmupTarget (log scale)']);
    const ramp = L.legend.find((m) => m.kind === 'ramp');
    expect(ramp).toMatchObject({ x: 78, w: 400 });
    if (ramp?.kind !== 'ramp') throw new Error('no ramp');
    expect(ramp.stops[0]).toEqual(mapColor(0, THEMES.light));
    expect(ramp.stops.at(-1)).toEqual(mapColor(1, THEMES.light));
    const ticks = colorBarTicks(colors.bar!, 400);
    expect(L.barTicks.filter((m) => m.kind === 'tick').map((m) => box(m).x0)).toEqual(ticks.map(([x]) => 78 + x));
    expect(texts(L.barTicks)).toEqual(ticks.map(([, s]) => s).filter((s) => s !== ''));
    expect(texts(L.barTicks)).toEqual(expect.arrayContaining(['1e-4', '1e-3', '1e-2']));
  });

  it('wraps a pin name too long for the image over more lines, after its commas, and grows the image to hold them', () => {
    const name = 'alpha=0.2, warmupTarget=0.00829, warmupSteps=2000, initialLearningRate=0, decaySteps=8000';
    const one = imageLegend(base({ width: 400, pins: [{ name: 'short', rgb: [0, 1, 0] }] }));
    const L = imageLegend(base({ width: 400, pins: [{ name, rgb: [1, 0, 0] }, { name: 'short', rgb: [0, 1, 0] }] }));
    const lines = L.pins.flatMap((m) => (m.kind === 'text' && m.cls === 'pin-name' ? [m.text] : []));
    expect(lines.join('')).toBe(`${name}short`);
    expect(lines.length).toBeGreaterThan(2);
    for (const s of lines) expect(40 + measure(s)).toBeLessThanOrEqual(400 - 10);
    expect(lines.slice(0, -2).every((s) => s.endsWith(', '))).toBe(true);
    expect(L.height).toBe(one.height + (lines.length - 1) * ROW_H);
  });
});

describe('wrapText', () => {
  it('breaks after ", " where it can, inside a run too long for a line otherwise, and keeps every character', () => {
    expect(wrapText('a=1, b=2, c=3', 70, measure)).toEqual(['a=1, b=2, ', 'c=3']);
    expect(wrapText('abcdefghij', 35, measure)).toEqual(['abcde', 'fghij']);
    expect(wrapText('', 35, measure)).toEqual(['']);
  });
});
