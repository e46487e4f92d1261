#!/usr/bin/env node
// Empties the library's output folders before `npm run build:lib` (the pages in
// dist/app are another build's), so no stale file of an earlier build is packed.
import { rmSync } from 'node:fs';

for (const dir of ['browser', 'node', 'chunks', 'types']) rmSync(new URL(`../dist/${dir}/`, import.meta.url), { recursive: true, force: true });
