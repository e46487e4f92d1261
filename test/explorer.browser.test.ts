/**
 * The sweep explorer in headless Chromium (WebGPU on SwiftShader, with the canvas
 * flags of test/helpers/browser.ts), against the BUILT page: `vite build` into a temp dir,
 * served by `vite preview` on 127.0.0.1 (a secure context).
 *
 * EXPLORER_SCREENSHOT=docs/explorer.png writes the default view's screenshot.
 * EXPLORER_VITE_CONFIG overrides the Vite config (development only).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from './helpers/browser.ts';

let browser: Browser;
let server: PreviewServer;
let origin: string;
let outDir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`browser tests need Chromium at ${CHROMIUM}: apt-get install chromium libvulkan1`);
  outDir = mkdtempSync(join(tmpdir(), 'explorer-dist-'));
  const configFile = process.env.EXPLORER_VITE_CONFIG ?? 'vite.config.ts';
  await build({ configFile, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  server = await preview({ configFile, logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('vite preview did not report a port');
  origin = `http://127.0.0.1:${address.port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

interface Opened {
  readonly page: Page;
  readonly cspErrors: string[];
  readonly pageErrors: string[];
}

async function open(options: { webgpu?: boolean; hash?: string } = {}): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  const page = await context.newPage();
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

async function statusOf(page: Page): Promise<{ text: string; data: Record<string, string> }> {
  return page.getByTestId('status').evaluate((e: HTMLElement) => ({ text: e.textContent ?? '', data: { ...e.dataset } as Record<string, string> }));
}

/** Share of plot-area pixels of a screenshot that differ from the plot background. */
async function inkShare(page: Page): Promise<{ ink: number; colours: number }> {
  const box = await page.locator('#plot-canvas').boundingBox();
  if (!box) throw new Error('no plot canvas');
  const png = await page.screenshot({ clip: box });
  // Decoded with an <img> (img-src allows data:; the page's CSP forbids fetch of data: URLs).
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const bg = [d[0], d[1], d[2]];
    let ink = 0;
    const colours = new Set<number>();
    for (let i = 0; i < d.length; i += 4) {
      const diff = Math.abs((d[i] as number) - (bg[0] as number)) + Math.abs((d[i + 1] as number) - (bg[1] as number)) + Math.abs((d[i + 2] as number) - (bg[2] as number));
      if (diff > 24) ink++;
      colours.add(((d[i] as number) >> 3) * 1024 + ((d[i + 1] as number) >> 3) * 32 + ((d[i + 2] as number) >> 3));
    }
    return { ink: ink / (d.length / 4), colours: colours.size };
  }, png.toString('base64'));
}

/** Moves over the plot until the tooltip names a curve; returns the tooltip text. */
async function hoverACurve(page: Page): Promise<string> {
  const box = await page.locator('#plot-canvas').boundingBox();
  if (!box) throw new Error('no plot canvas');
  for (const fx of [0.3, 0.5, 0.2, 0.7]) {
    for (let fy = 0.1; fy < 0.95; fy += 0.05) {
      await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
      const text = await page.getByTestId('tooltip').evaluate((e: HTMLElement) => (e.hidden ? '' : (e.textContent ?? '')));
      if (text !== '') return text;
    }
  }
  return '';
}

describe('sweep explorer (built page, headless Chromium)', () => {
  it('evaluates and draws the default sweep on WebGPU, verified', async () => {
    const { page, cspErrors, pageErrors } = await open();
    const s = await statusOf(page);
    expect(Number(s.data['schedules'])).toBeGreaterThanOrEqual(1000);
    expect(Number(s.data['steps'])).toBeGreaterThan(1);
    expect(s.data['backend']).toBe('webgpu');
    expect(s.data['verified']).toBe('true');
    expect(s.text).toMatch(/schedules/);
    expect(s.text).toMatch(/webgpu/);
    expect(s.text).toMatch(/evaluated in \d+ ms/);
    console.log(`[explorer] status: ${s.text}; load→first draw ${s.data['firstDrawMs']} ms`);

    const { ink, colours } = await inkShare(page);
    expect(ink).toBeGreaterThan(0.05);
    expect(colours).toBeGreaterThan(20);
    if (process.env.EXPLORER_SCREENSHOT) {
      await page.mouse.move(0, 0);
      writeFileSync(process.env.EXPLORER_SCREENSHOT, await page.screenshot());
    }
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toMatch(/script-src 'self'/);
    expect(cspErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  it('hover shows the nearest curve with its parameters and value; click pins it; copy gives Keras JSON', async () => {
    const { page } = await open();
    const text = await hoverACurve(page);
    expect(text).toMatch(/#\d+ CosineDecay/);
    expect(text).toMatch(/step [\d,]+: lr = [\d.e-]+/);
    expect(text).toMatch(/warmupTarget/);
    const hovered = Number(await page.locator('#plot').getAttribute('data-hover'));
    expect(hovered).toBeGreaterThanOrEqual(0);
    const frameMs = Number(await page.locator('#plot').getAttribute('data-frame-ms'));
    console.log(`[explorer] hover frame (pick + highlight submit) ${frameMs} ms`);
    await page.mouse.down();
    await page.mouse.up();
    await expect.poll(() => page.locator('#pins-body tr').count(), { timeout: 10_000 }).toBe(1);
    await page.locator('#pins-body button', { hasText: 'copy as Keras JSON' }).click();
    const json = JSON.parse(await page.locator('#json-out').inputValue()) as { class_name: string; config: Record<string, unknown> };
    expect(json.class_name).toBe('CosineDecay');
    expect(json.config).toHaveProperty('warmup_target');

    // Exports: CSV of the pinned curve, PNG of the plot.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#export-csv').click()]);
    expect(csv.suggestedFilename()).toBe('lr-pinned.csv');
    const csvText = await new Response(await csv.createReadStream() as unknown as ReadableStream).text();
    const lines = csvText.trim().split('\n');
    expect(lines[0]).toMatch(/^step,"#\d+ CosineDecay /);
    expect(lines).toHaveLength(Number((await statusOf(page)).data['steps']) + 1);
    expect(lines[1]).toMatch(/^0,[\d.e-]+$/);
    const [png] = await Promise.all([page.waitForEvent('download'), page.locator('#export-png').click()]);
    expect(png.suggestedFilename()).toBe('lr-sweep.png');
    const pngBytes = Buffer.from(await new Response(await png.createReadStream() as unknown as ReadableStream).arrayBuffer());
    expect(pngBytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(pngBytes.length).toBeGreaterThan(20_000);
    await page.context().close();
  });

  it('bad JSON shows an inline error and keeps the sweep; user text never becomes HTML', async () => {
    const { page, pageErrors } = await open();
    const before = await statusOf(page);
    await page.locator('#paste-json').fill('{"class_name": "CosineDecay", "config": {');
    await page.locator('#paste-add').click();
    const err = page.getByTestId('paste-error');
    await expect.poll(() => err.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await err.textContent()).toMatch(/Not valid JSON/);
    expect(await err.textContent()).toMatch(/unchanged/);

    await page.locator('#paste-json').fill(JSON.stringify({ class_name: '<img src=x id=pwn onerror="window.pwned=1">', config: {} }));
    await page.locator('#paste-add').click();
    await expect.poll(async () => (await err.textContent()) ?? '', { timeout: 10_000 }).toMatch(/<img src=x/);
    expect(await page.locator('#pwn').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    const after = await statusOf(page);
    expect(after.data['schedules']).toBe(before.data['schedules']);
    expect(pageErrors).toEqual([]);

    // A bad value in the form: inline error naming the field; the drawn sweep stays.
    const formErr = page.getByTestId('form-error');
    await page.locator('tr[data-field="decaySteps"] input.values').fill('abc');
    await expect.poll(async () => (await formErr.isVisible()) && ((await formErr.textContent()) ?? ''), { timeout: 10_000 }).toMatch(/decaySteps: "abc" is not a number/);
    await page.locator('tr[data-field="decaySteps"] input.values').fill('0');
    await expect.poll(async () => (await formErr.textContent()) ?? '', { timeout: 30_000 }).toMatch(/decay_?[sS]teps/);
    expect((await statusOf(page)).data['schedules']).toBe(before.data['schedules']);
    await page.locator('tr[data-field="decaySteps"] input.values').fill('8000');
    await expect.poll(() => formErr.isVisible(), { timeout: 30_000 }).toBe(false);

    // A valid pasted schedule is added to the sweep.
    await page.locator('#paste-json').fill(JSON.stringify([{ class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.005, decay_steps: 1000, decay_rate: 0.5, staircase: true, name: 'my "decay"' } }]));
    await page.locator('#paste-add').click();
    await expect.poll(async () => (await statusOf(page)).data['schedules'], { timeout: 90_000 }).toBe(String(Number(before.data['schedules']) + 1));
    expect((await statusOf(page)).data['verified']).toBe('true');
    await page.context().close();
  });

  it('a shared link restores the sweep', async () => {
    const { page } = await open();
    await page.locator('#kind').selectOption('ExponentialDecay');
    await expect.poll(async () => (await page.locator('#sweep-summary').textContent()) ?? '', { timeout: 30_000 }).toMatch(/600 schedules/);
    await expect.poll(async () => (await statusOf(page)).data['schedules'], { timeout: 60_000 }).toBe('600');
    await page.locator('#share').click();
    const url = await page.locator('#share-url').inputValue();
    expect(url).toMatch(/#sweep=[A-Za-z0-9_-]+$/);
    await page.context().close();
    const again = await open({ hash: new URL(url).hash });
    expect((await statusOf(again.page)).data['schedules']).toBe('600');
    expect(await again.page.locator('#kind').inputValue()).toBe('ExponentialDecay');
    await again.page.context().close();
    const broken = await open({ hash: '#sweep=eyJ2IjoxfQ' });
    expect(await broken.page.locator('#url-error').textContent()).toMatch(/shared link could not be read/);
    expect(Number((await statusOf(broken.page)).data['schedules'])).toBeGreaterThanOrEqual(1000);
    await broken.page.context().close();
  });

  /** Pins a curve, clicks its "train" button and waits for the panel's result. */
  async function pinAndTrain(page: Page): Promise<{ data: Record<string, string>; line: string; polylines: number[]; ms: number }> {
    expect(await page.locator('#train-panel').isVisible()).toBe(false); // not part of the default view
    expect(await hoverACurve(page)).not.toBe('');
    await page.mouse.down();
    await page.mouse.up();
    await expect.poll(() => page.locator('#pins-body tr').count(), { timeout: 10_000 }).toBe(1);
    const t0 = Date.now();
    await page.locator('#pins-body button', { hasText: 'train' }).click();
    const panel = page.getByTestId('train-panel');
    await expect.poll(() => panel.getAttribute('data-state'), { timeout: 60_000 }).toMatch(/done|error/);
    const ms = Date.now() - t0;
    const data = await panel.evaluate((e: HTMLElement) => ({ ...e.dataset }) as Record<string, string>);
    const line = (await panel.locator('.train-line').textContent()) ?? '';
    const polylines = await panel.locator('svg polyline').evaluateAll((ps) => ps.map((p) => (p.getAttribute('points') ?? '').trim().split(/\s+/).filter(Boolean).length));
    return { data, line, polylines, ms };
  }

  it('a pinned curve trains the example model: loss falls, loss and LR curves drawn, on the GPU', async () => {
    const { page, cspErrors, pageErrors } = await open();
    const r = await pinAndTrain(page);
    console.log(`[explorer] train panel: ${r.line} (click → result ${r.ms} ms)`);
    expect(r.data['state']).toBe('done');
    expect(r.data['backend']).toBe('webgpu');
    expect(r.data['steps']).toBe('300');
    const initial = Number(r.data['initialLoss']);
    const final = Number(r.data['finalLoss']);
    expect(initial).toBeCloseTo(Math.LN2, 4); // zero weights
    expect(final).toBeLessThan(initial);
    expect(Number(r.data['msPerStep'])).toBeGreaterThan(0);
    expect(r.line).toMatch(/loss 0\.6931 → [\d.]+ .* ms\/step · ran on the GPU \(WebGPU/);
    expect(r.polylines).toHaveLength(2); // loss, learning rate
    for (const n of r.polylines) expect(n).toBeGreaterThan(100);
    expect(await page.locator('#train-panel .train-title').textContent()).toMatch(/^#\d+ CosineDecay \(/);
    expect(cspErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  it('without WebGPU the train panel runs the same model on the CPU and says so', async () => {
    const { page, pageErrors } = await open({ webgpu: false });
    const r = await pinAndTrain(page);
    console.log(`[explorer] train panel (no WebGPU): ${r.line} (click → result ${r.ms} ms)`);
    expect(r.data['state']).toBe('done');
    expect(r.data['backend']).toBe('cpu');
    expect(Number(r.data['finalLoss'])).toBeLessThan(Number(r.data['initialLoss']));
    expect(r.line).toMatch(/ran on the CPU/);
    expect(r.polylines).toHaveLength(2);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  it('without WebGPU the CPU fallback evaluates and a 2D canvas draws', async () => {
    const { page, pageErrors } = await open({ webgpu: false });
    const s = await statusOf(page);
    expect(s.data['backend']).toBe('cpu');
    expect(s.text).toMatch(/ cpu /);
    expect(Number(s.data['schedules'])).toBeGreaterThanOrEqual(1000);
    expect(s.data['verified']).toBe('true');
    const { ink } = await inkShare(page);
    expect(ink).toBeGreaterThan(0.05);
    const text = await hoverACurve(page);
    expect(text).toMatch(/CosineDecay/);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});
