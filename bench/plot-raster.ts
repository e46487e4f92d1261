/**
 * The explorer's bulk raster pass alone (shaders/plot/raster.wgsl, not a test), over Dawn
 * in Node: the 10,000 × 1,000 sweep of bench/explorer.ts (CosineDecay, 500 warmup targets ×
 * 5 α × 4 warmup lengths, steps 0…9,990 every 10, log y; values from the closed form, the
 * pass's cost does not depend on their last bits) into 760 × 470 px. Prints, per colour
 * mode (map position t: 2 atomics per pixel; RGB: 4; each its own pipeline, as the page
 * compiles them: raster.wgsl's BY_T constant), the process's CPU time and the wall
 * time of each pass (submit → onSubmittedWorkDone) and their medians, and the pixels hit.
 * On SwiftShader the pass runs on the CPU: its CPU time is the figure to compare between
 * trees on a shared machine (the wall time follows the load).
 *
 *   npx tsx bench/plot-raster.ts          (RUNS=5 passes per mode; CASE=1k: 1,000 × 1,001)
 */
import { loadavg } from 'node:os';
import { PLOT_CONSTS, PLOT_LAYOUTS, RASTER_WGSL } from '../src/app/plot-shaders.generated.ts';
import { writeStruct } from '../src/app/uniforms.ts';
import { acquireDevice } from '../src/gpu/device.ts';
import { median } from './stats.ts';

const W = 760;
const H = 470;
const RUNS = Number(process.env.RUNS ?? 5);
const [targets, end, stride] = process.env.CASE === '1k' ? [50, 1000, 1] : [500, 9990, 10];
const samples = Math.floor(end / stride) + 1;
const alphas = [0, 0.01, 0.05, 0.1, 0.2];
const warmups = [0, 500, 1000, 2000];
const rows = targets * alphas.length * warmups.length;
const ys = new Float32Array(rows * samples);
const colors = new Float32Array(rows * 4);
let hi = -Infinity;
let minPos = Infinity;
for (let ti = 0, r = 0; ti < targets; ti++) {
  const target = 1e-4 * 100 ** (ti / (targets - 1));
  for (const a of alphas) {
    for (const w of warmups) {
      for (let i = 0; i < samples; i++) {
        const s = i * stride;
        const v = s < w ? (target * s) / w : target * ((1 - a) * 0.5 * (1 + Math.cos((Math.PI * Math.min(s - w, 8000)) / 8000)) + a);
        ys[r * samples + i] = v;
        hi = Math.max(hi, v);
        if (v > 0) minPos = Math.min(minPos, v);
      }
      colors.set([ti / (targets - 1), 0.5, 0.5, 1], r * 4);
      r++;
    }
  }
}
// The page's log domain (draw.ts domains) and View (gpu-plot.ts writeView).
const y1 = hi * 1.25;
const y0 = Math.max(minPos * 0.8, y1 * 1e-4);
const yScale = 1 / (Math.log2(y1) - Math.log2(y0));

const { device, adapterName } = await acquireDevice();
const module = device.createShaderModule({ code: RASTER_WGSL });
const buffer = (data: ArrayBufferView | number, usage: number): GPUBuffer => {
  const b = device.createBuffer({ size: typeof data === 'number' ? data : Math.max(16, data.byteLength), usage: usage | GPUBufferUsage.COPY_DST });
  if (typeof data !== 'number') device.queue.writeBuffer(b, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
  return b;
};
const STORAGE = GPUBufferUsage.STORAGE;
const accum = buffer(W * H * 16, STORAGE | GPUBufferUsage.COPY_SRC);
const groups = Math.ceil((rows * Math.ceil((samples - 1) / PLOT_CONSTS.SEGS_PER_THREAD)) / PLOT_CONSTS.RASTER_WORKGROUP);
const gx = Math.min(groups, device.limits.maxComputeWorkgroupsPerDimension);
const gy = Math.ceil(groups / gx);
const grid = buffer(new Uint8Array(writeStruct(PLOT_LAYOUTS.Grid, { threads_x: gx * PLOT_CONSTS.RASTER_WORKGROUP })), GPUBufferUsage.UNIFORM);
const vals = buffer(ys, STORAGE);
const cols = buffer(colors, STORAGE);
// Evenly spaced samples (view.x_list false): the per-sample x buffer is bound, not read.
const xs = buffer(16, STORAGE);

console.log(`${new Date().toISOString()} ${adapterName}; ${rows.toLocaleString('en-US')} × ${samples.toLocaleString('en-US')} into ${W} × ${H} px; load average ${loadavg().map((x) => x.toFixed(2)).join(' / ')}`);
for (const byT of [true, false]) {
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'raster', constants: { REDUCED: 0, X_LIST: 0, BY_T: Number(byT) } } });
  const view = { y_scale: yScale, y_off: -Math.log2(y0) * yScale, log_y: true, alpha: 0.025, rows, per_row: samples, reduced: false, columns: W, samples, width_px: W, height_px: H, dpr: 1, x_scale: W / (samples - 1), by_t: byT, x_list: false };
  const viewBuf = buffer(new Uint8Array(writeStruct(PLOT_LAYOUTS.View, view)), GPUBufferUsage.UNIFORM);
  const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [viewBuf, vals, cols, accum, grid, xs].map((b, binding) => ({ binding, resource: { buffer: b } })) });
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const enc = device.createCommandEncoder();
    enc.clearBuffer(accum);
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(gx, gy);
    pass.end();
    const t = performance.now();
    const c = process.cpuUsage();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
    wall.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  const read = device.createBuffer({ size: W * H * 16, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(accum, 0, read, 0, W * H * 16);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const acc = new Uint32Array(read.getMappedRange());
  let hits = 0;
  // raster.wgsl's layout: by t, 2 words per pixel (t sum, count); by RGB, 4 (R, G, B, count).
  const stride = byT ? 2 : 4;
  for (let p = stride - 1; p < acc.length; p += stride) hits += acc[p] as number;
  read.destroy();
  const f = (xs: number[]): string => `${xs.map((x) => x.toFixed(0)).join(', ')} (median ${median(xs).toFixed(0)})`;
  console.log(`${byT ? 'by map position t (2 atomics)' : 'by RGB (4 atomics)'}: CPU ms ${f(cpu)}; wall ms ${f(wall)}; ${hits.toLocaleString('en-US')} pixel hits`);
}
console.log(`load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' / ')}`);
device.destroy();
