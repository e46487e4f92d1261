#!/usr/bin/env node
// The package's declarations, dist/types/: emitted by the repository's TypeScript
// from a clean slate (a stale .d.ts of a deleted module must not ship), then made
// to compile for any consumer (TypeScript 5.9, 6.x, 7.x; with lib "DOM" or without):
//
// - relative imports end in `.js`, as the shipped files do (tsc keeps `.ts` in .d.ts);
// - a `const` whose type tsc wrote as a long string literal (the WGSL sources) is
//   typed `string`: 36 KB of literal type helps no one;
// - the WebGPU types (GPUDevice, GPUBuffer, ...) are imported in each declaration
//   file from dist/types/webgpu-types.d.ts (scripts/webgpu-types.d.ts), which takes
//   them from the consumer's own globals where it has them (TypeScript >= 6 with
//   "DOM", or `@webgpu/types`) and otherwise gives opaque placeholders. The
//   declarations therefore never *declare* a WebGPU global: declaring them (what
//   `@webgpu/types` does) collides with lib.dom from TypeScript 6 on, and referring
//   to them bare fails where no one declares them (TypeScript 5.9, Node-only).
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'types');
const SHIM = 'webgpu-types.d.ts';

rmSync(outDir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

const shimSource = readFileSync(join(root, 'scripts', SHIM), 'utf8');
const provided = new Set([...shimSource.matchAll(/^export type (GPU\w*)/gm)].map((m) => m[1]));
copyFileSync(join(root, 'scripts', SHIM), join(outDir, SHIM));

function* declarationFiles(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* declarationFiles(p);
    else if (name.endsWith('.d.ts') && p !== join(outDir, SHIM)) yield p;
  }
}

/** The text without comments and string contents (good enough for emitted .d.ts). */
function code(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''");
}

const missing = new Map();
for (const file of declarationFiles(outDir)) {
  let text = readFileSync(file, 'utf8');
  text = text.replace(/((?:from|import\()\s*['"])(\.{1,2}\/[^'"]*?)\.ts(['"])/g, '$1$2.js$3');
  text = text.replace(/^(export declare const \w+) = "(?:[^"\\\n]|\\.){200,}";$/gm, '$1: string;');
  const used = [...new Set([...code(text).matchAll(/\bGPU\w*\b/g)].map((m) => m[0]))].sort();
  const unknown = used.filter((n) => !provided.has(n));
  if (unknown.length > 0) missing.set(relative(root, file), unknown);
  if (used.length > 0) {
    let spec = relative(dirname(file), join(outDir, 'webgpu-types.js')).split(sep).join('/');
    if (!spec.startsWith('.')) spec = `./${spec}`;
    text = `import type { ${used.join(', ')} } from '${spec}';\n${text}`;
  }
  writeFileSync(file, text);
}
if (missing.size > 0) {
  for (const [file, names] of missing) console.error(`build-types: ${file} uses ${names.join(', ')}, which scripts/${SHIM} does not provide`);
  console.error(`build-types: add each to scripts/${SHIM} (a WebGPU class: WebGPUClass<...>; an enum or flags type: the spec's type)`);
  process.exit(1);
}
