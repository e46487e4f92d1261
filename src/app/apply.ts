/**
 * Applying a sweep definition: build the schedules, evaluate them, check a sample, draw.
 * Form edits are applied after a short pause; a later apply supersedes an earlier one.
 */
import { buildSchedules } from './build.ts';
import { CanvasPlot } from './canvas-plot.ts';
import { domains, redrawAll } from './draw.ts';
import { GpuPlot } from './gpu-plot.ts';
import type { Schedule } from './lib.ts';
import { renderPins } from './pins.ts';
import type { App } from './state.ts';
import { busyOff, busyOn, describeError, hideError, showError, updateStatus } from './status.ts';
import { FIELDS, productCount, stepRange, totalCount, validateSweep, type SweepDef } from './sweep.ts';
import { evaluateSweep, verifyRows } from './sweep-eval.ts';
import { syncToolbar } from './toolbar.ts';

/** What an apply that lost to a later one returns. */
export const SUPERSEDED = 'superseded by a later sweep';

/** After a form edit: check the form now (errors next to it), apply 350 ms after the last edit. */
export function scheduleApply(app: App): void {
  const { form, ui, state } = app;
  clearTimeout(state.applyTimer);
  let next: SweepDef;
  try {
    next = form.read(state.wanted);
    form.showSamples(next);
    validateSweep(next);
    hideError(ui.formError);
  } catch (e) {
    showError(ui.formError, e instanceof Error ? e.message : String(e));
    ui.summary.textContent = '';
    return;
  }
  showSummary(app, next);
  // Read the form again when the timer fires, so a paste or link applied meanwhile is kept.
  state.applyTimer = window.setTimeout(() => {
    try {
      void apply(app, form.read(state.wanted));
    } catch (e) {
      showError(ui.formError, describeError(e));
    }
  }, 350);
}

/** The summary under the form and the plot's title for a definition. */
export function summaryText(d: SweepDef): { summary: string; title: string } {
  const parts = FIELDS[d.kind].flatMap((f) => {
    const s = d.params[f.key];
    const n = s ? (s.mode === 'range' ? s.count : s.values.length) : 1;
    return n > 1 ? [`${n} ${f.key}`] : [];
  });
  const product = productCount(d);
  const extra = d.extra.length > 0 ? ` + ${d.extra.length} pasted` : '';
  const r = stepRange(d.steps);
  const summary = `${totalCount(d).toLocaleString('en-US')} schedules${parts.length > 1 ? ` (${parts.join(' × ')})` : ''}${extra}, each at ${r.count.toLocaleString('en-US')} steps`;
  const last = r.start + (r.count - 1) * r.stride;
  const title = `${d.kind}: ${product.toLocaleString('en-US')} schedules${extra}${parts.length > 0 ? `, sweeping ${FIELDS[d.kind].filter((f) => parts.some((p) => p.endsWith(` ${f.key}`))).map((f) => f.key).join(', ')}` : ''} · steps ${r.start.toLocaleString('en-US')}–${last.toLocaleString('en-US')}`;
  return { summary, title };
}

function showSummary(app: App, d: SweepDef): void {
  const { summary, title } = summaryText(d);
  app.ui.summary.textContent = summary;
  app.ui.plotTitle.textContent = title;
}

/**
 * Builds, evaluates and draws a sweep. Errors keep the current sweep on screen and are
 * shown next to the form (unless `quiet`); the result is the error's text, or null.
 * `note` goes on the status line once the sweep is drawn (a note says what was done, so
 * it is only set when it happened).
 */
export async function apply(app: App, next: SweepDef, opts: { quiet?: boolean; note?: string } = {}): Promise<string | null> {
  const { state, ui, plot, device } = app;
  const gen = ++state.generation;
  state.wanted = next;
  const tBuild = performance.now();
  let schedules: Schedule[];
  let labels: (readonly [string, string])[][];
  const fail = (e: unknown): string => {
    const text = describeError(e);
    if (!opts.quiet) showError(ui.formError, text);
    return text;
  };
  try {
    ({ schedules, labels } = buildSchedules(next));
  } catch (e) {
    return fail(e);
  }
  hideError(ui.formError);
  app.form.showSamples(next);
  showSummary(app, next);
  busyOn(app);
  const range = stepRange(next.steps);
  const rows = schedules.length;
  try {
    const t0 = performance.now();
    state.timings['build'] = t0 - tBuild;
    const { gpuValues, cpuValues, fallback } = await evaluateSweep(app, schedules, range);
    const evalMs = performance.now() - t0;
    if (gen !== state.generation) {
      gpuValues?.destroy();
      return SUPERSEDED;
    }
    if (plot instanceof GpuPlot && gpuValues) plot.setData(gpuValues, rows, range.count);
    else if (plot instanceof CanvasPlot && cpuValues) plot.setData(cpuValues, rows, range.count);
    const t1 = performance.now();
    const points = await plot.readPoints();
    if (gen !== state.generation) return SUPERSEDED;
    const t2 = performance.now();
    state.timings['readback'] = t2 - t1;
    const verified = await verifyRows(app, schedules, range, points, gpuValues, cpuValues);
    state.timings['verify'] = performance.now() - t2;
    const prev = state.loaded;
    const backend = gpuValues && fallback === '' ? 'webgpu' : 'cpu';
    state.loaded = { def: next, schedules, labels, range, points, cpuValues, gpuValues, ...domains(points), evalMs, verified, backend, fallback };
    if (prev?.gpuValues && prev.gpuValues !== gpuValues) prev.gpuValues.destroy();
    state.def = next;
    // Until the user sets it, opacity follows the curve count so density stays readable (0.25 at 1,000).
    if (!state.opacityTouched) ui.opacity.value = String(Math.min(0.6, Math.max(0.02, 250 / Math.max(1, rows))));
    state.pins = [];
    state.hover = -1;
    renderPins(app);
    syncToolbar(app);
    const t3 = performance.now();
    await redrawAll(app);
    if (device) await device.queue.onSubmittedWorkDone();
    state.timings['draw'] = performance.now() - t3;
    state.note = opts.note ?? '';
    updateStatus(app);
    return null;
  } catch (e) {
    return fail(e);
  } finally {
    busyOff(app);
  }
}
