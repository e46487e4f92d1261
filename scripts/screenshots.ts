/**
 * `npm run screenshots [-- <folder>]`: builds the explorer page, drives it in headless
 * Chromium (Debian's chromium, WebGPU on SwiftShader: scripts/chromium.ts) at
 * 1280×720 through the states docs/explorer.md shows, and writes one PNG per state into
 * <folder> (default docs/). The states are those test/explorer-compare.browser.test.ts
 * checks: two pins kept through a sweep edit and a paste, a zoomed range with the
 * crosshair reading both pins, a discrete group hidden, facets on the light theme, the
 * exported SVG (rendered by Chromium), a config the GPU declines drawn from the CPU, a pin
 * trained with (the train panel's charts); and
 * the default view and two dialect-family sweeps. Look at every image before committing it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startBuiltPage } from './chromium.ts';
import { boxOf, brushX, crosshairAt, openExplorer, pinAt, pointerTo, setValues, settledAfter, statusOf, until } from '../test/helpers/explorer-page.ts';

const W = 1280;
const H = 720;
const out = resolve(process.argv[2] ?? 'docs');
mkdirSync(out, { recursive: true });
const written: string[] = [];

async function shot(page: Page, name: string): Promise<void> {
  const file = join(out, `${name}.png`);
  writeFileSync(file, await page.screenshot({ clip: { x: 0, y: 0, width: W, height: H } }));
  written.push(file);
}

/** The comparison flow: the states test/explorer-compare.browser.test.ts walks through. */
async function comparison(browser: Browser, origin: string): Promise<void> {
  const page = await openExplorer(browser, origin, { width: W, height: H });
  let s = await statusOf(page);
  await pinAt(page, 0.3);
  await pinAt(page, 0.6);
  await crosshairAt(page, 0.45);
  await shot(page, 'explorer');

  await setValues(page, 'alpha', '0, 0.3');
  s = await settledAfter(page, s);
  await page.locator('#paste-json').fill(JSON.stringify({ class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.005, decay_steps: 1000, decay_rate: 0.9 } }));
  await page.locator('#paste-add').click();
  s = await settledAfter(page, s);
  await crosshairAt(page, 0.45);
  await shot(page, 'explorer-pins');

  await brushX(page, 0.2, 0.4);
  s = await settledAfter(page, s);
  await crosshairAt(page, 0.5);
  await shot(page, 'explorer-zoom-crosshair');
  await page.locator('#reset-zoom').click();
  await settledAfter(page, s);

  await page.locator('#color-by').selectOption('warmupSteps');
  const g500 = page.getByTestId('legend').locator('button[data-value="500"]');
  await g500.click();
  await until(async () => (await g500.getAttribute('aria-pressed')) === 'false', 'the 500 group hidden');
  await page.mouse.move(0, 0);
  await page.waitForTimeout(300);
  await shot(page, 'explorer-legend-hidden');
  await g500.click();

  await page.locator('#facet-by').selectOption('warmupSteps');
  await until(async () => (await page.locator('#facets figure').count()) === 4, 'four facets');
  await page.locator('#light-theme').check();
  await page.mouse.move(0, 0);
  // The facets in view, with the plot's lower part above them.
  const facets = await boxOf(page, '#facets');
  await page.evaluate((y) => window.scrollTo(0, y), facets.y + facets.height - H + 16);
  await page.waitForTimeout(300);
  await shot(page, 'explorer-facets-light');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator('#light-theme').uncheck();
  await page.locator('#facet-by').selectOption('');

  const name = page.locator('#pins-body tr').first().locator('input.pin-name');
  await name.fill('my baseline');
  await name.dispatchEvent('change');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-svg').click()]);
  const svg = readFileSync((await download.path()) as string, 'utf8');
  const view = await page.context().newPage();
  await view.setContent(svg.replace(/^<svg /, '<svg style="display:block" '));
  const file = join(out, 'explorer-export.png');
  writeFileSync(file, await view.locator('svg').screenshot());
  written.push(file);
  await page.context().close();
}

/** A pasted config the GPU declines, drawn with the rest from the CPU, its tooltip shown. */
async function declined(browser: Browser, origin: string): Promise<void> {
  const page = await openExplorer(browser, origin, { width: W, height: H });
  const s = await statusOf(page);
  await page.locator('#paste-json').fill(JSON.stringify({ class_name: 'PolynomialDecay', config: { initial_learning_rate: 0.001, decay_steps: 1000, end_learning_rate: 0.1, power: 1, cycle: false } }));
  await page.locator('#paste-add').click();
  await settledAfter(page, s);
  const b = await boxOf(page, '#plot-canvas');
  for (let fy = 0.02; fy < 0.5; fy += 0.02) {
    await pointerTo(page, b.x + b.width * 0.7, b.y + b.height * fy);
    const tip = await page.getByTestId('tooltip').evaluate((e: HTMLElement) => (e.hidden ? '' : (e.textContent ?? '')));
    if (tip.includes('PolynomialDecay')) break;
  }
  await shot(page, 'explorer-declined');
  await page.context().close();
}

/** A pin trained with (the train panel, 4,000 steps on the page's device: its warmup and the start of its decay): the loss and learning-rate charts with their axes. */
async function train(browser: Browser, origin: string): Promise<void> {
  const page = await openExplorer(browser, origin, { width: W, height: H });
  await pinAt(page, 0.3);
  // A chosen count (typed by script: the panel is hidden until the first run); unticks "its horizon".
  await page.locator('#train-panel input[aria-label="training steps"]').evaluate((e: HTMLInputElement) => {
    e.value = '4000';
    e.dispatchEvent(new Event('input'));
  });
  await page.locator('#pins-body button', { hasText: 'train' }).click();
  const panel = page.getByTestId('train-panel');
  await until(async () => (await panel.getAttribute('data-state')) === 'done', 'the training run', 120_000);
  await page.mouse.move(0, 0);
  // The panel at the bottom of the view, the pinned table above it.
  const b = await boxOf(page, '#train-panel');
  await page.evaluate((y) => window.scrollTo(0, y), b.y + b.height - H + 16);
  await page.waitForTimeout(300);
  await shot(page, 'explorer-train');
  await page.context().close();
}

/** A dialect family swept over 10,000 steps every step (9 curves). */
async function family(browser: Browser, origin: string, kind: string, name: string): Promise<void> {
  const page = await openExplorer(browser, origin, { width: W, height: H });
  await page.locator('#kind').selectOption(kind);
  await page.locator('#step-end').fill('10000');
  await page.locator('#step-stride').fill('1');
  await page.locator('#step-stride').blur();
  await until(async () => {
    const s = await statusOf(page);
    return !(await page.locator('#busy').isVisible()) && s['schedules'] === '9' && s['steps'] === '10001';
  }, `the ${kind} sweep`, 120_000);
  await page.mouse.move(0, 0);
  await shot(page, name);
  await page.context().close();
}

const session = await startBuiltPage('explorer-shots-');
try {
  await comparison(session.browser, session.origin);
  await declined(session.browser, session.origin);
  await train(session.browser, session.origin);
  await family(session.browser, session.origin, 'hf.warmup_stable_decay', 'explorer-wsd');
  await family(session.browser, session.origin, 'torch.OneCycleLR', 'explorer-onecycle');
} finally {
  await session.close();
}
for (const f of written) console.log(`wrote ${f}`);
