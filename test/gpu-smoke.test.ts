import { describe, expect, it } from 'vitest';
import { readBuffer, requireDevice, withErrorScopes } from './helpers/gpu.ts';

describe('WebGPU in Node (Dawn)', () => {
  it('dispatches a WGSL compute shader and reads its output back', async () => {
    const { device, adapterName } = await requireDevice();
    expect(adapterName.length).toBeGreaterThan(0);
    const n = 1000;
    const module = device.createShaderModule({
      code: /* wgsl */ `
        @group(0) @binding(0) var<storage, read_write> out: array<u32>;
        @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) {
          if (id.x < ${n}u) { out[id.x] = id.x * id.x + 7u; }
        }`,
    });
    const out = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    await withErrorScopes(device, () => {
      const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out } }] });
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(Math.ceil(n / 64));
      pass.end();
      device.queue.submit([enc.finish()]);
    });
    const got = new Uint32Array(await readBuffer(device, out, n * 4));
    for (let i = 0; i < n; i++) expect(got[i]).toBe(i * i + 7);
    out.destroy();
  });
});
