/**
 * The pinned table under the plot: one row per pin (a config, not a row number), with its
 * colour (editable), name (editable), a show/hide box, copy as JSON (its own dialect's), train and unpin.
 */
import { clear, el } from './dom.ts';
import { present } from './draw.ts';
import { copyJson } from './exports.ts';
import { scheduleKind } from './lib.ts';
import { MAX_PIN_NAME } from './pin-link.ts';
import { defaultPinName, hexColor, nameContext, parseHex, togglePin, type Pin } from './pin-model.ts';
import type { App } from './state.ts';
import { setStatusNote } from './status.ts';
import { productCount } from './sweep.ts';
import { PIN_COLORS } from './view.ts';

/** Pins or unpins the curve at `row` of the sweep on screen. */
export function togglePinAt(app: App, row: number): void {
  const { state } = app;
  const l = state.loaded;
  const s = l?.schedules[row];
  if (!l || !s) return;
  const { pins, full } = togglePin(state.pins, s, defaultPinName(s, nameContext(l.def), row < productCount(l.def)));
  const added = pins.find((p) => !state.pins.includes(p));
  if (added) l.pinRow.set(added.key, row);
  state.pins = pins;
  if (full) setStatusNote(app, `at most ${PIN_COLORS.length} pins`);
  pinsChanged(app);
}

/** After any pin edit: the table, the highlight frame, and the train panel if it shows a pin. */
export function pinsChanged(app: App): void {
  renderPins(app);
  present(app);
  app.ui.plotBox.dispatchEvent(new CustomEvent('lr-pins'));
}

function trainTarget(p: Pin): { schedule: Pin['schedule']; label: string; key: string } {
  return { schedule: p.schedule, label: p.name, key: p.key };
}

function pinRow(app: App, p: Pin): HTMLTableRowElement {
  const { state } = app;
  const colour = el('input', { type: 'color', value: hexColor(p.color), 'aria-label': `colour of ${p.name}`, className: 'pin-color' });
  colour.addEventListener('input', () => {
    const c = parseHex(colour.value);
    if (c) p.color = c;
    present(app);
    app.ui.plotBox.dispatchEvent(new CustomEvent('lr-pins'));
  });
  // The name takes the row's free width; a longer one is ellipsized, whole in the field and on hover.
  const name = el('input', { type: 'text', value: p.name, title: p.name, 'aria-label': 'pin name', className: 'pin-name', maxlength: MAX_PIN_NAME });
  name.addEventListener('change', () => {
    p.name = name.value.trim() || p.name;
    name.value = p.name;
    name.title = p.name;
    colour.setAttribute('aria-label', `colour of ${p.name}`);
    show.setAttribute('aria-label', `show ${p.name}`);
    app.trainPanel.follow(trainTarget(p));
    app.ui.plotBox.dispatchEvent(new CustomEvent('lr-pins'));
  });
  const show = el('input', { type: 'checkbox', 'aria-label': `show ${p.name}`, className: 'pin-show' });
  show.checked = !p.hidden;
  show.addEventListener('change', () => {
    p.hidden = !show.checked;
    present(app);
    app.ui.plotBox.dispatchEvent(new CustomEvent('lr-pins'));
  });
  // Short labels, so the name gets the row's room (the title and aria-label say it whole).
  const copy = el('button', { type: 'button', text: 'JSON', className: 'small', title: 'copy as JSON, in its own dialect', 'aria-label': 'copy as JSON' });
  copy.addEventListener('click', () => void copyJson(app, [p.schedule]));
  const train = el('button', { type: 'button', text: 'train', className: 'small', title: 'train the example model with this schedule' });
  train.addEventListener('click', () => void app.trainPanel.train(trainTarget(p)));
  const unpin = el('button', { type: 'button', text: 'unpin', className: 'small' });
  unpin.addEventListener('click', () => {
    state.pins = state.pins.filter((q) => q.key !== p.key);
    pinsChanged(app);
  });
  const row = state.loaded?.pinRow.get(p.key);
  const where = row === undefined ? '' : row < (state.loaded?.sweepRows ?? 0) ? `#${row + 1}` : 'not in sweep';
  // The class only where it is not the sweep's (the title names that one): the name gets the room.
  const kind = scheduleKind(p.schedule);
  const what = kind === state.def.kind ? where : `${kind} ${where}`;
  const tr = el(
    'tr',
    { 'data-pin-key': p.key },
    el('td', {}, colour),
    el('td', { className: 'pin-name-cell' }, name),
    el('td', { className: 'muted', text: what.trim(), title: `${kind} ${where}`.trim() }),
    el('td', {}, el('label', { title: 'show this pin' }, show, ' show')),
    el('td', {}, copy, train, unpin),
  );
  return tr;
}

export function renderPins(app: App): void {
  const { pinsBody, pinsEmpty, copyAllPins } = app.ui;
  const { state } = app;
  clear(pinsBody);
  pinsEmpty.hidden = state.pins.length > 0;
  copyAllPins.disabled = state.pins.length === 0;
  for (const p of state.pins) pinsBody.append(pinRow(app, p));
}
