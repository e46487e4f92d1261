/**
 * `#cpu-pool` in the published library (vite.lib.config.ts aliases it here), as
 * src/gpu/platform.slot.ts is for `#platform`: one build serves browsers and Node, so the
 * pool is a slot that starts as the browser's (Web Workers, pool.browser.ts) and that the
 * Node entries fill with worker_threads (install-node-pool.ts) before anything else of theirs
 * runs. In this repository (vitest, tsx, the Vite pages) `#cpu-pool` resolves by condition.
 */
import type { WorkerPool } from './pool-core.ts';
import * as browser from './pool.browser.ts';

export interface PoolPlatform {
  defaultThreads(): number;
  startCpuPool(threads: number): WorkerPool;
}

let platform: PoolPlatform = browser;

export const defaultThreads = (): number => platform.defaultThreads();
export const startCpuPool = (threads: number): WorkerPool => platform.startCpuPool(threads);

/** Makes `p` the pool the evaluator starts. */
export function installPool(p: PoolPlatform): void {
  platform = p;
}
