/**
 * The explorer's state, in one explicit object: what the page runs on (fixed once it has
 * started) and what changes as the user works (`App.state`). Every module of src/app
 * takes the `App` it acts on; none keeps state of its own.
 */
import type { CanvasPlot } from './canvas-plot.ts';
import { RowColorCache } from './colors.ts';
import type { Elements } from './elements.ts';
import type { SweepForm } from './form.ts';
import type { GpuPlot } from './gpu-plot.ts';
import type { Engine, Schedule, StepRange, VerifySummary } from './lib.ts';
import { PixelYCache } from './picking.ts';
import type { SweepDef } from './sweep.ts';
import type { TrainPanel } from './train-panel.ts';
import type { Pin } from './pin-model.ts';
import type { DisplayPoints } from './view.ts';
import type { ViewState } from './zoom.ts';

/** A sweep that was evaluated and is on screen. */
export interface Loaded {
  readonly def: SweepDef;
  readonly schedules: readonly Schedule[];
  /** Per row: the config values shown in the tooltip (swept fields, or the whole config for pasted ones). */
  readonly labels: readonly (readonly [string, string])[][];
  /** The steps evaluated (the visible window of the sweep's steps): a range, or a list on a log x axis. */
  readonly range: StepRange;
  /** The evaluated steps when they are a list (log x axis), else null (the range's steps). */
  readonly stepList: Float64Array | null;
  /** Rows of the sweep itself (product + pasted); rows from here on are pins whose config the sweep lacks. */
  readonly sweepRows: number;
  /** Row of each pinned config among these rows (configKey → row); pins made later are added. */
  readonly pinRow: Map<string, number>;
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
  /** Why the GPU did not compute some of them ('' when it did, or when the page runs on the CPU). */
  readonly fallback: string;
  /** Rows the CPU computed because the GPU declines their config (the GPU computed the others). */
  readonly cpuRows: readonly number[];
}

/** What changes while the page runs. */
export interface AppState {
  /** The definition on screen. */
  def: SweepDef;
  /** The latest definition asked for (form, paste, link); edits build on this one. */
  wanted: SweepDef;
  loaded: Loaded | null;
  /** Pinned configs, in pin order. */
  pins: Pin[];
  /** Zoom, pan and the axis scales. */
  view: ViewState;
  /** Values of the colour-by parameter whose curves are hidden (discrete legend). */
  hiddenGroups: Set<string>;
  /** Per row of the sweep on screen: drawn in the bulk layer (rowColors' visible), null before the first draw. */
  visibleRows: Uint8Array | null;
  hover: number;
  hoverCol: number;
  /** Where the pointer is over the plot (client pixels; null when it is not), and the animation frame that handles its latest move (0: none pending). */
  pointer: { readonly x: number; readonly y: number } | null;
  pointerFrame: number;
  /** Bumped by every apply; an apply whose number is no longer current drops its result. */
  generation: number;
  firstDrawn: boolean;
  /** Set once the user moves the opacity slider (until then it follows the curve count). */
  opacityTouched: boolean;
  /** Said on the status line after the sweep facts (what was just done). */
  note: string;
  /** Running applies and paste checks; "evaluating…" shows while any runs. */
  busyHolds: number;
  /** The pending form apply (window timer id; 0 when none). */
  applyTimer: number;
  lastFrameMs: number;
  /** Phases of the latest sweep (ms), shown as data-timings on the status line. */
  readonly timings: Record<string, number>;
  /** Pixel ys of the drawn points, for picking. */
  readonly pixelYs: PixelYCache;
  /** The row colours of the sweep on screen, computed once per change of what defines them (draw.ts rowColorsOf). */
  readonly rowColors: RowColorCache;
}

/** The page: its elements, form, train panel, evaluator and renderer, and its state. */
export interface App {
  readonly ui: Elements;
  readonly form: SweepForm;
  readonly trainPanel: TrainPanel;
  readonly engine: Engine;
  /** The WebGPU device the page evaluates and draws with (null on the CPU). */
  readonly device: GPUDevice | null;
  readonly plot: GpuPlot | CanvasPlot;
  readonly plotCanvas: HTMLCanvasElement;
  readonly state: AppState;
}

export function createState(def: SweepDef): AppState {
  return {
    def,
    wanted: def,
    loaded: null,
    pins: [],
    view: { x: null, y: null, xLog: false },
    hiddenGroups: new Set(),
    visibleRows: null,
    hover: -1,
    hoverCol: -1,
    pointer: null,
    pointerFrame: 0,
    generation: 0,
    firstDrawn: false,
    opacityTouched: false,
    note: '',
    busyHolds: 0,
    applyTimer: 0,
    lastFrameMs: 0,
    timings: {},
    pixelYs: new PixelYCache(),
    rowColors: new RowColorCache(),
  };
}
