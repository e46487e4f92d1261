/**
 * Training a small model entirely on WebGPU with the learning rate read per step on
 * the GPU: logistic regression on a seeded synthetic dataset, full-batch gradient
 * and Adam (or SGD with momentum) written in WGSL. Platform-neutral: runs on any
 * GPUDevice (dawn.node in examples/train/node.ts, navigator.gpu in
 * examples/train/main.ts).
 *
 * The whole run is encoded up front: per step three dispatches in one compute pass,
 *   1. `loss_grad`  reads step = state[0], computes the mean loss and gradient
 *                   (one workgroup, tree reduction in workgroup memory);
 *   2. `optimize`   reads the learning rate for that step — `lr[step]` from the
 *                   evaluator's buffer (variant 'buffer') or `cosine_decay(sched,
 *                   step)` from the library's WGSL (variant 'inline') — records it in
 *                   a debug slot at sampled steps and updates the weights;
 *   3. `advance`    state[0] += 1.
 * Dispatches in one pass are ordered and see each other's storage writes, so the step
 * counter never leaves the GPU. One submit; losses, recorded learning rates and
 * weights are read back once at the end.
 */
import { CosineDecay, GpuUnsupportedError, NO_TABLE_WGSL, SCHEDULES_WGSL, SEQUENCE_WGSL, createEvaluator, isSequence, packScheduleParams, packSequence, type AnySchedule, type Evaluator } from '../../src/index.ts';
import { makeDataset, type Optimizer } from './data.ts';

export { makeDataset, mulberry32, trainLogRegReference, type Dataset, type Optimizer } from './data.ts';

export type Variant = 'buffer' | 'inline';

/** The evaluator surface the buffer variant needs. */
export type LrEvaluator = Pick<Evaluator, 'evaluateToBuffer'>;

export interface TrainOptions {
  readonly device: GPUDevice;
  /** Training steps (learning rates lr[0 … steps − 1]). Default 300. */
  readonly steps?: number;
  /** Any schedule, a Sequence (a PyTorch / Hugging Face / Optax schedule) included. Default: `defaultSchedule(steps)`, a CosineDecay with linear warmup. */
  readonly schedule?: AnySchedule;
  /** Where the optimizer kernel gets lr[step]. Default 'buffer'. */
  readonly variant?: Variant;
  /** Default 'adam'. */
  readonly optimizer?: Optimizer;
  /** Seed of the synthetic dataset. Default 1. */
  readonly seed?: number;
  /** Record loss and learning rate at steps that are multiples of this. Default: ≤ 1000 samples. */
  readonly sampleEvery?: number;
  /** Buffer variant: the evaluator that fills the LR buffer (default: one made on `device`). */
  readonly evaluator?: LrEvaluator;
  /** Dataset size; default 1024 samples × 8 features. */
  readonly samples?: number;
  readonly features?: number;
}

export interface TrainResult {
  readonly variant: Variant;
  readonly optimizer: Optimizer;
  readonly steps: number;
  /** Mean loss before the first update (step 0) and after the last one. */
  readonly initialLoss: number;
  readonly finalLoss: number;
  /** Mean loss before the update of step lossSteps[i]; the last entry is after the final update. */
  readonly lossCurve: Float32Array;
  readonly lossSteps: Uint32Array;
  /** The learning rate the optimizer kernel used at step lrSteps[i], as it read it. */
  readonly lrUsed: Float32Array;
  readonly lrSteps: Uint32Array;
  /** Learned weights (features, then bias). */
  readonly weights: Float32Array;
  /** Wall time from encoding the run to its results being mapped, divided by steps. */
  readonly msPerStep: number;
  readonly totalMs: number;
}

/** The example's default schedule: linear warmup to 0.1 over the first 10 % of steps, then cosine decay to 0. */
export function defaultSchedule(steps = 300): CosineDecay {
  const warmupSteps = Math.max(1, Math.round(steps / 10));
  return new CosineDecay({ initialLearningRate: 0.001, warmupTarget: 0.1, warmupSteps, decaySteps: steps - warmupSteps });
}

/** `CosineDecay` → `cosine_decay`: SCHEDULES_WGSL names each function after its TS class. */
export function wgslFunctionName(kind: string): string {
  return kind.replace(/(?<=[a-z])(?=[A-Z])/g, '_').toLowerCase();
}

/**
 * What a user's kernel concatenates for the inline variant: the library's schedule
 * functions, NO_TABLE_WGSL (the `lr_table` hook SCHEDULES_WGSL calls, for configs
 * without tables) and the `sched` binding; plus that binding's bytes from
 * packScheduleParams. A Sequence adds SEQUENCE_WGSL and is called as `lr_at(step)`, its
 * segment table (packSequence) in the binding. Configs that need a table
 * (CosineDecayRestarts other than t_mul = 1 with integer decay steps,
 * PiecewiseConstantDecay with more than 8 boundaries, in a Sequence too) throw
 * GpuUnsupportedError: use the buffer variant for them.
 */
export function inlineSchedule(schedule: AnySchedule, group: number, binding: number): { wgsl: string; call: (step: string) => string; params: ArrayBuffer } {
  if (isSequence(schedule)) {
    const packed = packSequence(schedule);
    if (packed.needsTables) {
      throw new GpuUnsupportedError('schedule', 'a Sequence with a table-backed piece', "the inline variant binds no lr_table: use variant 'buffer' for this Sequence");
    }
    const wgsl = `${SCHEDULES_WGSL}${NO_TABLE_WGSL}${SEQUENCE_WGSL}
@group(${group}) @binding(${binding}) var<storage, read> lr_sequence: LrSequence;
`;
    return { wgsl, call: (step) => `lr_at(${step})`, params: packed.params };
  }
  const params = packScheduleParams(schedule);
  const wgsl = `${SCHEDULES_WGSL}${NO_TABLE_WGSL}
@group(${group}) @binding(${binding}) var<storage, read> sched: ScheduleParams;
`;
  return { wgsl, call: (step) => `${wgslFunctionName(schedule.kind)}(sched, ${step})`, params };
}

const WG = 256;

function trainingWgsl(o: { params: number; samples: number; every: number; lossSlots: number; lrBase: number; optimizer: Optimizer; lrSource: string; lrCall: string }): string {
  const P = o.params;
  const update =
    o.optimizer === 'adam'
      ? /* wgsl */ `
  let t = f32(step + 1u);
  let m = 0.9 * opt[P + k] + 0.1 * g;
  let v = 0.999 * opt[2u * P + k] + 0.001 * g * g;
  opt[P + k] = m;
  opt[2u * P + k] = v;
  let mhat = m / (1.0 - pow(0.9, t));
  let vhat = v / (1.0 - pow(0.999, t));
  w[k] = w[k] - lr * mhat / (sqrt(vhat) + 1e-7);`
      : /* wgsl */ `
  let vel = 0.9 * opt[P + k] - lr * g;
  opt[P + k] = vel;
  w[k] = w[k] + vel;`;
  return /* wgsl */ `
const P: u32 = ${P}u;          // weights: features, then bias
const STRIDE: u32 = ${P + 1}u; // a data row: x (with the constant 1), label
const N: u32 = ${o.samples}u;
const WG: u32 = ${WG}u;
const EVERY: u32 = ${o.every}u;
const FINAL_SLOT: u32 = ${o.lossSlots}u;
const LR_BASE: u32 = ${o.lrBase}u;

@group(0) @binding(0) var<storage, read_write> state: array<u32>;  // [0]: the step
@group(0) @binding(1) var<storage, read> data: array<f32>;
@group(0) @binding(2) var<storage, read_write> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> opt: array<f32>;    // gradient, then optimizer moments
@group(0) @binding(4) var<storage, read_write> record: array<f32>; // losses, final loss, lr used
${o.lrSource}

var<workgroup> red: array<f32, WG>;

// Mean binary cross-entropy and its gradient over the whole dataset, one workgroup.
@compute @workgroup_size(WG) fn loss_grad(@builtin(local_invocation_index) lid: u32) {
  let step = state[0];
  var g: array<f32, P>;
  var loss = 0.0;
  for (var i = lid; i < N; i += WG) {
    let row = i * STRIDE;
    var z = 0.0;
    for (var k = 0u; k < P; k++) { z += w[k] * data[row + k]; }
    let y = data[row + P];
    loss += max(z, 0.0) - z * y + log(1.0 + exp(-abs(z)));
    let r = 1.0 / (1.0 + exp(-z)) - y;
    for (var k = 0u; k < P; k++) { g[k] += r * data[row + k]; }
  }
  for (var k = 0u; k <= P; k++) {
    if (k < P) { red[lid] = g[k]; } else { red[lid] = loss; }
    workgroupBarrier();
    for (var s = WG / 2u; s > 0u; s >>= 1u) {
      if (lid < s) { red[lid] += red[lid + s]; }
      workgroupBarrier();
    }
    if (lid == 0u) {
      let mean = red[0] / f32(N);
      if (k < P) {
        opt[k] = mean;
      } else {
        if (step % EVERY == 0u) { record[step / EVERY] = mean; }
        record[FINAL_SLOT] = mean;
      }
    }
    workgroupBarrier();
  }
}

@compute @workgroup_size(64) fn optimize(@builtin(global_invocation_id) id: vec3u) {
  let step = state[0];
  let lr = ${o.lrCall};
  let k = id.x;
  if (k == 0u && step % EVERY == 0u) { record[LR_BASE + step / EVERY] = lr; }
  if (k >= P) { return; }
  let g = opt[k];${update}
}

@compute @workgroup_size(1) fn advance() {
  state[0] = state[0] + 1u;
}
`;
}

function storage(device: GPUDevice, size: number, data?: ArrayBufferView | ArrayBuffer, extra = 0): GPUBuffer {
  const buffer = device.createBuffer({ size: Math.max(16, Math.ceil(size / 4) * 4), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | extra, mappedAtCreation: data !== undefined });
  if (data) {
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    new Uint8Array(buffer.getMappedRange()).set(bytes);
    buffer.unmap();
  }
  return buffer;
}

/** Trains logistic regression on the GPU with the learning rate looked up per step on the GPU. */
export async function trainLogReg(options: TrainOptions): Promise<TrainResult> {
  const { device } = options;
  const steps = options.steps ?? 300;
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be a positive integer, got ${steps}`);
  const schedule = options.schedule ?? defaultSchedule(steps);
  const variant = options.variant ?? 'buffer';
  const optimizer = options.optimizer ?? 'adam';
  if (variant !== 'buffer' && variant !== 'inline') throw new RangeError(`variant must be 'buffer' or 'inline', got ${String(variant)}`);
  if (optimizer !== 'adam' && optimizer !== 'momentum') throw new RangeError(`optimizer must be 'adam' or 'momentum', got ${String(optimizer)}`);
  const every = options.sampleEvery ?? Math.max(1, Math.ceil(steps / 1000));
  if (!Number.isInteger(every) || every < 1) throw new RangeError(`sampleEvery must be a positive integer, got ${every}`);
  const data = makeDataset(options.seed ?? 1, options.samples ?? 1024, options.features ?? 8);
  const P = data.features + 1;
  if (P > 64) throw new RangeError('at most 63 features (one optimize workgroup)');

  const lossSteps = Uint32Array.from({ length: Math.floor(steps / every) + 1 }, (_, i) => i * every);
  const lrSteps = Uint32Array.from({ length: Math.ceil(steps / every) }, (_, i) => i * every);
  const lossSlots = lossSteps.length;
  const lrBase = lossSlots + 1;
  const recordLength = lrBase + lrSteps.length;

  let lrBinding: GPUBuffer;
  let ownEvaluator: Evaluator | undefined;
  let lrSource: string;
  let lrCall: string;
  if (variant === 'buffer') {
    // lr[0 … steps − 1] into a new buffer (STORAGE | COPY_SRC | COPY_DST) that we then own.
    if (!options.evaluator) ownEvaluator = await createEvaluator({ backend: 'webgpu', device });
    const evaluator = options.evaluator ?? ownEvaluator;
    if (!evaluator) throw new Error('unreachable: no evaluator');
    lrBinding = await evaluator.evaluateToBuffer(schedule, { start: 0, count: steps });
    lrSource = '@group(0) @binding(5) var<storage, read> lr: array<f32>;';
    lrCall = 'lr[step]';
  } else {
    const inline = inlineSchedule(schedule, 0, 5);
    lrBinding = storage(device, inline.params.byteLength, inline.params);
    lrSource = inline.wgsl;
    lrCall = inline.call('step');
  }

  const code = trainingWgsl({ params: P, samples: data.samples, every, lossSlots, lrBase, optimizer, lrSource, lrCall });
  const module = device.createShaderModule({ code });
  const entries: GPUBindGroupLayoutEntry[] = [0, 1, 2, 3, 4, 5].map((binding) => ({
    binding,
    visibility: GPUShaderStage.COMPUTE,
    buffer: { type: binding === 1 || binding === 5 ? 'read-only-storage' : 'storage' },
  }));
  const bindGroupLayout = device.createBindGroupLayout({ entries });
  const layout = device.createPipelineLayout({ bindGroupLayouts: [bindGroupLayout] });
  const [lossGrad, optimize, advance] = await Promise.all(
    ['loss_grad', 'optimize', 'advance'].map((entryPoint) => device.createComputePipelineAsync({ layout, compute: { module, entryPoint } })),
  );
  if (!lossGrad || !optimize || !advance) throw new Error('pipeline creation failed');

  const state = storage(device, 4, new Uint32Array(1));
  const dataBuffer = storage(device, data.rows.byteLength, data.rows);
  const weights = storage(device, P * 4, new Float32Array(P));
  const opt = storage(device, 3 * P * 4, new Float32Array(3 * P));
  const record = storage(device, recordLength * 4, new Float32Array(recordLength).fill(Number.NaN));
  const bindGroup = device.createBindGroup({
    layout: bindGroupLayout,
    entries: [state, dataBuffer, weights, opt, record, lrBinding].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const readRecord = device.createBuffer({ size: recordLength * 4, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  const readWeights = device.createBuffer({ size: P * 4, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  // Make sure uploads and the evaluator's work are done, so the timing covers training only.
  await device.queue.onSubmittedWorkDone();

  const t0 = performance.now();
  const encoder = device.createCommandEncoder({ label: 'training run' });
  const STEPS_PER_PASS = 256;
  for (let done = 0; done < steps; done += STEPS_PER_PASS) {
    const pass = encoder.beginComputePass();
    pass.setBindGroup(0, bindGroup);
    for (let s = done; s < Math.min(steps, done + STEPS_PER_PASS); s++) {
      pass.setPipeline(lossGrad);
      pass.dispatchWorkgroups(1);
      pass.setPipeline(optimize);
      pass.dispatchWorkgroups(1);
      pass.setPipeline(advance);
      pass.dispatchWorkgroups(1);
    }
    pass.end();
  }
  // The loss after the last update (state[0] == steps now).
  const last = encoder.beginComputePass();
  last.setBindGroup(0, bindGroup);
  last.setPipeline(lossGrad);
  last.dispatchWorkgroups(1);
  last.end();
  encoder.copyBufferToBuffer(record, 0, readRecord, 0, recordLength * 4);
  encoder.copyBufferToBuffer(weights, 0, readWeights, 0, P * 4);
  device.queue.submit([encoder.finish()]);
  await Promise.all([readRecord.mapAsync(GPUMapMode.READ), readWeights.mapAsync(GPUMapMode.READ)]);
  const totalMs = performance.now() - t0;

  const rec = new Float32Array(readRecord.getMappedRange().slice(0));
  const learned = new Float32Array(readWeights.getMappedRange().slice(0));
  for (const b of [readRecord, readWeights, state, dataBuffer, weights, opt, record]) b.destroy();
  lrBinding.destroy();
  ownEvaluator?.destroy(); // never destroys `device`: the evaluator did not create it

  const lossCurve = rec.slice(0, lossSlots);
  return {
    variant,
    optimizer,
    steps,
    initialLoss: rec[0] ?? Number.NaN,
    finalLoss: rec[lossSlots] ?? Number.NaN,
    lossCurve,
    lossSteps,
    lrUsed: rec.slice(lrBase, lrBase + lrSteps.length),
    lrSteps,
    weights: learned,
    msPerStep: totalMs / steps,
    totalMs,
  };
}
