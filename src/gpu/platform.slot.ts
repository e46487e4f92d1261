/**
 * `#platform` in the published library (vite.lib.config.ts aliases it here): one
 * build serves browsers and Node, so the platform is a slot that starts as the
 * browser's (platform.browser.ts) and that the Node entries fill with Dawn
 * (install-node-platform.ts) before anything else of theirs runs. ES module live
 * bindings carry the change to device.ts. The browser entry never reaches the Node
 * module, so its chunks hold no `webgpu` and no `node:` import. In this repository
 * (vitest, tsx, the Vite pages) `#platform` resolves by condition instead and this
 * module is unused.
 */
import * as browser from './platform.browser.ts';

export interface Platform {
  readonly NO_WEBGPU_REASON: string;
  loadPlatformGpu(): Promise<GPU | undefined>;
}

/** Why there is no WebGPU here, for GpuUnavailableError and the CPU fallback's report. */
export let NO_WEBGPU_REASON: string = browser.NO_WEBGPU_REASON;

/** The platform's own WebGPU, beyond `navigator.gpu`. */
export let loadPlatformGpu: () => Promise<GPU | undefined> = browser.loadPlatformGpu;

/** Makes `platform` the one device.ts uses. */
export function installPlatform(platform: Platform): void {
  NO_WEBGPU_REASON = platform.NO_WEBGPU_REASON;
  loadPlatformGpu = () => platform.loadPlatformGpu();
}
