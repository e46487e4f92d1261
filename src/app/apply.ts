/**
 * Applying a sweep definition: build the schedules, evaluate them, check a sample, draw.
 * Form edits are applied after a short pause; a later apply supersedes an earlier one.
 */
import { buildSchedules, type BuiltSweep } from './build.ts';
import { CanvasPlot } from './canvas-plot.ts';
import { domains, recordPhases } from './draw.ts';
import { GpuPlot } from './gpu-plot.ts';
import { counted } from './fmt.ts';
import type { Schedule } from './lib.ts';
import { configKey, pinRowsIn } from './pin-model.ts';
import { renderPins } from './pins.ts';
import type { App } from './state.ts';
import { busyOff, busyOn, describeError, hideError, hideRefusal, showError, showRefusal, updateStatus } from './status.ts';
import { FIELDS, productCount, stepRange, sweptFields, validateSweep, type SweepDef } from './sweep.ts';
import { evaluateSweep, verifyRows } from './sweep-eval.ts';
import { facetOptions, redraw } from './facets.ts';
import { syncToolbar } from './toolbar.ts';
import { sampleSteps } from './zoom.ts';

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
    refuse(app, describeError(e));
    ui.summary.textContent = '';
    return;
  }
  ui.summary.textContent = summaryText(next).summary;
  // Read the form again when the timer fires, so a paste or link applied meanwhile is kept.
  state.applyTimer = window.setTimeout(() => {
    try {
      void apply(app, form.read(state.wanted));
    } catch (e) {
      refuse(app, describeError(e));
    }
  }, 350);
}

/**
 * The form's sweep was refused (`why`: the form's error, naming field, value and rule): said
 * next to the form, and over the plot, which still shows the sweep drawn before (named by its
 * title), and on the status line.
 */
function refuse(app: App, why: string): void {
  showError(app.ui.formError, why);
  const l = app.state.loaded;
  if (!l) return;
  showRefusal(`The plot still shows the previous sweep: ${summaryText(l.def).title}. The form's sweep was not drawn: ${why}`);
  updateStatus(app);
}

/** The form's error when it holds a sweep the page refuses (a field it cannot read, or a limit), else null. */
function formRefusal(app: App): string | null {
  try {
    validateSweep(app.form.read(app.state.wanted));
    return null;
  } catch (e) {
    return describeError(e);
  }
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
  // The product's count then the pasted ones, as the title says it (not the total plus the pasted again).
  const summary = `${counted(product, 'schedule')}${parts.length > 1 ? ` (${parts.join(' × ')})` : ''}${extra}, each at ${counted(r.count, 'step')}`;
  const last = r.start + (r.count - 1) * r.stride;
  const title = `${d.kind}: ${counted(product, 'schedule')}${extra}${parts.length > 0 ? `, sweeping ${FIELDS[d.kind].filter((f) => parts.some((p) => p.endsWith(` ${f.key}`))).map((f) => f.key).join(', ')}` : ''} · steps ${r.start.toLocaleString('en-US')}–${last.toLocaleString('en-US')}`;
  return { summary, title };
}

/**
 * Builds, evaluates and draws a sweep. Errors keep the current sweep on screen and are
 * shown next to the form and over the plot (unless `quiet`); the result is the error's text,
 * or null. The plot's title names the sweep drawn (the exports take it), so it changes only
 * once this one is; the notice over the plot goes once a sweep is drawn while the form
 * holds one it accepts (a paste or zoom drawn while the form is refused keeps it).
 * `note` goes on the status line once the sweep is drawn (a note says what was done, so
 * it is only set when it happened).
 */
export async function apply(app: App, next: SweepDef, opts: { quiet?: boolean; note?: string; built?: BuiltSweep } = {}): Promise<string | null> {
  const { state, ui, plot, device } = app;
  const gen = ++state.generation;
  state.wanted = next;
  const tBuild = performance.now();
  let schedules: Schedule[];
  let labels: (readonly [string, string])[][];
  const fail = (e: unknown): string => {
    const text = describeError(e);
    if (!opts.quiet) refuse(app, text);
    return text;
  };
  try {
    // The rows start-up built for this same def (setup.ts firstSweep), copied: pins are appended below.
    const b = opts.built?.def === next ? opts.built : null;
    ({ schedules, labels } = b ? { schedules: [...b.schedules], labels: [...b.labels] } : buildSchedules(next));
  } catch (e) {
    return fail(e);
  }
  // The sweep's steps changed: a zoom into the old ones means nothing for the new.
  if (state.def.steps.start !== next.steps.start || state.def.steps.end !== next.steps.end || state.def.steps.stride !== next.steps.stride) state.view = { ...state.view, x: null };
  const sweepRows = schedules.length;
  // Pins are configs: each one's row in this sweep, or its own schedule appended after the sweep's rows.
  const pinRow = new Map<string, number>();
  if (state.pins.length > 0) {
    // Keys only for rows of a pinned kind (a key is a JSON text: 10^5 of them are not free).
    const kinds = new Set(state.pins.map((p) => p.schedule.kind));
    const found = pinRowsIn(state.pins, schedules.map((s) => (kinds.has(s.kind) ? configKey(s) : '')));
    state.pins.forEach((p, i) => {
      let row = found[i] as number;
      if (row < 0) {
        row = schedules.length;
        schedules.push(p.schedule);
        labels.push([['pinned', p.name]]);
      }
      pinRow.set(p.key, row);
    });
  }
  if (formRefusal(app) === null) hideError(ui.formError);
  app.form.showSamples(next);
  ui.summary.textContent = summaryText(next).summary;
  // A shown share link is the old sweep's; a note said what was done before this sweep.
  ui.shareUrl.hidden = true;
  state.note = '';
  busyOn(app);
  const sampling = sampleSteps(next.steps, state.view);
  const { range } = sampling;
  const steps = sampling.list ?? range;
  const rows = schedules.length;
  try {
    const t0 = performance.now();
    state.timings['build'] = t0 - tBuild;
    const { gpuValues, cpuValues, fallback, cpuRows } = await evaluateSweep(app, schedules, steps, range, sampling.x0, sampling.x1);
    const evalMs = performance.now() - t0;
    if (gen !== state.generation) {
      gpuValues?.destroy();
      return SUPERSEDED;
    }
    if (plot instanceof GpuPlot && gpuValues) plot.setData(gpuValues, rows, range.count, sampling.xs);
    else if (plot instanceof CanvasPlot && cpuValues) plot.setData(cpuValues, rows, range.count, sampling.xs);
    const t1 = performance.now();
    const points = await plot.readPoints();
    if (gen !== state.generation) return SUPERSEDED;
    const t2 = performance.now();
    state.timings['readback'] = t2 - t1;
    const verified = await verifyRows(app, schedules, range, steps, points, gpuValues, cpuValues);
    state.timings['verify'] = performance.now() - t2;
    const prev = state.loaded;
    const backend = gpuValues && cpuRows.length < rows ? 'webgpu' : 'cpu';
    state.loaded = { def: next, schedules, labels, range, stepList: sampling.list, sweepRows, pinRow, points, cpuValues, gpuValues, ...domains(points), evalMs, verified, backend, fallback, cpuRows };
    if (prev?.gpuValues && prev.gpuValues !== gpuValues) prev.gpuValues.destroy();
    state.def = next;
    ui.plotTitle.textContent = summaryText(next).title;
    // Until the user sets it, opacity follows the curve count so density stays readable (0.25
    // at 1,000); up to 250 curves are opaque, so each keeps the colour map's contrast on the background.
    if (!state.opacityTouched) ui.opacity.value = String(Math.min(1, Math.max(0.02, 250 / Math.max(1, rows))));
    state.hover = -1;
    renderPins(app);
    syncToolbar(app);
    facetOptions(app, sweptFields(next));
    const t3 = performance.now();
    await redraw(app);
    if (device) await device.queue.onSubmittedWorkDone();
    state.timings['draw'] = performance.now() - t3;
    state.note = opts.note ?? '';
    const refused = formRefusal(app);
    if (refused === null) {
      hideRefusal();
      updateStatus(app);
    } else refuse(app, refused);
    recordPhases(app);
    return null;
  } catch (e) {
    return fail(e);
  } finally {
    busyOff(app);
  }
}
