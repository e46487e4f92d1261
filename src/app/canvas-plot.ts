/**
 * The fallback renderer for browsers without WebGPU: the same drawing (every
 * curve with transparency, M4 reduction when samples exceed pixels, a cached base
 * layer and cheap highlight frames) on a 2D canvas from the CPU evaluator's values.
 */
import { pointX, reduceM4, shouldReduce, yFraction, cssColor, type DisplayPoints, type Highlight, type PlotView } from './view.ts';

export class CanvasPlot {
  readonly kind = 'canvas2d';
  private readonly ctx: CanvasRenderingContext2D;
  private readonly base: HTMLCanvasElement;
  private values: Float32Array = new Float32Array(0);
  private rows = 0;
  private samples = 0;
  private xs: Float32Array | null = null;
  private colors: Float32Array = new Float32Array(0);
  private view: PlotView = { y0: 0, y1: 1, log: false, alpha: 0.2 };
  private widthPx = 1;
  private heightPx = 1;
  private dpr = 1;
  private display: DisplayPoints | null = null;

  constructor(readonly canvas: HTMLCanvasElement) {
    // willReadFrequently keeps the canvas in CPU memory: Skia's software rasteriser strokes
    // thousands of translucent paths far faster than a GPU-emulated (SwiftShader) one.
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2D canvas context');
    this.ctx = ctx;
    this.base = document.createElement('canvas');
  }

  /** `xs`: where each sample is drawn, as a fraction of the width (null: evenly spaced). */
  setData(values: Float32Array, rows: number, samples: number, xs: Float32Array | null = null): void {
    this.values = values;
    this.xs = xs;
    this.rows = rows;
    this.samples = samples;
    this.display = null;
  }

  setColors(rgba: Float32Array): void {
    this.colors = rgba;
  }

  setView(view: PlotView): void {
    this.view = view;
  }

  resize(widthPx: number, heightPx: number, dpr: number): void {
    widthPx = Math.max(1, Math.round(widthPx));
    heightPx = Math.max(1, Math.round(heightPx));
    this.dpr = dpr;
    if (widthPx === this.widthPx && heightPx === this.heightPx) return;
    this.widthPx = this.canvas.width = this.base.width = widthPx;
    this.heightPx = this.canvas.height = this.base.height = heightPx;
    this.display = null;
  }

  private points(): DisplayPoints {
    if (this.display) return this.display;
    const reduced = shouldReduce(this.samples, this.widthPx, this.xs);
    const ys = reduced ? reduceM4(this.values, this.rows, this.samples, this.widthPx) : this.values;
    this.display = { rows: this.rows, perRow: reduced ? this.widthPx * 4 : this.samples, reduced, columns: this.widthPx, samples: this.samples, ys, xs: this.xs };
    return this.display;
  }

  private trace(ctx: CanvasRenderingContext2D, d: DisplayPoints, row: number): void {
    const w = this.widthPx;
    const h = this.heightPx;
    const o = row * d.perRow;
    ctx.moveTo(pointX(d, 0) * w, (1 - yFraction(this.view, d.ys[o] as number)) * h);
    for (let i = 1; i < d.perRow; i++) ctx.lineTo(pointX(d, i) * w, (1 - yFraction(this.view, d.ys[o + i] as number)) * h);
  }

  drawBase(): void {
    const d = this.points();
    const ctx = this.base.getContext('2d', { willReadFrequently: true });
    if (!ctx) return;
    ctx.clearRect(0, 0, this.widthPx, this.heightPx);
    ctx.lineWidth = this.dpr;
    for (let r = 0; r < d.rows; r++) {
      ctx.strokeStyle = cssColor([this.colors[r * 4] ?? 0, this.colors[r * 4 + 1] ?? 0, this.colors[r * 4 + 2] ?? 0], this.view.alpha * (this.colors[r * 4 + 3] ?? 1));
      ctx.beginPath();
      this.trace(ctx, d, r);
      ctx.stroke();
    }
  }

  present(highlights: readonly Highlight[]): void {
    const ctx = this.ctx;
    ctx.clearRect(0, 0, this.widthPx, this.heightPx);
    ctx.drawImage(this.base, 0, 0);
    const d = this.points();
    ctx.lineJoin = 'round';
    ctx.lineCap = 'round';
    for (const h of highlights) {
      if (h.row < 0 || h.row >= this.rows) continue;
      ctx.strokeStyle = cssColor(h.rgba, h.rgba[3]);
      ctx.lineWidth = h.width * this.dpr;
      ctx.beginPath();
      this.trace(ctx, d, h.row);
      ctx.stroke();
    }
  }

  async readPoints(): Promise<DisplayPoints> {
    return this.points();
  }

  destroy(): void {
    this.values = new Float32Array(0);
  }
}
