/**
 * The WebGPU adapter and device, requested when this module is evaluated (entry.ts imports it
 * before the explorer's modules), so the request runs while the rest of the page's code is
 * evaluated and the page is set up; main.ts hands the result to setup.ts. Never rejects:
 * null when there is no WebGPU or no device.
 */
export interface EarlyDevice {
  readonly device: GPUDevice | null;
  /** requestAdapter + requestDevice, ms. */
  readonly ms: number;
}

async function request(): Promise<GPUDevice | null> {
  // Node (a test importing the app's modules) has no navigator before v21.
  if (typeof navigator === 'undefined' || !('gpu' in navigator) || !navigator.gpu) return null;
  try {
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) return null;
    const lim = adapter.limits;
    return await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: Math.min(lim.maxStorageBufferBindingSize, 1 << 30),
        maxBufferSize: Math.min(lim.maxBufferSize, 1 << 30),
      },
    });
  } catch {
    return null;
  }
}

const t0 = performance.now();
export const earlyDevice: Promise<EarlyDevice> = request().then((device) => ({ device, ms: performance.now() - t0 }));
