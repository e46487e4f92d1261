/**
 * The CPU path on every core in browsers (the `default` condition of `#cpu-pool`, package.json
 * `imports`; pool.slot.ts in the built library): module Web Workers (pool-worker.browser.ts)
 * driven by the pool of pool-core.ts. When the page is cross-origin isolated
 * (`crossOriginIsolated`: COOP `same-origin` + COEP `require-corp`, as the explorer's server
 * and build send) the workers write into one SharedArrayBuffer; otherwise each chunk's values
 * come back as a transferred ArrayBuffer. The worker is started with Vite's
 * `new Worker(new URL(…, import.meta.url), { type: 'module' })` pattern: the library build keeps
 * it as is, pointing at dist/browser/pool-worker.js, and a consumer's bundler bundles the worker.
 * Nothing here imports a `node:` module.
 */
import { PoolFailedError, WorkerPool, type SpawnWorker } from './pool-core.ts';
import type { FromWorker, ToWorker } from './pool-protocol.ts';

/** The logical cores the browser reports (navigator.hardwareConcurrency), 1 where unknown. */
export const defaultThreads = (): number => {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : 1;
};

/** Whether the workers can share the output: a cross-origin isolated page (SharedArrayBuffer usable). */
const sharedMemory = (): boolean => (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';

const spawnBrowser: SpawnWorker = (onMessage, onError) => {
  const w = new Worker(new URL('./pool-worker.browser.ts', import.meta.url), { type: 'module', name: 'lr-cpu-pool' });
  w.addEventListener('message', (e: MessageEvent<FromWorker>) => onMessage(e.data));
  w.addEventListener('error', (e: ErrorEvent) => {
    e.preventDefault();
    onError(new Error(e.message || 'the worker script could not be loaded'));
  });
  w.addEventListener('messageerror', () => onError(new Error('a message could not be read')));
  return { post: (m: ToWorker) => w.postMessage(m), terminate: () => w.terminate() };
};

/** A pool of `threads` threads (the evaluator's `threads` option): the calling thread and threads − 1 Web Workers where memory is shared, else `threads` Web Workers. */
export function startCpuPool(threads: number): WorkerPool {
  if (typeof Worker !== 'function') throw new PoolFailedError('Web Workers are not available here (no Worker constructor)');
  return new WorkerPool(threads, sharedMemory(), spawnBrowser);
}
