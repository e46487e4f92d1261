/**
 * The sweep explorer as a user works with it, in headless Chromium (WebGPU on SwiftShader,
 * with the canvas flags of test/helpers/browser.ts), against the BUILT page (`vite build` into
 * a temp dir, served by `vite preview` on 127.0.0.1, a secure context): the default sweep
 * drawn and verified, hover, pins, Keras JSON copies, CSV and PNG exports, pasting, shared
 * links, training a pinned curve, and the CPU fallback without WebGPU.
 * test/explorer-guards.browser.test.ts holds what the page refuses or survives.
 *
 * EXPLORER_VITE_CONFIG overrides the Vite config (development only).
 */
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plotInk, startBuiltPage, type BuiltPageSession } from './helpers/browser.ts';
import { openWatched, pointerTo, statusParts, type WatchedPage } from './helpers/explorer-page.ts';

let session: BuiltPageSession;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  session = await startBuiltPage('explorer-workflow-', process.env.EXPLORER_VITE_CONFIG);
  ({ browser, origin } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

const open = (options: { webgpu?: boolean; hash?: string } = {}): Promise<WatchedPage> => openWatched(browser, origin, options);

/** Moves over the plot until the tooltip names a curve; returns the tooltip text. */
async function hoverACurve(page: Page): Promise<string> {
  const box = await page.locator('#plot-canvas').boundingBox();
  if (!box) throw new Error('no plot canvas');
  for (const fx of [0.3, 0.5, 0.2, 0.7]) {
    for (let fy = 0.1; fy < 0.95; fy += 0.05) {
      await pointerTo(page, box.x + box.width * fx, box.y + box.height * fy);
      const text = await page.getByTestId('tooltip').evaluate((e: HTMLElement) => (e.hidden ? '' : (e.textContent ?? '')));
      if (text !== '') return text;
    }
  }
  return '';
}

describe('sweep explorer (built page, headless Chromium)', () => {
  it('evaluates and draws the default sweep on WebGPU, verified', async () => {
    const { page, cspErrors, pageErrors } = await open();
    const s = await statusParts(page);
    expect(Number(s.data['schedules'])).toBeGreaterThanOrEqual(1000);
    expect(Number(s.data['steps'])).toBeGreaterThan(1);
    expect(s.data['backend']).toBe('webgpu');
    expect(s.data['verified']).toBe('true');
    expect(s.text).toMatch(/schedules/);
    expect(s.text).toMatch(/webgpu/);
    expect(s.text).toMatch(/evaluated in \d+ ms/);
    console.log(`[explorer] status: ${s.text}; load→first draw ${s.data['firstDrawMs']} ms`);
    // Nothing runs any more: the 'evaluating…' indicator is gone.
    expect(await page.locator('#busy').isHidden()).toBe(true);

    const { ink, colours } = await plotInk(page);
    expect(ink).toBeGreaterThan(0.05);
    expect(colours).toBeGreaterThan(20);
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
    await page.locator('#pins-body button', { hasText: 'JSON' }).click();
    const copied = await page.locator('#json-out').inputValue();
    const json = JSON.parse(copied) as { class_name: string; config: Record<string, unknown> };
    expect(json.class_name).toBe('CosineDecay');
    expect(json.config).toHaveProperty('warmup_target');
    // Written as Python's json.dumps writes Keras's own serialize(): the default sweep's
    // initial_learning_rate 0 is the float 0.0 (an int 0 makes real Keras compute in int32).
    expect(json.config['initial_learning_rate']).toBe(0);
    expect(copied).toMatch(/\n {4}"initial_learning_rate": 0\.0,\n/);
    expect(copied).toMatch(/^\{\n {2}"module": "keras\.optimizers\.schedules",\n {2}"class_name": "CosineDecay",/);
    await page.locator('#copy-pins').click();
    await expect.poll(() => page.locator('#json-out').inputValue(), { timeout: 10_000 }).toBe(copied); // one pin: the same text

    // Exports: CSV of the pinned curve, PNG of the plot.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#export-csv').click()]);
    expect(csv.suggestedFilename()).toBe('lr-pinned.csv');
    const csvText = await new Response(await csv.createReadStream() as unknown as ReadableStream).text();
    const lines = csvText.trim().split('\n');
    // The column is headed by the pin's name (its swept values, in the sweep's order, until renamed),
    // which names the config the pin copied as JSON.
    const head = /^step,"alpha=([\d.e-]+), warmupTarget=([\d.e-]+), warmupSteps=(\d+)"$/.exec(lines[0] ?? '');
    expect(head, lines[0]).not.toBeNull();
    expect(Number(head?.[1])).toBe(json.config['alpha']);
    const target = json.config['warmup_target'] as number;
    expect(Math.abs(Number(head?.[2]) - target)).toBeLessThanOrEqual(0.5 * 10 ** (Math.floor(Math.log10(target)) - 2) * (1 + 1e-12));
    expect(Number(head?.[3])).toBe(json.config['warmup_steps']);
    expect(lines).toHaveLength(Number((await statusParts(page)).data['steps']) + 1);
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
    const before = await statusParts(page);
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
    const after = await statusParts(page);
    expect(after.data['schedules']).toBe(before.data['schedules']);
    expect(pageErrors).toEqual([]);

    // A bad value in the form: inline error naming the field; the drawn sweep stays.
    const formErr = page.getByTestId('form-error');
    await page.locator('tr[data-field="decaySteps"] input.values').fill('abc');
    await expect.poll(async () => (await formErr.isVisible()) && ((await formErr.textContent()) ?? ''), { timeout: 10_000 }).toMatch(/decaySteps: "abc" is not a number/);
    await page.locator('tr[data-field="decaySteps"] input.values').fill('0');
    await expect.poll(async () => (await formErr.textContent()) ?? '', { timeout: 30_000 }).toMatch(/decay_?[sS]teps/);
    expect((await statusParts(page)).data['schedules']).toBe(before.data['schedules']);
    await page.locator('tr[data-field="decaySteps"] input.values').fill('8000');
    await expect.poll(() => formErr.isVisible(), { timeout: 30_000 }).toBe(false);

    // A valid pasted schedule is added to the sweep.
    await page.locator('#paste-json').fill(JSON.stringify([{ class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.005, decay_steps: 1000, decay_rate: 0.5, staircase: true, name: 'my "decay"' } }]));
    await page.locator('#paste-add').click();
    await expect.poll(async () => (await statusParts(page)).data['schedules'], { timeout: 90_000 }).toBe(String(Number(before.data['schedules']) + 1));
    expect((await statusParts(page)).data['verified']).toBe('true');
    await page.context().close();
  });

  it('a shared link restores the sweep', async () => {
    const { page } = await open();
    await page.locator('#kind').selectOption('ExponentialDecay');
    await expect.poll(async () => (await page.locator('#sweep-summary').textContent()) ?? '', { timeout: 30_000 }).toMatch(/600 schedules/);
    await expect.poll(async () => (await statusParts(page)).data['schedules'], { timeout: 60_000 }).toBe('600');
    await page.locator('#share').click();
    const url = await page.locator('#share-url').inputValue();
    expect(url).toMatch(/#sweep=[A-Za-z0-9_-]+$/);
    await page.context().close();
    const again = await open({ hash: new URL(url).hash });
    expect((await statusParts(again.page)).data['schedules']).toBe('600');
    expect(await again.page.locator('#kind').inputValue()).toBe('ExponentialDecay');
    await again.page.context().close();
    const broken = await open({ hash: '#sweep=eyJ2IjoxfQ' });
    expect(await broken.page.locator('#url-error').textContent()).toMatch(/shared link could not be used \(kind: unknown schedule class nothing/);
    expect(Number((await statusParts(broken.page)).data['schedules'])).toBeGreaterThanOrEqual(1000);
    await broken.page.context().close();
  });

  /** Pins a curve and trains with it: over the schedule's horizon, or `steps` typed into the panel (a chosen count). */
  async function pinAndTrain(page: Page, steps?: number): Promise<{ data: Record<string, string>; line: string; polylines: number[]; ms: number }> {
    expect(await page.locator('#train-panel').isVisible()).toBe(false); // not part of the default view
    expect(await hoverACurve(page)).not.toBe('');
    await page.mouse.down();
    await page.mouse.up();
    await expect.poll(() => page.locator('#pins-body tr').count(), { timeout: 10_000 }).toBe(1);
    if (steps !== undefined) {
      // Typing a count unticks "its horizon" (the panel is hidden until the first run, so typed by script).
      await page.locator('#train-panel input[aria-label="training steps"]').evaluate((e: HTMLInputElement, n) => {
        e.value = String(n);
        e.dispatchEvent(new Event('input'));
      }, steps);
    }
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
    // A chosen count (the horizon, ~10^4 steps, takes ~30 s on SwiftShader; the CPU test below trains over it).
    const r = await pinAndTrain(page, 300);
    console.log(`[explorer] train panel: ${r.line} (click → result ${r.ms} ms)`);
    expect(r.data['state']).toBe('done');
    expect(r.data['backend']).toBe('webgpu');
    expect(r.data['steps']).toBe('300');
    expect(await page.locator('#train-panel input[aria-label="train over the schedule\'s horizon"]').isChecked()).toBe(false);
    const pinned = await page.locator('#pins-body input.pin-name').inputValue();
    const initial = Number(r.data['initialLoss']);
    const final = Number(r.data['finalLoss']);
    expect(initial).toBeCloseTo(Math.LN2, 4); // zero weights
    expect(final).toBeLessThan(initial);
    expect(Number(r.data['msPerStep'])).toBeGreaterThan(0);
    expect(r.line).toMatch(/loss 0\.6931 → [\d.]+ .* ms\/step · ran on the GPU \(WebGPU/);
    expect(r.polylines).toHaveLength(2); // loss, learning rate
    for (const n of r.polylines) expect(n).toBeGreaterThan(100);
    // The panel is titled with the pin's name, and follows a rename.
    expect(await page.locator('#train-panel .train-title').textContent()).toBe(pinned);
    await page.locator('#pins-body input.pin-name').fill('renamed pin');
    await page.locator('#pins-body input.pin-name').dispatchEvent('change');
    expect(await page.locator('#train-panel .train-title').textContent()).toBe('renamed pin');
    expect(await page.locator('#train-panel .train-title').getAttribute('title')).toBe('renamed pin');
    // The pin's row names its controls by the new name (what a screen reader says).
    expect(await page.locator('#pins-body input.pin-show').getAttribute('aria-label')).toBe('show renamed pin');
    expect(await page.locator('#pins-body input.pin-color').getAttribute('aria-label')).toBe('colour of renamed pin');
    // Both charts label their axes.
    const labels = await page.locator('#train-panel svg text').allTextContents();
    expect(labels.filter((t) => t === 'training step')).toHaveLength(2);
    expect(labels).toContain('loss');
    expect(labels).toContain('learning rate');
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
    // The schedule's own horizon: CosineDecay's warmup + decay (decay_steps 8,000 in the default sweep).
    const pinned = await page.locator('#pins-body input.pin-name').inputValue();
    const warmup = Number(/warmupSteps=(\d+)/.exec(pinned)?.[1]);
    expect(r.data['steps']).toBe(String(8000 + warmup));
    expect(Number(r.data['finalLoss'])).toBeLessThan(Number(r.data['initialLoss']));
    expect(r.line).toMatch(/ran on the CPU/);
    expect(r.polylines).toHaveLength(2);
    // Step ticks as the main plot writes them: thousands separated (`5,000`), never `5000`.
    const texts = await page.locator('#train-panel svg text').allTextContents();
    expect(texts.some((t) => /^\d{1,3}(,\d{3})+$/.test(t)), texts.join(' ')).toBe(true);
    expect(texts.filter((t) => /^\d{4,}$/.test(t))).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  it('without WebGPU the CPU fallback evaluates and a 2D canvas draws', async () => {
    const { page, pageErrors } = await open({ webgpu: false });
    const s = await statusParts(page);
    expect(s.data['backend']).toBe('cpu');
    expect(s.text).toMatch(/ cpu /);
    expect(Number(s.data['schedules'])).toBeGreaterThanOrEqual(1000);
    expect(s.data['verified']).toBe('true');
    const { ink } = await plotInk(page);
    expect(ink).toBeGreaterThan(0.05);
    const text = await hoverACurve(page);
    expect(text).toMatch(/CosineDecay/);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});
