/**
 * Drawing: the layout of the plot area, the view (y domain, scale, opacity), the row
 * colours, and the redraw of axes, colour bar, curves and highlights.
 */
import { MARGINS, drawAxes, drawColorBar, type AxesSpec } from './axes.ts';
import { CanvasPlot } from './canvas-plot.ts';
import { GpuPlot } from './gpu-plot.ts';
import type { RowColors } from './colors.ts';
import { renderLegend } from './legend.ts';
import { shownPins } from './pin-model.ts';
import type { App, Loaded } from './state.ts';
import { currentTheme, mapColor } from './theme.ts';
import { highlightsFor, type DisplayPoints, type PinDraw, type PlotView } from './view.ts';
import { stepAt } from './zoom.ts';

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
  const zoom = app.state.view.y;
  const fit = l ? (log ? l.yDomainLog : l.yDomain) : [0, 1];
  // A zoomed y window, unless it cannot be drawn on this scale (a log axis needs both ends > 0).
  const [y0, y1] = zoom && (!log || zoom[0] > 0) ? zoom : fit;
  return { y0: y0 as number, y1: y1 as number, log, alpha: Number(app.ui.opacity.value) };
}

/** The x domain drawn: the first and last step evaluated, and whether the axis is log. */
export function xDomain(l: Loaded, xLog: boolean): [number, number, boolean] {
  const x0 = stepAt(l.range, l.stepList, 0);
  const x1 = stepAt(l.range, l.stepList, Math.max(0, l.range.count - 1));
  return [x0, x1 > x0 ? x1 : x0 + 1, xLog && l.stepList !== null];
}

/** y domains of the drawn points: linear from min(0, lowest) with 4 % headroom; log over the positive values. */
export function domains(points: DisplayPoints): { yDomain: [number, number]; yDomainLog: [number, number] } {
  let lo = Infinity;
  let hi = -Infinity;
  let minPos = Infinity;
  // An indexed loop: over the 10^7 values of 10,000 curves the iterator form took 2-3×
  // as long on the page's first sweep.
  const ys = points.ys;
  for (let i = 0, n = ys.length; i < n; i++) {
    const v = ys[i] as number;
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

function axesSpec(l: Loaded, xLog: boolean, w: number, h: number, v: PlotView): AxesSpec {
  const [x0, x1, log] = xDomain(l, xLog);
  return {
    width: w,
    height: h,
    x0,
    x1,
    y0: v.y0,
    y1: v.y1,
    log: v.log,
    xLog: log,
    xLabel: log ? 'training step (log scale)' : 'training step',
    yLabel: v.log ? 'learning rate (log scale)' : 'learning rate',
  };
}

/** The row colours of the sweep on screen by the colour-by parameter on the current theme (cached: one computation per change). */
export function rowColorsOf(app: App, l: Loaded): RowColors {
  return app.state.rowColors.get(l.schedules, app.ui.colorBy.value, currentTheme(), app.state.hiddenGroups, l.sweepRows);
}

/** The shown pins with their rows in the sweep on screen. */
export function pinDraws(app: App): PinDraw[] {
  const l = app.state.loaded;
  if (!l) return [];
  return shownPins(app.state.pins, l.pinRow).map(({ pin, row }) => ({ row, rgb: pin.color }));
}

/** Composites the base layer and draws the pinned and hovered curves on top. */
export function present(app: App): void {
  const t = currentTheme();
  app.plot.present(highlightsFor(pinDraws(app), app.state.hover, t.casing, t.hover));
}

/** Everything: axes, colour bar, the bulk base layer, and the highlight frame. */
export async function redrawAll(app: App): Promise<void> {
  const { state, ui, plot, device } = app;
  const l = state.loaded;
  if (!l) return;
  const { w, h } = plotSize(app);
  const v = currentView(app);
  const theme = currentTheme();
  const axCtx = ui.axesCanvas.getContext('2d');
  const spec = axesSpec(l, state.view.xLog, w, h, v);
  if (axCtx) {
    axCtx.setTransform(dpr(), 0, 0, dpr(), 0, 0);
    drawAxes(axCtx, spec, theme);
  }
  ui.plotBox.dataset['xDomain'] = `${spec.x0},${spec.x1}`;
  ui.plotBox.dataset['yDomain'] = `${spec.y0},${spec.y1}`;
  const colors = rowColorsOf(app, l);
  const { rgba, bar } = colors;
  state.visibleRows = colors.visible;
  renderLegend(app, colors);
  const cb = ui.colorBar.getContext('2d');
  ui.colorBar.hidden = bar === null;
  if (cb) {
    cb.setTransform(dpr(), 0, 0, dpr(), 0, 0);
    const cw = ui.colorBar.width / dpr();
    if (bar) drawColorBar(cb, { width: cw, height: 56, ...bar }, theme);
    else cb.clearRect(0, 0, cw, 56);
  }
  plot.setView(v);
  // On a continuous map the WebGPU bulk draw blends the curves' map positions (gpu-plot.ts).
  if (plot instanceof GpuPlot) plot.setColors(rgba, colors.t ? { t: colors.t, map: (t) => mapColor(t, theme) } : null);
  else plot.setColors(rgba);
  // Picking data depends on the drawn resolution (M4 columns follow the canvas width), so
  // reduced points are read again (every-sample GPU points do not change with the width;
  // the 2D plot's are on the CPU already).
  await plot.drawBase();
  const tDraw = performance.now();
  if (device) {
    void device.queue.onSubmittedWorkDone().then(() => {
      ui.plotBox.dataset['baseDrawMs'] = (performance.now() - tDraw).toFixed(0);
    });
  }
  if (plot instanceof CanvasPlot || l.points.reduced) state.loaded = { ...l, points: await plot.readPoints() };
  // Pins are in the first frame: their pipeline is compiled first when there are any.
  if (plot instanceof GpuPlot && pinDraws(app).length > 0) await plot.highlighter();
  present(app);
}

/** The phases (ms) of the sweep on screen, in the order the page runs them (docs/benchmarks.md#explorer-phases). */
export const PHASES = ['pageLoad', 'device', 'compile', 'evaluate', 'readback', 'verify', 'draw'] as const;

/**
 * Writes the phase split as `data-phase-<name>` (ms) on the status line, and the first time
 * the first-draw mark `data-first-draw-ms` (ms since navigation start). Call it once the
 * sweep is drawn and its status line is final.
 */
export function recordPhases(app: App): void {
  const { state, ui } = app;
  const t: Record<string, number | undefined> = { ...state.timings, evaluate: state.loaded?.evalMs };
  for (const name of PHASES) {
    const v = t[name];
    if (v !== undefined) ui.status.dataset[`phase${name.charAt(0).toUpperCase()}${name.slice(1)}`] = v.toFixed(0);
  }
  if (!state.firstDrawn) {
    state.firstDrawn = true;
    ui.status.dataset['firstDrawMs'] = String(Math.round(performance.now()));
  }
}
