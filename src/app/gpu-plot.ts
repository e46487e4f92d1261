/**
 * Draws every curve of a sweep with WebGPU straight from the evaluator's storage
 * buffer (rows × samples f32, row-major): a vertex shader reads the value by
 * instance (curve) and vertex (sample). When samples far exceed pixel columns, a
 * compute pass first reduces each curve to M4 per column (first, min, max, last),
 * so every peak stays visible. The bulk is drawn once into an offscreen texture;
 * hovering only re-composites that texture and draws the highlighted curves.
 */
import { columnStarts, shouldReduce, type DisplayPoints, type Highlight, type PlotView } from './view.ts';

const COMMON = /* wgsl */ `
struct View {
  y0: f32, y1: f32, log_y: u32, alpha: f32,
  rows: u32, per_row: u32, reduced: u32, columns: u32,
  samples: u32, width_px: f32, height_px: f32, dpr: f32,
};
@group(0) @binding(0) var<uniform> view: View;
@group(0) @binding(1) var<storage, read> vals: array<f32>;

fn point_x(i: u32) -> f32 {
  if (view.reduced != 0u) { return (f32(i / 4u) + 0.5) / f32(view.columns); }
  if (view.samples <= 1u) { return 0.5; }
  return f32(i) / f32(view.samples - 1u);
}
fn y_frac(v: f32) -> f32 {
  var t: f32;
  if (view.log_y != 0u) {
    t = (log2(max(v, 1e-38)) - log2(view.y0)) / (log2(view.y1) - log2(view.y0));
  } else {
    t = (v - view.y0) / (view.y1 - view.y0);
  }
  if (t != t) { return -1.0; }
  return clamp(t, -1.0, 2.0);
}
fn point_ndc(row: u32, i: u32) -> vec2f {
  let v = vals[row * view.per_row + i];
  return vec2f(point_x(i) * 2.0 - 1.0, y_frac(v) * 2.0 - 1.0);
}
`;

/** Thick lines: 6 vertices (two triangles) per segment, one instance per highlight. */
const THICK = /* wgsl */ `${COMMON}
struct Hl { color: vec4f, row: u32, width: f32, pad0: u32, pad1: u32 };
@group(0) @binding(2) var<storage, read> hls: array<Hl>;
struct Out { @builtin(position) pos: vec4f, @location(0) color: vec4f };
@vertex fn vs(@builtin(vertex_index) vi: u32, @builtin(instance_index) k: u32) -> Out {
  let h = hls[k];
  let seg = vi / 6u;
  let corner = vi % 6u;
  let px = vec2f(view.width_px, view.height_px) * 0.5;
  let a = point_ndc(h.row, seg) * px;
  let b = point_ndc(h.row, seg + 1u) * px;
  var d = b - a;
  if (length(d) < 1e-4) { d = vec2f(1.0, 0.0); }
  d = normalize(d);
  let n = vec2f(-d.y, d.x) * (h.width * view.dpr * 0.5);
  let e = d * (h.width * view.dpr * 0.5);
  var p: vec2f;
  switch corner {
    case 0u: { p = a - e - n; }
    case 1u: { p = a - e + n; }
    case 2u: { p = b + e - n; }
    case 3u: { p = b + e - n; }
    case 4u: { p = a - e + n; }
    default: { p = b + e + n; }
  }
  var o: Out;
  o.pos = vec4f(p / px, 0.0, 1.0);
  o.color = vec4f(h.color.rgb * h.color.a, h.color.a);
  return o;
}
@fragment fn fs(i: Out) -> @location(0) vec4f { return i.color; }
`;

const BLIT = /* wgsl */ `
@group(0) @binding(0) var base: texture_2d<f32>;
@vertex fn vs(@builtin(vertex_index) vi: u32) -> @builtin(position) vec4f {
  let p = vec2f(f32((vi << 1u) & 2u), f32(vi & 2u));
  return vec4f(p * 2.0 - 1.0, 0.0, 1.0);
}
@fragment fn fs(@builtin(position) pos: vec4f) -> @location(0) vec4f {
  return textureLoad(base, vec2i(pos.xy), 0);
}
`;

const REDUCE = /* wgsl */ `
struct R { rows: u32, samples: u32, columns: u32, threads_x: u32 };
@group(0) @binding(0) var<uniform> r: R;
@group(0) @binding(1) var<storage, read> vals: array<f32>;
@group(0) @binding(2) var<storage, read> starts: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(64) fn reduce(@builtin(global_invocation_id) g: vec3u) {
  let i = g.y * r.threads_x + g.x;
  if (i >= r.rows * r.columns) { return; }
  let row = i / r.columns;
  let c = i % r.columns;
  let a = starts[c];
  let b = starts[c + 1u];
  let base = row * r.samples;
  var mn = vals[base + a];
  var mx = mn;
  var imn = a;
  var imx = a;
  for (var k = a + 1u; k < b; k++) {
    let v = vals[base + k];
    if (v < mn) { mn = v; imn = k; }
    if (v > mx) { mx = v; imx = k; }
  }
  let o = i * 4u;
  out[o] = vals[base + a];
  if (imn <= imx) { out[o + 1u] = mn; out[o + 2u] = mx; } else { out[o + 1u] = mx; out[o + 2u] = mn; }
  out[o + 3u] = vals[base + b - 1u];
}
`;

/**
 * The bulk draw as a compute rasteriser: one thread per run of SEGS_PER_THREAD
 * segments of one curve walks them pixel by pixel (one pixel per column, or per row
 * for steep parts, at pixel centres in half-open spans so joins are not painted
 * twice; a pixel just hit by the same curve is skipped) and adds the curve's colour
 * and a count to each pixel with atomics. Per-primitive set-up is what makes millions
 * of line primitives slow on a software GPU; this has none. 10,000 × 1,000 on
 * SwiftShader: line-strips ~20 s, 1 segment per thread ~5.8 s, 8 per thread ~1.9 s
 * (16: ~3.3 s, 32: ~3 s).
 */
const SEGS_PER_THREAD = 8;
const RASTER = /* wgsl */ `${COMMON}
const SEGS_PER_THREAD = ${SEGS_PER_THREAD}u;
@group(0) @binding(2) var<storage, read> colors: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> accum: array<atomic<u32>>;
@group(0) @binding(4) var<uniform> threads_x: vec4u;
fn plot(x: u32, y: u32, w: u32, rgb: vec3u, last: u32) -> u32 {
  let pix = y * w + x;
  if (pix == last) { return last; }
  atomicAdd(&accum[pix * 4u], rgb.r);
  atomicAdd(&accum[pix * 4u + 1u], rgb.g);
  atomicAdd(&accum[pix * 4u + 2u], rgb.b);
  atomicAdd(&accum[pix * 4u + 3u], 1u);
  return pix;
}
@compute @workgroup_size(64) fn raster(@builtin(global_invocation_id) g: vec3u) {
  let segs = view.per_row - 1u;
  let chunks = (segs + SEGS_PER_THREAD - 1u) / SEGS_PER_THREAD;
  let i = g.y * threads_x.x + g.x;
  if (i >= view.rows * chunks) { return; }
  let row = i / chunks;
  let k0 = (i % chunks) * SEGS_PER_THREAD;
  let k1 = min(segs, k0 + SEGS_PER_THREAD);
  let size = vec2f(view.width_px, view.height_px);
  let c = colors[row];
  let rgb = vec3u(round(clamp(c.rgb, vec3f(0.0), vec3f(1.0)) * 255.0));
  let w = u32(view.width_px);
  let base = row * view.per_row;
  var last = 0xffffffffu;
  var a = vec2f(point_x(k0), 1.0 - y_frac(vals[base + k0])) * size;
  for (var k = k0; k < k1; k++) {
    let b = vec2f(point_x(k + 1u), 1.0 - y_frac(vals[base + k + 1u])) * size;
    let d = b - a;
    if (abs(d.x) >= abs(d.y)) {
      // x-major: one pixel per column whose centre lies in [a.x, b.x), so consecutive
      // segments never paint a column twice (no brighter streaks where samples > pixels).
      let x0 = max(ceil(a.x - 0.5), 0.0);
      let x1 = min(ceil(b.x - 0.5), view.width_px);
      for (var x = x0; x < x1; x += 1.0) {
        let y = a.y + (x + 0.5 - a.x) / d.x * d.y;
        if (y >= 0.0 && y < view.height_px) { last = plot(u32(x), u32(y), w, rgb, last); }
      }
    } else {
      // y-major: one pixel per row whose centre lies between the ends, clipped to the plot.
      let y0 = max(ceil(min(a.y, b.y) - 0.5), 0.0);
      let y1 = min(ceil(max(a.y, b.y) - 0.5), view.height_px);
      for (var y = y0; y < y1; y += 1.0) {
        let x = a.x + (y + 0.5 - a.y) / d.y * d.x;
        if (x >= 0.0 && x < view.width_px) { last = plot(u32(x), u32(y), w, rgb, last); }
      }
    }
    a = b;
  }
}
`;

/** Accumulated colour sums and counts → premultiplied RGBA: n curves of opacity α cover 1 − (1 − α)^n. */
const RESOLVE = /* wgsl */ `
struct P { width: u32, alpha: f32, pad0: u32, pad1: u32 };
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> accum: array<u32>;
@vertex fn vs(@builtin(vertex_index) vi: u32) -> @builtin(position) vec4f {
  let q = vec2f(f32((vi << 1u) & 2u), f32(vi & 2u));
  return vec4f(q * 2.0 - 1.0, 0.0, 1.0);
}
@fragment fn fs(@builtin(position) pos: vec4f) -> @location(0) vec4f {
  let pix = (u32(pos.y) * p.width + u32(pos.x)) * 4u;
  let n = accum[pix + 3u];
  if (n == 0u) { return vec4f(0.0); }
  let rgb = vec3f(f32(accum[pix]), f32(accum[pix + 1u]), f32(accum[pix + 2u])) / (255.0 * f32(n));
  let a = 1.0 - pow(1.0 - p.alpha, f32(n));
  return vec4f(rgb * a, a);
}
`;

const BLEND: GPUBlendState = {
  color: { srcFactor: 'one', dstFactor: 'one-minus-src-alpha', operation: 'add' },
  alpha: { srcFactor: 'one', dstFactor: 'one-minus-src-alpha', operation: 'add' },
};

export class GpuPlot {
  readonly kind = 'webgpu';
  private readonly ctx: GPUCanvasContext;
  private readonly format: GPUTextureFormat;
  private readonly thick: GPURenderPipeline;
  private readonly blit: GPURenderPipeline;
  private readonly reducer: GPUComputePipeline;
  private readonly rasterizer: GPUComputePipeline;
  private readonly resolve: GPURenderPipeline;
  private readonly resolveBuf: GPUBuffer;
  private readonly threadsBuf: GPUBuffer;
  private accum: GPUBuffer | null = null;
  private readonly viewBuf: GPUBuffer;
  private hlBuf: GPUBuffer;
  private colorBuf: GPUBuffer | null = null;
  private values: GPUBuffer | null = null;
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
    ctx.configure({ device, format: this.format, alphaMode: 'premultiplied', usage: GPURenderAttachment() });
    const mod = (code: string): GPUShaderModule => device.createShaderModule({ code });
    const thick = mod(THICK);
    this.thick = device.createRenderPipeline({
      layout: 'auto',
      vertex: { module: thick, entryPoint: 'vs' },
      fragment: { module: thick, entryPoint: 'fs', targets: [{ format: this.format, blend: BLEND }] },
      primitive: { topology: 'triangle-list' },
    });
    const blit = mod(BLIT);
    this.blit = device.createRenderPipeline({
      layout: 'auto',
      vertex: { module: blit, entryPoint: 'vs' },
      fragment: { module: blit, entryPoint: 'fs', targets: [{ format: this.format }] },
    });
    this.reducer = device.createComputePipeline({ layout: 'auto', compute: { module: mod(REDUCE), entryPoint: 'reduce' } });
    this.rasterizer = device.createComputePipeline({ layout: 'auto', compute: { module: mod(RASTER), entryPoint: 'raster' } });
    const resolve = mod(RESOLVE);
    this.resolve = device.createRenderPipeline({
      layout: 'auto',
      vertex: { module: resolve, entryPoint: 'vs' },
      fragment: { module: resolve, entryPoint: 'fs', targets: [{ format: this.format }] },
    });
    this.resolveBuf = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.threadsBuf = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.viewBuf = device.createBuffer({ size: 48, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.hlBuf = device.createBuffer({ size: 32 * 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  }

  /** The sweep to draw: `values` holds rows × samples f32 from byte 0 (the evaluator's output). */
  setData(values: GPUBuffer, rows: number, samples: number): void {
    this.values = values;
    this.rows = rows;
    this.samples = samples;
    this.reducedFor = -1;
  }

  /** One RGBA (0–1) per row. */
  setColors(rgba: Float32Array): void {
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
    this.baseTex = this.device.createTexture({ size, format: this.format, usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.TEXTURE_BINDING });
    this.accum?.destroy();
    this.accum = this.device.createBuffer({ size: widthPx * heightPx * 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    this.reducedFor = -1;
  }

  private get reduced(): boolean {
    return shouldReduce(this.samples, this.widthPx);
  }

  private get perRow(): number {
    return this.reduced ? this.widthPx * 4 : this.samples;
  }

  /** The buffer the vertex shaders read: the evaluator's, or the M4 reduction of it. */
  private source(enc: GPUCommandEncoder): GPUBuffer {
    const values = this.values;
    if (!values) throw new Error('no data');
    if (!this.reduced) return values;
    const columns = this.widthPx;
    if (this.reducedFor === columns && this.reducedBuf) return this.reducedBuf;
    const size = this.rows * columns * 16;
    if (!this.reducedBuf || this.reducedBuf.size < size) {
      this.reducedBuf?.destroy();
      this.reducedBuf = this.device.createBuffer({ size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    }
    const starts = columnStarts(this.samples, columns);
    const startBuf = this.device.createBuffer({ size: starts.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    this.device.queue.writeBuffer(startBuf, 0, starts);
    const threads = this.rows * columns;
    const groups = Math.ceil(threads / 64);
    const gx = Math.min(groups, this.device.limits.maxComputeWorkgroupsPerDimension);
    const gy = Math.ceil(groups / gx);
    const u = this.device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.device.queue.writeBuffer(u, 0, Uint32Array.of(this.rows, this.samples, columns, gx * 64));
    const pass = enc.beginComputePass();
    pass.setPipeline(this.reducer);
    pass.setBindGroup(0, this.device.createBindGroup({
      layout: this.reducer.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: u } },
        { binding: 1, resource: { buffer: values, size: this.rows * this.samples * 4 } },
        { binding: 2, resource: { buffer: startBuf } },
        { binding: 3, resource: { buffer: this.reducedBuf } },
      ],
    }));
    pass.dispatchWorkgroups(gx, gy);
    pass.end();
    this.reducedFor = columns;
    return this.reducedBuf;
  }

  private writeView(): void {
    const b = new ArrayBuffer(48);
    const f = new Float32Array(b);
    const u = new Uint32Array(b);
    const reduced = this.reduced;
    f[0] = this.view.y0;
    f[1] = this.view.y1;
    u[2] = this.view.log ? 1 : 0;
    f[3] = this.view.alpha;
    u[4] = this.rows;
    u[5] = this.perRow;
    u[6] = reduced ? 1 : 0;
    u[7] = this.widthPx;
    u[8] = this.samples;
    f[9] = this.widthPx;
    f[10] = this.heightPx;
    f[11] = this.dpr;
    this.device.queue.writeBuffer(this.viewBuf, 0, b);
  }

  private valuesBinding(src: GPUBuffer): GPUBufferBinding {
    return { buffer: src, size: this.rows * this.perRow * 4 };
  }

  /** Draws every curve into the offscreen base texture (the expensive pass; once per sweep, colour or view change). */
  drawBase(): void {
    if (!this.values || !this.colorBuf || !this.baseTex || !this.accum) return;
    this.writeView();
    const enc = this.device.createCommandEncoder();
    const src = this.source(enc);
    if (this.perRow > 1) this.rasterBase(enc, src);
    else this.clearBase(enc); // one sample per curve: no segment to draw
    this.device.queue.submit([enc.finish()]);
  }

  private rasterBase(enc: GPUCommandEncoder, src: GPUBuffer): void {
    const accum = this.accum as GPUBuffer;
    enc.clearBuffer(accum);
    const threads = this.rows * Math.ceil((this.perRow - 1) / SEGS_PER_THREAD);
    const groups = Math.ceil(threads / 64);
    const gx = Math.min(groups, this.device.limits.maxComputeWorkgroupsPerDimension);
    const gy = Math.ceil(groups / gx);
    this.device.queue.writeBuffer(this.threadsBuf, 0, Uint32Array.of(gx * 64, 0, 0, 0));
    const cp = enc.beginComputePass();
    cp.setPipeline(this.rasterizer);
    cp.setBindGroup(0, this.device.createBindGroup({
      layout: this.rasterizer.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.viewBuf } },
        { binding: 1, resource: this.valuesBinding(src) },
        { binding: 2, resource: { buffer: this.colorBuf as GPUBuffer, size: this.rows * 16 } },
        { binding: 3, resource: { buffer: accum } },
        { binding: 4, resource: { buffer: this.threadsBuf } },
      ],
    }));
    cp.dispatchWorkgroups(gx, gy);
    cp.end();
    const u = new ArrayBuffer(16);
    new Uint32Array(u)[0] = this.widthPx;
    new Float32Array(u)[1] = this.view.alpha;
    this.device.queue.writeBuffer(this.resolveBuf, 0, u);
    const pass = enc.beginRenderPass({
      colorAttachments: [{ view: (this.baseTex as GPUTexture).createView(), clearValue: { r: 0, g: 0, b: 0, a: 0 }, loadOp: 'clear', storeOp: 'store' }],
    });
    pass.setPipeline(this.resolve);
    pass.setBindGroup(0, this.device.createBindGroup({
      layout: this.resolve.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.resolveBuf } },
        { binding: 1, resource: { buffer: accum } },
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

  /** Composites the base texture and draws the highlighted curves on top (the cheap per-hover frame). */
  present(highlights: readonly Highlight[]): void {
    if (!this.values || !this.baseTex) return;
    const enc = this.device.createCommandEncoder();
    const src = this.source(enc);
    const pass = enc.beginRenderPass({
      colorAttachments: [{ view: this.ctx.getCurrentTexture().createView(), clearValue: { r: 0, g: 0, b: 0, a: 0 }, loadOp: 'clear', storeOp: 'store' }],
    });
    pass.setPipeline(this.blit);
    pass.setBindGroup(0, this.device.createBindGroup({ layout: this.blit.getBindGroupLayout(0), entries: [{ binding: 0, resource: this.baseTex.createView() }] }));
    pass.draw(3);
    const hls = highlights.filter((h) => h.row >= 0 && h.row < this.rows);
    if (hls.length > 0 && this.perRow > 1) {
      if (this.hlBuf.size < hls.length * 32) {
        this.hlBuf.destroy();
        this.hlBuf = this.device.createBuffer({ size: hls.length * 32, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
      }
      const b = new ArrayBuffer(hls.length * 32);
      const f = new Float32Array(b);
      const u = new Uint32Array(b);
      hls.forEach((h, k) => {
        f.set(h.rgba, k * 8);
        u[k * 8 + 4] = h.row;
        f[k * 8 + 5] = h.width;
      });
      this.device.queue.writeBuffer(this.hlBuf, 0, b);
      pass.setPipeline(this.thick);
      pass.setBindGroup(0, this.device.createBindGroup({
        layout: this.thick.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: this.viewBuf } },
          { binding: 1, resource: this.valuesBinding(src) },
          { binding: 2, resource: { buffer: this.hlBuf, size: hls.length * 32 } },
        ],
      }));
      pass.draw((this.perRow - 1) * 6, hls.length);
    }
    pass.end();
    this.device.queue.submit([enc.finish()]);
  }

  /** Reads the drawn points back once (for picking): the M4 columns when reduced, else every sample. */
  async points(): Promise<DisplayPoints> {
    const enc = this.device.createCommandEncoder();
    const src = this.source(enc);
    const bytes = this.rows * this.perRow * 4;
    const read = this.device.createBuffer({ size: bytes, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
    enc.copyBufferToBuffer(src, 0, read, 0, bytes);
    this.device.queue.submit([enc.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    const ys = new Float32Array(read.getMappedRange().slice(0));
    read.destroy();
    return { rows: this.rows, perRow: this.perRow, reduced: this.reduced, columns: this.widthPx, samples: this.samples, ys };
  }

  destroy(): void {
    this.baseTex?.destroy();
    this.reducedBuf?.destroy();
    this.colorBuf?.destroy();
    this.hlBuf.destroy();
    this.viewBuf.destroy();
    this.accum?.destroy();
  }
}

function GPURenderAttachment(): GPUTextureUsageFlags {
  // COPY_SRC lets a screenshot/export read the canvas.
  return GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC;
}
