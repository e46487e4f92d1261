/**
 * A log x axis in headless Chromium against the BUILT page, with WebGPU (SwiftShader) and
 * without it (the CPU and the 2D canvas): every sample is drawn at its own step's x on the
 * log axis, each step once. Before, the log-spaced samples were snapped to the grid (the
 * first steps repeated) and drawn evenly across the width: a staircase at low steps.
 * Checked on what the page exports from the drawn points: the CSV's steps (one line per
 * sample) against the SVG's pinned polyline (one vertex per sample, at pointX).
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSweepHash } from '../src/app/sweep-link.ts';
import { defaultSweep } from '../src/app/sweep.ts';
import { toFraction } from '../src/app/zoom.ts';
import { startBuiltPage, type BuiltPageSession } from './helpers/browser.ts';
import { openWatched, pinAt, settledAfter, statusOf, statusParts } from './helpers/explorer-page.ts';

let session: BuiltPageSession;

beforeAll(async () => {
  session = await startBuiltPage('explorer-log-x-');
}, 240_000);

afterAll(async () => {
  await session?.close();
});

/** Steps 0 to 1,000 every 1: on a log axis from step 1, the grid is coarser than the log spacing up to step ~145. */
const HASH = encodeSweepHash({ ...defaultSweep(), steps: { start: 0, end: 1000, stride: 1 } });

async function download(page: Page, button: string): Promise<string> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.locator(button).click()]);
  return readFileSync((await d.path()) as string, 'utf8');
}

describe.each([true, false])('log x axis (webgpu %s)', (webgpu) => {
  it('draws each step once, at the log axis\'s x of that step, in step order', async () => {
    const { page, pageErrors } = await openWatched(session.browser, session.origin, { webgpu, hash: HASH });
    expect((await statusParts(page)).data['backend']).toBe(webgpu ? 'webgpu' : 'cpu');
    const s = await statusOf(page);
    await page.locator('#x-scale').selectOption('log');
    await settledAfter(page, s);
    const [x0, x1] = ((await page.locator('#plot').getAttribute('data-x-domain')) ?? '').split(',').map(Number) as [number, number];
    expect([x0, x1]).toEqual([1, 1000]);
    await pinAt(page, 0.5);

    const steps = (await download(page, '#export-csv')).trim().split('\n').slice(1).map((line) => Number(line.split(',')[0]));
    // 1,000 grid steps fit in LOG_SAMPLES: every one, each once, ascending.
    expect(steps).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));

    const svg = await download(page, '#export-svg');
    const clip = /<clipPath id="plot-clip"><rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/.exec(svg);
    expect(clip).not.toBeNull();
    const [left, pw] = [Number(clip?.[1]), Number(clip?.[2])];
    const polylines = [...svg.matchAll(/<polyline [^>]*points="([^"]+)"/g)].map((m) => (m[1] as string).split(' ').map((p) => Number(p.split(',')[0])));
    expect(polylines).toHaveLength(1);
    const xs = polylines[0] as number[];
    expect(xs).toHaveLength(steps.length);
    // Written with toFixed(1) (±0.05 px) from an f32 fraction (relative error ≤ 2^-24) of the width.
    const slack = 0.05 + pw * 2 ** -24 + 1e-9;
    let worst = 0;
    steps.forEach((step, i) => {
      worst = Math.max(worst, Math.abs((xs[i] as number) - (left + toFraction(step, x0, x1, true) * pw)));
      if (i > 0) expect(xs[i], `step ${step}`).toBeGreaterThanOrEqual(xs[i - 1] as number);
    });
    expect(worst).toBeLessThanOrEqual(slack);
    // The first steps are far apart on the log axis: step 2 at a tenth of the width (log 2 / log 1000).
    expect((xs[1] as number) - left).toBeCloseTo((Math.log(2) / Math.log(1000)) * pw, 1);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  }, 240_000);
});
