import { existsSync, readdirSync } from 'node:fs';

/** Where Debian's `chromium` package puts SwiftShader's Vulkan ICD. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

const ICD_DIRS = ['/etc/vulkan/icd.d', '/usr/share/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];

/**
 * A GPU the kernel exposes (a DRM render node, or NVIDIA's device). Debian's
 * mesa-vulkan-drivers (which `apt-get install chromium` pulls in as a recommendation) installs
 * the Intel and Radeon ICDs on machines without such a GPU; with only those configured, the
 * loader finds no device and Dawn returns no adapter.
 */
function hasGpuDevice(): boolean {
  if (existsSync('/dev/nvidia0')) return true;
  return existsSync('/dev/dri') && readdirSync('/dev/dri').some((f) => f.startsWith('renderD'));
}

/**
 * Vulkan drivers installed system-wide that can drive a GPU here: none without a GPU device,
 * and never Mesa's lavapipe, which Dawn rejects.
 */
function usableSystemIcds(): string[] {
  const found: string[] = [];
  if (!hasGpuDevice()) return found;
  for (const dir of ICD_DIRS) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (f.endsWith('.json') && !/lvp|lavapipe/i.test(f)) found.push(`${dir}/${f}`);
  }
  return found;
}

/**
 * Points the Vulkan loader at SwiftShader when nothing else is configured: no
 * VK_ICD_FILENAMES / VK_DRIVER_FILES from the user and no usable system driver.
 * Returns what it decided, for logs. Must run before the first adapter request.
 */
export function configureSoftwareVulkan(env: Record<string, string | undefined>): 'user' | 'system' | 'swiftshader' | 'none' {
  if (env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES) return 'user';
  if (usableSystemIcds().length > 0) return 'system';
  if (!existsSync(SWIFTSHADER_ICD)) return 'none';
  env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  return 'swiftshader';
}
