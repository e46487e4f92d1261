// Inline: concatenate the library's WGSL schedule functions into your own kernel and
// call them there, e.g. cosine_decay(sched, step). packScheduleParams gives the bytes
// of the `sched: ScheduleParams` binding. SCHEDULES_WGSL reads restart-period tables and
// long piecewise lists through a `lr_table` hook the kernel defines; configs without
// tables (this one) append NO_TABLE_WGSL, the others use packSchedules([s], window)
// and bind its `tables` behind lr_table (as examples/train/train.ts does).
import { CosineDecay, NO_TABLE_WGSL, SCHEDULES_WGSL, packScheduleParams } from '../../src/index.ts';

export async function lrFromInlineWgsl(device: GPUDevice, steps = 1000): Promise<Float32Array> {
  const schedule = new CosineDecay({ initialLearningRate: 0.001, warmupTarget: 0.1, warmupSteps: 100, decaySteps: 900 });
  const params = packScheduleParams(schedule);

  const module = device.createShaderModule({
    code: /* wgsl */ `${SCHEDULES_WGSL}${NO_TABLE_WGSL}
      @group(0) @binding(0) var<storage, read> sched: ScheduleParams;
      @group(0) @binding(1) var<storage, read_write> out: array<f32>;

      @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) {
        if (id.x < arrayLength(&out)) {
          out[id.x] = cosine_decay(sched, id.x); // your kernel would use it as its step's lr
        }
      }`,
  });
  const upload = (bytes: ArrayBuffer): GPUBuffer => {
    const b = device.createBuffer({ size: Math.max(4, bytes.byteLength), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(b, 0, bytes);
    return b;
  };
  const paramsBuffer = upload(params);
  const out = device.createBuffer({ size: steps * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const group = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [paramsBuffer, out].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, group);
  pass.dispatchWorkgroups(Math.ceil(steps / 64));
  pass.end();
  const staging = device.createBuffer({ size: out.size, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  encoder.copyBufferToBuffer(out, 0, staging, 0, out.size);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const lr = new Float32Array(staging.getMappedRange().slice(0));
  for (const b of [paramsBuffer, out, staging]) b.destroy();
  return lr;
}
