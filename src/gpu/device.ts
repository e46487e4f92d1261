/**
 * Finding a WebGPU implementation: `navigator.gpu` where the platform has it,
 * otherwise what the platform module offers. `#platform` (package.json
 * `imports`) is platform.node.ts under the `node` condition (Dawn, from the
 * optional peer dependency `webgpu`) and platform.browser.ts everywhere else, so a
 * browser bundle never contains `webgpu` or a `node:` module.
 */
import { loadPlatformGpu, NO_WEBGPU_REASON } from '#platform';

/** Why no GPU could be had; carried into the CPU fallback's report. */
export class GpuUnavailableError extends Error {
  override readonly name = 'GpuUnavailableError';
}

let platformGpu: Promise<GPU | undefined> | undefined;

/** The platform's `GPU` object, or undefined when this environment has no WebGPU. */
export function getGpu(): Promise<GPU | undefined> {
  if (typeof navigator !== 'undefined' && 'gpu' in navigator && navigator.gpu) return Promise.resolve(navigator.gpu);
  platformGpu ??= loadPlatformGpu();
  return platformGpu;
}

export interface AcquiredDevice {
  readonly device: GPUDevice;
  readonly adapter: GPUAdapter;
  /** `vendor / architecture / description` as the adapter reports it. */
  readonly adapterName: string;
}

/** Limits this project asks for when the adapter allows more than the defaults. */
const WANTED_LIMITS = ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupsPerDimension'] as const;

/**
 * Requests an adapter and a device, with the adapter's largest storage-buffer
 * limits and `timestamp-query` where offered. Throws GpuUnavailableError with the
 * reason when there is no WebGPU, no adapter or no device.
 */
export async function acquireDevice(
  options: {
    powerPreference?: GPUPowerPreference;
    /** A GPU object to use instead of the platform's; `null` means "no WebGPU" (tests of the fallback). */
    gpu?: Pick<GPU, 'requestAdapter'> | null;
  } = {},
): Promise<AcquiredDevice> {
  const gpu = options.gpu === undefined ? await getGpu() : options.gpu;
  if (!gpu) throw new GpuUnavailableError(NO_WEBGPU_REASON);
  const adapter = await gpu.requestAdapter(options.powerPreference ? { powerPreference: options.powerPreference } : {});
  if (!adapter) throw new GpuUnavailableError('WebGPU returned no adapter');
  const requiredLimits: Record<string, number> = {};
  for (const key of WANTED_LIMITS) requiredLimits[key] = adapter.limits[key];
  const requiredFeatures: GPUFeatureName[] = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
  } catch (err) {
    throw new GpuUnavailableError(`WebGPU adapter refused a device: ${(err as Error).message}`);
  }
  const info = adapter.info;
  const adapterName = [info.vendor, info.architecture, info.description].filter((s) => s).join(' / ') || 'unknown adapter';
  return { device, adapter, adapterName };
}
