import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import { configureSoftwareVulkan } from './src/gpu/vulkan-env.ts';

// Dawn reads VK_ICD_FILENAMES when the first adapter is requested, in the process
// that asks. Vitest forks its workers from this process, so set it here, before any
// worker starts (setting it inside a worker is too late). A user's own setting wins.
configureSoftwareVulkan(process.env);
if (!process.env.XDG_RUNTIME_DIR || !existsSync(process.env.XDG_RUNTIME_DIR)) {
  process.env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'lr-xdg-'));
}

export default defineConfig({
  root: '.',
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    target: 'es2022',
    // Every page: the explorer, the benchmark page and the training example.
    // (Vite 8 bundles with rolldown: `rolldownOptions`; `rollupOptions` is its deprecated alias.)
    rolldownOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        bench: resolve(import.meta.dirname, 'bench.html'),
        train: resolve(import.meta.dirname, 'examples/train/index.html'),
      },
    },
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/fuzz/**', 'node_modules/**'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
