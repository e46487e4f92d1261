/**
 * The sweep explorer: define a sweep, evaluate every schedule (WebGPU, or the CPU
 * fallback), draw every curve from the evaluator's buffer, hover/pin/export. This file
 * only wires the parts together: state.ts (the one state object), setup.ts (device,
 * renderer, evaluator, shared link), apply.ts + sweep-eval.ts (evaluation), draw.ts,
 * hover.ts + picking.ts + crosshair.ts, pins.ts (+ pin-model, pin-link), zoom-ui.ts (+ zoom),
 * legend.ts, facets.ts, theme.ts, paste.ts, exports.ts (+ export-image), toolbar.ts, status.ts.
 */
import { apply, scheduleApply } from './apply.ts';
import { dpr, layout, redrawAll } from './draw.ts';
import type { EarlyDevice } from './early-gpu.ts';
import { findElements } from './elements.ts';
import { copyJson, saveCsv, savePng, saveSvg, share } from './exports.ts';
import { redraw, renderFacets } from './facets.ts';
import { SweepForm } from './form.ts';
import { onClick, onHover, onLeave } from './hover.ts';
import { watchLinks } from './link-follow.ts';
import { onPaste } from './paste.ts';
import { linkPins, type LinkPin } from './pin-link.ts';
import { renderPins } from './pins.ts';
import type { BuiltSweep } from './build.ts';
import { firstSweep, linkedSweep, startRenderer, type FirstSweep } from './setup.ts';
import { createState, type App } from './state.ts';
import { describeError, refuseLink, setStatusText, titleIfCut } from './status.ts';
import { defaultSweep, type SweepDef } from './sweep.ts';
import { setTheme } from './theme.ts';
import { syncToolbar } from './toolbar.ts';
import { TrainPanel } from './train-panel.ts';
import { wireZoom } from './zoom-ui.ts';

const ui = findElements();
// From the first moment: a share link pasted while the page starts is followed once it has.
const links = watchLinks();
const state = createState(defaultSweep());
/** Set once the evaluator and renderer have started. */
let app: App | null = null;

const form = new SweepForm(ui.formRoot, () => {
  if (app) scheduleApply(app);
});
// "Train with this schedule" (pinned table's train buttons): the page's own device and evaluator.
const trainPanel = new TrainPanel({
  device: () => (app?.engine.backend === 'webgpu' ? app.device : null),
  evaluator: () => app?.engine.lrEvaluator ?? null,
  adapter: () => app?.engine.adapter ?? '',
  plotted: () => (app ? app.state.def.steps.end + 1 : 300),
});
ui.jsonOut.after(trainPanel.root);

function wire(a: App): void {
  const { plotCanvas } = a;
  const wasDrag = wireZoom(a);
  plotCanvas.addEventListener('mousemove', (ev) => onHover(a, ev));
  plotCanvas.addEventListener('mouseleave', () => onLeave(a));
  plotCanvas.addEventListener('click', () => {
    if (!wasDrag()) onClick(a);
  });
  ui.plotBox.addEventListener('lr-redraw', () => void redraw(a));
  ui.plotBox.addEventListener('lr-pins', () => renderFacets(a));
  ui.facetBy.addEventListener('change', () => renderFacets(a));
  ui.lightTheme.addEventListener('change', () => {
    setTheme(ui.lightTheme.checked ? 'light' : 'dark');
    void redraw(a);
  });
  // The window may have been resized since the text was set: whether two lines cut it is judged again.
  ui.status.addEventListener('pointerenter', () => titleIfCut(ui.status));
  ui.exportSvg.addEventListener('click', () => saveSvg(a));
  ui.pasteAdd.addEventListener('click', () => void onPaste(a));
  ui.pasteClear.addEventListener('click', () => void apply(a, { ...state.wanted, extra: [] }));
  ui.colorBy.addEventListener('change', () => {
    state.def = { ...state.def, colorBy: ui.colorBy.value };
    state.wanted = { ...state.wanted, colorBy: state.def.colorBy };
    state.hiddenGroups.clear();
    if (state.loaded) state.loaded = { ...state.loaded, def: state.def };
    void redraw(a);
  });
  ui.yScaleSel.addEventListener('change', () => {
    state.def = { ...state.def, yScale: ui.yScaleSel.value === 'log' ? 'log' : 'linear' };
    state.wanted = { ...state.wanted, yScale: state.def.yScale };
    state.view = { ...state.view, y: null };
    void redraw(a);
  });
  ui.opacity.addEventListener('input', () => {
    state.opacityTouched = true;
    void redrawAll(a);
  });
  ui.copyAllPins.addEventListener('click', () => void copyJson(a, state.pins.map((p) => p.schedule)));
  ui.exportPng.addEventListener('click', () => void savePng(a));
  ui.exportCsv.addEventListener('click', () => void saveCsv(a));
  ui.shareBtn.addEventListener('click', () => void share(a));
  let lastSize = '';
  new ResizeObserver(() => {
    const r = ui.plotBox.getBoundingClientRect();
    const size = `${Math.floor(r.width)}x${Math.floor(r.height)}@${dpr()}`;
    if (size === lastSize) return;
    lastSize = size;
    layout(a);
    if (state.loaded) void redrawAll(a);
  }).observe(ui.plotBox);
}

/** The start-up; resolves with the app once its first sweep was applied, and the hash it used. */
async function init(early: Promise<EarlyDevice>): Promise<{ app: App; used: string }> {
  state.timings['pageLoad'] = performance.now();
  const used = location.hash;
  // The shared link is checked in a worker while the device starts; the first sweep's
  // pipelines compile meanwhile: a link's once the worker has built its rows, else the
  // default sweep's (a refused link's page shows the default sweep too).
  type Rows = { readonly def: SweepDef; readonly pins: readonly LinkPin[] };
  let built: (rows: Rows) => void = () => undefined;
  const builtRows = new Promise<Rows>((resolve) => (built = resolve));
  const linked = linkedSweep(used, state.timings, {
    checking: () => setStatusText(ui.status, 'checking the shared link…'),
    built: (def, pins) => built({ def, pins }),
  });
  // A refused link says why at once (the device may still be starting); the page goes on with the default sweep.
  void linked.then((l) => {
    if (l?.ok === false) refuseLink(ui, l.why);
  });
  const firstRows: Promise<Rows> = used.length > 1 ? Promise.race([builtRows, linked.then((l) => (l?.ok ? l : { def: state.def, pins: [] }))]) : Promise.resolve({ def: state.def, pins: [] });
  // Built only if the engine is WebGPU's (startRenderer calls it then): the CPU compiles nothing.
  // Its rows are kept for apply, which reuses them for that same def instead of building them again.
  let firstBuilt: BuiltSweep | undefined;
  const first = (): Promise<FirstSweep> => firstRows.then(({ def, pins }) => {
    const f = firstSweep(def, linkPins(pins).map((p) => p.schedule));
    firstBuilt = f.built;
    return f;
  });
  const renderer = await startRenderer(ui.status, early, first, state.timings);
  ui.status.dataset['backend'] = renderer.engine.backend;
  const checked = await linked;
  const link = checked?.ok ? checked : null;
  const fromUrl = link?.def ?? null;
  const a: App = { ui, form, trainPanel, state, ...renderer };
  app = a;
  if (fromUrl) state.def = fromUrl;
  if (link) state.pins = linkPins(link.pins);
  renderPins(a);
  form.set(state.def);
  syncToolbar(a);
  layout(a);
  wire(a);
  if (fromUrl) {
    const error = await apply(a, fromUrl, { quiet: true, ...(firstBuilt ? { built: firstBuilt } : {}) });
    if (error === null || state.loaded) return { app: a, used };
    refuseLink(ui, error);
    state.pins = [];
    renderPins(a);
    state.def = defaultSweep();
    form.set(state.def);
    syncToolbar(a);
  }
  await apply(a, state.def, firstBuilt ? { built: firstBuilt } : {});
  return { app: a, used };
}

/** Starts the explorer with the device request of early-gpu.ts (entry.ts calls it). */
export function start(early: Promise<EarlyDevice>): void {
  void init(early).then(({ app: a, used }) => links.started(a, used), (e: unknown) => {
    setStatusText(ui.status, `The explorer failed to start: ${describeError(e)}`);
    ui.status.dataset['error'] = 'true';
  });
}
