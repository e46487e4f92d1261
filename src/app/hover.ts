/** Pointer over the plot: the tooltip of the nearest curve, its highlight, and click to pin. */
import { MARGINS } from './axes.ts';
import { clear, el } from './dom.ts';
import { currentView, plotSize, present } from './draw.ts';
import { exactAt, scheduleKind, type Schedule } from './lib.ts';
import { pickCurve, type Pick } from './picking.ts';
import { renderPins, togglePin } from './pins.ts';
import type { App, Loaded } from './state.ts';
import { setStatusNote } from './status.ts';
import { productCount } from './sweep.ts';
import { PIN_COLORS } from './view.ts';

/** The curve under (mx, my) in plot-canvas CSS pixels, or null. */
function pick(app: App, mx: number, my: number): Pick | null {
  const l = app.state.loaded;
  if (!l) return null;
  const { pw, ph } = plotSize(app);
  if (mx < 0 || my < 0 || mx > pw || my > ph) return null;
  const pys = app.state.pixelYs.get(l.points, currentView(app), ph);
  return pickCurve(l.points, pys, l.range.count, mx, my, pw, ph);
}

/** The value drawn at sample `col`: the evaluator's f32 when the samples are on the CPU, else the exact reference. */
export function valueAt(l: Loaded, backend: string, row: number, col: number): { value: number; source: string } {
  const step = l.range.start + col * l.range.stride;
  if (l.cpuValues) return { value: l.cpuValues[row * l.range.count + col] as number, source: backend };
  if (!l.points.reduced) return { value: l.points.ys[row * l.range.count + col] as number, source: backend };
  return { value: exactAt(l.schedules[row] as Schedule, step), source: 'exact' };
}

function showTooltip(app: App, l: Loaded, p: Pick, mx: number, my: number): void {
  const { tooltip, plotBox } = app.ui;
  const s = l.schedules[p.row] as Schedule;
  const step = l.range.start + p.col * l.range.stride;
  const { value, source } = valueAt(l, app.engine.backend, p.row, p.col);
  clear(tooltip);
  tooltip.append(
    el('div', { className: 'tt-title', text: `#${p.row + 1} ${scheduleKind(s)}${p.row >= productCount(l.def) ? ' (pasted)' : ''}` }),
    el('div', { className: 'tt-value', text: `step ${step.toLocaleString('en-US')}: lr = ${value.toPrecision(6)}` }),
  );
  if (source === 'exact') tooltip.append(el('div', { className: 'muted', text: '(exact reference value)' }));
  const dl = el('dl');
  for (const [k, v] of l.labels[p.row] ?? []) dl.append(el('dt', { text: k }), el('dd', { text: v }));
  tooltip.append(dl, el('div', { className: 'muted', text: app.state.pins.includes(p.row) ? 'click to unpin' : 'click to pin' }));
  tooltip.hidden = false;
  const box = plotBox.getBoundingClientRect();
  const tw = tooltip.offsetWidth;
  const th = tooltip.offsetHeight;
  let x = MARGINS.left + mx + 14;
  let y = MARGINS.top + my + 14;
  if (x + tw > box.width) x = MARGINS.left + mx - tw - 14;
  if (y + th > box.height) y = Math.max(0, MARGINS.top + my - th - 14);
  tooltip.style.left = `${x}px`;
  tooltip.style.top = `${y}px`;
}

export function onHover(app: App, ev: MouseEvent): void {
  const { state, ui, device } = app;
  const t0 = performance.now();
  const r = app.plotCanvas.getBoundingClientRect();
  const mx = ev.clientX - r.left;
  const my = ev.clientY - r.top;
  const p = pick(app, mx, my);
  const row = p?.row ?? -1;
  if (p && state.loaded) showTooltip(app, state.loaded, p, mx, my);
  else ui.tooltip.hidden = true;
  ui.plotBox.dataset['hover'] = String(row);
  if (row !== state.hover || (p?.col ?? -1) !== state.hoverCol) {
    const changed = row !== state.hover;
    state.hover = row;
    state.hoverCol = p?.col ?? -1;
    if (changed) {
      present(app);
      state.lastFrameMs = performance.now() - t0;
      ui.plotBox.dataset['frameMs'] = state.lastFrameMs.toFixed(2);
      // Benchmarks set data-measure to also time the frame until the GPU has finished it.
      if (ui.plotBox.dataset['measure'] !== undefined && device) {
        void device.queue.onSubmittedWorkDone().then(() => {
          ui.plotBox.dataset['frameGpuMs'] = (performance.now() - t0).toFixed(2);
        });
      }
    }
  }
}

export function onLeave(app: App): void {
  app.ui.tooltip.hidden = true;
  if (app.state.hover !== -1) {
    app.state.hover = -1;
    present(app);
  }
}

export function onClick(app: App): void {
  const { state } = app;
  if (state.hover < 0) return;
  const { pins, full } = togglePin(state.pins, state.hover);
  state.pins = pins;
  if (full) setStatusNote(app, `at most ${PIN_COLORS.length} pins`);
  renderPins(app);
  present(app);
}
