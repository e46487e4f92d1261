/**
 * The browser CPU pool (src/cpu/pool.browser.ts, Web Workers) in the BUILT pages (vite build
 * with vite.config.ts, served by vite preview) in headless Chromium: with the config's COOP /
 * COEP headers the page is cross-origin isolated and the workers share one SharedArrayBuffer;
 * with those headers switched off they transfer their chunks. Either way a 4-thread CPU
 * evaluator gives the one-thread evaluator's bits (test/helpers/pool-page.ts) and an abort
 * mid-call rejects with its reason; and the explorer page itself loads under COEP with no error
 * and, without WebGPU, sweeps on the pool (src/app/lib.ts: threads 'auto').
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSweep } from '../src/app/sweep.ts';
import { encodeSweepHash } from '../src/app/sweep-link.ts';
import { CHROMIUM, CHROMIUM_ARGS } from './helpers/browser.ts';

let browser: Browser;
let outDir: string;
const servers: PreviewServer[] = [];

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'cpu-pool-page-'));
  await build({ configFile: 'vite.config.ts', logLevel: 'error', build: { outDir, emptyOutDir: true, rolldownOptions: { input: { pool: resolve('test/helpers/pool-page.html') } } } });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

async function serve(headers?: Record<string, string>): Promise<string> {
  const server = await preview({ configFile: 'vite.config.ts', logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false, ...(headers ? { headers } : {}) } });
  servers.push(server);
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('vite preview did not report a port');
  return `http://127.0.0.1:${address.port}`;
}

interface PageResult {
  isolated: boolean;
  cases: { name: string; values: number; cpuThreads: number; mismatches: number }[];
  abort: string;
}

async function run(origin: string): Promise<{ result: PageResult; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${origin}/test/helpers/pool-page.html`);
  await page.waitForSelector('body[data-done]', { timeout: 120_000 });
  const text = (await page.locator('#out').textContent()) ?? '';
  await page.close();
  if (!text.startsWith('{')) throw new Error(`the page said: ${text}`);
  return { result: JSON.parse(text) as PageResult, errors };
}

function expectSameBits(result: PageResult): void {
  expect(result.cases.map((c) => c.name)).toEqual(['mixed sweep with Sequences', 'one long row', 'step list']);
  for (const c of result.cases) {
    expect(c.values, c.name).toBeGreaterThanOrEqual(2 ** 16);
    expect(c.cpuThreads, `${c.name}: ran on the 4 workers`).toBe(4);
    expect(c.mismatches, c.name).toBe(0);
  }
  expect(result.abort).toBe('rejected with the reason');
}

describe('the explorer page under the config’s headers', () => {
  it('is cross-origin isolated, draws with no error, and without WebGPU sweeps on the pool’s Web Workers', async () => {
    const origin = await serve();
    const page = await browser.newPage();
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true }));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    // the default sweep over 100,001 steps: above the pool's minimum of 2^16 values
    await page.goto(`${origin}/${encodeSweepHash({ ...defaultSweep(), steps: { start: 0, end: 100_000, stride: 1 } })}`);
    await page.waitForSelector('[data-testid="status"][data-schedules]', { timeout: 120_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    // the page's Content-Security-Policy lets the main thread compile WebAssembly ('wasm-unsafe-eval'),
    // which the CPU path's SIMD loops need there (without it they run their JS twins, slower)
    const compiles = await page.evaluate(() => {
      try {
        return new WebAssembly.Module(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0)) instanceof WebAssembly.Module;
      } catch (e) {
        return String(e);
      }
    });
    expect(compiles).toBe(true);
    await expect.poll(() => page.workers().filter((w) => w.url().includes('pool-worker')).length, { timeout: 60_000 }).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the CPU pool in the built page', () => {
  it('is cross-origin isolated under the config’s headers, and 4 workers sharing memory give the one-thread bits', async () => {
    const { result, errors } = await run(await serve());
    expect(result.isolated).toBe(true);
    expectSameBits(result);
    expect(errors).toEqual([]);
  });

  it('without isolation the workers transfer their chunks, with the same bits', async () => {
    const { result, errors } = await run(await serve({ 'Cross-Origin-Opener-Policy': 'unsafe-none', 'Cross-Origin-Embedder-Policy': 'unsafe-none' }));
    expect(result.isolated).toBe(false);
    expectSameBits(result);
    expect(errors).toEqual([]);
  });
});
