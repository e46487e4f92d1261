/**
 * The explorer as a comparison tool (issue I), in headless Chromium (WebGPU on SwiftShader)
 * against the BUILT page: pins that survive sweep edits and pastes, zoom, the crosshair's
 * values checked against schedule.at(step), the discrete legend, SVG export, and a config
 * the GPU declines computed on the CPU beside the GPU's rows.
 *
 * `npm run screenshots` walks the same states and writes docs/explorer-*.png.
 */
import { readFileSync } from 'node:fs';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchedule, type ScheduleKind } from '../src/index.ts';
import { accepts, toleranceK } from '../src/verify/tolerance.ts';
import { plotInk, startBuiltPage, type BuiltPageSession } from './helpers/browser.ts';
import { pointerTo } from './helpers/explorer-page.ts';

let session: BuiltPageSession;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  session = await startBuiltPage('explorer-compare-');
  ({ browser, origin } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

async function open(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  // What the status line said when the first-draw mark was set.
  await page.addInitScript(() => {
    new MutationObserver((records) => {
      for (const r of records) {
        const t = r.target as HTMLElement;
        if (t.id === 'status' && t.dataset['firstDrawMs'] !== undefined && t.dataset['textAtFirstDraw'] === undefined) t.dataset['textAtFirstDraw'] = t.textContent ?? '';
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-first-draw-ms'] });
  });
  await page.goto(`${origin}/`);
  await page.waitForSelector('[data-testid="status"][data-schedules]', { timeout: 90_000 });
  return page;
}

async function status(page: Page): Promise<Record<string, string>> {
  return page.getByTestId('status').evaluate((e: HTMLElement) => ({ text: e.textContent ?? '', ...e.dataset }) as Record<string, string>);
}

/** Waits for the next sweep to be on screen (the status's evaluation time or counts change, nothing busy). */
async function settled(page: Page, before: Record<string, string>): Promise<Record<string, string>> {
  await expect.poll(async () => {
    const s = await status(page);
    const busy = await page.locator('#busy').isVisible();
    return !busy && (s['timings'] !== before['timings'] || s['evalMs'] !== before['evalMs'] || s['text'] !== before['text']);
  }, { timeout: 90_000 }).toBe(true);
  return status(page);
}

/** Moves over the plot at x fraction fx until the tooltip names a curve not yet pinned; returns its row. */
async function hoverUnpinned(page: Page, fx: number): Promise<number> {
  const box = await page.locator('#plot-canvas').boundingBox();
  if (!box) throw new Error('no plot canvas');
  for (let fy = 0.05; fy < 0.95; fy += 0.03) {
    await pointerTo(page, box.x + box.width * fx, box.y + box.height * fy);
    const tip = await page.getByTestId('tooltip').evaluate((e: HTMLElement) => (e.hidden ? '' : (e.textContent ?? '')));
    if (tip.includes('click to pin')) return Number(await page.locator('#plot').getAttribute('data-hover'));
  }
  throw new Error(`no unpinned curve under x = ${fx}`);
}

interface Reading {
  readonly step: number;
  readonly values: Record<string, number>;
}

/** The crosshair's values per pin key at plot x fraction fx (pointer near the bottom edge, so no curve is hovered). */
async function readAt(page: Page, fx: number): Promise<Reading> {
  const box = await page.locator('#plot-canvas').boundingBox();
  if (!box) throw new Error('no plot canvas');
  await pointerTo(page, box.x + box.width * fx, box.y + box.height - 2);
  return page.getByTestId('readout').evaluate((e: HTMLElement) => {
    const values: Record<string, number> = {};
    for (const n of Array.from(e.querySelectorAll<HTMLElement>('[data-pin-key]'))) values[n.dataset['pinKey'] as string] = Number(n.dataset['value']);
    return { step: Number(e.dataset['step']), values };
  });
}

async function pinKeys(page: Page): Promise<string[]> {
  return page.locator('#pins-body tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset['pinKey'] as string));
}

/** The schedule a pin key stands for (kind + sorted config entries). */
function scheduleOfKey(key: string) {
  const i = key.indexOf('[');
  const kind = key.slice(0, i) as ScheduleKind;
  const entries = JSON.parse(key.slice(i)) as [string, unknown][];
  return createSchedule(kind, Object.fromEntries(entries) as never);
}

function expectExact(key: string, step: number, got: number): void {
  const s = scheduleOfKey(key);
  const exact = s.at(step);
  expect(accepts(toleranceK(s), exact, got), `${key} at step ${step}: got ${got}, exact ${exact}`).toBe(true);
}

async function setValues(page: Page, field: string, text: string): Promise<void> {
  const input = page.locator(`tr[data-field="${field}"] input.values`);
  await input.fill(text);
  await input.dispatchEvent('input');
  await input.dispatchEvent('change');
}

describe('the explorer as a comparison tool (built page, headless Chromium)', () => {
  it('keeps two pins through a sweep edit and a paste, zooms, reads both pins at a step, toggles a group, exports SVG', async () => {
    const page = await open();
    let s = await status(page);
    expect(s['backend']).toBe('webgpu');
    // The first-draw mark is set once the status line says what is drawn, not "starting…".
    await expect.poll(async () => (await status(page))['textAtFirstDraw'] ?? '').toMatch(/^1,000 schedules × 1,001 steps · webgpu · evaluated in/);

    // Pin two curves.
    await hoverUnpinned(page, 0.3);
    await page.mouse.down();
    await page.mouse.up();
    await hoverUnpinned(page, 0.6);
    await page.mouse.down();
    await page.mouse.up();
    const keys = await pinKeys(page);
    expect(keys).toHaveLength(2);
    const first = await readAt(page, 0.45);
    expect(Object.keys(first.values).sort()).toEqual([...keys].sort());
    for (const k of keys) expectExact(k, first.step, first.values[k] as number);

    // Change the sweep: only alpha 0 and 0.3 (the pins' alphas may be gone from it).
    await setValues(page, 'alpha', '0, 0.3');
    s = await settled(page, s);
    expect(s['schedules']).toBe('400');
    expect(await pinKeys(page)).toEqual(keys);

    // Paste a schedule.
    await page.locator('#paste-json').fill(JSON.stringify({ class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.005, decay_steps: 1000, decay_rate: 0.9 } }));
    await page.locator('#paste-add').click();
    s = await settled(page, s);
    expect(s['text']).toMatch(/added 1 pasted schedule/);
    expect(s['schedules']).toBe('401');
    expect(await pinKeys(page)).toEqual(keys);
    const after = await readAt(page, 0.45);
    expect(after.step).toBe(first.step);
    for (const k of keys) expect(after.values[k]).toBe(first.values[k]);

    // Zoom into steps ~2,000–4,000 (a flat brush: x only) and read the axis domain back.
    const box = await page.locator('#plot-canvas').boundingBox();
    if (!box) throw new Error('no plot canvas');
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5 + 1, { steps: 4 });
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5 + 1, { steps: 4 });
    await page.mouse.up();
    s = await settled(page, s);
    const [x0, x1] = ((await page.locator('#plot').getAttribute('data-x-domain')) ?? '').split(',').map(Number) as [number, number];
    expect(x0).toBeGreaterThanOrEqual(1900);
    expect(x0).toBeLessThanOrEqual(2100);
    expect(x1).toBeGreaterThanOrEqual(3900);
    expect(x1).toBeLessThanOrEqual(4100);
    expect(Number(s['steps'])).toBe((x1 - x0) / 10 + 1);
    expect(await pinKeys(page)).toEqual(keys);
    const zoomed = await readAt(page, 0.5);
    expect(zoomed.step).toBeGreaterThan(x0);
    expect(zoomed.step).toBeLessThan(x1);
    expect(Object.keys(zoomed.values).sort()).toEqual([...keys].sort());
    for (const k of keys) expectExact(k, zoomed.step, zoomed.values[k] as number);
    await page.locator('#reset-zoom').click();
    s = await settled(page, s);
    expect(await page.locator('#plot').getAttribute('data-x-domain')).toBe('0,10000');

    // A log x axis: from the first step above 0, the pins' values still those of their steps.
    await page.locator('#x-scale').selectOption('log');
    s = await settled(page, s);
    expect(await page.locator('#plot').getAttribute('data-x-domain')).toBe('10,10000');
    const logRead = await readAt(page, 0.5);
    expect(Math.abs(logRead.step - Math.sqrt(10 * 10_000))).toBeLessThanOrEqual(20);
    for (const k of keys) expectExact(k, logRead.step, logRead.values[k] as number);
    await page.locator('#x-scale').selectOption('linear');
    s = await settled(page, s);

    // The SVG with the continuous colour bar: its label and the page's ticks (1e-4 … 1e-2, log).
    const [barDownload] = await Promise.all([page.waitForEvent('download'), page.locator('#export-svg').click()]);
    const barSvg = readFileSync((await barDownload.path()) as string, 'utf8');
    expect(barSvg).toContain('>colour: warmupTarget (log scale)</text>');
    const barTicks = [...(/<g [^>]*class="colour-bar">([^]*?)<\/g>/.exec(barSvg)?.[1] ?? '').matchAll(/>([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(barTicks).toEqual(expect.arrayContaining(['1e-4', '1e-3', '1e-2']));

    // Colour by warmupSteps: one swatch per value; hide the 500 group and show it again.
    await page.locator('#color-by').selectOption('warmupSteps');
    const legend = page.getByTestId('legend');
    await expect.poll(() => legend.locator('button').count()).toBe(4);
    const g500 = legend.locator('button[data-value="500"]');
    const inkOn = await plotInkAway(page);
    await g500.click();
    await expect.poll(() => g500.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => plotInkAway(page)).toBeLessThan(inkOn);
    await g500.click();
    await expect.poll(() => g500.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => plotInkAway(page)).toBeGreaterThan(inkOn * 0.9);

    // Small multiples by warmupSteps, on the light theme.
    await page.locator('#facet-by').selectOption('warmupSteps');
    await expect.poll(() => page.locator('#facets figure').count()).toBe(4);
    expect(await page.locator('#facets figcaption').allTextContents()).toEqual(['warmupSteps = 0 (100)', 'warmupSteps = 500 (100)', 'warmupSteps = 1000 (100)', 'warmupSteps = 2000 (100)']);
    await page.locator('#light-theme').check();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).toBe('light');
    await page.locator('#light-theme').uncheck();
    await page.locator('#facet-by').selectOption('');

    // Export SVG: the title and the legends are text in it.
    await page.locator('#pins-body tr').first().locator('input.pin-name').fill('my baseline');
    await page.locator('#pins-body tr').first().locator('input.pin-name').dispatchEvent('change');
    const title = (await page.locator('#plot-title').textContent()) ?? '';
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-svg').click()]);
    const svg = readFileSync((await download.path()) as string, 'utf8');
    expect(svg).toContain(`<title>${title.replace(/&/g, '&amp;')}</title>`);
    expect(svg).toMatch(/>colour: warmupSteps</);
    // Each group with its curve count, as on the page.
    for (const v of ['0', '500', '1000', '2000']) expect(svg).toContain(`>${v} (100)</text>`);
    expect(svg).toContain('>my baseline</text>');
    expect(svg).toMatch(/<polyline stroke="rgba\(/);
    await page.context().close();
  }, 300_000);

  it('carries the pins, renamed and recoloured, in the share link', async () => {
    const page = await open();
    await hoverUnpinned(page, 0.4);
    await page.mouse.down();
    await page.mouse.up();
    const keys = await pinKeys(page);
    expect(keys).toHaveLength(1);
    const row = page.locator('#pins-body tr').first();
    await row.locator('input.pin-name').fill('shared pin');
    await row.locator('input.pin-name').dispatchEvent('change');
    await row.locator('input.pin-color').evaluate((e: HTMLInputElement) => {
      e.value = '#123456';
      e.dispatchEvent(new Event('input'));
    });
    await page.locator('#share').click();
    await expect.poll(() => page.locator('#share-url').inputValue()).toMatch(/#sweep=/);
    const url = await page.locator('#share-url').inputValue();
    expect((await status(page))['text']).toMatch(/and its 1 pin/);
    const other = await page.context().newPage();
    await other.goto(url);
    await other.waitForSelector('[data-testid="status"][data-schedules]', { timeout: 90_000 });
    await expect.poll(() => pinKeys(other)).toEqual(keys);
    const again = other.locator('#pins-body tr').first();
    expect(await again.locator('input.pin-name').inputValue()).toBe('shared pin');
    expect(await again.locator('input.pin-color').inputValue()).toBe('#123456');
    // The next sweep drops the "link copied" notice and the old sweep's link.
    const before = await status(page);
    await setValues(page, 'alpha', '0, 0.1');
    const next = await settled(page, before);
    expect(next['text']).not.toMatch(/link copied|link shown/);
    expect(await page.locator('#share-url').isHidden()).toBe(true);
    await page.context().close();
  }, 200_000);

  it('draws a pasted config the GPU declines (an increasing PolynomialDecay) computed on the CPU, the rest on the GPU', async () => {
    const page = await open();
    let s = await status(page);
    await page.locator('#paste-json').fill(JSON.stringify({ class_name: 'PolynomialDecay', config: { initial_learning_rate: 0.001, decay_steps: 1000, end_learning_rate: 0.1, power: 1, cycle: false } }));
    await page.locator('#paste-add').click();
    s = await settled(page, s);
    expect(s['schedules']).toBe('1001');
    expect(s['backend']).toBe('webgpu');
    expect(s['cpuRows']).toBe('1001');
    expect(s['text']).toMatch(/webgpu, and schedule #1001 on the CPU \(the GPU declines its config: #1001 PolynomialDecay: endLearningRate = 0\.1: GPU PolynomialDecay needs/);
    expect(s['verified']).toBe('true');
    // Drawn: past step 1,000 it is the highest curve (0.1), at the top of the plot.
    const box = await page.locator('#plot-canvas').boundingBox();
    if (!box) throw new Error('no plot canvas');
    let tip = '';
    for (let fy = 0.02; fy < 0.5 && !tip.includes('PolynomialDecay'); fy += 0.02) {
      await pointerTo(page, box.x + box.width * 0.7, box.y + box.height * fy);
      tip = await page.getByTestId('tooltip').evaluate((e: HTMLElement) => (e.hidden ? '' : (e.textContent ?? '')));
    }
    expect(tip).toMatch(/#1001 PolynomialDecay \(pasted\)/);
    expect(tip).toMatch(/lr = 0\.1/);
    // The tooltip says why, as the status line does (the status line shows at most two lines).
    expect(tip).toMatch(/\(computed on the CPU: the GPU declines this config: endLearningRate = 0\.1: GPU PolynomialDecay needs end_learning_rate/);
    await page.context().close();
  }, 200_000);
});

/** Share of plot pixels that differ from the plot's background, with the pointer off the plot. */
async function plotInkAway(page: Page): Promise<number> {
  await page.mouse.move(0, 0);
  return (await plotInk(page)).ink;
}
