/**
 * A fresh Vite + strict TypeScript app that installed the packed tarball and NOT
 * `webgpu` (Dawn is for Node; a browser has navigator.gpu): the `browser` export
 * condition must give it a library with no `webgpu` and no `node:` import, so that
 * `vite` (dev server, with its dependency pre-bundling) and `vite build` + `vite
 * preview` both serve a page that runs a verified WebGPU sweep in headless Chromium
 * (SwiftShader), with no console error and no word from Vite about Node modules.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from './helpers/browser.ts';
import { makeConsumer, serveVite, type Consumer } from './helpers/packed.ts';

const COUNT = 4096;

const MAIN_TS = `import { CosineDecay, ExponentialDecay, PiecewiseConstantDecay, createEvaluator } from 'webgpu-lr-schedules';

const out = document.querySelector<HTMLPreElement>('#out');
if (!out) throw new Error('no #out');
try {
  const ev = await createEvaluator({ backend: 'webgpu' });
  const schedules = [
    new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, alpha: 0.01, warmupTarget: 0.5, warmupSteps: 100 }),
    new ExponentialDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 0.5, staircase: true }),
    new PiecewiseConstantDecay({ boundaries: [100, 1000], values: [1, 0.5, 0.1] }),
  ];
  const r = await ev.sweep(schedules, { start: 0, count: ${COUNT} }, { verify: 'all' });
  out.textContent = JSON.stringify({ backend: r.backend, ok: r.verification?.ok ?? null, checked: r.verification?.checked ?? null, n: r.values.length });
  ev.destroy();
} catch (err) {
  out.textContent = 'error: ' + String(err);
}
document.body.dataset['done'] = '1';
`;

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><link rel="icon" href="data:," /><title>lr schedules in a Vite app</title></head>
  <body><pre id="out">starting…</pre><script type="module" src="/src/main.ts"></script></body>
</html>
`;

const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'bundler',
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      types: ['vite/client'],
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      skipLibCheck: false,
      isolatedModules: true,
      verbatimModuleSyntax: true,
      noEmit: true,
    },
    include: ['src'],
  },
  null,
  2,
)}\n`;

/** What Vite says when a dependency reaches for Node: the warnings this app must never see. */
const NODE_MODULE_WORDS = /externali[sz]ed|node:|Failed to resolve|Could not resolve|Module "[^"]+" has been|for browser compatibility/i;

let app: Consumer;
let browser: Browser;

beforeAll(async () => {
  app = await makeConsumer({
    deps: ['vite', 'typescript'],
    files: { 'index.html': INDEX_HTML, 'src/main.ts': MAIN_TS, 'tsconfig.json': TSCONFIG },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  app?.remove();
});

/** Opens the page, waits for the sweep, returns what it printed and every console error. */
async function runPage(url: string): Promise<{ result: string; errors: string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('requestfailed', (req) => errors.push(`request failed: ${req.url()}`));
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  try {
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    await page.waitForSelector('body[data-done="1"]', { timeout: 90_000 });
    return { result: (await page.textContent('#out')) ?? '', errors };
  } finally {
    await context.close();
  }
}

function expectVerifiedWebGpuSweep(result: string): void {
  expect(result.startsWith('{'), result).toBe(true);
  expect(JSON.parse(result)).toEqual({ backend: 'webgpu', ok: true, checked: 3 * COUNT, n: 3 * COUNT });
}

/** Serves the app (`vite` with `args`), runs its page: a verified WebGPU sweep, no page error, no word of Node modules from the server. */
async function expectSweepServed(args: string[]): Promise<void> {
  const server = await serveVite(app.dir, args);
  try {
    const { result, errors } = await runPage(server.url);
    expectVerifiedWebGpuSweep(result);
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
  }
  expect(server.output()).not.toMatch(NODE_MODULE_WORDS);
}

describe('a fresh Vite + strict TypeScript app with the packed package and without webgpu', () => {
  it('has no webgpu installed and typechecks (strict, skipLibCheck: false)', async () => {
    expect(readdirSync(join(app.dir, 'node_modules'))).not.toContain('webgpu');
    const { stdout, stderr } = await app.exec(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.']);
    expect(stdout + stderr).toBe('');
  });

  it('runs a verified WebGPU sweep under the dev server (`vite`)', async () => {
    await expectSweepServed([]);
  });

  it('builds with no warning about Node modules and runs the sweep from the production build (`vite preview`)', async () => {
    const { stdout, stderr } = await app.exec(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], { env: { NO_COLOR: '1', FORCE_COLOR: '0' } });
    expect(stdout).toContain('built in');
    expect(stdout + stderr).not.toMatch(NODE_MODULE_WORDS);
    expect(stderr).toBe('');
    const assets = join(app.dir, 'dist', 'assets');
    for (const f of readdirSync(assets).filter((n) => n.endsWith('.js'))) {
      const js = readFileSync(join(assets, f), 'utf8');
      expect(js, f).not.toMatch(/["']node:|import\(\s*["']webgpu["']\s*\)|from\s*["']webgpu["']/);
    }
    await expectSweepServed(['preview']);
  });
});
