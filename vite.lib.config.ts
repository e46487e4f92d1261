import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

// The library build: ESM entries with the WGSL inlined (it lives in
// src/kernels/wgsl.generated.ts), importable from Node and from a Vite app.
// Dawn (`webgpu`) stays external and is loaded lazily only in Node.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    sourcemap: true,
    minify: false,
    lib: {
      entry: { index: 'src/index.ts', node: 'src/node.ts', cli: 'src/cli/main.ts' },
      formats: ['es'],
    },
    rolldownOptions: {
      external: ['webgpu', /^node:/, ...builtinModules],
    },
  },
});
