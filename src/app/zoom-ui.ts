/**
 * Brush to zoom (drag a box: both axes; a flat one: x only; a tall thin one: y only), pan
 * (shift-drag), reset (the button or a double click), and the x-axis scale. A new x window
 * is evaluated afresh (apply), so zoomed curves are their steps' own values; a y window
 * only redraws.
 */
import { MARGINS } from './axes.ts';
import { apply } from './apply.ts';
import { currentView, plotSize, redrawAll, xDomain } from './draw.ts';
import type { App } from './state.ts';
import { brushWindow, panned, type ViewState } from './zoom.ts';

/** Applies a new view: re-evaluates when the x window or scale changed, else redraws. */
export async function setView(app: App, next: ViewState): Promise<void> {
  const { state } = app;
  const prev = state.view;
  state.view = next;
  syncZoomControls(app);
  const xChanged = prev.xLog !== next.xLog || JSON.stringify(prev.x) !== JSON.stringify(next.x);
  if (xChanged) await apply(app, state.wanted, { quiet: true });
  else await redrawAll(app);
}

export function syncZoomControls(app: App): void {
  const v = app.state.view;
  app.ui.xScaleSel.value = v.xLog ? 'log' : 'linear';
  app.ui.resetZoom.disabled = v.x === null && v.y === null;
}

/** Wires the brush, pan, reset and x scale to the plot canvas and toolbar; returns "the last pointer-up ended a drag" for the click handler. */
export function wireZoom(app: App): () => boolean {
  const { plotCanvas } = app;
  const { brush, resetZoom, xScaleSel } = app.ui;
  let start: { x: number; y: number; pan: boolean } | null = null;
  let dragged = false;
  const local = (ev: MouseEvent): { x: number; y: number } => {
    const r = plotCanvas.getBoundingClientRect();
    return { x: ev.clientX - r.left, y: ev.clientY - r.top };
  };
  plotCanvas.addEventListener('mousedown', (ev) => {
    if (ev.button !== 0 || !app.state.loaded) return;
    const p = local(ev);
    start = { ...p, pan: ev.shiftKey };
    dragged = false;
    ev.preventDefault();
  });
  window.addEventListener('mousemove', (ev) => {
    if (!start) return;
    const p = local(ev);
    if (Math.abs(p.x - start.x) < 5 && Math.abs(p.y - start.y) < 5) return;
    dragged = true;
    if (start.pan) {
      plotCanvas.style.transform = `translate(${p.x - start.x}px, ${p.y - start.y}px)`;
      return;
    }
    const { pw, ph } = plotSize(app);
    const x0 = Math.max(0, Math.min(start.x, p.x));
    const x1 = Math.min(pw, Math.max(start.x, p.x));
    const y0 = Math.max(0, Math.min(start.y, p.y));
    const y1 = Math.min(ph, Math.max(start.y, p.y));
    brush.style.left = `${MARGINS.left + x0}px`;
    brush.style.top = `${MARGINS.top + y0}px`;
    brush.style.width = `${x1 - x0}px`;
    brush.style.height = `${y1 - y0}px`;
    brush.hidden = false;
  });
  window.addEventListener('mouseup', (ev) => {
    const s = start;
    start = null;
    brush.hidden = true;
    plotCanvas.style.transform = '';
    const l = app.state.loaded;
    if (!s || !l || !dragged) return;
    const p = local(ev);
    const { pw, ph } = plotSize(app);
    const xd = xDomain(l, app.state.view.xLog);
    const v = currentView(app);
    const yd = [v.y0, v.y1, v.log] as const;
    const view = app.state.view;
    if (s.pan) {
      const x = panned(xd[0], xd[1], xd[2], p.x - s.x, pw);
      const y = panned(yd[0], yd[1], yd[2], s.y - p.y, ph);
      void setView(app, { ...view, x: Math.abs(p.x - s.x) >= 5 ? x : view.x, y: Math.abs(p.y - s.y) >= 5 ? y : view.y });
      return;
    }
    const w = brushWindow(s.x, s.y, p.x, p.y, pw, ph, xd, yd);
    if (w) void setView(app, { ...view, x: w.x ?? view.x, y: w.y ?? view.y });
  });
  const reset = (): void => void setView(app, { ...app.state.view, x: null, y: null });
  resetZoom.addEventListener('click', reset);
  plotCanvas.addEventListener('dblclick', reset);
  xScaleSel.addEventListener('change', () => void setView(app, { ...app.state.view, xLog: xScaleSel.value === 'log' }));
  syncZoomControls(app);
  return () => {
    const d = dragged;
    dragged = false;
    return d;
  };
}
