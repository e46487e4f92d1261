/**
 * "Train with this schedule": trains the example model of examples/train (logistic
 * regression, Adam, lr[step] read by the optimizer kernel on the GPU) with a pinned
 * schedule and shows the loss curve next to the learning-rate curve.
 *
 * Demo code, like the rest of src/app: it calls examples/train/panel.ts directly (the
 * one import test/architecture.test.ts allows from examples/); the library's public
 * API does not grow. The page's device and evaluator are reused, so no second device.
 */
import { trainWithSchedule, type ChartAxes, type PanelOptions, type PanelRun } from '../../examples/train/panel.ts';
import { valueAxisOf, xAxisOf } from './axes.ts';
import { clear, el } from './dom.ts';
import type { Schedule } from './lib.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** What trainingChartSvg draws; anything else in the markup is refused. */
const SVG_TAGS = new Set(['svg', 'g', 'line', 'polyline', 'text']);

/**
 * The chart's SVG string as DOM nodes, without innerHTML: parsed as XML (no scripts run
 * in a DOMParser document), checked against the few elements and presentation
 * attributes the chart uses (no event handlers, links or style attributes, which the
 * page's CSP would block anyway), then imported into the page.
 */
export function svgFromMarkup(markup: string): SVGSVGElement {
  const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.namespaceURI !== SVG_NS || root.localName !== 'svg' || doc.getElementsByTagName('parsererror').length > 0) {
    throw new Error('the training chart is not well-formed SVG');
  }
  for (const e of [root, ...Array.from(root.getElementsByTagName('*'))]) {
    if (e.namespaceURI !== SVG_NS || !SVG_TAGS.has(e.localName)) throw new Error(`unexpected <${e.localName}> in the training chart`);
    for (const a of Array.from(e.attributes)) {
      if (/^on|href$|^style$/i.test(a.localName)) throw new Error(`unexpected attribute ${a.name} in the training chart`);
    }
  }
  const node = document.importNode(root, true);
  if (!(node instanceof SVGSVGElement)) throw new Error('the training chart is not an <svg>');
  return node;
}

export interface TrainTarget {
  readonly schedule: Schedule;
  /** The pin's name: user text, shown through textContent only. */
  readonly label: string;
  /** The pin's config key: a renamed pin renames the panel's title (follow). */
  readonly key?: string;
}

/**
 * The steps a schedule is meant to run: CosineDecay's warmup + decay, PolynomialDecay's
 * decay (without cycle), CosineDecayRestarts' first period; else `fallback` (the plotted range).
 */
export function scheduleHorizon(s: Schedule, fallback: number): number {
  const c = s.config as unknown as Record<string, unknown>;
  const num = (k: string): number => (typeof c[k] === 'number' ? (c[k] as number) : 0);
  let h = 0;
  if (s.kind === 'CosineDecay') h = num('warmupSteps') + num('decaySteps');
  else if (s.kind === 'PolynomialDecay' && c['cycle'] !== true) h = num('decaySteps');
  else if (s.kind === 'CosineDecayRestarts') h = num('firstDecaySteps');
  return Math.ceil(h > 0 ? h : fallback);
}

export interface TrainPanelContext {
  /** The page's device and evaluator when it draws on WebGPU; null: the CPU run. */
  device(): GPUDevice | null;
  evaluator(): PanelOptions['evaluator'] | null;
  /** Adapter name, for the "ran on" line. */
  adapter(): string;
  /** The last step plotted + 1: the horizon of a schedule without its own. */
  plotted(): number;
}

const DEFAULT_STEPS = 300;
const CHART = { width: 720, height: 240 };

/**
 * The charts' axes as the main plot writes its own (axes.ts): the step axis its x axis's
 * ticks and formatter over [0, steps] (thousands separators: `5,000`); the loss and
 * learning-rate axes its value ticks, one per ~40 px (valueAxisOf) from 0 to the round tick at or above
 * the curve's maximum, in the page's number form (`0.002`, `2e-5`).
 */
export const CHART_AXES: ChartAxes = {
  step: (steps, px) => {
    const { xTicks, xFmt } = xAxisOf({ x0: 0, x1: steps, xLog: false }, px);
    return { top: steps, ticks: xTicks.map((t) => [t, xFmt(t)]) };
  },
  value: valueAxisOf,
};
const MAX_STEPS = 20_000;

/**
 * The panel: hidden until the first "train" click, then a section below the pinned
 * table with the schedule's name, a steps field, a re-run button, a status line and the
 * chart. Its dataset carries the result for tests: data-state (running | done | error),
 * data-backend, data-steps, data-initial-loss, data-final-loss, data-ms-per-step.
 */
export class TrainPanel {
  readonly root: HTMLElement;
  private readonly title: HTMLElement;
  private readonly stepsInput: HTMLInputElement;
  private readonly rerun: HTMLButtonElement;
  private readonly line: HTMLElement;
  private readonly chart: HTMLElement;
  private target: TrainTarget | null = null;
  private readonly horizon: HTMLInputElement;
  private running = false;

  constructor(private readonly ctx: TrainPanelContext) {
    this.title = el('span', { className: 'train-title' });
    this.stepsInput = el('input', { type: 'number', min: 10, max: MAX_STEPS, step: 10, value: DEFAULT_STEPS, 'aria-label': 'training steps' });
    this.horizon = el('input', { type: 'checkbox', 'aria-label': "train over the schedule's horizon" });
    this.horizon.checked = true;
    this.stepsInput.addEventListener('input', () => {
      this.horizon.checked = false;
    });
    this.rerun = el('button', { type: 'button', text: 'Train again' });
    this.rerun.addEventListener('click', () => {
      if (this.target) void this.train(this.target);
    });
    this.line = el('p', { className: 'train-line', role: 'status', 'aria-live': 'polite' });
    this.chart = el('div', { className: 'train-chart' });
    this.root = el(
      'section',
      { id: 'train-panel', 'data-testid': 'train-panel', 'aria-label': 'train with this schedule', hidden: true },
      el('h2', { text: 'Train with this schedule' }),
      el('p', {
        className: 'muted',
        text: `Logistic regression (1,024 samples × 8 features, Adam, full batch) trained with the schedule’s lr[0 … steps − 1] (its horizon by default, at most ${MAX_STEPS.toLocaleString('en-US')}), from examples/train. Left: the loss; right: the learning rate the optimizer read.`,
      }),
      el('div', { className: 'row' }, this.title, el('label', { title: 'the schedule’s own length (warmup + decay, the first period, or the plotted range); untick to choose' }, this.horizon, ' its horizon'), el('label', {}, 'steps ', this.stepsInput), this.rerun),
      this.line,
      this.chart,
    );
  }

  get busy(): boolean {
    return this.running;
  }

  /** Follows a pin's edits: the panel's title is the pin's name. */
  follow(target: TrainTarget): void {
    if (!this.target || this.target.key === undefined || this.target.key !== target.key) return;
    this.target = target;
    this.title.textContent = target.label;
    this.title.title = target.label;
  }

  private steps(s: Schedule): number {
    if (this.horizon.checked) this.stepsInput.value = String(scheduleHorizon(s, this.ctx.plotted()));
    const n = Math.round(Number(this.stepsInput.value));
    const steps = Number.isFinite(n) ? Math.min(MAX_STEPS, Math.max(10, n)) : DEFAULT_STEPS;
    this.stepsInput.value = String(steps);
    return steps;
  }

  /** Trains the model with `target`'s schedule; ignored while a run is in progress. */
  async train(target: TrainTarget): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.target = target;
    const steps = this.steps(target.schedule);
    const d = this.root.dataset;
    for (const k of ['backend', 'initialLoss', 'finalLoss', 'msPerStep', 'error']) delete d[k];
    d['state'] = 'running';
    d['steps'] = String(steps);
    this.root.hidden = false;
    this.rerun.disabled = true;
    this.title.textContent = target.label;
    this.title.title = target.label;
    this.line.textContent = `training ${steps.toLocaleString('en-US')} steps…`;
    this.chart.classList.add('stale');
    try {
      const device = this.ctx.device();
      const evaluator = this.ctx.evaluator();
      const schedule = target.schedule;
      const run = await trainWithSchedule(schedule, {
        device,
        steps,
        ...(device && evaluator ? { evaluator } : {}),
        chartSize: CHART,
        axes: CHART_AXES,
      });
      this.show(run);
    } catch (e) {
      d['state'] = 'error';
      d['error'] = e instanceof Error ? e.message : String(e);
      this.line.textContent = `Training failed: ${d['error']}`;
      clear(this.chart);
    } finally {
      this.running = false;
      this.rerun.disabled = false;
      this.chart.classList.remove('stale');
    }
  }

  private show(run: PanelRun): void {
    const svg = svgFromMarkup(run.svg);
    clear(this.chart);
    this.chart.append(svg);
    const d = this.root.dataset;
    d['backend'] = run.backend;
    d['steps'] = String(run.steps);
    d['initialLoss'] = String(run.initialLoss);
    d['finalLoss'] = String(run.finalLoss);
    d['msPerStep'] = run.msPerStep.toFixed(3);
    d['state'] = 'done';
    const where = run.backend === 'webgpu' ? `on the GPU (WebGPU, ${this.ctx.adapter()})` : 'on the CPU (no WebGPU device; same algorithm in f64)';
    const pct = run.initialLoss > 0 ? ` (${((100 * run.finalLoss) / run.initialLoss).toFixed(1)} % of the start)` : '';
    this.line.textContent =
      `loss ${run.initialLoss.toFixed(4)} → ${run.finalLoss.toFixed(4)}${pct} · ${run.steps.toLocaleString('en-US')} steps · ` +
      `${run.msPerStep.toFixed(2)} ms/step · ran ${where}`;
  }
}
