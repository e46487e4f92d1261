// Buffer: the evaluator writes lr[step] for the whole run into a GPUBuffer; your
// optimizer kernel binds it as `var<storage, read> lr: array<f32>` and indexes it with a
// step counter that lives on the GPU. Here: SGD on f(w) = Σ ½ aᵢ (wᵢ − 1)², 1000 steps,
// one submit, one readback at the end.
import { CosineDecay, createEvaluator } from '../../src/index.ts';

export async function trainWithLrBuffer(device: GPUDevice): Promise<Float32Array> {
  const steps = 1000;
  const schedule = new CosineDecay({ initialLearningRate: 0.001, warmupTarget: 0.1, warmupSteps: 100, decaySteps: 900 });
  const evaluator = await createEvaluator({ backend: 'webgpu', device });
  const lr = await evaluator.evaluateToBuffer(schedule, { start: 0, count: steps }); // lr[step], f32

  const module = device.createShaderModule({
    code: /* wgsl */ `
      @group(0) @binding(0) var<storage, read> lr: array<f32>;
      @group(0) @binding(1) var<storage, read_write> step: u32;
      @group(0) @binding(2) var<storage, read_write> w: array<f32>;

      @compute @workgroup_size(64) fn sgd(@builtin(global_invocation_id) id: vec3u) {
        if (id.x < arrayLength(&w)) {
          let a = f32(id.x + 1u) / 256.0;
          let grad = a * (w[id.x] - 1.0);
          w[id.x] = w[id.x] - lr[step] * grad;
        }
      }
      // A separate dispatch, so every sgd invocation has read the step before it moves.
      @compute @workgroup_size(1) fn advance() { step = step + 1u; }`,
  });
  const w = device.createBuffer({ size: 256 * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const counter = device.createBuffer({ size: 4, usage: GPUBufferUsage.STORAGE });
  const sgd = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'sgd' } });
  const advance = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'advance' } });
  const sgdGroup = device.createBindGroup({
    layout: sgd.getBindGroupLayout(0),
    entries: [lr, counter, w].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const advanceGroup = device.createBindGroup({ layout: advance.getBindGroupLayout(0), entries: [{ binding: 1, resource: { buffer: counter } }] });

  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  for (let s = 0; s < steps; s++) {
    pass.setPipeline(sgd);
    pass.setBindGroup(0, sgdGroup);
    pass.dispatchWorkgroups(4);
    pass.setPipeline(advance);
    pass.setBindGroup(0, advanceGroup);
    pass.dispatchWorkgroups(1);
  }
  pass.end();
  const staging = device.createBuffer({ size: w.size, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  encoder.copyBufferToBuffer(w, 0, staging, 0, w.size);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const result = new Float32Array(staging.getMappedRange().slice(0)); // w[i] = 1 − Π(1 − aᵢ lr[s])
  for (const b of [lr, w, counter, staging]) b.destroy();
  evaluator.destroy(); // frees its own buffers; a device you passed in stays yours
  return result;
}
