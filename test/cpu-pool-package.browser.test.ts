/**
 * The browser CPU pool from the PACKED library in a fresh Vite app (test/helpers/packed.ts):
 * the package keeps `new Worker(new URL('../browser/pool-worker.js', import.meta.url), { type:
 * 'module' })`, so the app's Vite serves the worker under `vite` (dev, with its dependency
 * pre-bundling) and bundles it under `vite build` (+ `vite preview`). The app's config sends
 * COOP / COEP, so the page is cross-origin isolated; a 4-thread CPU evaluator gives the
 * one-thread evaluator's bits with no console error or failed request.
 */
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from './helpers/browser.ts';
import { makeConsumer, serveVite, type Consumer } from './helpers/packed.ts';

const MAIN_TS = `import { CosineDecay, CosineDecayRestarts, ExponentialDecay, PolynomialDecay, createEvaluator } from 'webgpu-lr-schedules';

const out = document.querySelector('#out')!;
try {
  const schedules = Array.from({ length: 200 }, (_, r) =>
    [
      new CosineDecay({ initialLearningRate: 0.1, decaySteps: 500 + r, alpha: 0.01, warmupTarget: 0.2, warmupSteps: 50 }),
      new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 40 + r, tMul: 2, mMul: 0.9 }),
      new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 30 + r, decayRate: 0.9, staircase: r % 2 === 1 }),
      new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 700 + r, power: 1.5, cycle: true }),
    ][r % 4]!,
  );
  const one = await createEvaluator({ backend: 'cpu' });
  const many = await createEvaluator({ backend: 'cpu', threads: 4 });
  const want = await one.sweep(schedules, { start: 0, count: 1000 });
  const got = await many.sweep(schedules, { start: 0, count: 1000 });
  let mismatches = 0;
  for (let i = 0; i < want.values.length; i++) if (!Object.is(got.values[i], want.values[i])) mismatches++;
  many.destroy();
  one.destroy();
  out.textContent = JSON.stringify({ isolated: crossOriginIsolated, cpuThreads: got.cpuThreads ?? 1, n: got.values.length, mismatches });
} catch (err) {
  out.textContent = 'error: ' + String(err);
}
document.body.dataset['done'] = '1';
`;

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><link rel="icon" href="data:," /><title>lr schedules: CPU pool</title></head>
  <body><pre id="out">starting…</pre><script type="module" src="/src/main.ts"></script></body>
</html>
`;

const VITE_CONFIG = `import { defineConfig } from 'vite';
const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
export default defineConfig({ server: { headers }, preview: { headers } });
`;

let app: Consumer;
let browser: Browser;

beforeAll(async () => {
  app = await makeConsumer({ deps: ['vite', 'typescript'], files: { 'index.html': INDEX_HTML, 'src/main.ts': MAIN_TS, 'vite.config.js': VITE_CONFIG } });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  app?.remove();
});

async function expectPoolPage(args: readonly string[]): Promise<void> {
  const server = await serveVite(app.dir, args);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  page.on('response', (r) => r.status() >= 400 && errors.push(`HTTP ${r.status()}: ${r.url()}`));
  try {
    await page.goto(server.url);
    await page.waitForSelector('body[data-done="1"]', { timeout: 90_000 });
    const text = (await page.textContent('#out')) ?? '';
    expect(text.startsWith('{'), text).toBe(true);
    expect(JSON.parse(text)).toEqual({ isolated: true, cpuThreads: 4, n: 200_000, mismatches: 0 });
    expect(errors).toEqual([]);
  } finally {
    await page.close();
    await server.stop();
  }
}

describe('the packed library’s CPU pool in a fresh Vite app', () => {
  it('runs on 4 Web Workers with the one-thread bits under the dev server (`vite`)', async () => {
    await expectPoolPage([]);
  });

  it('runs on 4 Web Workers with the one-thread bits from the production build (`vite build`, `vite preview`)', async () => {
    await app.exec(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], { env: { NO_COLOR: '1' } });
    await expectPoolPage(['preview']);
  });
});
