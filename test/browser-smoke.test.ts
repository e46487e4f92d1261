import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowser, type BrowserSession } from './helpers/browser.ts';

let session: BrowserSession;
beforeAll(async () => {
  session = await startBrowser();
});
afterAll(async () => {
  await session?.close();
});

describe('WebGPU in headless Chromium', () => {
  it('has an adapter on a localhost page and runs a compute shader', async () => {
    const page = await session.newPage();
    await page.goto(`${session.origin}/test/helpers/blank.html`);
    const result = await page.evaluate(async () => {
      const adapter = await navigator.gpu?.requestAdapter();
      if (!adapter) return { error: 'no adapter' };
      const device = await adapter.requestDevice();
      const module = device.createShaderModule({
        code: `@group(0) @binding(0) var<storage, read_write> out: array<f32>;
               @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) {
                 if (id.x < 256u) { out[id.x] = f32(id.x) * 0.5; }
               }`,
      });
      const out = device.createBuffer({ size: 1024, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
      const read = device.createBuffer({ size: 1024, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
      const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out } }] }));
      pass.dispatchWorkgroups(4);
      pass.end();
      enc.copyBufferToBuffer(out, 0, read, 0, 1024);
      device.queue.submit([enc.finish()]);
      await read.mapAsync(GPUMapMode.READ);
      const values = Array.from(new Float32Array(read.getMappedRange()));
      return { architecture: adapter.info.architecture, values };
    });
    expect(result.error).toBeUndefined();
    expect(result.values).toHaveLength(256);
    result.values!.forEach((v, i) => expect(v).toBe(i * 0.5));
  });

  it("the dev server's pages keep ws: in connect-src for Vite's client (the built pages have none: explorer-guards.browser.test.ts)", async () => {
    for (const path of ['/', '/bench.html']) {
      const html = await (await fetch(`${session.origin}${path}`)).text();
      const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1] ?? '';
      expect(csp, path).toMatch(/connect-src 'self' ws:(;|$)/);
    }
  });
});
