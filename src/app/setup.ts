/**
 * Start-up: the WebGPU device, the renderer and the evaluator, each falling back to
 * the CPU and a 2D canvas when it cannot start, with the pipelines the first sweep needs
 * compiled; and the shared link, checked before use (main.ts runs the two at once).
 */
import { CanvasPlot } from './canvas-plot.ts';
import { byId, el } from './dom.ts';
import { earlyDevice } from './early-gpu.ts';
import { GpuPlot } from './gpu-plot.ts';
import { buildSchedule, createEngine, type Engine } from './lib.ts';
import { preflight } from './preflight.ts';
import { sweepRows } from './build.ts';
import { refuseLink, setStatusText } from './status.ts';
import { readLinkPins, type LinkPin } from './pin-link.ts';
import { decodeSweepLink } from './sweep-link.ts';
import { defaultParams, specValues, type Kind, type Scalar, type SweepDef } from './sweep.ts';

/** A canvas that had a 'webgpu' context attempted cannot give a 2D one: a fresh canvas in its place. */
function freshCanvas(old: HTMLCanvasElement): HTMLCanvasElement {
  const fresh = el('canvas', { id: 'plot-canvas', 'aria-label': 'schedule curves' });
  old.replaceWith(fresh);
  return fresh;
}

export interface Renderer {
  readonly engine: Engine;
  readonly device: GPUDevice | null;
  readonly plot: GpuPlot | CanvasPlot;
  readonly plotCanvas: HTMLCanvasElement;
}

/** The config warmKind evaluates: the first value of each of the explorer's default field specs. */
export function warmupConfig(kind: Kind): Record<string, Scalar> {
  return Object.fromEntries(Object.entries(defaultParams(kind)).map(([k, spec]) => [k, specValues(spec)[0] ?? null]));
}

/**
 * Compiles the evaluation pipeline of `kind` now, by evaluating one step of the kind's
 * default schedule (the explorer's own defaults, never a config from a link or a paste):
 * pipelines are compiled per kind on first use, so the first sweep of that kind then
 * finds it ready.
 */
async function warmKind(engine: Engine, kind: Kind): Promise<void> {
  const ev = engine.lrEvaluator;
  if (!ev) return;
  try {
    (await ev.evaluateToBuffer(buildSchedule(kind, warmupConfig(kind)), { start: 0, count: 1 })).destroy();
  } catch (e) {
    // Only a head start: the sweep compiles the pipeline itself if this could not.
    console.warn(`could not compile the ${kind} pipeline ahead of the sweep`, e);
  }
}

/**
 * WebGPU evaluator and renderer when they start; else the CPU evaluator and a 2D canvas.
 * Resolves once the drawing pipelines and the evaluation pipeline of `kind` (the first
 * sweep's) are compiled. `timings` gets `device` (adapter + device, requested by
 * early-gpu.ts) and `compile` (from the device, or this call when later: the evaluator's
 * WGSL check and those pipelines), in ms.
 */
export async function startRenderer(status: HTMLElement, kind: Kind, timings: Record<string, number>): Promise<Renderer> {
  let plotCanvas = byId('plot-canvas', HTMLCanvasElement);
  // Requested when the page's first module ran (early-gpu.ts); `device` is that request's time.
  const early = await earlyDevice;
  let device = early.device;
  device?.lost.then((info) => setStatusText(status, `WebGPU device lost (${info.message}); reload the page`)).catch(() => undefined);
  const t1 = performance.now();
  timings['device'] = early.ms;
  let plot: GpuPlot | CanvasPlot | null = null;
  if (device) {
    try {
      plot = new GpuPlot(device, plotCanvas);
    } catch (e) {
      console.warn('WebGPU canvas unavailable, drawing on a 2D canvas', e);
      device = null;
    }
  }
  if (!plot) {
    plotCanvas = freshCanvas(plotCanvas);
    plot = new CanvasPlot(plotCanvas);
  }
  let engine: Engine;
  try {
    engine = await createEngine(device);
    // The drawing pipelines compile meanwhile (GpuPlot.ready); a failure of either falls back.
    await Promise.all([warmKind(engine, kind), plot instanceof GpuPlot ? plot.ready : null]);
  } catch (e) {
    if (!device) throw e;
    // The GPU evaluator could not start (e.g. a shader the driver rejects): CPU and a 2D canvas.
    console.warn('WebGPU evaluator unavailable, using the CPU', e);
    device = null;
    plot.destroy();
    plotCanvas = freshCanvas(plotCanvas);
    plot = new CanvasPlot(plotCanvas);
    engine = await createEngine(null);
  }
  timings['compile'] = performance.now() - t1;
  return { engine, device, plot, plotCanvas };
}

/**
 * The sweep of a shared link, or null. A link comes from whoever sent it: decoded and
 * validated here, then built and computed in the preflight worker, and only then on this
 * thread. Any failure shows a banner naming the field, the value and the rule (the page
 * goes on with the default sweep).
 */
export async function linkedSweep(ui: { readonly status: HTMLElement; readonly urlError: HTMLElement }, timings: Record<string, number>): Promise<{ def: SweepDef; pins: LinkPin[] } | null> {
  let fromUrl: SweepDef | null = null;
  let pins: LinkPin[] = [];
  try {
    const link = decodeSweepLink(location.hash);
    if (link) pins = readLinkPins(link.pins);
    fromUrl = link?.def ?? null;
  } catch (e) {
    refuseLink(ui, e);
    return null;
  }
  if (!fromUrl) return null;
  setStatusText(ui.status, 'checking the shared link…');
  // The pins' schedules are checked with the sweep's rows, as pasted items after them.
  const withPins: SweepDef = { ...fromUrl, extra: [...fromUrl.extra, ...pins.map((p) => p.keras)] };
  const checked = await preflight({ def: withPins, from: 0 }, sweepRows(withPins));
  if (checked && !checked.ok) {
    const m = /^extra\[(\d+)\]$/.exec(checked.field);
    const k = m ? Number(m[1]) - fromUrl.extra.length : -1;
    refuseLink(ui, k >= 0 ? checked.message.replace(checked.field, `pins[${k}].keras`) : checked.message);
    return null;
  }
  if (checked) timings['preflight'] = checked.ms;
  return { def: fromUrl, pins };
}
