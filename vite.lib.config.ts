import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

// The library build, run twice (see the `build:lib` script):
//   --mode browser → dist/browser/  (the `browser` and `default` export conditions)
//   --mode node    → dist/node/     (the `node` condition, the `./node` entry, the CLI)
// Both are ESM with the WGSL inlined (it lives in src/kernels/wgsl.generated.ts).
// They differ in one module: `#platform` (package.json `imports`) resolves to
// src/gpu/platform.node.ts under the `node` condition (Dawn from the optional peer
// `webgpu`, loaded lazily; the Vulkan/SwiftShader setup with node:fs) and to
// src/gpu/platform.browser.ts otherwise, so the browser build has no `webgpu` and no
// `node:` import at all. No sourcemaps: they would point at sources the package does
// not ship.
export default defineConfig(({ mode }) => {
  if (mode !== 'browser' && mode !== 'node') {
    throw new Error(`vite.lib.config.ts: --mode must be "browser" or "node", got "${mode}"`);
  }
  const node = mode === 'node';
  return {
    resolve: node
      ? { conditions: ['node', 'module', 'import', 'production'] }
      : { conditions: ['browser', 'module', 'import', 'production'] },
    build: {
      outDir: node ? 'dist/node' : 'dist/browser',
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      minify: false,
      copyPublicDir: false,
      lib: {
        entry: node ? { index: 'src/index.ts', node: 'src/node.ts', cli: 'src/cli/main.ts' } : { index: 'src/index.ts' },
        formats: ['es'],
      },
      rolldownOptions: {
        // Node builtins may only appear in the Node build; in the browser build they
        // are not external, so one slipping in fails the build instead of shipping.
        external: node ? ['webgpu', /^node:/, ...builtinModules] : [],
        // The JSDoc lives in dist/types/*.d.ts, where editors show it; twice is too heavy.
        output: { comments: { legal: true, annotation: true, jsdoc: false } },
      },
    },
  };
});
