#!/usr/bin/env node
// The package's declarations: dist/types/ from a clean slate (a stale .d.ts of a
// deleted module must not ship), emitted by the repository's own TypeScript.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const outDir = new URL('../dist/types/', import.meta.url);
rmSync(outDir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
