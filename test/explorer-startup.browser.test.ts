/**
 * The explorer's start-up with a shared link on the BUILT page (`vite build` into a temp dir,
 * `vite preview`, headless Chromium on SwiftShader), under the page's Content-Security-Policy:
 * the link's preflight, whose progress goes through shared memory on the cross-origin
 * isolated page and by a message per row on a page served without the isolation headers
 * (both draw the link, with every phase recorded, and both refuse a row over the limit,
 * naming it). docs/explorer.md#start-up.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSweep, type SweepDef } from '../src/app/sweep.ts';
import { encodeSweepHash } from '../src/app/sweep-link.ts';
import { startBuiltPage, type BuiltPageSession } from './helpers/browser.ts';
import { SLOW_ROW_REFUSAL, SLOW_ROW_SWEEP, openWatched, statusParts } from './helpers/explorer-page.ts';

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

describe('a shared link at start-up', () => {
  it.each([true, false])('isolated %s: drawn under the CSP, every phase recorded', async (isolated) => {
    const { page, cspErrors, pageErrors } = await openWatched(browser, origin, { hash: encodeSweepHash(LINK), isolated });
    // Isolated, the preflight reports through shared memory; without the headers, by message.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(isolated);
    const s = await statusParts(page);
    expect([s.data['schedules'], s.data['steps'], s.data['backend'], s.data['verified']]).toEqual(['1000', '1501', 'webgpu', 'true']);
    expect(s.data['linkError']).toBeUndefined();
    for (const phase of ['PageLoad', 'Device', 'Compile', 'Evaluate', 'Readback', 'Verify', 'Draw']) expect(Number(s.data[`phase${phase}`]), phase).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(s.data['timings'] ?? '{}')).toHaveProperty('preflight');
    expect(cspErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  it.each([true, false])('isolated %s: a row over the row limit is refused, naming the row and its config', async (isolated) => {
    const { page } = await openWatched(browser, origin, { hash: encodeSweepHash(SLOW_ROW_SWEEP), isolated, rowMs: 2 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(isolated);
    expect((await statusParts(page)).data['schedules']).toBe('1000');
    expect((await page.locator('#url-error').textContent()) ?? '').toMatch(SLOW_ROW_REFUSAL);
    await page.context().close();
  });
});
