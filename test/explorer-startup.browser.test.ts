/**
 * The explorer's start-up on the BUILT page (`vite build` into a temp dir, `vite preview`,
 * headless Chromium on SwiftShader): the small entry chunk that requests the device and
 * loads the rest with a dynamic import (src/app/entry.ts), the chunks the page preloads for
 * it (vite.config.ts), all under the page's Content-Security-Policy; and the shared link's
 * preflight, whose progress goes through shared memory on the cross-origin isolated page
 * and by a message per row on a page served without the isolation headers (both paths
 * refuse a row over the limit, naming it). docs/explorer.md#start-up.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSweep, type SweepDef } from '../src/app/sweep.ts';
import { encodeSweepHash } from '../src/app/sweep-link.ts';
import { startBuiltPage, type BuiltPageSession } from './helpers/browser.ts';
import { statusParts } from './helpers/explorer-page.ts';

let session: BuiltPageSession;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  session = await startBuiltPage('explorer-startup-', process.env.EXPLORER_VITE_CONFIG);
  ({ browser, origin } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

/** 1,000 CosineDecay schedules with warmup × 1,501 steps (the link's rows all share the warmup flag; the default sweep has 1,001 steps). */
const LINK: SweepDef = {
  ...defaultSweep(),
  params: { ...defaultSweep().params, warmupTarget: { mode: 'range', from: 1e-4, to: 1e-2, count: 50, spacing: 'log' }, warmupSteps: { mode: 'list', values: [100, 500, 1000, 2000] } },
  steps: { start: 0, end: 1500, stride: 1 },
};

/** A fresh context and page that collects CSP messages and page errors; `isolated: false` strips the cross-origin isolation headers from every response. */
async function openPage(options: { isolated?: boolean; rowMs?: number } = {}): Promise<{ context: BrowserContext; page: Page; csp: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  if (options.isolated === false) {
    await context.route('**/*', async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['cross-origin-opener-policy'];
      delete headers['cross-origin-embedder-policy'];
      await route.fulfill({ response, headers });
    });
  }
  const page = await context.newPage();
  const csp: string[] = [];
  const errors: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy|Trusted ?Type/i.test(m.text())) csp.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  if (options.rowMs !== undefined) {
    await page.addInitScript((ms) => {
      (globalThis as { __lrPreflightRowMs?: number }).__lrPreflightRowMs = ms;
    }, options.rowMs);
  }
  return { context, page, csp, errors };
}

describe('the entry chunk', () => {
  it('is small, and the built page preloads every chunk it imports dynamically', () => {
    const html = readFileSync(join(session.outDir, 'index.html'), 'utf8');
    const entry = /<script type="module" crossorigin src="\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(entry).toBeDefined();
    const code = readFileSync(join(session.outDir, entry as string), 'utf8');
    // The device request is in the entry itself, not in a chunk loaded after it.
    expect(code).toMatch(/requestAdapter/);
    expect(statSync(join(session.outDir, entry as string)).size).toBeLessThan(4096);
    const preloaded = new Set([...html.matchAll(/<link rel="modulepreload" crossorigin href="\/([^"]+)"/g)].map((m) => m[1]));
    const dynamic = [...code.matchAll(/"(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
    expect(dynamic.length).toBeGreaterThan(0);
    for (const f of dynamic) expect(preloaded, f).toContain(f);
  });
});

describe('a shared link at start-up', () => {
  it('draws on the isolated page under the CSP, its progress through shared memory, every phase recorded', async () => {
    const { context, page, csp, errors } = await openPage();
    await page.goto(`${origin}/${encodeSweepHash(LINK)}`);
    await page.waitForSelector('[data-testid="status"][data-first-draw-ms]', { timeout: 90_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const s = await statusParts(page);
    expect([s.data['schedules'], s.data['steps']]).toEqual(['1000', '1501']);
    expect(s.data['backend']).toBe('webgpu');
    expect(s.data['verified']).toBe('true');
    expect(s.data['linkError']).toBeUndefined();
    for (const phase of ['PageLoad', 'Device', 'Compile', 'Evaluate', 'Readback', 'Verify', 'Draw']) expect(Number(s.data[`phase${phase}`]), phase).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(s.data['timings'] ?? '{}')).toHaveProperty('preflight');
    expect(csp).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('draws on a page without the isolation headers (the preflight reports by message)', async () => {
    const { context, page, csp, errors } = await openPage({ isolated: false });
    await page.goto(`${origin}/${encodeSweepHash(LINK)}`);
    await page.waitForSelector('[data-testid="status"][data-first-draw-ms]', { timeout: 90_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    const s = await statusParts(page);
    expect([s.data['schedules'], s.data['steps']]).toEqual(['1000', '1501']);
    expect(s.data['verified']).toBe('true');
    expect(s.data['linkError']).toBeUndefined();
    expect(csp).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it.each([true, false])('isolated %s: a row over the row limit is refused, naming the row and its config', async (isolated) => {
    // A limit of 2 ms: a row of 10^6 steps (values, then 10^6 exact reference values) takes longer.
    const { context, page } = await openPage({ isolated, rowMs: 2 });
    const slow: SweepDef = {
      ...defaultSweep(),
      params: { initialLearningRate: { mode: 'single', values: [0.1] }, decaySteps: { mode: 'single', values: [1234] } },
      steps: { start: 0, end: 999_999, stride: 1 },
      colorBy: '#index',
    };
    await page.goto(`${origin}/${encodeSweepHash(slow)}`);
    await page.waitForSelector('[data-testid="status"][data-schedules]', { timeout: 90_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(isolated);
    expect((await statusParts(page)).data['schedules']).toBe('1000');
    const text = (await page.locator('#url-error').textContent()) ?? '';
    expect(text).toMatch(/^The shared link could not be used \(sweep row #1: CosineDecay\(initialLearningRate=0\.1, decaySteps=1234\): (building it, its GPU support check and its values|computing its exact reference values) did not finish within 0\.002 s/);
    await context.close();
  });
});
