/**
 * TEMPORARY: what the examples need from the public entry (src/index.ts) until it
 * lands. Schedules and WGSL are the real ones; `createEvaluator` is a stand-in whose
 * `evaluateToBuffer` / `evaluate` run the library's `schedule_value` with the library's
 * packer, as the real evaluator's eval_range does. Deleted once src/index.ts exports these.
 */
import { NO_TABLE_WGSL, SCHEDULES_WGSL, packScheduleParams, packSchedules } from '../../src/kernels/index.ts';
import type { Schedule } from '../../src/schedules/index.ts';

export { CosineDecay, CosineDecayRestarts, ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay } from '../../src/schedules/index.ts';
export type { Schedule } from '../../src/schedules/index.ts';
export { NO_TABLE_WGSL, SCHEDULES_WGSL, packScheduleParams, packSchedules };

export async function createEvaluator(o: { backend: 'webgpu'; device: GPUDevice }) {
  const device = o.device;
  const module = device.createShaderModule({
    code: `${SCHEDULES_WGSL}
@group(0) @binding(0) var<storage, read> p: array<ScheduleParams>;
@group(0) @binding(1) var<storage, read> tables: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
fn lr_table(i: u32) -> u32 { return tables[i]; }
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) {
  if (id.x < arrayLength(&out)) { out[id.x] = schedule_value(p[0], id.x); }
}`,
  });
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const upload = (bytes: ArrayBuffer): GPUBuffer => {
    const b = device.createBuffer({ size: Math.max(4, bytes.byteLength), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(b, 0, bytes);
    return b;
  };
  return {
    backend: 'webgpu' as const,
    async evaluateToBuffer(schedule: Schedule, steps: { start: number; count: number }): Promise<GPUBuffer> {
      if (steps.start !== 0) throw new Error('dev stand-in: start must be 0');
      const packed = packSchedules([schedule], { minStep: 0, maxStep: steps.count - 1 });
      const out = device.createBuffer({ size: steps.count * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
      const pbuf = upload(packed.params);
      const tbuf = upload(packed.tables);
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [pbuf, tbuf, out].map((buffer, binding) => ({ binding, resource: { buffer } })) }));
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
