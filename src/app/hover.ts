/** Pointer over the plot: the tooltip of the nearest curve, its highlight, the crosshair, and click to pin. */
import { MARGINS } from './axes.ts';
import { showCrosshair, hideCrosshair, valueAt } from './crosshair.ts';
import { clear, el } from './dom.ts';
import { currentView, plotSize, present } from './draw.ts';
import { formatDistinct } from './fmt.ts';
import { gpuDeclinesIn, scheduleKind, type Schedule } from './lib.ts';
import { pickCurve, pickSpan, type Pick } from './picking.ts';
import { shownPins } from './pin-model.ts';
import { togglePinAt } from './pins.ts';
import type { App, Loaded } from './state.ts';
import { productCount } from './sweep.ts';
import { nearestSample } from './view.ts';
import { stepAt } from './zoom.ts';

/** The curve under (mx, my) in plot-canvas CSS pixels, or null. */
function pick(app: App, mx: number, my: number): Pick | null {
  const l = app.state.loaded;
  if (!l) return null;
  const { pw, ph } = plotSize(app);
  if (mx < 0 || my < 0 || mx > pw || my > ph) return null;
  const pys = app.state.pixelYs.get(l.points, currentView(app), ph, ...pickSpan(l.points, mx, pw));
  const vis = app.state.visibleRows;
  const pinned = new Set(shownPins(app.state.pins, l.pinRow).map((p) => p.row));
  return pickCurve(l.points, pys, l.range.count, mx, my, pw, ph, (r) => pinned.has(r) || !vis || vis[r] === 1);
}

/** The sample nearest the pointer's x (evenly spaced across the plot on a linear x axis, at their steps' x on a log one). */
export function colAt(l: Loaded, mx: number, pw: number): number {
  return nearestSample(l.range.count, l.points.xs, mx / pw);
}

/** Each sweep's rows' reasons the GPU declines them (lib.ts gpuDeclinesIn over the sweep's steps), found once a row is hovered. */
const declined = new WeakMap<Loaded, Map<number, string | null>>();

function declinedWhy(l: Loaded, row: number): string | null {
  let rows = declined.get(l);
  if (!rows) declined.set(l, (rows = new Map()));
  if (!rows.has(row)) rows.set(row, gpuDeclinesIn(l.schedules[row] as Schedule, stepAt(l.range, l.stepList, 0), stepAt(l.range, l.stepList, l.range.count - 1)));
  return rows.get(row) ?? null;
}

function showTooltip(app: App, l: Loaded, p: Pick, mx: number, my: number): void {
  const { tooltip, plotBox } = app.ui;
  const s = l.schedules[p.row] as Schedule;
  const step = stepAt(l.range, l.stepList, p.col);
  const { value, source } = valueAt(l, app.engine.backend, p.row, p.col);
  // Digits enough to tell the value from the curve's own neighbouring samples.
  const near = [p.col - 1, p.col + 1].filter((c) => c >= 0 && c < l.range.count).map((c) => valueAt(l, app.engine.backend, p.row, c).value);
  const pin = app.state.pins.find((q) => l.pinRow.get(q.key) === p.row);
  // A pin the sweep lacks has no row of the sweep to number.
  const title = p.row >= l.sweepRows ? `${scheduleKind(s)} (pinned, not in the sweep)` : `#${p.row + 1} ${scheduleKind(s)}${p.row >= productCount(l.def) ? ' (pasted)' : ''}`;
  clear(tooltip);
  tooltip.append(
    el('div', { className: 'tt-title', text: title }),
    el('div', { className: 'tt-value', text: `step ${step.toLocaleString('en-US')}: lr = ${formatDistinct(value, near)}` }),
  );
  if (source === 'exact') tooltip.append(el('div', { className: 'muted', text: '(exact reference value)' }));
  else if (source === 'cpu' && l.backend === 'webgpu') {
    // Why, as the status line says it for the first such row (that line shows at most two lines).
    const why = declinedWhy(l, p.row);
    tooltip.append(el('div', { className: 'muted', text: `(computed on the CPU: the GPU declines this config${why ? `: ${why}` : ''})` }));
  }
  const dl = el('dl');
  // The pin's name as it is now (the sweep's label of a pin it lacks is the name it had then).
  if (pin) dl.append(el('dt', { text: 'pinned as' }), el('dd', { text: pin.name }));
  for (const [k, v] of l.labels[p.row] ?? []) if (!(pin && p.row >= l.sweepRows && k === 'pinned')) dl.append(el('dt', { text: k }), el('dd', { text: v }));
  tooltip.append(dl, el('div', { className: 'muted', text: pin ? 'click to unpin' : 'click to pin' }));
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

/** A pointer move over the plot: kept, and the latest one handled at the next animation frame (one update a frame however many moves come). */
export function onHover(app: App, ev: MouseEvent): void {
  app.state.pointer = { x: ev.clientX, y: ev.clientY };
  scheduleHover(app);
}

function scheduleHover(app: App): void {
  const { state } = app;
  if (state.pointerFrame === 0) state.pointerFrame = requestAnimationFrame(() => flushHover(app));
}

/** Handles the pointer's position now: at its frame, or before a click, which acts on where the pointer is. */
function flushHover(app: App): void {
  const { state } = app;
  if (state.pointerFrame !== 0) cancelAnimationFrame(state.pointerFrame);
  state.pointerFrame = 0;
  if (state.pointer) hoverAt(app, state.pointer.x, state.pointer.y);
}

/**
 * After a redraw or a pin: the tooltip, highlight and crosshair again (at the next frame) for
 * where the pointer rests, since the curves and steps under it changed; else they would
 * describe the sweep before (a readout of a log axis's step over the linear one).
 */
export function refreshHover(app: App): void {
  if (app.state.pointer) scheduleHover(app);
}

/** The tooltip, the highlight and the crosshair for the pointer at client (x, y). */
function hoverAt(app: App, x: number, y: number): void {
  const { state, ui, device } = app;
  const t0 = performance.now();
  const r = app.plotCanvas.getBoundingClientRect();
  const mx = x - r.left;
  const my = y - r.top;
  const p = pick(app, mx, my);
  const row = p?.row ?? -1;
  if (p && state.loaded) showTooltip(app, state.loaded, p, mx, my);
  else ui.tooltip.hidden = true;
  const { pw, ph } = plotSize(app);
  if (state.loaded && mx >= 0 && my >= 0 && mx <= pw && my <= ph) showCrosshair(app, state.loaded, colAt(state.loaded, mx, pw), row);
  else hideCrosshair(app);
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
  if (app.state.pointerFrame !== 0) cancelAnimationFrame(app.state.pointerFrame);
  app.state.pointerFrame = 0;
  app.state.pointer = null;
  app.ui.tooltip.hidden = true;
  hideCrosshair(app);
  if (app.state.hover !== -1) {
    app.state.hover = -1;
    present(app);
  }
}

export function onClick(app: App): void {
  if (app.state.pointerFrame !== 0) flushHover(app);
  if (app.state.hover < 0) return;
  togglePinAt(app, app.state.hover);
  // The readout lists the new pin (or drops the unpinned one), the tooltip says so.
  refreshHover(app);
}
