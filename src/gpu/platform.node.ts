/**
 * The platform module for Node (selected by the `node` condition of the package's
 * `#platform` import, and built into `dist/node/`): Dawn, from the optional peer
 * dependency `webgpu`, with the Vulkan loader pointed at SwiftShader on machines
 * without a GPU driver. The browser build gets platform.browser.ts instead, so no
 * browser bundle ever sees `webgpu` or a `node:` module.
 */
import { configureSoftwareVulkan } from './vulkan-env.ts';

/** Why there is no WebGPU here, for GpuUnavailableError and the CPU fallback's report. */
export const NO_WEBGPU_REASON =
  'WebGPU is not available in this Node process: install the optional peer dependency `webgpu` (Dawn) to use the GPU';

/** Dawn's `GPU`, or undefined when `webgpu` is not installed. */
export async function loadPlatformGpu(): Promise<GPU | undefined> {
  configureSoftwareVulkan(process.env);
  let mod: typeof import('webgpu');
  try {
    mod = await import('webgpu');
  } catch {
    return undefined;
  }
  Object.assign(globalThis, mod.globals);
  const gpu = mod.create([]);
  // dawn.node tears the instance down when it is garbage collected: keep it referenced.
  (globalThis as { __lrSchedulesDawn?: GPU }).__lrSchedulesDawn = gpu;
  return gpu;
}
