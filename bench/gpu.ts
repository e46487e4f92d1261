/**
 * GPU timing and the device's own baselines, the same in Node (Dawn) and in the
 * browser (navigator.gpu): only a GPUDevice comes in.
 *
 * Timing: with `timestamp-query`, every compute pass begun while a PassTimer is
 * active gets timestampWrites (also the passes the project's evaluator encodes:
 * the timer wraps the device's createCommandEncoder for the duration of the
 * measurement), and the GPU time is the sum of (end − begin) over those passes.
 * Copies, clears and readback are outside passes: they only show in wall time,
 * measured from the first call to `queue.onSubmittedWorkDone()`.
 */

export type TimingMethod = 'timestamp-query' | 'wall';

export interface TimedRun<T> {
  readonly result: T;
  /** From the start of the measured function to queue.onSubmittedWorkDone(). */
  readonly wallMs: number;
  /** Sum of compute-pass durations from GPU timestamps; undefined without timestamp-query or without passes. */
  readonly gpuMs: number | undefined;
  /** Compute passes timed. */
  readonly passes: number;
}

const QUERY_CAPACITY = 4096; // WebGPU's maximum querySet size
const QUERIES_PER_ALIGN = 32; // resolveQuerySet's destination offset must be a multiple of 256 bytes

/** Measures wall time and, where the device has timestamp-query, the GPU time of compute passes. */
export class PassTimer {
  readonly method: TimingMethod;
  private readonly querySet: GPUQuerySet | undefined;
  private readonly resolveBuffer: GPUBuffer | undefined;
  private readonly readBuffer: GPUBuffer | undefined;
  private next = 0;
  private pairs: [number, number][] = [];
  private overflow = false;

  constructor(
    private readonly device: GPUDevice,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (device.features.has('timestamp-query')) {
      this.method = 'timestamp-query';
      this.querySet = device.createQuerySet({ type: 'timestamp', count: QUERY_CAPACITY });
      this.resolveBuffer = device.createBuffer({ size: QUERY_CAPACITY * 8, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
      this.readBuffer = device.createBuffer({ size: QUERY_CAPACITY * 8, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    } else {
      this.method = 'wall';
    }
  }

  /** Runs `fn` (which submits GPU work), waits for the queue, returns its wall and GPU time. */
  async time<T>(fn: () => Promise<T> | T): Promise<TimedRun<T>> {
    const device = this.device;
    this.next = 0;
    this.pairs = [];
    this.overflow = false;
    const restore = this.querySet ? this.install() : () => undefined;
    let result: T;
    let wallMs: number;
    try {
      const t0 = this.now();
      result = await fn();
      await device.queue.onSubmittedWorkDone();
      wallMs = this.now() - t0;
    } finally {
      restore();
    }
    const gpuMs = await this.collect();
    return { result, wallMs, gpuMs, passes: this.pairs.length };
  }

  private install(): () => void {
    const device = this.device;
    const querySet = this.querySet as GPUQuerySet;
    const resolveBuffer = this.resolveBuffer as GPUBuffer;
    const own = Object.prototype.hasOwnProperty.call(device, 'createCommandEncoder');
    const previous = device.createCommandEncoder;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const timer = this;
    const wrapped = function createCommandEncoder(desc?: GPUCommandEncoderDescriptor): GPUCommandEncoder {
      const enc = previous.call(device, desc);
      timer.next = Math.ceil(timer.next / QUERIES_PER_ALIGN) * QUERIES_PER_ALIGN;
      const first = timer.next;
      const begin = enc.beginComputePass;
      const finish = enc.finish;
      enc.beginComputePass = function beginComputePass(d?: GPUComputePassDescriptor): GPUComputePassEncoder {
        if (d?.timestampWrites || timer.next + 2 > QUERY_CAPACITY) {
          if (!d?.timestampWrites) timer.overflow = true;
          return begin.call(enc, d);
        }
        const i = timer.next;
        timer.next += 2;
        timer.pairs.push([i, i + 1]);
        return begin.call(enc, { ...d, timestampWrites: { querySet, beginningOfPassWriteIndex: i, endOfPassWriteIndex: i + 1 } });
      };
      enc.finish = function finishEncoder(d?: GPUCommandBufferDescriptor): GPUCommandBuffer {
        const count = timer.next - first;
        if (count > 0) enc.resolveQuerySet(querySet, first, count, resolveBuffer, first * 8);
        return finish.call(enc, d);
      };
      return enc;
    };
    device.createCommandEncoder = wrapped;
    return () => {
      if (own) device.createCommandEncoder = previous;
      else delete (device as { createCommandEncoder?: unknown }).createCommandEncoder;
    };
  }

  private async collect(): Promise<number | undefined> {
    if (!this.querySet || this.pairs.length === 0 || this.overflow) return undefined;
    const bytes = Math.ceil(this.next / 2) * 16;
    const enc = this.device.createCommandEncoder();
    enc.copyBufferToBuffer(this.resolveBuffer as GPUBuffer, 0, this.readBuffer as GPUBuffer, 0, bytes);
    this.device.queue.submit([enc.finish()]);
    const rb = this.readBuffer as GPUBuffer;
    await rb.mapAsync(GPUMapMode.READ, 0, bytes);
    const ts = new BigUint64Array(rb.getMappedRange(0, bytes));
    let ns = 0n;
    let bad = false;
    for (const [b, e] of this.pairs) {
      const tb = ts[b] ?? 0n;
      const te = ts[e] ?? 0n;
      if (te < tb || tb === 0n) bad = true;
      else ns += te - tb;
    }
    rb.unmap();
    return bad ? undefined : Number(ns) / 1e6;
  }

  destroy(): void {
    this.querySet?.destroy();
    this.resolveBuffer?.destroy();
    this.readBuffer?.destroy();
  }
}

const WORKGROUP = 256;

/** Params shared by the baseline kernels: count, groups_x, scale (f32), start. */
const PARAMS = /* wgsl */ `
struct P { count: u32, groups_x: u32, scale: f32, start: u32 }
@group(0) @binding(0) var<uniform> p: P;
fn index(wg: vec3u, li: u32) -> u32 { return (wg.y * p.groups_x + wg.x) * ${WORKGROUP}u + li; }
`;

/** Write-only: out[i] = f32(start + i) · scale. The device's write rate, and verifiable. */
export const FILL_WGSL = /* wgsl */ `${PARAMS}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(${WORKGROUP}) fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = index(wg, li);
  if (i >= p.count) { return; }
  out[i] = f32(p.start + i) * p.scale;
}`;

/** Read one float, write one float: the device's copy rate through a kernel. */
export const COPY_WGSL = /* wgsl */ `${PARAMS}
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;
@compute @workgroup_size(${WORKGROUP}) fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = index(wg, li);
  if (i >= p.count) { return; }
  dst[i] = src[i];
}`;

/**
 * A deliberately wrong but fast cosine decay, for the self-test: Keras's formula
 * literally in f32 with the builtin cos, lr = scale · 0.5·(1 + cos(π·min(s, D)/D)),
 * D = bitcast(start). It is fine in the middle and loses the bound near s → D
 * (cancellation in 1 + cos near π, docs/accuracy.md#why-the-obvious-formulas-miss): the bench's verification must catch it.
 */
export const NAIVE_COSINE_WGSL = /* wgsl */ `${PARAMS}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(${WORKGROUP}) fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = index(wg, li);
  if (i >= p.count) { return; }
  let d = f32(p.start);
  let f = min(f32(i), d) / d;
  out[i] = p.scale * (0.5 * (1.0 + cos(3.14159265358979 * f)));
}`;

/** A grossly wrong "cosine decay" (linear), faster still: must fail verification everywhere but the ends. */
export const LINEAR_WRONG_WGSL = /* wgsl */ `${PARAMS}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(${WORKGROUP}) fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = index(wg, li);
  if (i >= p.count) { return; }
  let d = f32(p.start);
  out[i] = p.scale * (1.0 - min(f32(i), d) / d);
}`;

/** Workgroup grid for n invocations within maxComputeWorkgroupsPerDimension. */
export function grid(n: number, maxPerDim: number): { x: number; y: number } {
  const groups = Math.max(1, Math.ceil(n / WORKGROUP));
  const y = Math.ceil(groups / maxPerDim);
  return { x: Math.ceil(groups / y), y };
}

/** A compiled one-dispatch kernel over `count` elements (a fill, copy or self-test kernel). */
export class SimpleKernel {
  private readonly pipeline: GPUComputePipeline;
  private readonly uniform: GPUBuffer;

  constructor(
    private readonly device: GPUDevice,
    code: string,
    readonly label: string,
  ) {
    const module = device.createShaderModule({ code, label });
    this.pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' }, label });
    this.uniform = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  }

  /** Encodes and submits one dispatch writing `count` elements into `buffers` (bindings 1, 2, ...). */
  run(buffers: readonly GPUBuffer[], count: number, params: { scale?: number; start?: number } = {}): void {
    const device = this.device;
    const g = grid(count, device.limits.maxComputeWorkgroupsPerDimension);
    const data = new ArrayBuffer(16);
    const view = new DataView(data);
    view.setUint32(0, count, true);
    view.setUint32(4, g.x, true);
    view.setFloat32(8, params.scale ?? 1, true);
    view.setUint32(12, params.start ?? 0, true);
    device.queue.writeBuffer(this.uniform, 0, data);
    const bindGroup = device.createBindGroup({
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: this.uniform } }, ...buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer, size: count * 4 } }))],
    });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(g.x, g.y);
    pass.end();
    device.queue.submit([enc.finish()]);
  }

  destroy(): void {
    this.uniform.destroy();
  }
}

/** clearBuffer of `bytes` bytes (no pass: wall time only). */
export function clearBuffer(device: GPUDevice, buffer: GPUBuffer, bytes: number): void {
  const enc = device.createCommandEncoder();
  enc.clearBuffer(buffer, 0, bytes);
  device.queue.submit([enc.finish()]);
}

/** copyBufferToBuffer of `bytes` bytes (no pass: wall time only). */
export function copyBuffer(device: GPUDevice, src: GPUBuffer, dst: GPUBuffer, bytes: number): void {
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, 0, dst, 0, bytes);
  device.queue.submit([enc.finish()]);
}

/**
 * Reads the f32 values at `indices` of a GPU buffer (starting `byteOffset` bytes in),
 * with one 4-byte copy each: verifying a result kept on the GPU without reading it all.
 */
export async function readSample(device: GPUDevice, buffer: GPUBuffer, indices: readonly number[], byteOffset = 0): Promise<Float32Array> {
  const n = indices.length;
  const staging = device.createBuffer({ size: Math.max(4, n * 4), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device.createCommandEncoder();
  for (let j = 0; j < n; j++) enc.copyBufferToBuffer(buffer, byteOffset + (indices[j] as number) * 4, staging, j * 4, 4);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(staging.getMappedRange().slice(0, n * 4));
  staging.destroy();
  return out;
}

/** A STORAGE | COPY_SRC | COPY_DST buffer of `bytes` bytes, inside validation and OOM error scopes. */
export async function createStorage(device: GPUDevice, bytes: number, label: string): Promise<GPUBuffer> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  const buffer = device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST, label });
  const validation = await device.popErrorScope();
  const oom = await device.popErrorScope();
  if (validation || oom) {
    buffer.destroy();
    throw new Error(`cannot allocate ${label} (${bytes} bytes): ${(validation ?? oom)?.message ?? ''}`);
  }
  return buffer;
}
