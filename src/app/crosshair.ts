/**
 * The crosshair: a vertical line at the step under the pointer and a readout listing, at
 * that step, the hovered curve's value and every shown pin's, each with its name and colour.
 * The readout's entries carry data-step / data-value (the full f32 or exact value) for tests.
 */
import { MARGINS } from './axes.ts';
import { clear, el } from './dom.ts';
import { formatDistinct } from './fmt.ts';
import { exactAt, scheduleKind, type Schedule } from './lib.ts';
import type { App, Loaded } from './state.ts';
import { cssColor } from './view.ts';
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

export function showCrosshair(app: App, l: Loaded, col: number, hoverRow: number): void {
  const { crosshair, readout } = app.ui;
  const backend = app.engine.backend;
  const n = l.range.count;
  const entries: Entry[] = [];
  for (const p of app.state.pins) {
    const row = l.pinRow.get(p.key);
    if (row === undefined || p.hidden) continue;
    entries.push({ name: p.name, rgb: p.color, row, value: valueAt(l, backend, row, col).value, pinKey: p.key });
  }
  if (hoverRow >= 0 && !entries.some((e) => e.row === hoverRow)) {
    const s = l.schedules[hoverRow] as Schedule;
    entries.unshift({ name: `#${hoverRow + 1} ${scheduleKind(s)} (hovered)`, rgb: null, row: hoverRow, value: valueAt(l, backend, hoverRow, col).value, pinKey: '' });
  }
  const x = n > 1 ? col / (n - 1) : 0.5;
  const pw = app.plotCanvas.clientWidth;
  crosshair.style.left = `${MARGINS.left + x * pw}px`;
  crosshair.style.top = `${MARGINS.top}px`;
  crosshair.style.height = `${app.plotCanvas.clientHeight}px`;
  crosshair.hidden = false;
  const step = stepAt(l.range, l.stepList, col);
  clear(readout);
  readout.dataset['step'] = String(step);
  readout.append(el('div', { className: 'ro-step', text: `step ${step.toLocaleString('en-US')}` }));
  const values = entries.map((e) => e.value);
  for (const e of entries) {
    const sw = el('span', { className: 'swatch' });
    sw.style.background = e.rgb ? cssColor(e.rgb) : 'currentColor';
    readout.append(
      el(
        'div',
        { className: 'ro-entry', 'data-row': e.row, 'data-value': String(e.value), 'data-pin-key': e.pinKey || undefined },
        sw,
        el('span', { className: 'ro-name', text: e.name }),
        el('span', { className: 'ro-value', text: formatDistinct(e.value, values) }),
      ),
    );
  }
  readout.hidden = entries.length === 0;
}

export function hideCrosshair(app: App): void {
  app.ui.crosshair.hidden = true;
  app.ui.readout.hidden = true;
}
