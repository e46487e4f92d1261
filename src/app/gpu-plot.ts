/**
 * Draws every curve of a sweep with WebGPU straight from the evaluator's storage
 * buffer (rows × samples f32, row-major). When samples far exceed pixel columns, a
 * compute pass first reduces each curve to M4 per column (first, min, max, last), so
 * every peak stays visible. The bulk is drawn once into an offscreen texture by a
 * compute rasteriser (raster.wgsl: runs of segments per thread, atomics; one pipeline per
 * combination of the view's modes, see `rasterModes`) and a resolve pass;
 * a frame (the first, and each hover's) is a copy of that texture with the highlighted curves drawn over it (thick.wgsl,
 * a vertex shader reading the values by instance and vertex). The pipelines are created
 * asynchronously when the plot is made (`ready`, with the rasteriser for evenly spaced,
 * unreduced samples on a continuous colour map), so they compile while the page starts
 * the evaluator; the M4 one and the rasteriser's other modes only when a sweep needs them,
 * the highlight one after the first bulk pass (or before the first frame with pins). Every uniform and the highlight
 * array are written through the layouts wgsl_reflect read from the WGSL at generation
 * time (uniforms.ts), never at hand offsets.
 */
import { PLOT_CONSTS, PLOT_LAYOUTS, RASTER_WGSL, REDUCE_WGSL, RESOLVE_WGSL, THICK_WGSL } from './plot-shaders.generated.ts';
import { arrayStride, writeStruct } from './uniforms.ts';
import { warmDraws, warmThick } from './gpu-warm.ts';
import { columnStarts, shouldReduce, type DisplayPoints, type Highlight, type PlotView } from './view.ts';

/** The programs are shaders/plot/*.wgsl (generated into plot-shaders.generated.ts by `npm run gen`). */
const { SEGS_PER_THREAD } = PLOT_CONSTS;
const HL_STRIDE = arrayStride(PLOT_LAYOUTS.Hl);

const BLEND: GPUBlendState = {
  color: { srcFactor: 'one', dstFactor: 'one-minus-src-alpha', operation: 'add' },
  alpha: { srcFactor: 'one', dstFactor: 'one-minus-src-alpha', operation: 'add' },
};

interface Pipelines {
  readonly resolve: GPURenderPipeline;
}

/**
 * The rasteriser's pipeline constants (raster.wgsl `override`s): whether the samples are
 * the M4 reduction, drawn at listed x (a log x axis), and coloured by map position t.
 */
export interface RasterModes {
  readonly REDUCED: boolean;
  readonly X_LIST: boolean;
  readonly BY_T: boolean;
}

/** The modes `ready` compiles the rasteriser for: the first sweep's usual case. */
const FIRST_MODES: RasterModes = { REDUCED: false, X_LIST: false, BY_T: true };

/** A cache key of the modes. */
function modesKey(m: RasterModes): string {
  return `${Number(m.REDUCED)}${Number(m.X_LIST)}${Number(m.BY_T)}`;
}

export class GpuPlot {
  readonly kind = 'webgpu';
  /** Resolves once the drawing pipelines are compiled (rejects if one fails). */
  readonly ready: Promise<void>;
  private readonly ctx: GPUCanvasContext;
  private readonly rasterModule: GPUShaderModule;
  private readonly format: GPUTextureFormat;
  private pipes: Pipelines | null = null;
  /** The rasteriser's pipelines by modes (`modesKey`): compiling, and compiled. */
  private readonly rasters = new Map<string, Promise<GPUComputePipeline>>();
  /** The highlight pipeline (thick.wgsl): compiled after the first frame, or when a highlight is first drawn. */
  private thick: Promise<GPURenderPipeline> | null = null;
  private thickReady: GPURenderPipeline | null = null;
  private lastHighlights: readonly Highlight[] = [];
  /** A present is queued for when the highlight pipeline is compiled (one, however many frames asked meanwhile). */
  private presentQueued = false;
  private reducer: Promise<GPUComputePipeline> | null = null;
  private reducerReady: GPUComputePipeline | null = null;
  /** The M4 reduction's uniform and column starts (kept, grown when a sweep needs more columns). */
  private readonly reduceBuf: GPUBuffer;
  private startsBuf: GPUBuffer | null = null;
  private readonly resolveBuf: GPUBuffer;
  private readonly threadsBuf: GPUBuffer;
  private accum: GPUBuffer | null = null;
  private readonly viewBuf: GPUBuffer;
  private hlBuf: GPUBuffer;
  private colorBuf: GPUBuffer | null = null;
  /** The colour map at LUT_SIZE evenly spaced t (resolve.wgsl), when the rows are coloured by t. */
  private readonly lutBuf: GPUBuffer;
  private byT = false;
  private values: GPUBuffer | null = null;
  /** Where each sample is drawn (common.wgsl xs; a log x axis's), and whether it is used (else evenly spaced). */
  private xsBuf: GPUBuffer;
  private xs: Float32Array | null = null;
  private reducedBuf: GPUBuffer | null = null;
  private rows = 0;
  private samples = 0;
  private widthPx = 1;
  private heightPx = 1;
  private dpr = 1;
  private view: PlotView = { y0: 0, y1: 1, log: false, alpha: 0.2 };
  private baseTex: GPUTexture | null = null;
  private reducedFor = -1;

  constructor(
    readonly device: GPUDevice,
    readonly canvas: HTMLCanvasElement,
  ) {
    const ctx = canvas.getContext('webgpu');
    if (!ctx) throw new Error('this canvas has no WebGPU context');
    this.ctx = ctx;
    this.format = navigator.gpu.getPreferredCanvasFormat();
    // COPY_SRC: screenshots and export read it; COPY_DST: each frame starts as a copy of the base texture.
    ctx.configure({ device, format: this.format, alphaMode: 'premultiplied', usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC | GPUTextureUsage.COPY_DST });
    this.rasterModule = device.createShaderModule({ code: RASTER_WGSL });
    this.ready = Promise.all([this.rasterizer(FIRST_MODES), this.render(RESOLVE_WGSL)]).then(([, resolve]) => {
      this.pipes = { resolve };
      warmDraws(device, this.format, this.pipes, this.resolveBuf);
    });
    const UNIFORM = GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST;
    this.resolveBuf = device.createBuffer({ size: uniformSize(PLOT_LAYOUTS.Resolve.size), usage: UNIFORM });
    this.threadsBuf = device.createBuffer({ size: uniformSize(PLOT_LAYOUTS.Grid.size), usage: UNIFORM });
    this.viewBuf = device.createBuffer({ size: uniformSize(PLOT_LAYOUTS.View.size), usage: UNIFORM });
    this.reduceBuf = device.createBuffer({ size: uniformSize(PLOT_LAYOUTS.Reduce.size), usage: UNIFORM });
    this.xsBuf = device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    this.hlBuf = device.createBuffer({ size: HL_STRIDE * 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    this.lutBuf = device.createBuffer({ size: PLOT_CONSTS.LUT_SIZE * 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  }

  private render(code: string, blend?: GPUBlendState, topology?: GPUPrimitiveTopology): Promise<GPURenderPipeline> {
    const module = this.device.createShaderModule({ code });
    return this.device.createRenderPipelineAsync({
      layout: 'auto',
      vertex: { module, entryPoint: 'vs' },
      fragment: { module, entryPoint: 'fs', targets: [{ format: this.format, ...(blend ? { blend } : {}) }] },
      ...(topology ? { primitive: { topology } } : {}),
    });
  }

  /**
   * Resolves once the highlight pipeline is compiled and warmed (starting it the first
   * time). A sweep without pins does not need it for its first frame, so it is not compiled
   * with the others (drawBase starts it once the first bulk pass is done).
   */
  highlighter(): Promise<void> {
    this.thick ??= this.render(THICK_WGSL, BLEND, 'triangle-list').then((p) => (warmThick(this.device, this.format, p, this.viewBuf), (this.thickReady = p)));
    return this.thick.then(() => undefined);
  }

  /** The M4 reduction's pipeline, compiled the first time a sweep has more samples than twice the columns. */
  private reducerPipeline(): Promise<GPUComputePipeline> {
    this.reducer ??= this.device.createComputePipelineAsync({ layout: 'auto', compute: { module: this.device.createShaderModule({ code: REDUCE_WGSL }), entryPoint: 'reduce' } }).then((p) => (this.reducerReady = p));
    return this.reducer;
  }

  /** The rasteriser for these modes (compiled the first time they are drawn, then cached). */
  private rasterizer(modes: RasterModes): Promise<GPUComputePipeline> {
    const key = modesKey(modes);
    let p = this.rasters.get(key);
    if (!p) {
      const constants = { REDUCED: Number(modes.REDUCED), X_LIST: Number(modes.X_LIST), BY_T: Number(modes.BY_T) };
      p = this.device.createComputePipelineAsync({ layout: 'auto', compute: { module: this.rasterModule, entryPoint: 'raster', constants } });
      this.rasters.set(key, p);
    }
    return p;
  }

  /** The rasteriser's modes for the data, colours and size set now. */
  get rasterModes(): RasterModes {
    return { REDUCED: this.reduced, X_LIST: this.xs !== null, BY_T: this.byT };
  }

  /**
   * Everything a draw needs is compiled (the reduction too when this sweep is reduced), and
   * the rasteriser for the modes set when it returns (they may change while one compiles).
   */
  private async prepared(): Promise<GPUComputePipeline> {
    await this.ready;
    for (;;) {
      if (this.reduced) await this.reducerPipeline();
      const modes = this.rasterModes;
      const raster = await this.rasterizer(modes);
      if (modesKey(modes) === modesKey(this.rasterModes)) return raster;
    }
  }

  /**
   * The sweep to draw: `values` holds rows × samples f32 from byte 0 (the evaluator's output);
   * `xs`, where each sample is drawn as a fraction of the width (null: evenly spaced).
   */
  setData(values: GPUBuffer, rows: number, samples: number, xs: Float32Array | null = null): void {
    this.values = values;
    this.rows = rows;
    this.samples = samples;
    this.xs = xs;
    if (xs) {
      if (this.xsBuf.size < xs.byteLength) {
        this.xsBuf.destroy();
        this.xsBuf = this.device.createBuffer({ size: xs.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
      }
      this.device.queue.writeBuffer(this.xsBuf, 0, xs);
    }
    this.reducedFor = -1;
  }

  /**
   * One RGBA (0–1) per row; or, with `byT`, each row's position t on a continuous colour
   * map and that map (`map(t)` is the row's RGB): the bulk draw then adds up the curves' t
   * (2 atomics per pixel instead of 4) and shows the map at their mean.
   */
  setColors(rgba: Float32Array, byT: { readonly t: Float32Array; readonly map: (t: number) => readonly number[] } | null = null): void {
    this.byT = byT !== null;
    if (byT) {
      const n = PLOT_CONSTS.LUT_SIZE;
      const lut = new Float32Array(n * 4);
      for (let i = 0; i < n; i++) lut.set([...byT.map(i / (n - 1)).slice(0, 3), 1], i * 4);
      this.device.queue.writeBuffer(this.lutBuf, 0, lut);
      rgba = rgba.slice();
      byT.t.forEach((t, r) => (rgba[r * 4] = t));
    }
    if (!this.colorBuf || this.colorBuf.size < rgba.byteLength) {
      this.colorBuf?.destroy();
      this.colorBuf = this.device.createBuffer({ size: Math.max(16, rgba.byteLength), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    }
    this.device.queue.writeBuffer(this.colorBuf, 0, rgba);
  }

  setView(view: PlotView): void {
    this.view = view;
  }

  /** Size of the plot area in device pixels. */
  resize(widthPx: number, heightPx: number, dpr: number): void {
    widthPx = Math.max(1, Math.round(widthPx));
    heightPx = Math.max(1, Math.round(heightPx));
    this.dpr = dpr;
    if (widthPx === this.widthPx && heightPx === this.heightPx && this.baseTex) return;
    this.widthPx = widthPx;
    this.heightPx = heightPx;
    this.canvas.width = widthPx;
    this.canvas.height = heightPx;
    this.baseTex?.destroy();
    const size = { width: widthPx, height: heightPx };
    this.baseTex = this.device.createTexture({ size, format: this.format, usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC });
    this.accum?.destroy();
    this.accum = this.device.createBuffer({ size: widthPx * heightPx * 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    this.reducedFor = -1;
  }

  private get reduced(): boolean {
    return shouldReduce(this.samples, this.widthPx, this.xs);
  }

  private get perRow(): number {
    return this.reduced ? this.widthPx * 4 : this.samples;
  }

  /** The buffer the drawing passes read: the evaluator's, or the M4 reduction of it (null until its pipeline is compiled). */
  private source(enc: GPUCommandEncoder): GPUBuffer | null {
    const values = this.values;
    if (!values) throw new Error('no data');
    if (!this.reduced) return values;
    const reducer = this.reducerReady;
    if (!reducer) return null;
    const columns = this.widthPx;
    if (this.reducedFor === columns && this.reducedBuf) return this.reducedBuf;
    const size = this.rows * columns * 16;
    if (!this.reducedBuf || this.reducedBuf.size < size) {
      this.reducedBuf?.destroy();
      this.reducedBuf = this.device.createBuffer({ size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    }
    const starts = columnStarts(this.samples, columns);
    if (!this.startsBuf || this.startsBuf.size < starts.byteLength) {
      // A buffer destroyed after its last submit is freed once that work is done.
      this.startsBuf?.destroy();
      this.startsBuf = this.device.createBuffer({ size: starts.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    }
    const startBuf = this.startsBuf;
    this.device.queue.writeBuffer(startBuf, 0, starts);
    const [gx, gy, threadsX] = this.grid(this.rows * columns, PLOT_CONSTS.REDUCE_WORKGROUP);
    const u = this.reduceBuf;
    this.device.queue.writeBuffer(u, 0, writeStruct(PLOT_LAYOUTS.Reduce, { rows: this.rows, samples: this.samples, columns, threads_x: threadsX }));
    const pass = enc.beginComputePass();
    pass.setPipeline(reducer);
    pass.setBindGroup(0, this.device.createBindGroup({
      layout: reducer.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: u } },
        { binding: 1, resource: { buffer: values, size: this.rows * this.samples * 4 } },
        { binding: 2, resource: { buffer: startBuf, size: starts.byteLength } },
        { binding: 3, resource: { buffer: this.reducedBuf } },
      ],
    }));
    pass.dispatchWorkgroups(gx, gy);
    pass.end();
    this.reducedFor = columns;
    return this.reducedBuf;
  }

  /** Workgroups (x, y) covering `threads` invocations of `workgroup` each, and the invocations per row of the grid. */
  private grid(threads: number, workgroup: number): [number, number, number] {
    const groups = Math.ceil(threads / workgroup);
    const gx = Math.min(groups, this.device.limits.maxComputeWorkgroupsPerDimension);
    return [gx, Math.ceil(groups / gx), gx * workgroup];
  }

  private writeView(): void {
    // y_frac's t = f(v) · y_scale + y_off (f = log2 on a log axis), in doubles here.
    const { y0, y1, log } = this.view;
    const f0 = log ? Math.log2(y0) : y0;
    const yScale = 1 / ((log ? Math.log2(y1) : y1) - f0);
    const b = writeStruct(PLOT_LAYOUTS.View, {
      y_scale: yScale,
      y_off: -f0 * yScale,
      log_y: log,
      alpha: this.view.alpha,
      rows: this.rows,
      per_row: this.perRow,
      reduced: this.reduced,
      columns: this.widthPx,
      samples: this.samples,
      width_px: this.widthPx,
      height_px: this.heightPx,
      dpr: this.dpr,
      // Pixels per sample (reduced: per M4 column); the raster's x of sample k is k · x_scale.
      x_scale: this.reduced ? 1 : this.samples > 1 ? this.widthPx / (this.samples - 1) : 0,
      by_t: this.byT,
      x_list: this.xs !== null,
    });
    this.device.queue.writeBuffer(this.viewBuf, 0, b);
  }

  private valuesBinding(src: GPUBuffer): GPUBufferBinding {
    return { buffer: src, size: this.rows * this.perRow * 4 };
  }

  /**
   * Draws every curve into the offscreen base texture (the expensive pass; once per sweep,
   * colour or view change), once the pipelines are compiled.
   */
  async drawBase(): Promise<void> {
    const raster = await this.prepared();
    const pipes = this.pipes as Pipelines;
    if (!this.values || !this.colorBuf || !this.baseTex || !this.accum) return;
    this.writeView();
    const enc = this.device.createCommandEncoder();
    const src = this.source(enc) as GPUBuffer;
    if (this.perRow > 1) this.rasterBase(enc, src, pipes, raster);
    else this.clearBase(enc); // one sample per curve: no segment to draw
    this.device.queue.submit([enc.finish()]);
    // The highlight pipeline compiles after this pass, not alongside the first sweep's work.
    if (!this.thick) void this.device.queue.onSubmittedWorkDone().then(() => this.highlighter());
  }

  private rasterBase(enc: GPUCommandEncoder, src: GPUBuffer, pipes: Pipelines, rasterizer: GPUComputePipeline): void {
    const accum = this.accum as GPUBuffer;
    enc.clearBuffer(accum);
    const [gx, gy, threadsX] = this.grid(this.rows * Math.ceil((this.perRow - 1) / SEGS_PER_THREAD), PLOT_CONSTS.RASTER_WORKGROUP);
    this.device.queue.writeBuffer(this.threadsBuf, 0, writeStruct(PLOT_LAYOUTS.Grid, { threads_x: threadsX }));
    const cp = enc.beginComputePass();
    cp.setPipeline(rasterizer);
    cp.setBindGroup(0, this.device.createBindGroup({
      layout: rasterizer.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.viewBuf } },
        { binding: 1, resource: this.valuesBinding(src) },
        { binding: 2, resource: { buffer: this.colorBuf as GPUBuffer, size: this.rows * 16 } },
        { binding: 3, resource: { buffer: accum } },
        { binding: 4, resource: { buffer: this.threadsBuf } },
        { binding: 5, resource: { buffer: this.xsBuf } },
      ],
    }));
    cp.dispatchWorkgroups(gx, gy);
    cp.end();
    this.device.queue.writeBuffer(this.resolveBuf, 0, writeStruct(PLOT_LAYOUTS.Resolve, { width: this.widthPx, alpha: this.view.alpha, by_t: this.byT }));
    const pass = enc.beginRenderPass({
      colorAttachments: [{ view: (this.baseTex as GPUTexture).createView(), clearValue: { r: 0, g: 0, b: 0, a: 0 }, loadOp: 'clear', storeOp: 'store' }],
    });
    pass.setPipeline(pipes.resolve);
    pass.setBindGroup(0, this.device.createBindGroup({
      layout: pipes.resolve.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.resolveBuf } },
        { binding: 1, resource: { buffer: accum } },
        { binding: 2, resource: { buffer: this.lutBuf } },
      ],
    }));
    pass.draw(3);
    pass.end();
  }

  private clearBase(enc: GPUCommandEncoder): void {
    enc
      .beginRenderPass({
        colorAttachments: [{ view: (this.baseTex as GPUTexture).createView(), clearValue: { r: 0, g: 0, b: 0, a: 0 }, loadOp: 'clear', storeOp: 'store' }],
      })
      .end();
  }

  /**
   * Composites the base texture and draws the highlighted curves on top (the cheap per-hover
   * frame); nothing before the pipelines are compiled (drawBase waits for them).
   */
  present(highlights: readonly Highlight[]): void {
    this.lastHighlights = highlights;
    const pipes = this.pipes;
    if (!this.values || !this.baseTex || !pipes) return;
    const enc = this.device.createCommandEncoder();
    const src = this.source(enc);
    if (!src) return;
    // The frame is a copy of the base texture (a full-canvas draw that only read it took ~10 ms
    // of SwiftShader per frame; the copy ~0.1 ms), the highlights drawn over it.
    const frame = this.ctx.getCurrentTexture();
    enc.copyTextureToTexture({ texture: this.baseTex }, { texture: frame }, { width: this.widthPx, height: this.heightPx });
    const hls = highlights.filter((h) => h.row >= 0 && h.row < this.rows);
    const thick = this.thickReady;
    // Highlights before their pipeline is compiled: drawn by a second present once it is.
    if (hls.length > 0 && !thick && !this.presentQueued) {
      this.presentQueued = true;
      void this.highlighter().then(() => {
        this.presentQueued = false;
        this.present(this.lastHighlights);
      });
    }
    if (hls.length > 0 && this.perRow > 1 && thick) {
      const pass = enc.beginRenderPass({ colorAttachments: [{ view: frame.createView(), loadOp: 'load', storeOp: 'store' }] });
      const bytes = hls.length * HL_STRIDE;
      if (this.hlBuf.size < bytes) {
        this.hlBuf.destroy();
        this.hlBuf = this.device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
      }
      const b = new DataView(new ArrayBuffer(bytes));
      hls.forEach((h, k) => writeStruct(PLOT_LAYOUTS.Hl, { color: h.rgba, row: h.row, width: h.width }, b, k * HL_STRIDE));
      this.device.queue.writeBuffer(this.hlBuf, 0, b.buffer);
      pass.setPipeline(thick);
      pass.setBindGroup(0, this.device.createBindGroup({
        layout: thick.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: this.viewBuf } },
          { binding: 1, resource: this.valuesBinding(src) },
          { binding: 2, resource: { buffer: this.hlBuf, size: bytes } },
          { binding: 5, resource: { buffer: this.xsBuf } },
        ],
      }));
      pass.draw((this.perRow - 1) * 6, hls.length);
      pass.end();
    }
    this.device.queue.submit([enc.finish()]);
  }

  /** Reads the drawn points back once (for picking): the M4 columns when reduced, else every sample. */
  async readPoints(): Promise<DisplayPoints> {
    if (this.reduced) await this.reducerPipeline();
    const enc = this.device.createCommandEncoder();
    const src = this.source(enc) as GPUBuffer;
    const bytes = this.rows * this.perRow * 4;
    const read = this.device.createBuffer({ size: bytes, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
    enc.copyBufferToBuffer(src, 0, read, 0, bytes);
    this.device.queue.submit([enc.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    const ys = new Float32Array(read.getMappedRange().slice(0));
    read.destroy();
    return { rows: this.rows, perRow: this.perRow, reduced: this.reduced, columns: this.widthPx, samples: this.samples, ys, xs: this.xs };
  }

  destroy(): void {
    this.baseTex?.destroy();
    this.reducedBuf?.destroy();
    this.colorBuf?.destroy();
    this.hlBuf.destroy();
    this.xsBuf.destroy();
    this.lutBuf.destroy();
    this.viewBuf.destroy();
    this.accum?.destroy();
    this.resolveBuf.destroy();
    this.threadsBuf.destroy();
    this.reduceBuf.destroy();
    this.startsBuf?.destroy();
  }
}

/** A uniform buffer's size: the struct's, at least 16 bytes. */
function uniformSize(structSize: number): number {
  return Math.max(16, Math.ceil(structSize / 16) * 16);
}

