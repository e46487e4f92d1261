/**
 * SwiftShader (and other software Vulkan drivers) compile a render pipeline's routines on
 * its first draw, not when the pipeline is created: 40-500 ms here for a full-canvas draw, against
 * tens of ms for a later draw. warmDraws makes each pipeline's first draw a 1 × 1 one into
 * a target of the same format, submitted as soon as the pipelines exist, so that compile
 * runs while the page waits for the evaluation instead of in the first frame (and, for
 * the highlight pipeline, before the first hover instead of in its frame).
 */
import { PLOT_CONSTS } from './plot-shaders.generated.ts';

export interface WarmPipelines {
  readonly resolve: GPURenderPipeline;
}

/** One 1 × 1 draw with each pipeline (bind groups of the right types, contents irrelevant); frees its temporaries once done. */
export function warmDraws(device: GPUDevice, format: GPUTextureFormat, pipes: WarmPipelines, resolveUniform: GPUBuffer): void {
  const size = { width: 1, height: 1 };
  const usage = GPUTextureUsage.RENDER_ATTACHMENT;
  const target = device.createTexture({ size, format, usage });
  const accum = device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE });
  const lut = device.createBuffer({ size: PLOT_CONSTS.LUT_SIZE * 16, usage: GPUBufferUsage.STORAGE });
  const enc = device.createCommandEncoder();
  const pass = enc.beginRenderPass({ colorAttachments: [{ view: target.createView(), clearValue: { r: 0, g: 0, b: 0, a: 0 }, loadOp: 'clear', storeOp: 'store' }] });
  pass.setPipeline(pipes.resolve);
  pass.setBindGroup(0, device.createBindGroup({
    layout: pipes.resolve.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: resolveUniform } },
      { binding: 1, resource: { buffer: accum } },
      { binding: 2, resource: { buffer: lut } },
    ],
  }));
  pass.draw(3);
  pass.end();
  device.queue.submit([enc.finish()]);
  void device.queue.onSubmittedWorkDone().then(() => {
    for (const x of [target, accum, lut]) x.destroy();
  });
}

/** One 1 × 1 draw with the highlight pipeline (a zero highlight over a zero value); frees its temporaries once done. */
export function warmThick(device: GPUDevice, format: GPUTextureFormat, thick: GPURenderPipeline, viewUniform: GPUBuffer): void {
  const target = device.createTexture({ size: { width: 1, height: 1 }, format, usage: GPUTextureUsage.RENDER_ATTACHMENT });
  const vals = device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE });
  const hls = device.createBuffer({ size: 64, usage: GPUBufferUsage.STORAGE });
  const xs = device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE });
  const enc = device.createCommandEncoder();
  const pass = enc.beginRenderPass({ colorAttachments: [{ view: target.createView(), clearValue: { r: 0, g: 0, b: 0, a: 0 }, loadOp: 'clear', storeOp: 'store' }] });
  pass.setPipeline(thick);
  pass.setBindGroup(0, device.createBindGroup({
    layout: thick.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: viewUniform } },
      { binding: 1, resource: { buffer: vals } },
      { binding: 2, resource: { buffer: hls } },
      { binding: 5, resource: { buffer: xs } },
    ],
  }));
  pass.draw(6, 1);
  pass.end();
  device.queue.submit([enc.finish()]);
  void device.queue.onSubmittedWorkDone().then(() => {
    for (const x of [target, vals, hls, xs]) x.destroy();
  });
}
