/**
 * Imported by the library's Node entries (dist/node/*.js), beside
 * src/gpu/install-node-platform.ts: fills the `#cpu-pool` slot with worker_threads, so
 * createEvaluator's `threads` option uses Node's workers. A module with a side effect on purpose.
 */
import * as node from './pool.node.ts';
import { installPool } from './pool.slot.ts';

installPool(node);
