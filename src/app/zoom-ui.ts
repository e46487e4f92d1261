/**
 * Brush to zoom (drag a box: both axes; a flat one: x only; a tall thin one: y only), pan
 * (shift-drag), the wheel (zoom about the pointer: both axes, shift x only, alt y only; a
 * sideways scroll pans x), the keyboard on the focused plot (+/- zoom, arrows pan, 0
 * resets), reset (the button or a double click), and the x-axis scale. A new x window is
 * evaluated afresh (apply), so zoomed curves are their steps' own values; a y window only
 * redraws. Views asked for while one is being evaluated are coalesced: the latest wins.
 */
import { MARGINS } from './axes.ts';
import { apply } from './apply.ts';
import { currentView, plotSize, xDomain } from './draw.ts';
import { redraw } from './facets.ts';
import type { App } from './state.ts';
import { brushWindow, clampWindow, panned, sampleSteps, wheelFactor, zoomedAbout, type ViewState } from './zoom.ts';

type Axis = readonly [number, number, boolean];

/** Applies a new view: re-evaluates when the x window or scale changed, else redraws. */
export async function setView(app: App, next: ViewState): Promise<void> {
  const { state } = app;
  const prev = state.view;
  state.view = next;
  syncZoomControls(app);
  const xChanged = prev.xLog !== next.xLog || JSON.stringify(prev.x) !== JSON.stringify(next.x);
  if (xChanged) await apply(app, state.wanted, { quiet: true });
  else await redraw(app); // y only: the plot and the facets, which share its y domain
}

/** Runs setView for the latest view asked for, one at a time; `target` is the latest not yet drawn. */
function viewQueue(app: App): { request(next: ViewState): void; target(): ViewState | null } {
  let queued: ViewState | null = null;
  let latest: ViewState | null = null;
  let running = false;
  const run = async (): Promise<void> => {
    running = true;
    try {
      while (queued) {
        const v = queued;
        queued = null;
        await setView(app, v);
      }
    } finally {
      running = false;
      latest = null;
    }
  };
  return {
    request(next) {
      queued = next;
      latest = next;
      if (!running) void run();
    },
    target: () => latest,
  };
}

/**
 * The axes zoom and pan start from: those of the view asked for last when it is not drawn
 * yet (so wheel turns during an evaluation add up), else the drawn ones. Also the sweep's
 * whole x extent and the narrowest x window worth asking for (two grid steps).
 */
function baseAxes(app: App, target: ViewState | null): { x: Axis; y: Axis; full: readonly [number, number]; minWidth: number } | null {
  const l = app.state.loaded;
  if (!l) return null;
  const view = target ?? app.state.view;
  const whole = sampleSteps(l.def.steps, { x: null, xLog: view.xLog });
  const drawnX = xDomain(l, app.state.view.xLog);
  const x: Axis = target ? [...(target.x ?? [whole.x0, whole.x1]), drawnX[2]] : drawnX;
  const v = currentView(app);
  const y: Axis = target?.y ? [target.y[0], target.y[1], v.log] : [v.y0, v.y1, v.log];
  return { x, y, full: [whole.x0, whole.x1], minWidth: 2 * l.def.steps.stride };
}

/** The view after zooming by `fx` (x) and `fy` (y) about the plot fractions (tx, ty from the bottom), or panning by fractions (px, py). */
function moved(app: App, target: ViewState | null, op: { fx: number; fy: number; tx: number; ty: number } | { px: number; py: number }): ViewState | null {
  const b = baseAxes(app, target);
  if (!b) return null;
  const view = target ?? app.state.view;
  let x: readonly [number, number] | null;
  let y: readonly [number, number] | null;
  if ('fx' in op) {
    x = op.fx === 1 ? view.x : zoomedAbout(b.x[0], b.x[1], b.x[2], op.tx, op.fx);
    y = op.fy === 1 ? view.y : zoomedAbout(b.y[0], b.y[1], b.y[2], op.ty, op.fy);
  } else {
    x = op.px === 0 ? view.x : panned(b.x[0], b.x[1], b.x[2], op.px, 1);
    y = op.py === 0 ? view.y : panned(b.y[0], b.y[1], b.y[2], op.py, 1);
  }
  if (x && x !== view.x) x = clampWindow(x[0], x[1], b.full[0], b.full[1], b.minWidth);
  return { ...view, x, y };
}

export function syncZoomControls(app: App): void {
  const v = app.state.view;
  app.ui.xScaleSel.value = v.xLog ? 'log' : 'linear';
  app.ui.resetZoom.disabled = v.x === null && v.y === null;
}

type Queue = ReturnType<typeof viewQueue>;

/** The wheel over the plot: zoom about the pointer (both axes; shift: x only; alt: y only; ctrl, a trackpad pinch: both, faster); a sideways scroll pans x. */
function wireWheel(app: App, queue: Queue): void {
  const { plotCanvas } = app;
  plotCanvas.addEventListener(
    'wheel',
    (ev) => {
      if (!app.state.loaded) return;
      ev.preventDefault();
      const { pw, ph } = plotSize(app);
      const r = plotCanvas.getBoundingClientRect();
      const target = queue.target();
      let next: ViewState | null;
      if (!ev.shiftKey && !ev.ctrlKey && Math.abs(ev.deltaX) > Math.abs(ev.deltaY)) {
        next = moved(app, target, { px: -(ev.deltaMode === 0 ? ev.deltaX : ev.deltaX * 16) / pw, py: 0 });
      } else {
        // Shift+wheel arrives as a sideways scroll in some browsers.
        const f = wheelFactor(ev.deltaY !== 0 ? ev.deltaY : ev.deltaX, ev.deltaMode, ev.ctrlKey);
        const tx = Math.min(1, Math.max(0, (ev.clientX - r.left) / pw));
        const ty = Math.min(1, Math.max(0, 1 - (ev.clientY - r.top) / ph));
        next = moved(app, target, { fx: ev.altKey ? 1 : f, fy: ev.shiftKey ? 1 : f, tx, ty });
      }
      if (next) queue.request(next);
    },
    { passive: false },
  );
}

/** Keys on the focused plot (click it or Tab to it): + and - zoom both axes about the middle, the arrows pan by a tenth, 0 resets. */
function wireKeys(app: App, queue: Queue, reset: () => void): void {
  const { plotCanvas } = app;
  plotCanvas.tabIndex = 0;
  // A focus ring when Tab brings the focus, not when a click on the plot does.
  plotCanvas.addEventListener('blur', () => delete plotCanvas.dataset['mouseFocus']);
  const zoomIn = { fx: 0.8, fy: 0.8, tx: 0.5, ty: 0.5 };
  const zoomOut = { fx: 1.25, fy: 1.25, tx: 0.5, ty: 0.5 };
  const ops: Record<string, Parameters<typeof moved>[2]> = {
    '+': zoomIn,
    '=': zoomIn,
    '-': zoomOut,
    _: zoomOut,
    ArrowLeft: { px: 0.1, py: 0 },
    ArrowRight: { px: -0.1, py: 0 },
    ArrowUp: { px: 0, py: -0.1 },
    ArrowDown: { px: 0, py: 0.1 },
  };
  plotCanvas.addEventListener('keydown', (ev) => {
    if (!app.state.loaded || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const op = ops[ev.key];
    if (ev.key !== '0' && !op) return;
    ev.preventDefault();
    if (!op) return reset();
    const next = moved(app, queue.target(), op);
    if (next) queue.request(next);
  });
}

/** Wires the brush, pan, wheel, keys, reset and x scale to the plot canvas and toolbar; returns "the last pointer-up ended a drag" for the click handler. */
export function wireZoom(app: App): () => boolean {
  const { plotCanvas } = app;
  const { brush, resetZoom, xScaleSel } = app.ui;
  const queue = viewQueue(app);
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
    // No text selection while dragging; the plot still takes the focus (for its keys).
    ev.preventDefault();
    plotCanvas.dataset['mouseFocus'] = '';
    plotCanvas.focus({ preventScroll: true });
  });
  window.addEventListener('mousemove', (ev) => {
    if (!start) return;
    const p = local(ev);
    if (Math.abs(p.x - start.x) < 5 && Math.abs(p.y - start.y) < 5) return;
    dragged = true;
    if (start.pan) {
      const dx = p.x - start.x;
      const dy = p.y - start.y;
      plotCanvas.style.transform = `translate(${dx}px, ${dy}px)`;
      // The moved curves stay inside the plot's frame (the clip moves with the canvas, so it is set against the move).
      plotCanvas.style.clipPath = `inset(${Math.max(0, -dy)}px ${Math.max(0, dx)}px ${Math.max(0, dy)}px ${Math.max(0, -dx)}px)`;
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
    plotCanvas.style.clipPath = '';
    const l = app.state.loaded;
    if (!s || !l || !dragged) return;
    const p = local(ev);
    const { pw, ph } = plotSize(app);
    const xd = xDomain(l, app.state.view.xLog);
    const v = currentView(app);
    const yd = [v.y0, v.y1, v.log] as const;
    const view = app.state.view;
    if (s.pan) {
      const next = moved(app, null, { px: Math.abs(p.x - s.x) >= 5 ? (p.x - s.x) / pw : 0, py: Math.abs(p.y - s.y) >= 5 ? (s.y - p.y) / ph : 0 });
      if (next) queue.request(next);
      return;
    }
    const w = brushWindow(s.x, s.y, p.x, p.y, pw, ph, xd, yd);
    if (w) queue.request({ ...view, x: w.x ?? view.x, y: w.y ?? view.y });
  });
  const reset = (): void => queue.request({ ...app.state.view, x: null, y: null });
  wireWheel(app, queue);
  wireKeys(app, queue, reset);
  resetZoom.addEventListener('click', reset);
  plotCanvas.addEventListener('dblclick', reset);
  xScaleSel.addEventListener('change', () => queue.request({ ...app.state.view, xLog: xScaleSel.value === 'log' }));
  syncZoomControls(app);
  return () => {
    const d = dragged;
    dragged = false;
    return d;
  };
}
