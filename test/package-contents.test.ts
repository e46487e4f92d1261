/**
 * What `npm pack` ships: the library builds and their declarations, the CLI, the
 * licence; not the repository's pages (dist/app), no sourcemaps, at most 512 KiB
 * unpacked; export conditions for types, browser, node and default; and a browser
 * build that imports nothing but its own files (no `webgpu`, no `node:` module).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseAst } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packedTarball } from './helpers/packed.ts';

// A guard against shipping what is not the library (fixtures, node_modules, a bundled
// dependency, source maps), not a size budget for the library itself: with the dialects,
// the Sequence path and twelve kinds, code + types + WGSL are ~0.75 MB unpacked (~0.2 MB
// packed). Anything accidental of that kind is megabytes.
const MAX_UNPACKED = 1024 * 1024;

let dir: string;
let files: Map<string, number>;
interface Manifest {
  exports: Record<string, string | Record<string, string>>;
  main?: string;
  browser?: string;
  types?: string;
  bin?: Record<string, string>;
  license?: string;
  repository?: { type: string; url: string };
  keywords?: string[];
}
let manifest: Manifest;

beforeAll(async () => {
  const tarball = await packedTarball();
  dir = mkdtempSync(join(tmpdir(), 'lr-pack-contents-'));
  execFileSync('tar', ['xzf', tarball, '-C', dir]);
  files = new Map();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(relative(join(dir, 'package'), p), statSync(p).size);
    }
  };
  walk(join(dir, 'package'));
  manifest = JSON.parse(readFileSync(join(dir, 'package', 'package.json'), 'utf8')) as Manifest;
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const pkgPath = (rel: string): string => join(dir, 'package', rel);

/** Every module specifier a built ES module imports or re-exports (static and dynamic). */
function importsOf(file: string): string[] {
  const ast = parseAst(readFileSync(file, 'utf8')) as unknown;
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const n = node as { type?: string; source?: unknown };
    if (
      (n.type === 'ImportDeclaration' || n.type === 'ExportAllDeclaration' || n.type === 'ExportNamedDeclaration' || n.type === 'ImportExpression') &&
      n.source !== null &&
      n.source !== undefined
    ) {
      const src = n.source as { type: string; value?: unknown };
      // A computed specifier (`import(x)`) is as bad as a bare one: nothing can check it.
      found.push(src.type === 'Literal' && typeof src.value === 'string' ? src.value : '<computed>');
    }
    for (const v of Object.values(node)) if (v !== null && typeof v === 'object') visit(v);
  };
  visit(ast);
  return found;
}

/** The entry and every file of the package it reaches; specifiers that leave the package. */
function moduleGraph(entry: string): { files: string[]; external: string[] } {
  const seen = new Set<string>();
  const external: string[] = [];
  const queue = [resolve(pkgPath(entry))];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of importsOf(file)) {
      if (spec.startsWith('./') || spec.startsWith('../')) queue.push(resolve(dirname(file), spec));
      else external.push(spec);
    }
  }
  return { files: [...seen].map((f) => relative(pkgPath('.'), f)), external };
}

function condition(entry: string, name: string): string {
  const e = manifest.exports[entry];
  if (e === undefined || typeof e === 'string') throw new Error(`exports["${entry}"] has no conditions`);
  const target = e[name];
  if (target === undefined) throw new Error(`exports["${entry}"] has no "${name}" condition`);
  return target;
}

describe('the packed tarball', () => {
  it('is at most 1 MiB unpacked', () => {
    const total = [...files.values()].reduce((a, b) => a + b, 0);
    console.log(`package: ${files.size} files, ${total} bytes unpacked (${(total / 1024).toFixed(1)} KiB)`);
    expect(total).toBeLessThanOrEqual(MAX_UNPACKED);
  });

  it('ships no pages (dist/app) and no sourcemaps', () => {
    const paths = [...files.keys()];
    expect(paths.filter((p) => p.startsWith('dist/app'))).toEqual([]);
    expect(paths.filter((p) => p.endsWith('.map'))).toEqual([]);
    for (const p of paths.filter((q) => q.endsWith('.js'))) {
      expect(readFileSync(pkgPath(p), 'utf8'), p).not.toMatch(/sourceMappingURL/);
    }
  });

  it('has the MIT LICENSE that package.json names, a repository and keywords', () => {
    expect(files.has('LICENSE')).toBe(true);
    const text = readFileSync(pkgPath('LICENSE'), 'utf8');
    expect(text).toMatch(/^MIT License/);
    expect(text).toContain('webgpu-lr-schedules contributors');
    expect(manifest.license).toBe('MIT');
    expect(manifest.repository?.type).toBe('git');
    expect(manifest.repository?.url).toMatch(/^git\+https:\/\/github\.com\/.+\.git$/);
    expect(manifest.keywords?.length ?? 0).toBeGreaterThan(0);
  });

  it('exports "." with types, browser, node and default conditions, all of them shipped', () => {
    const root = manifest.exports['.'];
    expect(root).toBeTypeOf('object');
    expect(Object.keys(root as object)).toEqual(['types', 'browser', 'node', 'default']);
    for (const name of ['types', 'browser', 'node', 'default']) expect(files.has(condition('.', name).replace(/^\.\//, '')), name).toBe(true);
    for (const name of ['types', 'default']) expect(files.has(condition('./node', name).replace(/^\.\//, '')), `./node ${name}`).toBe(true);
    for (const field of [manifest.main, manifest.browser, manifest.types, ...Object.values(manifest.bin ?? {})]) {
      expect(field, 'main/browser/types/bin').toBeDefined();
      expect(files.has((field as string).replace(/^\.\//, '')), field).toBe(true);
    }
  });

  it('has a browser build that imports nothing outside itself: no webgpu, no node: module', () => {
    for (const name of ['browser', 'default']) {
      const graph = moduleGraph(condition('.', name));
      expect(graph.external, `exports["."].${name} → ${graph.files.join(', ')}`).toEqual([]);
      for (const f of graph.files) {
        const text = readFileSync(pkgPath(f), 'utf8');
        expect(text, f).not.toMatch(/\brequire\s*\(|\bprocess\.(?:env|versions)\b/);
      }
    }
  });

  it('has a Node build that loads Dawn (`webgpu`) lazily and nothing but node: builtins besides', () => {
    const graph = moduleGraph(condition('.', 'node'));
    const external = [...new Set(graph.external)].sort();
    expect(external).toContain('webgpu');
    expect(external.filter((s) => s !== 'webgpu' && !s.startsWith('node:'))).toEqual([]);
    // Lazily: a static import would make the optional peer dependency mandatory.
    for (const f of graph.files) expect(readFileSync(pkgPath(f), 'utf8'), f).not.toMatch(/^\s*import\s[^;]*from\s*["']webgpu["']/m);
  });

  it('ships declarations that import the WebGPU types instead of declaring globals', () => {
    const dts = [...files.keys()].filter((p) => p.endsWith('.d.ts'));
    expect(dts).toContain(condition('.', 'types').replace(/^\.\//, ''));
    for (const p of dts) {
      const text = readFileSync(pkgPath(p), 'utf8');
      expect(text, p).not.toMatch(/declare global|\/\/\/\s*<reference/);
      expect(text, p).not.toMatch(/from\s*['"]\.{1,2}\/[^'"]*\.ts['"]/);
    }
  });
});
