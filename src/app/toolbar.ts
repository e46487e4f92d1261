/** The toolbar over the plot (colour-by, y scale) and the pasted-items line, following the sweep on screen. */
import { clear, el } from './dom.ts';
import type { App } from './state.ts';
import { FIELDS, sweptFields } from './sweep.ts';

export function syncToolbar(app: App): void {
  const { colorBy, yScaleSel } = app.ui;
  const def = app.state.def;
  const options = sweptFields(def);
  const want = def.colorBy;
  clear(colorBy);
  for (const k of options) colorBy.append(el('option', { value: k, text: k }));
  const configKeys = FIELDS[def.kind].map((f) => f.key).filter((k) => !options.includes(k));
  for (const k of configKeys) colorBy.append(el('option', { value: k, text: `${k} (fixed)` }));
  colorBy.append(el('option', { value: '#index', text: 'schedule #' }));
  colorBy.value = [...options, ...configKeys, '#index'].includes(want) ? want : (options[0] ?? '#index');
  yScaleSel.value = def.yScale;
  renderPasteList(app);
}

function renderPasteList(app: App): void {
  const { pasteList, pasteClear } = app.ui;
  const def = app.state.def;
  clear(pasteList);
  pasteClear.hidden = def.extra.length === 0;
  if (def.extra.length === 0) return;
  pasteList.append(el('span', { className: 'muted', text: `${def.extra.length} pasted item${def.extra.length === 1 ? '' : 's'} in the sweep` }));
}
