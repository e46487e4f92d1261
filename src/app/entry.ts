/**
 * The explorer page's entry (index.html): requests the WebGPU device (early-gpu.ts) as soon
 * as this small chunk runs, then loads the explorer itself (main.ts and everything it
 * imports, most of the page's code) with a dynamic import and starts it; so the adapter and
 * device are requested while that code is fetched, parsed and evaluated instead of after it.
 */
import { earlyDevice } from './early-gpu.ts';

// The request is handed to the explorer (not a bare side-effect import: the package marks its
// modules side-effect free, so the bundler would drop one, and the request would start only
// with main.ts's chunk).
import('./main.ts').then((m) => m.start(earlyDevice)).catch((e: unknown) => {
  const status = document.getElementById('status');
  if (status) {
    status.textContent = `The explorer failed to load: ${e instanceof Error ? e.message : String(e)}`;
    status.dataset['error'] = 'true';
  }
});
