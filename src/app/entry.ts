/**
 * The explorer page's entry (index.html): starts the explorer (main.ts) with the WebGPU
 * device request of early-gpu.ts, which is evaluated before the explorer's own modules.
 * (Loading main.ts with a dynamic import, so the request would start before that code is
 * parsed, was tried and taken out: docs/benchmarks.md, third session.)
 */
import { earlyDevice } from './early-gpu.ts';
import { start } from './main.ts';

start(earlyDevice);
