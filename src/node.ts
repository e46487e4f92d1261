/**
 * The Node entry (`webgpu-lr-schedules/node`): everything of the public entry plus the
 * Node-only helpers: the one that points the Vulkan loader at SwiftShader on machines without
 * a GPU driver, and CpuPool (the CPU path on every core, worker_threads). Call configureSoftwareVulkan(process.env) before the first adapter
 * request if you set up Dawn yourself; createEvaluator / acquireDevice already do.
 */
import './gpu/install-node-platform.ts';
import './cpu/install-node-pool.ts';

export * from './index.ts';
export { configureSoftwareVulkan, SWIFTSHADER_ICD } from './gpu/vulkan-env.ts';
export { CpuPool } from './cpu/pool.node.ts';
export type { CpuPoolOptions, PoolSchedule } from './cpu/pool.node.ts';
