#!/usr/bin/env node
// The project's one test command: vitest over test/, Node GPU tests and headless
// Chromium tests included (both required). Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';

const args = ['vitest', 'run', ...process.argv.slice(2)];
const r = spawnSync('npx', args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
