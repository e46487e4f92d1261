// Inline Sequence: a schedule made of pieces (here a linear warmup, a flat stretch and a
// cosine cooldown) in your own kernel. SEQUENCE_WGSL adds `lr_at(step)`, which reads
// the segment table `lr_sequence` your kernel declares; packSequence gives its bytes.
import { CosineDecay, Linear, NO_TABLE_WGSL, SCHEDULES_WGSL, SEQUENCE_WGSL, Sequence, packSequence } from '../../src/index.ts';

export const wsd = (): Sequence =>
  new Sequence({
    pieces: [
      { begin: 0, schedule: new Linear({ from: 0, to: 0.1, steps: 100 }) },
      { begin: 100, schedule: new Linear({ from: 0.1, to: 0.1, steps: 1 }) },
      { begin: 800, schedule: new CosineDecay({ initialLearningRate: 0.1, decaySteps: 200 }) },
    ],
  });

export async function lrFromInlineSequence(device: GPUDevice, steps = 1000): Promise<Float32Array> {
  const { params } = packSequence(wsd());
  const module = device.createShaderModule({
    code: /* wgsl */ `${SCHEDULES_WGSL}${NO_TABLE_WGSL}${SEQUENCE_WGSL}
      @group(0) @binding(0) var<uniform> lr_sequence: LrSequence;
      @group(0) @binding(1) var<storage, read_write> out: array<f32>;

      @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) {
        if (id.x < arrayLength(&out)) {
          out[id.x] = lr_at(id.x); // your kernel would use it as its step's lr
        }
      }`,
  });
  const uniform = device.createBuffer({ size: params.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(uniform, 0, params);
  const out = device.createBuffer({ size: steps * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const group = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [uniform, out].map((buffer, binding) => ({ binding, resource: { buffer } })),
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
  for (const b of [uniform, out, staging]) b.destroy();
  return lr;
}
