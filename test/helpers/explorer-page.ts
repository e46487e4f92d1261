/**
 * Driving the explorer page in headless Chromium as a user would: open it, wait for a sweep
 * to be on screen, pin curves, read the crosshair, edit a field. Used by the explorer's
 * browser tests and by scripts/screenshots.ts.
 */
import type { Browser, Page } from 'playwright-core';
import { defaultSweep, type SweepDef } from '../../src/app/sweep.ts';

export type Box = { x: number; y: number; width: number; height: number };

/** Opens the explorer at `origin` (optionally with a share-link hash) in a fresh context and waits for its first sweep. */
export async function openExplorer(browser: Browser, origin: string, options: { width?: number; height?: number; hash?: string } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 720 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await page.goto(`${origin}/${options.hash ?? ''}`);
  await page.waitForSelector('[data-testid="status"][data-schedules]', { timeout: 90_000 });
  return page;
}

/** An explorer page with the Content-Security-Policy (and Trusted Types) messages and the page errors it logged. */
export interface WatchedPage {
  readonly page: Page;
  readonly cspErrors: string[];
  readonly pageErrors: string[];
}

/**
 * Opens the explorer at `origin` (optionally with a share-link hash, as a browser without
 * WebGPU, served without the cross-origin isolation headers (`isolated: false`), or with the
 * preflight's row limit at `rowMs`) in a fresh 1400×860 context that collects CSP messages
 * and page errors, and waits for its first sweep.
 */
export async function openWatched(browser: Browser, origin: string, options: { webgpu?: boolean; hash?: string; isolated?: boolean; rowMs?: number } = {}): Promise<WatchedPage> {
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
  if (options.rowMs !== undefined) {
    await page.addInitScript((ms) => {
      (globalThis as { __lrPreflightRowMs?: number }).__lrPreflightRowMs = ms;
    }, options.rowMs);
  }
  const cspErrors: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy|Trusted ?Type/i.test(m.text())) cspErrors.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  if (options.webgpu === false) {
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
    });
  }
  await page.goto(`${origin}/${options.hash ?? ''}`);
  await page.waitForSelector('[data-testid="status"][data-schedules]', { timeout: 90_000 });
  return { page, cspErrors, pageErrors };
}

/**
 * A link whose one row takes longer than a 2 ms preflight row limit (`rowMs: 2`): 10^6 steps,
 * values then 10^6 exact reference values. The page refuses it with SLOW_ROW_REFUSAL.
 */
export const SLOW_ROW_SWEEP: SweepDef = {
  ...defaultSweep(),
  params: { initialLearningRate: { mode: 'single', values: [0.1] }, decaySteps: { mode: 'single', values: [1234] } },
  steps: { start: 0, end: 999_999, stride: 1 },
  colorBy: '#index',
};
export const SLOW_ROW_REFUSAL =
  /^The shared link could not be used \(sweep row #1: CosineDecay\(initialLearningRate=0\.1, decaySteps=1234\): (building it, its GPU support check and its values|computing its exact reference values) did not finish within 0\.002 s/;

/** The status line's text, and its data attributes apart from it. */
export async function statusParts(page: Page): Promise<{ text: string; data: Record<string, string> }> {
  return page.getByTestId('status').evaluate((e: HTMLElement) => ({ text: e.textContent ?? '', data: { ...e.dataset } as Record<string, string> }));
}

/** The status line's text and data attributes. */
export async function statusOf(page: Page): Promise<Record<string, string>> {
  return page.getByTestId('status').evaluate((e: HTMLElement) => ({ text: e.textContent ?? '', ...e.dataset }) as Record<string, string>);
}

/** Polls `check` every 150 ms until it is true, or throws after `timeoutMs`. */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Waits for the next sweep to be on screen (the status's timings, evaluation time or text change, nothing busy); returns the new status. */
export async function settledAfter(page: Page, before: Record<string, string>): Promise<Record<string, string>> {
  await until(async () => {
    const s = await statusOf(page);
    const busy = await page.locator('#busy').isVisible();
    return !busy && (s['timings'] !== before['timings'] || s['evalMs'] !== before['evalMs'] || s['text'] !== before['text']);
  }, 'the next sweep');
  return statusOf(page);
}

/**
 * Moves the pointer to page (x, y) and waits two animation frames: the explorer handles the
 * latest pointer move once per frame, so its tooltip, crosshair and data-hover then describe (x, y).
 */
export async function pointerTo(page: Page, x: number, y: number): Promise<void> {
  await page.mouse.move(x, y);
  await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
}

export async function boxOf(page: Page, selector: string): Promise<Box> {
  const b = await page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} is not on screen`);
  return b;
}

/** Moves over the plot at x fraction fx until the tooltip names a curve not yet pinned, and clicks it (a pin); returns its row. */
export async function pinAt(page: Page, fx: number): Promise<number> {
  const b = await boxOf(page, '#plot-canvas');
  for (let fy = 0.05; fy < 0.95; fy += 0.03) {
    await pointerTo(page, b.x + b.width * fx, b.y + b.height * fy);
    const tip = await page.getByTestId('tooltip').evaluate((e: HTMLElement) => (e.hidden ? '' : (e.textContent ?? '')));
    if (tip.includes('click to pin')) {
      const row = Number(await page.locator('#plot').getAttribute('data-hover'));
      await page.mouse.down();
      await page.mouse.up();
      return row;
    }
  }
  throw new Error(`no unpinned curve under x = ${fx}`);
}

/** Puts the pointer over the plot at x fraction fx near its bottom edge (the crosshair, no curve hovered). */
export async function crosshairAt(page: Page, fx: number): Promise<void> {
  const b = await boxOf(page, '#plot-canvas');
  await pointerTo(page, b.x + b.width * fx, b.y + b.height - 2);
}

/** Types `text` into a swept field's values box, as a user's edit. */
export async function setValues(page: Page, field: string, text: string): Promise<void> {
  const input = page.locator(`tr[data-field="${field}"] input.values`);
  await input.fill(text);
  await input.dispatchEvent('input');
  await input.dispatchEvent('change');
}

/** A brush from x fraction fa to fb across the middle of the plot (flat: x only). */
export async function brushX(page: Page, fa: number, fb: number): Promise<void> {
  const b = await boxOf(page, '#plot-canvas');
  await page.mouse.move(b.x + b.width * fa, b.y + b.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width * ((fa + fb) / 2), b.y + b.height * 0.5 + 1, { steps: 4 });
  await page.mouse.move(b.x + b.width * fb, b.y + b.height * 0.5 + 1, { steps: 4 });
  await page.mouse.up();
}
