/**
 * Start-up: the WebGPU device, the renderer and the evaluator, each falling back to
 * the CPU and a 2D canvas when it cannot start, with the pipelines the first sweep needs
 * compiled; and the shared link, checked before use (main.ts runs the two at once).
 */
import { CanvasPlot } from './canvas-plot.ts';
import { byId, el } from './dom.ts';
import type { EarlyDevice } from './early-gpu.ts';
import { GpuPlot } from './gpu-plot.ts';
import { createEngine, type Engine, type Schedule, type Steps } from './lib.ts';
import { preflight } from './preflight.ts';
import { buildSchedules, sweepRows, type BuiltSweep } from './build.ts';
import { describeError, setStatusText } from './status.ts';
import { readLinkPins, type LinkPin } from './pin-link.ts';
import { decodeSweepLink } from './sweep-link.ts';
import type { SweepDef } from './sweep.ts';
import { sampleSteps } from './zoom.ts';

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

/** The rows and steps of the first sweep the page evaluates, for compiling its pipelines ahead of it. */
export interface FirstSweep {
  readonly schedules: readonly Schedule[];
  readonly steps: Steps;
  /** The sweep's own rows (no pins) and labels, for apply to reuse when it evaluates this same def. */
  readonly built: BuiltSweep;
}

/**
 * The first sweep's rows as apply evaluates them: the sweep's, then the pins' schedules. apply
 * appends only the pins not in the sweep, but a pin in the sweep is a copy of one of its rows
 * (same kind, same flags), so the kind groups and their shared flags, hence the pipelines, are
 * the same. Steps as apply samples them with no zoom.
 */
export function firstSweep(def: SweepDef, pins: readonly Schedule[]): FirstSweep {
  const { range, list } = sampleSteps(def.steps, { x: null, xLog: false });
  const built = { def, ...buildSchedules(def) };
  return { schedules: [...built.schedules, ...pins], steps: list ?? range, built };
}

/**
 * Compiles the evaluation pipelines of the first sweep now (evaluator.prepare: each kind
 * group's pipeline, specialised to the rows' shared flags), so that sweep finds them ready.
 * `first` builds its rows when called: on a WebGPU engine only, and a failure to build them
 * (or to compile) is only warned of.
 */
export async function warmSweep(engine: Pick<Engine, 'backend' | 'prepare'>, first: () => Promise<FirstSweep | null>): Promise<void> {
  // Built only here: on the CPU there is nothing to compile, so its rows are not built at all.
  if (engine.backend !== 'webgpu') return;
  try {
    const rows = await first();
    if (rows) await engine.prepare(rows.schedules, rows.steps);
  } catch (e) {
    // Only a head start: the sweep compiles its pipelines itself if this could not.
    console.warn('could not compile the first sweep\'s pipelines ahead of it', e);
  }
}

/**
 * WebGPU evaluator and renderer when they start; else the CPU evaluator and a 2D canvas.
 * Resolves once the drawing pipelines and the evaluation pipelines of `first()` (the first
 * sweep, built only for a WebGPU engine, when known: a shared link's once its rows were built in the preflight worker) are
 * compiled. `timings` gets `device` (adapter + device, requested by early-gpu.ts) and
 * `compile` (from the device, or this call when later: the evaluator's WGSL check and those
 * pipelines), in ms.
 */
export async function startRenderer(status: HTMLElement, earlyDevice: Promise<EarlyDevice>, first: () => Promise<FirstSweep | null>, timings: Record<string, number>): Promise<Renderer> {
  let plotCanvas = byId('plot-canvas', HTMLCanvasElement);
  // Requested when the page's entry chunk ran (entry.ts, early-gpu.ts); `device` is that request's time.
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
    await Promise.all([warmSweep(engine, first), plot instanceof GpuPlot ? plot.ready : null]);
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

/** A shared link, checked: its sweep and pins to use, or why it is refused (its field, value and rule). */
export type LinkCheck =
  | { readonly ok: true; readonly def: SweepDef; readonly pins: LinkPin[] }
  | { readonly ok: false; readonly why: string };

/**
 * The shared link in `hash` checked, or null when the hash holds none. A link comes from
 * whoever sent it: decoded and validated here, then built and computed in the preflight
 * worker, and only then used on this thread. A refused link's result says why (the field,
 * the value and the rule); the caller words it (main.ts at load: the page goes on with the
 * default sweep; link-follow.ts later: the plot keeps its sweep). `checking` runs once the
 * link decoded, before the worker's check; `built(def, pins)` when the worker has built every
 * row and checked its GPU support promptly (its values are still being checked): building
 * and packing the rows on this thread is prompt from then on.
 */
export async function linkedSweep(
  hash: string,
  timings: Record<string, number>,
  hooks: { readonly checking?: () => void; readonly built?: (def: SweepDef, pins: readonly LinkPin[]) => void } = {},
): Promise<LinkCheck | null> {
  let fromUrl: SweepDef | null = null;
  let pins: LinkPin[] = [];
  try {
    const link = decodeSweepLink(hash);
    if (link) pins = readLinkPins(link.pins);
    fromUrl = link?.def ?? null;
  } catch (e) {
    return { ok: false, why: describeError(e) };
  }
  if (!fromUrl) return null;
  hooks.checking?.();
  // The pins' schedules are checked with the sweep's rows, as pasted items after them.
  const withPins: SweepDef = { ...fromUrl, extra: [...fromUrl.extra, ...pins.map((p) => p.keras)] };
  const linked = fromUrl;
  const checked = await preflight({ def: withPins, from: 0 }, sweepRows(withPins), undefined, () => hooks.built?.(linked, pins));
  if (checked && !checked.ok) {
    const m = /^extra\[(\d+)\]$/.exec(checked.field);
    const k = m ? Number(m[1]) - fromUrl.extra.length : -1;
    return { ok: false, why: k >= 0 ? checked.message.replace(checked.field, `pins[${k}].keras`) : checked.message };
  }
  if (checked) timings['preflight'] = checked.ms;
  return { ok: true, def: fromUrl, pins };
}
