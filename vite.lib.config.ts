import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The library build: ESM, WGSL inlined (it lives in src/kernels/wgsl.generated.ts),
// one build for both platforms so they share one copy of the code:
//   dist/browser/index.js  the `browser` and `default` export conditions
//   dist/node/index.js     the `node` condition; dist/node/node.js the `./node` entry;
//   dist/node/cli.js       the CLI (bin/lr-schedules.js)
//   dist/chunks/           the code both share, free of `webgpu` and `node:` imports
// `#platform` (package.json `imports`) is aliased to src/gpu/platform.slot.ts: the
// browser platform unless a Node entry installs Dawn first
// (src/gpu/install-node-platform.ts, which with Node's Vulkan/SwiftShader setup and
// its node:fs lands in a chunk under dist/node/). Only the Node entries reach `webgpu`,
// loaded lazily, and node: builtins. No sourcemaps: they would point at sources the
// package does not ship; no JSDoc in the JS: it is in dist/types/*.d.ts.
const NODE_ONLY = /\/src\/(?:gpu\/(?:platform\.node|vulkan-env|install-node-platform)|cpu\/pool\.node)\.ts$/;
// The modules that run for their effect: package.json `sideEffects` (which is for
// consumers' bundlers, and lists only dist/node/) would let this build drop them.
const SIDE_EFFECTS = /\/src\/(?:gpu\/install-node-platform|cli-entry|cli\/main)\.ts$/;

export default defineConfig({
  plugins: [
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
    alias: [{ find: /^#platform$/, replacement: resolve(import.meta.dirname, 'src/gpu/platform.slot.ts') }],
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
