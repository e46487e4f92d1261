/**
 * The platform module for browsers and every runtime that is not Node (the
 * `default` condition of the package's `#platform` import, built into
 * `dist/browser/`): WebGPU is `navigator.gpu` or nothing. Nothing here imports
 * `webgpu` or a `node:` module; platform.node.ts is the Node variant.
 */

/** Why there is no WebGPU here, for GpuUnavailableError and the CPU fallback's report. */
export const NO_WEBGPU_REASON = 'WebGPU is not available: this browser has no navigator.gpu';

/** No WebGPU beyond `navigator.gpu`, which device.ts checks first. */
export function loadPlatformGpu(): Promise<GPU | undefined> {
  return Promise.resolve(undefined);
}
