import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

// The library build: ESM, WGSL inlined (it lives in src/kernels/wgsl.generated.ts),
// one build for both platforms so they share one copy of the code:
//   dist/browser/index.js  the `browser` and `default` export conditions (pool-worker.js: its CPU pool's worker)
//   dist/node/index.js     the `node` condition; dist/node/node.js the `./node` entry;
//   dist/node/cli.js       the CLI (bin/lr-schedules.js)
//   dist/chunks/           the code both share, free of `webgpu` and `node:` imports
// `#cpu-pool` likewise to src/cpu/pool.slot.ts (Web Workers unless a Node entry installs
// worker_threads: src/cpu/install-node-pool.ts).
// `#platform` (package.json `imports`) is aliased to src/gpu/platform.slot.ts: the
// browser platform unless a Node entry installs Dawn first
// (src/gpu/install-node-platform.ts, which with Node's Vulkan/SwiftShader setup and
// its node:fs lands in a chunk under dist/node/). Only the Node entries reach `webgpu`,
// loaded lazily, and node: builtins. No sourcemaps: they would point at sources the
// package does not ship; no JSDoc in the JS: it is in dist/types/*.d.ts.
const NODE_ONLY = /\/src\/(?:gpu\/(?:platform\.node|vulkan-env|install-node-platform)|cpu\/(?:pool\.node|install-node-pool))\.ts$/;
// The modules that run for their effect: package.json `sideEffects` (which is for
// consumers' bundlers, and lists only dist/node/) would let this build drop them.
const SIDE_EFFECTS = /\/src\/(?:gpu\/install-node-platform|cpu\/(?:install-node-pool|pool-worker\.browser)|cli-entry|cli\/main)\.ts$/;

/**
 * The browser pool's worker (src/cpu/pool.browser.ts: `new Worker(new URL('./pool-worker.browser.ts',
 * import.meta.url), { type: 'module' })`) stays that pattern in the package, pointing at its own
 * entry, dist/browser/pool-worker.js, so a consumer's bundler (Vite, webpack 5, …) bundles the
 * worker with its app as it would its own: this build neither bundles it apart nor inlines it.
 * ('' + import.meta.url hides the pattern from this build's worker plugin; renderChunk restores it.)
 */
function keepPoolWorkerPattern(): Plugin {
  const SOURCE = /new URL\('\.\/pool-worker\.browser\.ts', import\.meta\.url\)/g;
  const BUILT = /new URL\(\s*(["'])\.\/pool-worker\.browser\.ts\1,\s*["']["'] \+ import\.meta\.url\s*\)/g;
  return {
    name: 'lr-schedules:pool-worker-pattern',
    enforce: 'pre',
    transform(code, id) {
      return id.endsWith('/src/cpu/pool.browser.ts') ? code.replace(SOURCE, "new URL('./pool-worker.browser.ts', '' + import.meta.url)") : null;
    },
    renderChunk(code, chunk) {
      if (!code.includes("pool-worker.browser.ts")) return null;
      const rel = relative(dirname(chunk.fileName), 'browser/pool-worker.js');
      return code.replace(BUILT, `new URL(${JSON.stringify(rel.startsWith('.') ? rel : `./${rel}`)}, import.meta.url)`);
    },
  };
}

export default defineConfig({
  plugins: [
    keepPoolWorkerPattern(),
    {
      name: 'lr-schedules:side-effect-modules',
      enforce: 'pre',
      async resolveId(source, importer, options) {
        const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
        return resolved && SIDE_EFFECTS.test(resolved.id) ? { ...resolved, moduleSideEffects: true } : null;
      },
    },
  ],
  resolve: {
    alias: [
      { find: /^#platform$/, replacement: resolve(import.meta.dirname, 'src/gpu/platform.slot.ts') },
      { find: /^#cpu-pool$/, replacement: resolve(import.meta.dirname, 'src/cpu/pool.slot.ts') },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    sourcemap: false,
    minify: false,
    copyPublicDir: false,
    lib: {
      entry: {
        'browser/index': 'src/index.ts',
        'browser/pool-worker': 'src/cpu/pool-worker.browser.ts',
        'node/index': 'src/index.node.ts',
        'node/node': 'src/node.ts',
        'node/cli': 'src/cli-entry.ts',
      },
      formats: ['es'],
    },
    rolldownOptions: {
      external: ['webgpu', /^node:/, ...builtinModules],
      output: {
        chunkFileNames: (chunk) => (chunk.moduleIds.some((id) => NODE_ONLY.test(id)) ? 'node/[name]-[hash].js' : 'chunks/[name]-[hash].js'),
        comments: { legal: true, annotation: true, jsdoc: false },
      },
    },
  },
});
