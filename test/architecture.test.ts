import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layering of docs/design.md, checked on the import statements of src/**:
 * schedules -> dialects -> verify -> kernels -> gpu, cpu -> api -> app, cli (verify reads the one steps module, schedules/steps.ts).
 * app/ and cli/ use only the public entries (src/index.ts, src/node.ts).
 */
const RANK: Record<string, number> = { schedules: 0, dialects: 0.25, verify: 0.5, kernels: 1, gpu: 2, cpu: 2, api: 3, app: 4, cli: 4 };
const PUBLIC_ENTRIES = new Set(['src/index.ts', 'src/node.ts']);
/**
 * The one exception: the explorer's "train with this schedule" panel (src/app/train-panel.ts)
 * calls the training example's entry. Examples are demo code at the app's level, not
 * library internals, and the library build (vite.lib.config.ts: index, node, cli;
 * tsconfig.build.json excludes src/app) never reaches src/app, so the example stays out
 * of the package. The example itself must use only the public entry (checked below).
 */
const APP_EXAMPLE_IMPORTS = new Set(['examples/train/panel.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function layerOf(file: string): string | undefined {
  const parts = file.split('/');
  return parts[0] === 'src' && parts.length > 2 ? parts[1] : undefined;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function violations(): string[] {
  const root = resolve('.');
  const out: string[] = [];
  for (const abs of sourceFiles(join(root, 'src'))) {
    const file = relative(root, abs);
    const from = layerOf(file);
    if (!from) continue;
    const text = readFileSync(abs, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      if (!spec || !spec.startsWith('.')) continue;
      const target = relative(root, resolve(dirname(abs), spec));
      const to = layerOf(target);
      if (to === from) continue;
      const isTypeOnly = /^\s*(?:import|export)\s+type\s/.test(m[0].trimStart());
      if (from === 'app' || from === 'cli') {
        if (from === 'app' && APP_EXAMPLE_IMPORTS.has(target)) continue;
        if (!PUBLIC_ENTRIES.has(target)) out.push(`${file} imports ${target}: ${from}/ may use only the public entries`);
        continue;
      }
      if (to === undefined) {
        out.push(`${file} imports ${target}: lower layers must not import the public entry`);
        continue;
      }
      // (the error base, schedules/errors.ts, is no schedule maths: every layer's field errors extend it)
      if (from === 'gpu' && to === 'schedules' && !isTypeOnly && target !== 'src/schedules/errors.ts') {
        out.push(`${file} imports ${target}: gpu/ knows bytes, not schedule maths`);
        continue;
      }
      const rf = RANK[from];
      const rt = RANK[to];
      if (rf === undefined || rt === undefined || rt >= rf) out.push(`${file} (${from}) imports ${target} (${to}): arrow points the wrong way`);
    }
  }
  return out;
}

/** Relative imports of `file` and of the files it reaches outside src/, transitively (the example code the app pulls in). */
function exampleImports(file: string, seen = new Set<string>()): { from: string; to: string }[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const root = resolve('.');
  const out: { from: string; to: string }[] = [];
  for (const m of readFileSync(join(root, file), 'utf8').matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (!spec || !spec.startsWith('.')) continue;
    const to = relative(root, resolve(dirname(join(root, file)), spec));
    out.push({ from: file, to });
    if (!to.startsWith('src/')) out.push(...exampleImports(to, seen));
  }
  return out;
}

describe('architecture', () => {
  it('imports under src/ follow the layers of docs/design.md', () => {
    expect(violations()).toEqual([]);
  });

  it('the example code src/app may import reaches the library only through the public entries', () => {
    for (const entry of APP_EXAMPLE_IMPORTS) {
      const imports = exampleImports(entry);
      expect(imports.length).toBeGreaterThan(0);
      const bad = imports.filter(({ to }) => to.startsWith('src/') && !PUBLIC_ENTRIES.has(to)).map(({ from, to }) => `${from} imports ${to}`);
      expect(bad).toEqual([]);
      // …and stays in examples/: nothing of the app leaks back into it.
      expect(imports.filter(({ to }) => !to.startsWith('src/') && !to.startsWith('examples/'))).toEqual([]);
    }
    const lib = readFileSync('vite.lib.config.ts', 'utf8');
    expect(lib).not.toMatch(/src\/app|examples\//);
  });
});
