/**
 * The crosshair: a vertical line at the step under the pointer and a readout listing, at
 * that step, the hovered curve's value and every shown pin's, each with its name and colour
 * (shown while a pin is shown: alone, the hovered curve's value is the tooltip's), placed
 * beside the line where it hides neither the tooltip nor the listed curves. The readout's entries carry data-step / data-value (the full f32 or exact value) for tests.
 */
import { MARGINS } from './axes.ts';
import { el } from './dom.ts';
import { currentView } from './draw.ts';
import { formatDistinct } from './fmt.ts';
import { exactAt, scheduleKind, type Schedule } from './lib.ts';
import { shownPins } from './pin-model.ts';
import type { App, Loaded } from './state.ts';
import { cssColor, sampleX, yFraction } from './view.ts';
import { stepAt } from './zoom.ts';

/**
 * The value drawn at sample `col`: the evaluator's f32 when the samples are on the CPU (or
 * read back whole), else the exact reference; `source` says which ('cpu' for a row the CPU
 * computed because the GPU declines it).
 */
export function valueAt(l: Loaded, backend: string, row: number, col: number): { value: number; source: string } {
  const step = stepAt(l.range, l.stepList, col);
  const where = l.cpuRows.includes(row) ? 'cpu' : backend;
  if (l.cpuValues) return { value: l.cpuValues[row * l.range.count + col] as number, source: where };
  if (!l.points.reduced) return { value: l.points.ys[row * l.range.count + col] as number, source: where };
  return { value: exactAt(l.schedules[row] as Schedule, step), source: 'exact' };
}

interface Entry {
  readonly name: string;
  readonly rgb: readonly number[] | null;
  readonly row: number;
  readonly value: number;
  readonly pinKey: string;
}

/** textContent, written only when it changes (a pointer move that keeps the step rewrites nothing). */
function setText(e: Element, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}

/** A data- attribute, written only when it changes; undefined removes it. */
function setData(e: HTMLElement, key: string, value: string | undefined): void {
  if (e.dataset[key] === value) return;
  if (value === undefined) delete e.dataset[key];
  else e.dataset[key] = value;
}

/**
 * The readout's step line and `n` entry rows (swatch, name, value): built once and kept,
 * the rows past `n` hidden and emptied of their data, so a pointer move only rewrites the
 * texts, colours and positions that changed.
 */
function readoutRows(readout: HTMLElement, n: number): { step: HTMLElement; rows: HTMLElement[] } {
  if (!readout.firstElementChild) readout.append(el('div', { className: 'ro-step' }));
  while (readout.children.length <= n) {
    readout.append(el('div', { className: 'ro-entry' }, el('span', { className: 'swatch' }), el('span', { className: 'ro-name' }), el('span', { className: 'ro-value' })));
  }
  const [step, ...rows] = Array.from(readout.children) as HTMLElement[];
  rows.forEach((r, i) => {
    if (i < n || r.hidden) return;
    r.hidden = true;
    for (const k of ['row', 'value', 'pinKey']) setData(r, k, undefined);
  });
  return { step: step as HTMLElement, rows: rows.slice(0, n) };
}

export function showCrosshair(app: App, l: Loaded, col: number, hoverRow: number): void {
  const { crosshair, readout } = app.ui;
  const backend = app.engine.backend;
  const n = l.range.count;
  const entries: Entry[] = [];
  for (const { pin, row } of shownPins(app.state.pins, l.pinRow)) {
    entries.push({ name: pin.name, rgb: pin.color, row, value: valueAt(l, backend, row, col).value, pinKey: pin.key });
  }
  if (hoverRow >= 0 && !entries.some((e) => e.row === hoverRow)) {
    const s = l.schedules[hoverRow] as Schedule;
    entries.unshift({ name: `#${hoverRow + 1} ${scheduleKind(s)} (hovered)`, rgb: null, row: hoverRow, value: valueAt(l, backend, hoverRow, col).value, pinKey: '' });
  }
  const x = sampleX(n, l.points.xs, col);
  const pw = app.plotCanvas.clientWidth;
  crosshair.style.left = `${MARGINS.left + x * pw}px`;
  crosshair.style.top = `${MARGINS.top}px`;
  crosshair.style.height = `${app.plotCanvas.clientHeight}px`;
  crosshair.hidden = false;
  // Without a pin the readout would only repeat the tooltip's value of the hovered curve.
  const shown = entries.some((e) => e.pinKey !== '');
  readout.hidden = !shown;
  if (!shown) return;
  const step = stepAt(l.range, l.stepList, col);
  setData(readout, 'step', String(step));
  const parts = readoutRows(readout, entries.length);
  setText(parts.step, `step ${step.toLocaleString('en-US')}`);
  const values = entries.map((e) => e.value);
  entries.forEach((e, i) => {
    const r = parts.rows[i] as HTMLElement;
    r.hidden = false;
    setData(r, 'row', String(e.row));
    setData(r, 'value', String(e.value));
    setData(r, 'pinKey', e.pinKey || undefined);
    const [sw, name, value] = Array.from(r.children) as HTMLElement[];
    const colour = e.rgb ? cssColor(e.rgb) : 'currentColor';
    if (sw && sw.dataset['colour'] !== colour) {
      sw.dataset['colour'] = colour;
      sw.style.background = colour;
    }
    if (name) setText(name, e.name);
    if (value) setText(value, formatDistinct(e.value, values));
  });
  const v = currentView(app);
  const ph = app.plotCanvas.clientHeight;
  const ys = entries.map((e) => (1 - yFraction(v, e.value)) * ph).filter(Number.isFinite);
  const { tooltip } = app.ui;
  const avoid = tooltip.hidden ? null : { left: tooltip.offsetLeft - MARGINS.left, top: tooltip.offsetTop - MARGINS.top, width: tooltip.offsetWidth, height: tooltip.offsetHeight };
  const at = placeReadout({ width: readout.offsetWidth, height: readout.offsetHeight }, x * pw, pw, ph, avoid, ys);
  readout.style.left = `${MARGINS.left + at.left}px`;
  readout.style.top = `${MARGINS.top + at.top}px`;
}

export interface Rect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Where the readout goes (plot pixels): beside the crosshair line at x, right of it or left,
 * at the top or the bottom of the plot, whichever overlaps the tooltip (`avoid`) least and
 * then covers fewest of the listed curves where they cross the line (`ys`), so it hides neither
 * the values it lists nor the tooltip; ties go to the top right.
 */
export function placeReadout(box: { width: number; height: number }, x: number, pw: number, ph: number, avoid: Rect | null, ys: readonly number[]): { left: number; top: number } {
  const gap = 10;
  const lefts = [x + gap, x - gap - box.width].map((l) => Math.min(Math.max(0, pw - box.width), Math.max(0, l)));
  const tops = [4, Math.max(4, ph - box.height - 4)];
  let best = { left: lefts[0] as number, top: tops[0] as number };
  let bestScore = Infinity;
  for (const top of tops) {
    for (const left of lefts) {
      const overlapX = avoid ? Math.max(0, Math.min(left + box.width, avoid.left + avoid.width) - Math.max(left, avoid.left)) : 0;
      const overlapY = avoid ? Math.max(0, Math.min(top + box.height, avoid.top + avoid.height) - Math.max(top, avoid.top)) : 0;
      // The listed curves pass the line at ys and go on beside it, under the box if it spans their height.
      const covered = ys.filter((y) => y >= top - 4 && y <= top + box.height + 4).length;
      const score = overlapX * overlapY * 1000 + covered;
      if (score < bestScore) {
        bestScore = score;
        best = { left, top };
      }
    }
  }
  return best;
}

export function hideCrosshair(app: App): void {
  app.ui.crosshair.hidden = true;
  app.ui.readout.hidden = true;
}
