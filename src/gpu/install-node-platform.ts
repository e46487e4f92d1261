/**
 * Imported first by the library's Node entries (dist/node/*.js): fills the platform
 * slot with Dawn, so `createEvaluator()` in Node finds `webgpu` by itself. A module
 * with a side effect on purpose (package.json `sideEffects` lists dist/node).
 */
import * as node from './platform.node.ts';
import { installPlatform } from './platform.slot.ts';

installPlatform(node);
