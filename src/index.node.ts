/**
 * The library's main entry under the `node` export condition (dist/node/index.js):
 * the public entry with the Node platform (Dawn from `webgpu`) installed.
 */
import './gpu/install-node-platform.ts';
import './cpu/install-node-pool.ts';

export * from './index.ts';
