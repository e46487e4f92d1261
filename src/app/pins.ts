/** Pinned curves: the pin rule and the table under the plot (copy as Keras JSON, unpin, train). */
import { clear, el } from './dom.ts';
import { present } from './draw.ts';
import { copyJson } from './exports.ts';
import { scheduleKind, type Schedule } from './lib.ts';
import type { App } from './state.ts';
import { PIN_COLORS, cssColor } from './view.ts';

/** Pins `row` or unpins it; `full` when it is not pinned and `max` pins are already taken (nothing changes). */
export function togglePin(pins: readonly number[], row: number, max = PIN_COLORS.length): { pins: number[]; full: boolean } {
  if (pins.includes(row)) return { pins: pins.filter((p) => p !== row), full: false };
  if (pins.length < max) return { pins: [...pins, row], full: false };
  return { pins: [...pins], full: true };
}

/** `#row kind (k=v, …)`: how a pinned row is named to the train panel. */
function trainLabel(row: number, s: Schedule, params: string): string {
  return `#${row + 1} ${scheduleKind(s)}${params ? ` (${params})` : ''}`;
}

export function renderPins(app: App): void {
  const { pinsBody, pinsEmpty, copyAllPins } = app.ui;
  const { state } = app;
  clear(pinsBody);
  const l = state.loaded;
  pinsEmpty.hidden = state.pins.length > 0;
  copyAllPins.disabled = state.pins.length === 0;
  if (!l) return;
  state.pins.forEach((row, i) => {
    const s = l.schedules[row] as Schedule;
    const c = PIN_COLORS[i % PIN_COLORS.length] as readonly number[];
    const swatch = el('span', { className: 'swatch' });
    swatch.style.background = cssColor(c);
    const copy = el('button', { type: 'button', text: 'copy as Keras JSON', className: 'small' });
    copy.addEventListener('click', () => void copyJson(app, [s]));
    const unpin = el('button', { type: 'button', text: 'unpin', className: 'small' });
    unpin.addEventListener('click', () => {
      state.pins = state.pins.filter((p) => p !== row);
      renderPins(app);
      present(app);
    });
    const params = (l.labels[row] ?? []).map(([k, v]) => `${k}=${v}`).join(', ');
    const train = el('button', { type: 'button', text: 'train', className: 'small', title: 'train the example model with this schedule' });
    train.addEventListener('click', () => void app.trainPanel.train({ schedule: s, label: trainLabel(row, s, params) }));
    pinsBody.append(el('tr', {}, el('td', {}, swatch), el('td', { text: `#${row + 1}` }), el('td', { text: scheduleKind(s) }), el('td', { className: 'params-cell', text: params }), el('td', {}, copy, unpin, train)));
  });
}
