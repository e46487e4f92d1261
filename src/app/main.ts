/**
 * The sweep explorer: define a sweep, evaluate every schedule (WebGPU, or the CPU
 * fallback), draw every curve from the evaluator's buffer, hover/pin/export.
 */
import { MARGINS, THEME, drawAxes, drawColorBar, type AxesSpec } from './axes.ts';
import { CanvasPlot } from './canvas-plot.ts';
import { byId, clear, copyText, download, el } from './dom.ts';
import { csvCell } from './export.ts';
import { buildSchedules, sweepRows, verifyPicks } from './build.ts';
import { SweepForm } from './form.ts';
import { GpuPlot } from './gpu-plot.ts';
import {
  createEngine,
  exactAt,
  kerasJsonText,
  scheduleConfig,
  scheduleKind,
  schedulesFromKeras,
  verifySample,
  type Engine,
  type Schedule,
  type StepRange,
  type VerifySummary,
} from './lib.ts';
import { preflight } from './preflight.ts';
import {
  FIELDS,
  MAX_SCHEDULES,
  checkExtraItems,
  decodeSweepHash,
  defaultSweep,
  encodeSweepHash,
  formatNumber,
  productCount,
  stepRange,
  sweptFields,
  totalCount,
  validateSweep,
  type SweepDef,
} from './sweep.ts';
import { TrainPanel } from './train-panel.ts';
import { PIN_COLORS, cssColor, pointX, viridis, yFraction, type DisplayPoints, type Highlight, type PlotView } from './view.ts';

// ---------------------------------------------------------------- elements

const status = byId('status', HTMLElement);
const formRoot = byId('sweep-form', HTMLElement);
const summary = byId('sweep-summary', HTMLElement);
const formError = byId('form-error', HTMLElement);
const urlError = byId('url-error', HTMLElement);
const pasteText = byId('paste-json', HTMLTextAreaElement);
const pasteAdd = byId('paste-add', HTMLButtonElement);
const pasteClear = byId('paste-clear', HTMLButtonElement);
const pasteError = byId('paste-error', HTMLElement);
const pasteList = byId('paste-list', HTMLElement);
const colorBy = byId('color-by', HTMLSelectElement);
const yScaleSel = byId('y-scale', HTMLSelectElement);
const opacity = byId('opacity', HTMLInputElement);
const plotBox = byId('plot', HTMLElement);
const axesCanvas = byId('axes', HTMLCanvasElement);
const tooltip = byId('tooltip', HTMLElement);
const colorBar = byId('colorbar', HTMLCanvasElement);
const pinsBody = byId('pins-body', HTMLElement);
const pinsEmpty = byId('pins-empty', HTMLElement);
const copyAllPins = byId('copy-pins', HTMLButtonElement);
const jsonOut = byId('json-out', HTMLTextAreaElement);
const exportPng = byId('export-png', HTMLButtonElement);
const exportCsv = byId('export-csv', HTMLButtonElement);
const shareBtn = byId('share', HTMLButtonElement);
const shareUrl = byId('share-url', HTMLInputElement);
const busy = byId('busy', HTMLElement);
const plotTitle = byId('plot-title', HTMLElement);

// ---------------------------------------------------------------- state

interface Loaded {
  readonly def: SweepDef;
  readonly schedules: readonly Schedule[];
  /** Per row: the config values shown in the tooltip (swept fields, or the whole config for pasted ones). */
  readonly labels: readonly (readonly [string, string])[][];
  readonly range: StepRange;
  readonly points: DisplayPoints;
  /** Raw values on the CPU (CPU backend only). */
  readonly cpuValues: Float32Array | null;
  /** WebGPU buffer of rows × samples (WebGPU only). */
  readonly gpuValues: GPUBuffer | null;
  readonly yDomain: readonly [number, number];
  readonly yDomainLog: readonly [number, number];
  readonly evalMs: number;
  readonly verified: VerifySummary;
  /** The backend that computed these values ('cpu' when the GPU declined this request). */
  readonly backend: 'webgpu' | 'cpu';
  /** Why the GPU did not compute them ('' when it did, or when the page runs on the CPU). */
  readonly fallback: string;
}

let engine: Engine;
let device: GPUDevice | null = null;
let plot: GpuPlot | CanvasPlot;
let plotCanvas: HTMLCanvasElement;
let def: SweepDef = defaultSweep();
/** The latest definition asked for (form, paste, link); `def` is the one on screen. Edits build on this one. */
let wanted: SweepDef = def;
let loaded: Loaded | null = null;
let pins: number[] = [];
let hover = -1;
let hoverCol = -1;
let generation = 0;
let firstDrawn = false;
let opacityTouched = false;
/** Phases of the latest sweep (ms), shown as data-timings on the status line. */
const timings: Record<string, number> = {};
const dpr = (): number => Math.max(1, Math.min(3, window.devicePixelRatio || 1));

const form = new SweepForm(formRoot, () => scheduleApply());
// "Train with this schedule" (pinned table's train buttons): the page's own device and evaluator.
const trainPanel = new TrainPanel({
  device: () => (engine.backend === 'webgpu' ? device : null),
  evaluator: () => engine.lrEvaluator,
  adapter: () => engine.adapter,
});
jsonOut.after(trainPanel.root);

// ---------------------------------------------------------------- setup

async function init(): Promise<void> {
  plotCanvas = byId('plot-canvas', HTMLCanvasElement);
  device = await requestDevice();
  if (device) {
    try {
      plot = new GpuPlot(device, plotCanvas);
    } catch (e) {
      console.warn('WebGPU canvas unavailable, drawing on a 2D canvas', e);
      device = null;
    }
  }
  if (!device) {
    // A canvas that had a 'webgpu' context attempted cannot give a 2D one: use a fresh canvas.
    const fresh = el('canvas', { id: 'plot-canvas', 'aria-label': 'schedule curves' });
    plotCanvas.replaceWith(fresh);
    plotCanvas = fresh;
    plot = new CanvasPlot(plotCanvas);
  }
  try {
    engine = await createEngine(device);
  } catch (e) {
    if (!device) throw e;
    // The GPU evaluator could not start (e.g. a shader the driver rejects): CPU and a 2D canvas.
    console.warn('WebGPU evaluator unavailable, using the CPU', e);
    device = null;
    plot.destroy();
    const fresh = el('canvas', { id: 'plot-canvas', 'aria-label': 'schedule curves' });
    plotCanvas.replaceWith(fresh);
    plotCanvas = fresh;
    plot = new CanvasPlot(plotCanvas);
    engine = await createEngine(null);
  }
  status.dataset['backend'] = engine.backend;

  // A shared link comes from whoever sent it: decoded and validated here, then built and
  // computed in the preflight worker, and only then on this thread. Any failure shows
  // the default sweep and a banner naming the field, the value and the rule.
  let fromUrl: SweepDef | null = null;
  try {
    fromUrl = decodeSweepHash(location.hash);
  } catch (e) {
    refuseLink(e);
  }
  if (fromUrl) {
    setStatusText('checking the shared link…');
    const rows = sweepRows(fromUrl);
    const checked = await preflight({ def: fromUrl, from: 0 }, rows);
    if (checked && !checked.ok) {
      refuseLink(checked.message);
      fromUrl = null;
    } else if (checked) timings['preflight'] = checked.ms;
  }
  if (fromUrl) def = fromUrl;
  form.set(def);
  syncToolbar();
  wire();
  layout();
  let lastSize = '';
  new ResizeObserver(() => {
    const r = plotBox.getBoundingClientRect();
    const size = `${Math.floor(r.width)}x${Math.floor(r.height)}@${dpr()}`;
    if (size === lastSize) return;
    lastSize = size;
    layout();
    if (loaded) void redrawAll();
  }).observe(plotBox);
  if (fromUrl) {
    const error = await apply(fromUrl, { quiet: true });
    if (error === null || loaded) return;
    refuseLink(error);
    def = defaultSweep();
    form.set(def);
    syncToolbar();
  }
  await apply(def);
}

/** The banner for a shared link that is not used; the page goes on with the default sweep. */
function refuseLink(e: unknown): void {
  const why = describeError(e);
  status.dataset['linkError'] = why;
  showError(urlError, `The shared link could not be used (${why}); showing the default sweep.`);
}

async function requestDevice(): Promise<GPUDevice | null> {
  if (!('gpu' in navigator) || !navigator.gpu) return null;
  try {
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) return null;
    const lim = adapter.limits;
    const d = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: Math.min(lim.maxStorageBufferBindingSize, 1 << 30),
        maxBufferSize: Math.min(lim.maxBufferSize, 1 << 30),
      },
    });
    d.lost.then((info) => setStatusText(`WebGPU device lost (${info.message}); reload the page`)).catch(() => undefined);
    return d;
  } catch {
    return null;
  }
}

function layout(): void {
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
  plotCanvas.style.left = `${MARGINS.left}px`;
  plotCanvas.style.top = `${MARGINS.top}px`;
  plotCanvas.style.width = `${pw}px`;
  plotCanvas.style.height = `${ph}px`;
  plot.resize(pw * k, ph * k, k);
  const cb = colorBar.getBoundingClientRect();
  colorBar.width = Math.round(Math.max(100, cb.width) * k);
  colorBar.height = Math.round(56 * k);
}

function plotSize(): { w: number; h: number; pw: number; ph: number } {
  const w = axesCanvas.width / dpr();
  const h = axesCanvas.height / dpr();
  return { w, h, pw: w - MARGINS.left - MARGINS.right, ph: h - MARGINS.top - MARGINS.bottom };
}

// ---------------------------------------------------------------- applying a sweep

let applyTimer = 0;
function scheduleApply(): void {
  clearTimeout(applyTimer);
  let next: SweepDef;
  try {
    next = form.read(wanted);
    form.showSamples(next);
    validateSweep(next);
    hideError(formError);
  } catch (e) {
    showError(formError, e instanceof Error ? e.message : String(e));
    summary.textContent = '';
    return;
  }
  showSummary(next);
  // Read the form again when the timer fires, so a paste or link applied meanwhile is kept.
  applyTimer = window.setTimeout(() => {
    try {
      void apply(form.read(wanted));
    } catch (e) {
      showError(formError, describeError(e));
    }
  }, 350);
}

function showSummary(d: SweepDef): void {
  const parts = FIELDS[d.kind].flatMap((f) => {
    const s = d.params[f.key];
    const n = s ? (s.mode === 'range' ? s.count : s.values.length) : 1;
    return n > 1 ? [`${n} ${f.key}`] : [];
  });
  const product = productCount(d);
  const extra = d.extra.length > 0 ? ` + ${d.extra.length} pasted` : '';
  const r = stepRange(d.steps);
  summary.textContent = `${totalCount(d).toLocaleString('en-US')} schedules${parts.length > 1 ? ` (${parts.join(' × ')})` : ''}${extra}, each at ${r.count.toLocaleString('en-US')} steps`;
  const last = r.start + (r.count - 1) * r.stride;
  plotTitle.textContent = `${d.kind}: ${product.toLocaleString('en-US')} schedules${extra}${parts.length > 0 ? `, sweeping ${FIELDS[d.kind].filter((f) => parts.some((p) => p.endsWith(` ${f.key}`))).map((f) => f.key).join(', ')}` : ''} · steps ${r.start.toLocaleString('en-US')}–${last.toLocaleString('en-US')}`;
}

/**
 * Builds, evaluates and draws a sweep. Errors keep the current sweep on screen and are
 * shown next to the form (unless `quiet`); the result is the error's text, or null.
 * `note` goes on the status line once the sweep is drawn (a note says what was done, so
 * it is only set when it happened).
 */
async function apply(next: SweepDef, opts: { quiet?: boolean; note?: string } = {}): Promise<string | null> {
  const gen = ++generation;
  wanted = next;
  const tBuild = performance.now();
  let schedules: Schedule[];
  let labels: (readonly [string, string])[][];
  const fail = (e: unknown): string => {
    const text = describeError(e);
    if (!opts.quiet) showError(formError, text);
    return text;
  };
  try {
    ({ schedules, labels } = buildSchedules(next));
  } catch (e) {
    return fail(e);
  }
  hideError(formError);
  form.showSamples(next);
  showSummary(next);
  busyOn();
  const range = stepRange(next.steps);
  const rows = schedules.length;
  try {
    const t0 = performance.now();
    timings['build'] = t0 - tBuild;
    let gpuValues: GPUBuffer | null = null;
    let cpuValues: Float32Array | null = null;
    let fallback = '';
    if (engine.backend === 'webgpu' && device && plot instanceof GpuPlot) {
      gpuValues = device.createBuffer({ size: Math.max(4, rows * range.count * 4), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
      try {
        fallback = (await engine.sweepToBuffer(schedules, range, gpuValues)) ?? '';
      } catch (e) {
        gpuValues.destroy();
        throw e;
      }
    } else {
      cpuValues = await engine.sweep(schedules, range);
    }
    const evalMs = performance.now() - t0;
    if (gen !== generation) {
      gpuValues?.destroy();
      return 'superseded by a later sweep';
    }
    if (plot instanceof GpuPlot && gpuValues) plot.setData(gpuValues, rows, range.count);
    else if (plot instanceof CanvasPlot && cpuValues) plot.setData(cpuValues, rows, range.count);
    const t1 = performance.now();
    const points = plot instanceof GpuPlot ? await plot.points() : await plot.readPoints();
    if (gen !== generation) return 'superseded by a later sweep';
    const t2 = performance.now();
    timings['readback'] = t2 - t1;
    const verified = await verifyRows(schedules, range, points, gpuValues, cpuValues);
    timings['verify'] = performance.now() - t2;
    const prev = loaded;
    const backend = gpuValues && fallback === '' ? 'webgpu' : 'cpu';
    loaded = { def: next, schedules, labels, range, points, cpuValues, gpuValues, ...domains(points), evalMs, verified, backend, fallback };
    if (prev?.gpuValues && prev.gpuValues !== gpuValues) prev.gpuValues.destroy();
    def = next;
    // Until the user sets it, opacity follows the curve count so density stays readable (0.25 at 1,000).
    if (!opacityTouched) opacity.value = String(Math.min(0.6, Math.max(0.02, 250 / Math.max(1, rows))));
    pins = [];
    hover = -1;
    renderPins();
    syncToolbar();
    const t3 = performance.now();
    await redrawAll();
    if (device) await device.queue.onSubmittedWorkDone();
    timings['draw'] = performance.now() - t3;
    note = opts.note ?? '';
    updateStatus();
    return null;
  } catch (e) {
    return fail(e);
  } finally {
    busyOff();
  }
}

/** "evaluating…" shows while any apply or paste check runs (they can overlap). */
let busyHolds = 0;
function busyOn(): void {
  busyHolds++;
  busy.hidden = false;
}
function busyOff(): void {
  busyHolds = Math.max(0, busyHolds - 1);
  busy.hidden = busyHolds > 0;
}

function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

async function verifyRows(schedules: readonly Schedule[], range: StepRange, points: DisplayPoints, gpu: GPUBuffer | null, cpu: Float32Array | null): Promise<VerifySummary> {
  const pick = verifyPicks(schedules.length, range.count);
  const values = new Float32Array(pick.length * range.count);
  if (cpu) {
    pick.forEach((r, i) => values.set(cpu.subarray(r * range.count, (r + 1) * range.count), i * range.count));
  } else if (!points.reduced) {
    pick.forEach((r, i) => values.set(points.ys.subarray(r * range.count, (r + 1) * range.count), i * range.count));
  } else if (gpu && device) {
    const bytes = range.count * 4;
    const read = device.createBuffer({ size: bytes * pick.length, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
    const enc = device.createCommandEncoder();
    pick.forEach((r, i) => enc.copyBufferToBuffer(gpu, r * bytes, read, i * bytes, bytes));
    device.queue.submit([enc.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    values.set(new Float32Array(read.getMappedRange()));
    read.destroy();
  }
  try {
    return verifySample(pick.map((r) => schedules[r] as Schedule), range, values);
  } catch (e) {
    console.warn('verification did not run', e);
    return { ok: false, checked: 0, maxUlp: Number.NaN };
  }
}

function domains(points: DisplayPoints): { yDomain: [number, number]; yDomainLog: [number, number] } {
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

// ---------------------------------------------------------------- drawing

function view(): PlotView {
  const l = loaded;
  const log = def.yScale === 'log';
  const [y0, y1] = l ? (log ? l.yDomainLog : l.yDomain) : [0, 1];
  return { y0, y1, log, alpha: Number(opacity.value) };
}

function rowColors(): { rgba: Float32Array; bar: { label: string; v0: number; v1: number; log: boolean; categories?: (readonly [number, string])[] } | null } {
  const l = loaded;
  if (!l) return { rgba: new Float32Array(0), bar: null };
  const rows = l.schedules.length;
  const key = colorBy.value;
  const vals = new Float64Array(rows).fill(Number.NaN);
  let isBool = false;
  l.schedules.forEach((s, r) => {
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

/** Everything: axes, colour bar, the bulk base layer, and the highlight frame. */
async function redrawAll(): Promise<void> {
  const l = loaded;
  if (!l) return;
  const { w, h } = plotSize();
  const v = view();
  const axCtx = axesCanvas.getContext('2d');
  if (axCtx) {
    axCtx.setTransform(dpr(), 0, 0, dpr(), 0, 0);
    drawAxes(axCtx, axesSpec(w, h, v));
  }
  const { rgba, bar } = rowColors();
  const cb = colorBar.getContext('2d');
  if (cb) {
    cb.setTransform(dpr(), 0, 0, dpr(), 0, 0);
    const cw = colorBar.width / dpr();
    if (bar) drawColorBar(cb, { width: cw, height: 56, ...bar });
    else cb.clearRect(0, 0, cw, 56);
  }
  plot.setView(v);
  plot.setColors(rgba);
  // Picking data depends on the drawn resolution (M4 columns follow the canvas width).
  const pts = plot instanceof GpuPlot ? plot : null;
  const tDraw = performance.now();
  plot.drawBase();
  if (device) {
    void device.queue.onSubmittedWorkDone().then(() => {
      plotBox.dataset['baseDrawMs'] = (performance.now() - tDraw).toFixed(0);
    });
  }
  if (pts && (l.points.reduced || pts.canvas.width !== l.points.columns) && (l.points.reduced !== false)) {
    loaded = { ...l, points: await pts.points() };
  } else if (plot instanceof CanvasPlot) {
    loaded = { ...l, points: await plot.readPoints() };
  }
  present();
  if (!firstDrawn) {
    firstDrawn = true;
    if (device) await device.queue.onSubmittedWorkDone();
    status.dataset['firstDrawMs'] = String(Math.round(performance.now()));
  }
  // Warm the picking cache now rather than on the first hover.
  const drawn = loaded;
  setTimeout(() => {
    if (drawn === loaded && drawn) pixelYs(drawn.points, view(), plotSize().ph);
  }, 0);
}

function axesSpec(w: number, h: number, v: PlotView): AxesSpec {
  const r = loaded?.range ?? { start: 0, count: 2, stride: 1 };
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

function highlights(): Highlight[] {
  const out: Highlight[] = [];
  pins.forEach((row, i) => {
    const c = PIN_COLORS[i % PIN_COLORS.length] as readonly [number, number, number];
    out.push({ row, rgba: [0, 0, 0, 0.8], width: 4.5 }, { row, rgba: [c[0], c[1], c[2], 1], width: 2.5 });
  });
  if (hover >= 0 && !pins.includes(hover)) out.push({ row: hover, rgba: [0, 0, 0, 0.85], width: 5 }, { row: hover, rgba: [1, 1, 1, 1], width: 2.5 });
  return out;
}

function present(): void {
  plot.present(highlights());
}

// ---------------------------------------------------------------- hover, pin

interface Pick {
  readonly row: number;
  readonly col: number;
}

function pick(mx: number, my: number): Pick | null {
  const l = loaded;
  if (!l) return null;
  const { pw, ph } = plotSize();
  if (mx < 0 || my < 0 || mx > pw || my > ph) return null;
  const d = l.points;
  const v = view();
  const reach = 10;
  const col = l.range.count > 1 ? Math.round((mx / pw) * (l.range.count - 1)) : 0;
  let a: number;
  let b: number;
  if (d.reduced) {
    const c0 = Math.max(0, Math.floor(((mx - reach) / pw) * d.columns));
    const c1 = Math.min(d.columns - 1, Math.ceil(((mx + reach) / pw) * d.columns));
    a = c0 * 4;
    b = c1 * 4 + 3;
  } else {
    const span = d.samples > 1 ? (reach / pw) * (d.samples - 1) : 0;
    const ic = d.samples > 1 ? (mx / pw) * (d.samples - 1) : 0;
    a = Math.max(0, Math.floor(ic - span) - 1);
    b = Math.min(d.samples - 1, Math.ceil(ic + span) + 1);
  }
  const pys = pixelYs(d, v, ph);
  const xs = new Float64Array(b - a + 1);
  for (let i = a; i <= b; i++) xs[i - a] = pointX(d, i) * pw;
  let best = -1;
  let bestD = reach * reach;
  for (let r = 0; r < d.rows; r++) {
    const o = r * d.perRow;
    let px = xs[0] as number;
    let py = pys[o + a] as number;
    if (a === b) {
      const dd = (px - mx) ** 2 + (py - my) ** 2;
      if (dd < bestD) { bestD = dd; best = r; }
      continue;
    }
    for (let i = a + 1; i <= b; i++) {
      const qx = xs[i - a] as number;
      const qy = pys[o + i] as number;
      const dx = qx - px;
      const dy = qy - py;
      const len = dx * dx + dy * dy;
      const t = len > 0 ? Math.max(0, Math.min(1, ((mx - px) * dx + (my - py) * dy) / len)) : 0;
      const ex = px + t * dx - mx;
      const ey = py + t * dy - my;
      const dd = ex * ex + ey * ey;
      if (dd < bestD) { bestD = dd; best = r; }
      px = qx;
      py = qy;
    }
  }
  return best >= 0 ? { row: best, col } : null;
}

/** Pixel y of every display point, cached per (points, view, height): picking is then plain arithmetic. */
let pyCache: { d: DisplayPoints; key: string; ys: Float32Array } | null = null;
function pixelYs(d: DisplayPoints, v: PlotView, ph: number): Float32Array {
  const key = `${v.y0}|${v.y1}|${v.log}|${ph}`;
  if (pyCache && pyCache.d === d && pyCache.key === key) return pyCache.ys;
  const ys = new Float32Array(d.ys.length);
  for (let i = 0; i < ys.length; i++) ys[i] = (1 - yFraction(v, d.ys[i] as number)) * ph;
  pyCache = { d, key, ys };
  return ys;
}

/** The value drawn at sample `col`: the evaluator's f32 when the samples are on the CPU, else the exact reference. */
function valueAt(row: number, col: number): { value: number; source: string } {
  const l = loaded as Loaded;
  const step = l.range.start + col * l.range.stride;
  if (l.cpuValues) return { value: l.cpuValues[row * l.range.count + col] as number, source: engine.backend };
  if (!l.points.reduced) return { value: l.points.ys[row * l.range.count + col] as number, source: engine.backend };
  return { value: exactAt(l.schedules[row] as Schedule, step), source: 'exact' };
}

function showTooltip(p: Pick, mx: number, my: number): void {
  const l = loaded as Loaded;
  const s = l.schedules[p.row] as Schedule;
  const step = l.range.start + p.col * l.range.stride;
  const { value, source } = valueAt(p.row, p.col);
  clear(tooltip);
  tooltip.append(
    el('div', { className: 'tt-title', text: `#${p.row + 1} ${scheduleKind(s)}${p.row >= productCount(l.def) ? ' (pasted)' : ''}` }),
    el('div', { className: 'tt-value', text: `step ${step.toLocaleString('en-US')}: lr = ${value.toPrecision(6)}` }),
  );
  if (source === 'exact') tooltip.append(el('div', { className: 'muted', text: '(exact reference value)' }));
  const dl = el('dl');
  for (const [k, v] of l.labels[p.row] ?? []) dl.append(el('dt', { text: k }), el('dd', { text: v }));
  tooltip.append(dl, el('div', { className: 'muted', text: pins.includes(p.row) ? 'click to unpin' : 'click to pin' }));
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

let lastFrameMs = 0;
function onHover(ev: MouseEvent): void {
  const t0 = performance.now();
  const r = plotCanvas.getBoundingClientRect();
  const mx = ev.clientX - r.left;
  const my = ev.clientY - r.top;
  const p = pick(mx, my);
  const row = p?.row ?? -1;
  if (p) showTooltip(p, mx, my);
  else tooltip.hidden = true;
  plotBox.dataset['hover'] = String(row);
  if (row !== hover || (p?.col ?? -1) !== hoverCol) {
    const changed = row !== hover;
    hover = row;
    hoverCol = p?.col ?? -1;
    if (changed) {
      present();
      lastFrameMs = performance.now() - t0;
      plotBox.dataset['frameMs'] = lastFrameMs.toFixed(2);
      // Benchmarks set data-measure to also time the frame until the GPU has finished it.
      if (plotBox.dataset['measure'] !== undefined && device) {
        void device.queue.onSubmittedWorkDone().then(() => {
          plotBox.dataset['frameGpuMs'] = (performance.now() - t0).toFixed(2);
        });
      }
    }
  }
}

function onLeave(): void {
  tooltip.hidden = true;
  if (hover !== -1) {
    hover = -1;
    present();
  }
}

function onClick(): void {
  if (hover < 0) return;
  const i = pins.indexOf(hover);
  if (i >= 0) pins.splice(i, 1);
  else if (pins.length < PIN_COLORS.length) pins.push(hover);
  else setStatusNote(`at most ${PIN_COLORS.length} pins`);
  renderPins();
  present();
}

function renderPins(): void {
  clear(pinsBody);
  const l = loaded;
  pinsEmpty.hidden = pins.length > 0;
  copyAllPins.disabled = pins.length === 0;
  if (!l) return;
  pins.forEach((row, i) => {
    const s = l.schedules[row] as Schedule;
    const c = PIN_COLORS[i % PIN_COLORS.length] as readonly number[];
    const swatch = el('span', { className: 'swatch' });
    swatch.style.background = cssColor(c);
    const copy = el('button', { type: 'button', text: 'copy as Keras JSON', className: 'small' });
    copy.addEventListener('click', () => void copyJson([s]));
    const unpin = el('button', { type: 'button', text: 'unpin', className: 'small' });
    unpin.addEventListener('click', () => {
      pins = pins.filter((p) => p !== row);
      renderPins();
      present();
    });
    const params = (l.labels[row] ?? []).map(([k, v]) => `${k}=${v}`).join(', ');
    const train = el('button', { type: 'button', text: 'train', className: 'small', title: 'train the example model with this schedule' });
    train.addEventListener('click', () => void trainPanel.train({ schedule: s, label: `#${row + 1} ${scheduleKind(s)}${params ? ` (${params})` : ''}` }));
    pinsBody.append(el('tr', {}, el('td', {}, swatch), el('td', { text: `#${row + 1}` }), el('td', { text: scheduleKind(s) }), el('td', { className: 'params-cell', text: params }), el('td', {}, copy, unpin, train)));
  });
}

async function copyJson(list: readonly Schedule[]): Promise<void> {
  const text = kerasJsonText(list);
  jsonOut.value = text;
  jsonOut.hidden = false;
  const ok = await copyText(text);
  setStatusNote(ok ? 'Keras JSON copied to the clipboard' : 'Keras JSON shown below the table (clipboard not available)');
}

// ---------------------------------------------------------------- paste

/**
 * Adds pasted Keras JSON: one object or a flat list of objects (each one schedule). The
 * shape and the caps are checked on the parsed JSON before any schedule is built; the
 * new items are then built and computed in the preflight worker (a config the library
 * cannot compute promptly is refused there, naming it), and only then added.
 */
async function onPaste(): Promise<void> {
  const text = pasteText.value.trim();
  if (text === '') {
    showError(pasteError, 'Paste a Keras schedule or optimizer config (JSON) first.');
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    showError(pasteError, `Not valid JSON: ${describeError(e)}. The current sweep is unchanged.`);
    return;
  }
  const items: unknown[] = Array.isArray(json) ? json : [json];
  const unchanged = 'The current sweep is unchanged.';
  try {
    checkExtraItems(items, (i) => (Array.isArray(json) ? `[${i}]` : 'json'));
  } catch (e) {
    showError(pasteError, `Not a Keras schedule: ${describeError(e)}. ${unchanged}`);
    return;
  }
  const baseOf = (): SweepDef => {
    try {
      return form.read(wanted);
    } catch {
      return wanted; // the form has an error (shown next to it): add to the last good definition
    }
  };
  const base = baseOf();
  const total = totalCount(base) + items.length;
  if (total > MAX_SCHEDULES) {
    showError(pasteError, `sweep: ${totalCount(base).toLocaleString('en-US')} schedules + ${items.length.toLocaleString('en-US')} pasted = ${total.toLocaleString('en-US')}; at most ${MAX_SCHEDULES.toLocaleString('en-US')}. ${unchanged}`);
    return;
  }
  const candidate: SweepDef = { ...base, extra: [...base.extra, ...items] };
  try {
    validateSweep(candidate);
  } catch (e) {
    showError(pasteError, `${describeError(e)}. ${unchanged}`);
    return;
  }
  const first = productCount(base) + base.extra.length;
  const itemName = (k: number): string => (Array.isArray(json) ? `item [${k}] of the list: ` : '');
  pasteAdd.disabled = true;
  busyOn();
  try {
    const rows = sweepRows(candidate);
    const checked = await preflight({ def: candidate, from: first }, rows);
    if (checked === null) {
      // No worker in this browser: build them here (the library's errors name the key).
      for (let k = 0; k < items.length; k++) {
        try {
          schedulesFromKeras(items[k]);
        } catch (e) {
          showError(pasteError, `Not a Keras schedule: ${itemName(k)}${describeError(e)}. ${unchanged}`);
          return;
        }
      }
    } else if (!checked.ok) {
      const m = /^extra\[(\d+)\]$/.exec(checked.field);
      const k = m ? Number(m[1]) - base.extra.length : -1;
      const detail = m ? checked.message.slice(checked.field.length + 2) : checked.message;
      const which = k >= 0 ? itemName(k) : '';
      showError(pasteError, checked.timedOut ? `Not computed: ${which}${detail}. ${unchanged}` : `Not a Keras schedule: ${which}${detail}. ${unchanged}`);
      return;
    }
  } finally {
    pasteAdd.disabled = false;
    busyOff();
  }
  clearTimeout(applyTimer);
  // Added to the latest requested sweep (a form edit made while the check ran is kept).
  const latest = baseOf();
  const next: SweepDef = { ...latest, extra: [...latest.extra, ...items] };
  hideError(pasteError);
  pasteText.value = '';
  const count = items.length;
  const error = await apply(next, { note: `added ${count} pasted schedule${count === 1 ? '' : 's'}` });
  if (error !== null && error !== 'superseded by a later sweep') {
    showError(pasteError, `The pasted schedule${count === 1 ? ' was' : 's were'} not added: ${error}`);
    pasteText.value = text;
  }
}

function renderPasteList(): void {
  clear(pasteList);
  pasteClear.hidden = def.extra.length === 0;
  if (def.extra.length === 0) return;
  pasteList.append(el('span', { className: 'muted', text: `${def.extra.length} pasted item${def.extra.length === 1 ? '' : 's'} in the sweep` }));
}

// ---------------------------------------------------------------- toolbar, export

function syncToolbar(): void {
  const options = sweptFields(def);
  const want = def.colorBy;
  clear(colorBy);
  for (const k of options) colorBy.append(el('option', { value: k, text: k }));
  const configKeys = FIELDS[def.kind].map((f) => f.key).filter((k) => !options.includes(k));
  for (const k of configKeys) colorBy.append(el('option', { value: k, text: `${k} (fixed)` }));
  colorBy.append(el('option', { value: '#index', text: 'schedule #' }));
  colorBy.value = [...options, ...configKeys, '#index'].includes(want) ? want : (options[0] ?? '#index');
  yScaleSel.value = def.yScale;
  renderPasteList();
}

function wire(): void {
  plotCanvas.addEventListener('mousemove', onHover);
  plotCanvas.addEventListener('mouseleave', onLeave);
  plotCanvas.addEventListener('click', onClick);
  pasteAdd.addEventListener('click', () => void onPaste());
  pasteClear.addEventListener('click', () => void apply({ ...wanted, extra: [] }));
  colorBy.addEventListener('change', () => {
    def = { ...def, colorBy: colorBy.value };
    wanted = { ...wanted, colorBy: def.colorBy };
    if (loaded) loaded = { ...loaded, def };
    void redrawAll();
  });
  yScaleSel.addEventListener('change', () => {
    def = { ...def, yScale: yScaleSel.value === 'log' ? 'log' : 'linear' };
    wanted = { ...wanted, yScale: def.yScale };
    void redrawAll();
  });
  opacity.addEventListener('input', () => {
    opacityTouched = true;
    void redrawAll();
  });
  copyAllPins.addEventListener('click', () => {
    const l = loaded;
    if (l) void copyJson(pins.map((r) => l.schedules[r] as Schedule));
  });
  exportPng.addEventListener('click', () => void savePng());
  exportCsv.addEventListener('click', () => void saveCsv());
  shareBtn.addEventListener('click', () => void share());
}

/** Composes axes, curves and colour bar into one PNG. The WebGPU canvas is read in the same task as its submit. */
async function savePng(): Promise<void> {
  const out = document.createElement('canvas');
  out.width = axesCanvas.width;
  out.height = axesCanvas.height + colorBar.height;
  const ctx = out.getContext('2d');
  if (!ctx) return;
  ctx.fillStyle = THEME.bg;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(axesCanvas, 0, 0);
  present();
  ctx.drawImage(plotCanvas, Math.round(MARGINS.left * dpr()), Math.round(MARGINS.top * dpr()));
  ctx.drawImage(colorBar, Math.round((MARGINS.left - 26) * dpr()), axesCanvas.height);
  const blob = await new Promise<Blob | null>((res) => out.toBlob(res, 'image/png'));
  if (blob) download('lr-sweep.png', blob);
}

async function allValues(): Promise<Float32Array> {
  const l = loaded as Loaded;
  if (l.cpuValues) return l.cpuValues;
  if (!l.points.reduced) return l.points.ys;
  if (!device || !l.gpuValues) throw new Error('no values');
  const bytes = l.schedules.length * l.range.count * 4;
  const read = device.createBuffer({ size: bytes, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(l.gpuValues, 0, read, 0, bytes);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const v = new Float32Array(read.getMappedRange().slice(0));
  read.destroy();
  return v;
}

async function saveCsv(): Promise<void> {
  const l = loaded;
  if (!l) return;
  const rows = pins.length > 0 ? pins : l.schedules.map((_, i) => i);
  const values = await allValues();
  const n = l.range.count;
  const header = ['step', ...rows.map((r) => csvCell(`#${r + 1} ${scheduleKind(l.schedules[r] as Schedule)} ${(l.labels[r] ?? []).map(([k, v]) => `${k}=${v}`).join(' ')}`))];
  // Blob parts of ~256 lines each: a 10,000-curve CSV never becomes one giant string.
  const parts: string[] = [header.join(',') + '\n'];
  let chunk: string[] = [];
  for (let c = 0; c < n; c++) {
    const cells = [String(l.range.start + c * l.range.stride)];
    for (const r of rows) cells.push(String(values[r * n + c]));
    chunk.push(cells.join(','));
    if (chunk.length === 256 || c === n - 1) {
      parts.push(chunk.join('\n') + '\n');
      chunk = [];
    }
  }
  download(pins.length > 0 ? 'lr-pinned.csv' : 'lr-sweep.csv', new Blob(parts, { type: 'text/csv' }));
}

async function share(): Promise<void> {
  const hash = encodeSweepHash(def);
  history.replaceState(null, '', hash);
  shareUrl.value = location.href;
  shareUrl.hidden = false;
  const ok = await copyText(location.href);
  setStatusNote(ok ? 'link copied: it restores this sweep' : 'link shown next to the button');
}

// ---------------------------------------------------------------- status, errors

let note = '';
function setStatusNote(text: string): void {
  note = text;
  updateStatus();
}

function setStatusText(text: string): void {
  status.textContent = text;
}

function updateStatus(): void {
  const l = loaded;
  if (!l) return;
  const rows = l.schedules.length;
  status.dataset['schedules'] = String(rows);
  status.dataset['steps'] = String(l.range.count);
  // The backend that computed the values on screen: 'cpu' when the GPU declined this sweep.
  status.dataset['backend'] = l.backend;
  if (l.fallback) status.dataset['fallback'] = l.fallback;
  else delete status.dataset['fallback'];
  status.dataset['verified'] = String(l.verified.ok);
  status.dataset['evalMs'] = l.evalMs.toFixed(1);
  status.dataset['timings'] = JSON.stringify(Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])));
  const v = l.verified;
  const verifyText = v.ok
    ? `sample verified ✓ (${v.checked.toLocaleString('en-US')} values, max ${formatNumber(v.maxUlp)} ulp)`
    : v.checked > 0 ? `sample verification FAILED (max ${formatNumber(v.maxUlp)} ulp)` : 'sample not verified';
  const drawn = l.points.reduced ? ` · drawn as min/max per pixel column` : '';
  const where = l.fallback ? `cpu (the GPU declined this sweep, so every value was computed on the CPU: ${l.fallback})` : l.backend;
  setStatusText(`${rows.toLocaleString('en-US')} schedules × ${l.range.count.toLocaleString('en-US')} steps · ${where} · evaluated in ${l.evalMs.toFixed(0)} ms · ${verifyText}${drawn}${note ? ` · ${note}` : ''}`);
}

function showError(target: HTMLElement, text: string): void {
  target.textContent = text;
  target.hidden = false;
}

function hideError(target: HTMLElement): void {
  target.textContent = '';
  target.hidden = true;
}

void init().catch((e: unknown) => {
  setStatusText(`The explorer failed to start: ${describeError(e)}`);
  status.dataset['error'] = 'true';
});
