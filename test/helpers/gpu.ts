import { acquireDevice, type AcquiredDevice } from '../../src/gpu/device.ts';

let shared: Promise<AcquiredDevice> | undefined;

/**
 * The WebGPU device for GPU tests (Dawn on whatever Vulkan driver the test setup
 * chose; SwiftShader on a machine without a GPU). GPU tests are required: when no
 * adapter is found this throws, so the test fails instead of being skipped.
 */
export function requireDevice(): Promise<AcquiredDevice> {
  shared ??= acquireDevice().catch((err: unknown) => {
    throw new Error(
      `GPU tests need a WebGPU adapter and none was found (${(err as Error).message}). ` +
        'Install Debian packages `chromium` and `libvulkan1` (SwiftShader), or point VK_ICD_FILENAMES at a Vulkan driver.',
    );
  });
  return shared;
}

/** Runs `fn` inside validation and out-of-memory error scopes and fails on any GPU error. */
export async function withErrorScopes<T>(device: GPUDevice, fn: () => Promise<T> | T): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  const result = await fn();
  const validation = await device.popErrorScope();
  const oom = await device.popErrorScope();
  if (validation) throw new Error(`WebGPU validation error: ${validation.message}`);
  if (oom) throw new Error(`WebGPU out-of-memory error: ${oom.message}`);
  return result;
}

/** Copies a GPU buffer's first `bytes` bytes back to the CPU. */
export async function readBuffer(device: GPUDevice, src: GPUBuffer, bytes: number, offset = 0): Promise<ArrayBuffer> {
  const staging = device.createBuffer({ size: bytes, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, offset, staging, 0, bytes);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const copy = staging.getMappedRange().slice(0);
  staging.destroy();
  return copy;
}

/** One compute pass of `pipeline` with bind group 0 = `bind`, dispatched (x, y) workgroups, submitted alone. */
export function submitDispatch(device: GPUDevice, pipeline: GPUComputePipeline, bind: GPUBindGroup, x: number, y = 1): void {
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bind);
  pass.dispatchWorkgroups(x, y);
  pass.end();
  device.queue.submit([enc.finish()]);
}
