// Worker bootstrap: loads the TypeScript edge worker through tsx (test/fuzz/edge-worker.ts).
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.file, import.meta.url);
