/**
 * TEMPORARY stand-in for the library's public API while src/schedules, src/kernels
 * and src/api land (docs/design.md contracts). Only what the training example needs:
 * a CosineDecay with `at()`, a WGSL `cosine_decay(params, step)`, a parameter packer
 * and an evaluator whose `evaluateToBuffer` fills lr[step] on the GPU with that same
 * WGSL function. Deleted once the real exports are in src/index.ts.
 */

export interface CosineDecayConfig {
  initialLearningRate: number;
  decaySteps: number;
  alpha?: number;
  warmupTarget?: number | null;
  warmupSteps?: number;
}

export class CosineDecay {
  readonly kind = 'CosineDecay' as const;
  readonly config: Required<{ [K in keyof CosineDecayConfig]: Exclude<CosineDecayConfig[K], undefined> }>;
  constructor(c: CosineDecayConfig) {
    this.config = { alpha: 0, warmupTarget: null, warmupSteps: 0, ...c };
  }
  at(step: number): number {
    const { initialLearningRate: a, decaySteps, alpha, warmupTarget, warmupSteps } = this.config;
    if (warmupTarget !== null && step < warmupSteps) return a + ((warmupTarget - a) * step) / warmupSteps;
    const peak = warmupTarget ?? a;
    const s = Math.min(step - warmupSteps, decaySteps);
    const cosine = 0.5 * (1 + Math.cos((Math.PI * s) / decaySteps));
    return peak * ((1 - alpha) * cosine + alpha);
  }
}

export type Schedule = CosineDecay;

export const SCHEDULES_WGSL = /* wgsl */ `
struct ScheduleParams { a: f32, peak: f32, decay_steps: f32, alpha: f32, warmup_steps: f32, has_warmup: u32, _p0: u32, _p1: u32 }
fn cosine_decay(p: ScheduleParams, step: u32) -> f32 {
  let s = f32(step);
  if (p.has_warmup != 0u && s < p.warmup_steps) { return p.a + (p.peak - p.a) * s / p.warmup_steps; }
  let d = min(s - p.warmup_steps, p.decay_steps);
  let c = 0.5 * (1.0 + cos(3.14159265 * d / p.decay_steps));
  return p.peak * ((1.0 - p.alpha) * c + p.alpha);
}
`;

export function packScheduleParams(s: Schedule): { params: ArrayBuffer; tables: ArrayBuffer } {
  const b = new ArrayBuffer(32);
  const f = new Float32Array(b);
  const u = new Uint32Array(b);
  const c = s.config;
  f[0] = c.initialLearningRate;
  f[1] = c.warmupTarget ?? c.initialLearningRate;
  f[2] = c.decaySteps;
  f[3] = c.alpha;
  f[4] = c.warmupSteps;
  u[5] = c.warmupTarget === null ? 0 : 1;
  return { params: b, tables: new ArrayBuffer(4) };
}

export async function createEvaluator(o: { backend: 'webgpu'; device: GPUDevice }) {
  const device = o.device;
  const module = device.createShaderModule({
    code: `${SCHEDULES_WGSL}
@group(0) @binding(0) var<storage, read> p: ScheduleParams;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) {
  if (id.x < arrayLength(&out)) { out[id.x] = cosine_decay(p, id.x); }
}`,
  });
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  return {
    backend: 'webgpu' as const,
    async evaluateToBuffer(schedule: Schedule, steps: { start: number; count: number }): Promise<GPUBuffer> {
      if (steps.start !== 0) throw new Error('dev stand-in: start must be 0');
      const out = device.createBuffer({ size: steps.count * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
      const pbuf = device.createBuffer({ size: 32, usage: GPUBufferUsage.STORAGE, mappedAtCreation: true });
      new Uint8Array(pbuf.getMappedRange()).set(new Uint8Array(packScheduleParams(schedule).params));
      pbuf.unmap();
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: pbuf } }, { binding: 1, resource: { buffer: out } }] }));
      pass.dispatchWorkgroups(Math.ceil(steps.count / 64));
      pass.end();
      device.queue.submit([enc.finish()]);
      return out;
    },
    async evaluate(schedule: Schedule, steps: ArrayLike<number>): Promise<{ values: Float32Array }> {
      const n = steps.length;
      let max = 0;
      for (let i = 0; i < n; i++) max = Math.max(max, steps[i] ?? 0);
      const buf = await this.evaluateToBuffer(schedule, { start: 0, count: max + 1 });
      const staging = device.createBuffer({ size: (max + 1) * 4, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
      const enc = device.createCommandEncoder();
      enc.copyBufferToBuffer(buf, 0, staging, 0, (max + 1) * 4);
      device.queue.submit([enc.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const all = new Float32Array(staging.getMappedRange().slice(0));
      staging.destroy();
      buf.destroy();
      return { values: Float32Array.from({ length: n }, (_, i) => all[steps[i] ?? 0] ?? NaN) };
    },
    destroy(): void {},
  };
}
