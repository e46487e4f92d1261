import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { configureSoftwareVulkan } from './src/gpu/vulkan-env.ts';

// Dawn reads VK_ICD_FILENAMES when the first adapter is requested, in the process
// that asks. Vitest forks its workers from this process, so set it here, before any
// worker starts (setting it inside a worker is too late). A user's own setting wins.
configureSoftwareVulkan(process.env);
if (!process.env.XDG_RUNTIME_DIR || !existsSync(process.env.XDG_RUNTIME_DIR)) {
  process.env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'lr-xdg-'));
}

/**
 * The pages' Content-Security-Policy `connect-src`: the built pages connect to their own
 * origin only ('self'); the dev server's client also opens a WebSocket (HMR, and polling
 * a restarted server), so `ws:` is added to the policy the dev server serves, and taken
 * out of every built page even if a source page lists it.
 */
function cspConnectSrc(): Plugin {
  const CONNECT = /(connect-src[^;"]*)/;
  return {
    name: 'lr-csp-connect-src',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (ctx.server) {
          return html.replace(CONNECT, (d: string) => (/\sws:(\s|$)/.test(d) ? d : `${d} ws:`));
        }
        return html.replace(CONNECT, (d: string) => d.replace(/\s+wss?:(\/\/[^\s;"]*)?(?=\s|$)/g, ''));
      },
    },
  };
}

/**
 * Cross-origin isolation (`crossOriginIsolated`, so SharedArrayBuffer works): the explorer's
 * CPU pool then shares one output buffer with its Web Workers instead of transferring each
 * chunk (src/cpu/pool.browser.ts). The pages load nothing from another origin (their CSP says
 * 'self'), so `require-corp` blocks nothing. A static host must send the same two headers.
 */
const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: '.',
  plugins: [cspConnectSrc()],
  // The explorer's preflight worker (src/app/preflight-worker.ts) is a module worker.
  worker: { format: 'es' },
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
  server: { host: '127.0.0.1', port: 5173, strictPort: false, headers: CROSS_ORIGIN_ISOLATION },
  preview: { headers: CROSS_ORIGIN_ISOLATION },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/fuzz/**', 'node_modules/**'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
