/**
 * Finding a WebGPU implementation: `navigator.gpu` in a browser, Dawn (the
 * `webgpu` npm package, an optional peer dependency) in Node. The Node module is
 * imported lazily, so a browser bundle never pulls it in.
 */

/** Why no GPU could be had; carried into the CPU fallback's report. */
export class GpuUnavailableError extends Error {
  override readonly name = 'GpuUnavailableError';
}

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

let nodeGpu: Promise<GPU | undefined> | undefined;

async function loadNodeGpu(): Promise<GPU | undefined> {
  const { configureSoftwareVulkan } = await import('./vulkan-env.ts');
  configureSoftwareVulkan(process.env);
  let mod: typeof import('webgpu');
  try {
    // A variable specifier keeps bundlers from resolving Dawn into browser builds.
    const specifier = 'webgpu';
    mod = (await import(/* @vite-ignore */ specifier)) as typeof import('webgpu');
  } catch {
    return undefined;
  }
  Object.assign(globalThis, mod.globals);
  const gpu = mod.create([]);
  // dawn.node tears the instance down when it is garbage collected: keep it referenced.
  (globalThis as { __lrSchedulesDawn?: GPU }).__lrSchedulesDawn = gpu;
  return gpu;
}

/** The platform's `GPU` object, or undefined when this environment has no WebGPU. */
export function getGpu(): Promise<GPU | undefined> {
  if (typeof navigator !== 'undefined' && 'gpu' in navigator && navigator.gpu) return Promise.resolve(navigator.gpu);
  if (!isNode) return Promise.resolve(undefined);
  nodeGpu ??= loadNodeGpu();
  return nodeGpu;
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
  if (!gpu) throw new GpuUnavailableError('WebGPU is not available in this environment (no navigator.gpu and no `webgpu` package)');
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
