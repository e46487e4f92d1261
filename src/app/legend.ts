/**
 * The legends. On the page, the discrete legend: when the colour-by parameter takes few
 * values, one swatch per value (with its curve count) instead of a colour bar; a click hides
 * or shows that group's curves. In the exported images (export-image.ts), the layout of the
 * title, the discrete legend or colour bar, and the pins' legend, which the PNG and the SVG
 * both draw.
 */
import { colorBarTicks } from './axes.ts';
import type { RowColors } from './colors.ts';
import { clear, el } from './dom.ts';
import type { App } from './state.ts';
import { mapColor, type Theme } from './theme.ts';
import { cssColor } from './view.ts';

export function renderLegend(app: App, colors: RowColors): void {
  const { legend } = app.ui;
  clear(legend);
  const groups = colors.groups;
  legend.hidden = groups === null;
  if (!groups) return;
  legend.append(el('span', { className: 'legend-label', text: `colour: ${colors.label}` }));
  for (const g of groups) {
    const b = el('button', {
      type: 'button',
      className: g.hidden ? 'legend-item off' : 'legend-item',
      'aria-pressed': String(!g.hidden),
      'data-value': g.value,
      title: `${g.hidden ? 'show' : 'hide'} the ${g.rows} curve${g.rows === 1 ? '' : 's'} with ${colors.label} = ${g.value}`,
    });
    const sw = el('span', { className: 'swatch' });
    sw.style.background = cssColor(g.rgb);
    b.append(sw, `${g.value} (${g.rows})`);
    b.addEventListener('click', () => toggleGroup(app, g.value));
    legend.append(b);
  }
}

/** Hides or shows the curves of one value of the colour-by parameter. */
export function toggleGroup(app: App, value: string): void {
  const hidden = app.state.hiddenGroups;
  if (hidden.has(value)) hidden.delete(value);
  else hidden.add(value);
  app.ui.plotBox.dispatchEvent(new CustomEvent('lr-redraw'));
}

type Rgb = readonly [number, number, number];

/**
 * One thing an exported image draws of its title and legends, in the image's CSS pixels; a
 * text's y is the middle of its line. The PNG (a canvas) and the SVG both draw these marks,
 * so the two images lay out their legends the same way.
 */
export type Mark =
  | { readonly kind: 'text'; readonly x: number; readonly y: number; readonly text: string; readonly title?: boolean; readonly middle?: boolean; readonly cls?: string }
  | { readonly kind: 'rect'; readonly x: number; readonly y: number; readonly w: number; readonly h: number; readonly rgb: Rgb; readonly opacity: number }
  /** The colour map from left to right through evenly spaced stops. */
  | { readonly kind: 'ramp'; readonly x: number; readonly y: number; readonly w: number; readonly h: number; readonly stops: readonly Rgb[] }
  | { readonly kind: 'tick'; readonly x: number; readonly y0: number; readonly y1: number };

export interface ImageLegendInput {
  /** The plot's title: the sweep, then (after the last ' · ') its steps. */
  readonly title: string;
  readonly colors: Pick<RowColors, 'groups' | 'bar' | 'label'>;
  /** The shown pins' names and colours, in pin order. */
  readonly pins: readonly { readonly name: string; readonly rgb: Rgb }[];
  readonly theme: Theme;
  /** The height of the plot with its axes (the legends go under it, the title above), the image's width, and the colour bar's left end and length. */
  readonly axesHeight: number;
  readonly width: number;
  readonly barLeft: number;
  readonly barWidth: number;
  /** Width of a text in the body font (12 px), or in the title's (600 14 px). */
  readonly measure: (text: string, title?: boolean) => number;
}

export interface ImageLegend {
  /** The title's lines: the sweep (wrapped to the width), then its steps. */
  readonly title: Mark[];
  /** Where the plot with its axes starts, under the title. */
  readonly plotTop: number;
  /** The discrete legend's label and swatches, or the colour bar's label and ramp. */
  readonly legend: Mark[];
  /** The colour bar's ticks and their labels (empty without a colour bar). */
  readonly barTicks: Mark[];
  readonly pins: Mark[];
  /** The image's height: everything above ends by then. */
  readonly height: number;
}

/** The legends' rows (CSS pixels). */
export const ROW_H = 18;
const PAD = 10;

/**
 * `text` in lines of at most `max` pixels, broken after ', ' where it can (a pin name is a
 * list of `key=value`), else inside a run too long for a line; the lines joined give `text`.
 */
export function wrapText(text: string, max: number, measure: (text: string) => number): string[] {
  if (measure(text) <= max) return [text];
  const lines: string[] = [];
  let line = '';
  // After ', ' (a title's and a pin name's lists), else after a space.
  for (const part of text.split(text.includes(', ') ? /(?<=, )/ : /(?<= )/)) {
    if (line !== '' && measure(line + part) > max) {
      lines.push(line);
      line = '';
    }
    for (const ch of part) {
      if (line !== '' && measure(line + ch) > max) {
        lines.push(line);
        line = '';
      }
      line += ch;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** The layout of an exported image's title and legends (PNG and SVG alike): a pure function of what they show. */
export function imageLegend(input: ImageLegendInput): ImageLegend {
  const { colors, theme, width, measure } = input;
  const cut = input.title.lastIndexOf(' · ');
  const [t1, t2] = cut < 0 ? [input.title, ''] : [input.title.slice(0, cut), input.title.slice(cut + 3)];
  // The sweep in 14 px lines as wide as the image allows, the steps under it.
  const lines = wrapText(t1, width - 2 * PAD, (s) => measure(s, true));
  const title: Mark[] = lines.map((text, i) => ({ kind: 'text', x: PAD, y: 13 + i * 18, text, title: true, cls: 'title' }));
  title.push({ kind: 'text', x: PAD, y: 13 + lines.length * 18, text: t2, cls: 'subtitle' });
  const plotTop = 8 + (lines.length + 1) * 18;
  const top = plotTop + input.axesHeight;
  const legend: Mark[] = [];
  const barTicks: Mark[] = [];
  let bottom = top;
  if (colors.groups) {
    legend.push({ kind: 'text', x: PAD, y: top + ROW_H / 2, text: `colour: ${colors.label}` });
    // As on the page: the value and its curve count.
    const texts = colors.groups.map((g) => `${g.value} (${g.rows}${g.hidden ? ', hidden' : ''})`);
    // As many columns as the widest swatch and text allow.
    const colW = Math.max(...texts.map((t) => measure(t))) + 40;
    const cols = Math.max(1, Math.floor((width - 2 * PAD) / colW));
    colors.groups.forEach((g, i) => {
      const x = PAD + (i % cols) * colW;
      const y = top + (Math.floor(i / cols) + 1) * ROW_H + ROW_H / 2;
      legend.push({ kind: 'rect', x, y: y - 5, w: 10, h: 10, rgb: g.rgb, opacity: g.hidden ? 0.3 : 1 }, { kind: 'text', x: x + 16, y, text: texts[i] as string });
    });
    bottom = top + (Math.ceil(colors.groups.length / cols) + 1) * ROW_H;
  } else if (colors.bar) {
    // As on the page: the label, the bar under it, the page's ticks under the bar.
    const { barLeft: x0, barWidth: bw } = input;
    legend.push(
      { kind: 'text', x: x0, y: top + 9, text: colors.bar.label },
      { kind: 'ramp', x: x0, y: top + 20, w: bw, h: 12, stops: Array.from({ length: 21 }, (_, i) => mapColor(i / 20, theme)) },
    );
    for (const [x, label] of colorBarTicks(colors.bar, bw)) {
      barTicks.push({ kind: 'tick', x: x0 + x, y0: top + 32, y1: top + (label === '' ? 35 : 37) });
      if (label !== '') barTicks.push({ kind: 'text', x: x0 + x, y: top + 45, text: label, middle: true });
    }
    bottom = top + 3 * ROW_H;
  }
  const pins: Mark[] = [];
  let height = bottom + 14;
  if (input.pins.length > 0) {
    const pinsTop = bottom + 6;
    pins.push({ kind: 'text', x: PAD, y: pinsTop + ROW_H / 2, text: 'pinned:' });
    let row = 1;
    for (const p of input.pins) {
      const y = pinsTop + row * ROW_H + ROW_H / 2;
      pins.push({ kind: 'rect', x: PAD, y: y - 2, w: 22, h: 4, rgb: p.rgb, opacity: 1 });
      // A name longer than the image is wide goes on over more lines.
      for (const line of wrapText(p.name, width - 40 - PAD, measure)) {
        pins.push({ kind: 'text', x: 40, y: pinsTop + row * ROW_H + ROW_H / 2, text: line, cls: 'pin-name' });
        row++;
      }
    }
    height = pinsTop + row * ROW_H + 8;
  }
  return { title, plotTop, legend, barTicks, pins, height };
}
