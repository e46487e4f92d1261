/**
 * A CPU pool worker in a browser (module Web Worker, started by pool.browser.ts): the loop of
 * pool-worker.ts on the worker's global scope.
 */
import type { ToWorker } from './pool-protocol.ts';
import { serveWorker } from './pool-worker.ts';

const scope = globalThis as unknown as {
  postMessage(m: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', fn: (e: MessageEvent<ToWorker>) => void): void;
};
const handle = serveWorker({ post: (m, transfer) => scope.postMessage(m, transfer ?? []) });
scope.addEventListener('message', (e) => handle(e.data));
