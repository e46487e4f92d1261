/**
 * Drawing: the layout of the plot area, the view (y domain, scale, opacity), the row
 * colours, and the redraw of axes, colour bar, curves and highlights.
 */
import { MARGINS, drawAxes, drawColorBar, type AxesSpec, type ColorBarSpec } from './axes.ts';
import { CanvasPlot } from './canvas-plot.ts';
import { scheduleConfig, type Schedule, type StepRange } from './lib.ts';
import type { App } from './state.ts';
import { highlightsFor, viridis, type DisplayPoints, type PlotView } from './view.ts';

/** Device pixels per CSS pixel, clamped to [1, 3]. */
export const dpr = (): number => Math.max(1, Math.min(3, window.devicePixelRatio || 1));

/** Sizes the axes canvas, the plot canvas (inside the margins) and the colour bar to the plot box. */
export function layout(app: App): void {
  const { plotBox, axesCanvas, colorBar } = app.ui;
  const r = plotBox.getBoundingClientRect();
  const w = Math.max(200, Math.floor(r.width));
  const h = Math.max(160, Math.floor(r.height));
  const k = dpr();
  axesCanvas.width = Math.round(w * k);
  axesCanvas.height = Math.round(h * k);
  axesCanvas.style.width = `${w}px`;
  axesCanvas.style.height = `${h}px`;
  const pw = w - MARGINS.left - MARGINS.right;
  const ph = h - MARGINS.top - MARGINS.bottom;
  const plotCanvas = app.plotCanvas;
  plotCanvas.style.left = `${MARGINS.left}px`;
  plotCanvas.style.top = `${MARGINS.top}px`;
  plotCanvas.style.width = `${pw}px`;
  plotCanvas.style.height = `${ph}px`;
  app.plot.resize(pw * k, ph * k, k);
  const cb = colorBar.getBoundingClientRect();
  colorBar.width = Math.round(Math.max(100, cb.width) * k);
  colorBar.height = Math.round(56 * k);
}

/** The axes area (w × h) and the plot area inside the margins (pw × ph), in CSS pixels. */
export function plotSize(app: App): { w: number; h: number; pw: number; ph: number } {
  const w = app.ui.axesCanvas.width / dpr();
  const h = app.ui.axesCanvas.height / dpr();
  return { w, h, pw: w - MARGINS.left - MARGINS.right, ph: h - MARGINS.top - MARGINS.bottom };
}

export function currentView(app: App): PlotView {
  const l = app.state.loaded;
  const log = app.state.def.yScale === 'log';
  const [y0, y1] = l ? (log ? l.yDomainLog : l.yDomain) : [0, 1];
  return { y0, y1, log, alpha: Number(app.ui.opacity.value) };
}

/** y domains of the drawn points: linear from min(0, lowest) with 4 % headroom; log over the positive values. */
export function domains(points: DisplayPoints): { yDomain: [number, number]; yDomainLog: [number, number] } {
  let lo = Infinity;
  let hi = -Infinity;
  let minPos = Infinity;
  for (const v of points.ys) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (v > 0 && v < minPos) minPos = v;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { yDomain: [0, 1], yDomainLog: [1e-4, 1] };
  const y0 = Math.min(0, lo);
  const y1 = hi > y0 ? hi + (hi - y0) * 0.04 : y0 + 1;
  const top = hi > 0 ? hi * 1.25 : 1;
  const bottom = Number.isFinite(minPos) ? Math.max(minPos * 0.8, top * 1e-4) : top * 1e-4;
  return { yDomain: [y0, y1], yDomainLog: [bottom, top] };
}

/**
 * One RGBA per row coloured by config key `key` ('#index': the row number) on viridis, log
 * when the values span 20× or more; rows without the key grey; and the colour bar for it
 * (null when no row has the key).
 */
export function rowColors(schedules: readonly Schedule[], key: string): { rgba: Float32Array; bar: Omit<ColorBarSpec, 'width' | 'height'> | null } {
  const rows = schedules.length;
  const vals = new Float64Array(rows).fill(Number.NaN);
  let isBool = false;
  schedules.forEach((s, r) => {
    if (key === '#index') {
      vals[r] = r;
      return;
    }
    const v = scheduleConfig(s)[key];
    if (typeof v === 'number') vals[r] = v;
    else if (typeof v === 'boolean') {
      vals[r] = v ? 1 : 0;
      isBool = true;
    }
  });
  let v0 = Infinity;
  let v1 = -Infinity;
  for (const v of vals) {
    if (Number.isFinite(v)) {
      v0 = Math.min(v0, v);
      v1 = Math.max(v1, v);
    }
  }
  const rgba = new Float32Array(rows * 4);
  if (!Number.isFinite(v0)) {
    for (let r = 0; r < rows; r++) rgba.set([0.55, 0.75, 1, 1], r * 4);
    return { rgba, bar: null };
  }
  const log = !isBool && v0 > 0 && v1 / v0 >= 20;
  const t = (v: number): number => (v1 === v0 ? 0.6 : log ? Math.log(v / v0) / Math.log(v1 / v0) : (v - v0) / (v1 - v0));
  for (let r = 0; r < rows; r++) {
    const v = vals[r] as number;
    if (Number.isFinite(v)) rgba.set([...viridis(0.05 + 0.95 * t(v)), 1], r * 4);
    else rgba.set([0.6, 0.6, 0.6, 1], r * 4);
  }
  const label = key === '#index' ? 'colour: schedule #' : `colour: ${key}${log ? ' (log scale)' : ''}`;
  const bar = isBool ? { label, v0: 0, v1: 1, log: false, categories: [[0, 'false'], [1, 'true']] as (readonly [number, string])[] } : { label, v0, v1, log };
  return { rgba, bar };
}

function axesSpec(r: StepRange, w: number, h: number, v: PlotView): AxesSpec {
  return {
    width: w,
    height: h,
    x0: r.start,
    x1: r.start + Math.max(1, r.count - 1) * r.stride,
    y0: v.y0,
    y1: v.y1,
    log: v.log,
    xLabel: 'training step',
    yLabel: v.log ? 'learning rate (log scale)' : 'learning rate',
  };
}

/** Composites the base layer and draws the pinned and hovered curves on top. */
export function present(app: App): void {
  app.plot.present(highlightsFor(app.state.pins, app.state.hover));
}

/** Everything: axes, colour bar, the bulk base layer, and the highlight frame. */
export async function redrawAll(app: App): Promise<void> {
  const { state, ui, plot, device } = app;
  const l = state.loaded;
  if (!l) return;
  const { w, h } = plotSize(app);
  const v = currentView(app);
  const axCtx = ui.axesCanvas.getContext('2d');
  if (axCtx) {
    axCtx.setTransform(dpr(), 0, 0, dpr(), 0, 0);
    drawAxes(axCtx, axesSpec(l.range, w, h, v));
  }
  const { rgba, bar } = rowColors(l.schedules, ui.colorBy.value);
  const cb = ui.colorBar.getContext('2d');
  if (cb) {
    cb.setTransform(dpr(), 0, 0, dpr(), 0, 0);
    const cw = ui.colorBar.width / dpr();
    if (bar) drawColorBar(cb, { width: cw, height: 56, ...bar });
    else cb.clearRect(0, 0, cw, 56);
  }
  plot.setView(v);
  plot.setColors(rgba);
  // Picking data depends on the drawn resolution (M4 columns follow the canvas width), so
  // reduced points are read again (every-sample GPU points do not change with the width;
  // the 2D plot's are on the CPU already).
  const tDraw = performance.now();
  plot.drawBase();
  if (device) {
    void device.queue.onSubmittedWorkDone().then(() => {
      ui.plotBox.dataset['baseDrawMs'] = (performance.now() - tDraw).toFixed(0);
    });
  }
  if (plot instanceof CanvasPlot || l.points.reduced) state.loaded = { ...l, points: await plot.readPoints() };
  present(app);
  if (!state.firstDrawn) {
    state.firstDrawn = true;
    if (device) await device.queue.onSubmittedWorkDone();
    ui.status.dataset['firstDrawMs'] = String(Math.round(performance.now()));
  }
  // Warm the picking cache now rather than on the first hover.
  const drawn = state.loaded;
  setTimeout(() => {
    if (drawn === state.loaded && drawn) state.pixelYs.get(drawn.points, currentView(app), plotSize(app).ph);
  }, 0);
}
