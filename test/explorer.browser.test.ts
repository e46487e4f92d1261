/**
 * The sweep explorer in headless Chromium (WebGPU on SwiftShader, with the canvas
 * flags of test/helpers/browser.ts), against the BUILT page: `vite build` into a temp dir,
 * served by `vite preview` on 127.0.0.1 (a secure context).
 *
 * EXPLORER_VITE_CONFIG overrides the Vite config (development only).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSweep, type SweepDef } from '../src/app/sweep.ts';
import { encodeSweepHash } from '../src/app/sweep-link.ts';
import { CHROMIUM, CHROMIUM_ARGS, plotInk } from './helpers/browser.ts';

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
    await page.locator('#pins-body button', { hasText: 'copy as JSON' }).click();
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
    // The column is headed by the pin's name (its config, until renamed).
    expect(lines[0]).toMatch(/^step,"CosineDecay \(alpha=/);
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
    expect(await broken.page.locator('#url-error').textContent()).toMatch(/shared link could not be used \(kind: unknown schedule class nothing/);
    expect(Number((await statusOf(broken.page)).data['schedules'])).toBeGreaterThanOrEqual(1000);
    await broken.page.context().close();
  });

  /** Pins a curve, clicks its "train" button and waits for the panel's result. */
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
    const { ink } = await plotInk(page);
    expect(ink).toBeGreaterThan(0.05);
    const text = await hoverACurve(page);
    expect(text).toMatch(/CosineDecay/);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});

/** `#sweep=` of raw JSON text (not necessarily a valid definition). */
function hashOf(json: unknown): string {
  return `#sweep=${Buffer.from(typeof json === 'string' ? json : JSON.stringify(json), 'utf8').toString('base64url')}`;
}

const kerasItem = (cls: string, config: Record<string, unknown>): Record<string, unknown> => ({ module: 'keras.optimizers.schedules', class_name: cls, config, registered_name: null });
const GOOD_ITEM = kerasItem('ExponentialDecay', { initial_learning_rate: 0.005, decay_steps: 1000, decay_rate: 0.5, staircase: false, name: 'ExponentialDecay' });
const DEFAULT_ROWS = String(1000);

/** Resolves with the page's answer to a trivial script, or rejects when the page's thread does not answer in `ms`. */
async function responsive(page: Page, ms = 5000): Promise<number> {
  const t0 = Date.now();
  await Promise.race([
    page.evaluate(() => 1),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`the page did not answer a trivial script within ${ms} ms (main thread blocked)`)), ms)),
  ]);
  return Date.now() - t0;
}

describe('shared links come from anyone: a bad one shows the default sweep and a banner naming the field, the value and the rule', () => {
  const base = defaultSweep();
  const cases: { name: string; hash: string; banner: RegExp[] }[] = [
    {
      name: 'bad parameter spec (range count 0)',
      hash: encodeSweepHash({ ...base, params: { ...base.params, warmupTarget: { mode: 'range', from: 1e-4, to: 1e-2, count: 0, spacing: 'log' } } }),
      banner: [/warmupTarget/, /range count must be a positive integer, got 0/],
    },
    {
      name: 'a value the schedule rejects (decaySteps 0)',
      hash: encodeSweepHash({ ...base, params: { ...base.params, decaySteps: { mode: 'single', values: [0] } } }),
      banner: [/decaySteps = 0/, /must be > 0/],
    },
    {
      name: 'one bad pasted item among good ones',
      hash: encodeSweepHash({ ...base, extra: [GOOD_ITEM, kerasItem('ExponentialDecay', { initial_learning_rate: 0.1, decay_steps: -1, decay_rate: 0.5 })] }),
      banner: [/extra\[1\]/, /config\.decay_steps = -1/, /> 0/],
    },
    {
      name: 'a pasted item that is not a schedule class',
      hash: encodeSweepHash({ ...base, extra: [kerasItem('CosineAnnealing', { initial_learning_rate: 0.1 })] }),
      banner: [/extra\[0\]/, /class_name = "CosineAnnealing"/, /unknown schedule class/],
    },
    {
      name: 'a nested list of pasted items (would bypass the schedule cap)',
      hash: encodeSweepHash({ ...base, extra: [[GOOD_ITEM, GOOD_ITEM, GOOD_ITEM]] }),
      banner: [/extra\[0\]/, /a list inside the list/, /one Keras JSON object/],
    },
    {
      name: 'over the schedule cap',
      hash: encodeSweepHash({ ...base, params: { ...base.params, warmupTarget: { mode: 'range', from: 1e-4, to: 1e-2, count: 5001, spacing: 'log' } } }),
      banner: [/sweep: 100,020 schedules/, /at most 100,000/],
    },
    {
      name: 'over the values cap',
      hash: encodeSweepHash({ ...base, steps: { start: 0, end: 100_000, stride: 1 } }),
      banner: [/1,000 schedules × 100,001 steps/, /at most 33,554,432/],
    },
    {
      name: 'a character that is not base64url (percent-encoded)',
      hash: '#sweep=eyJ2Ijox%7D',
      banner: [/url/, /character "%" at position 8/, /not base64url/],
    },
    {
      name: 'base64url cut to a length that cannot be bytes',
      hash: '#sweep=eyJ2I',
      banner: [/url/, /5 base64url characters/, /4k \+ 1/],
    },
    {
      name: 'base64url of text that is not JSON',
      hash: hashOf('{"v": 1, "kind": '),
      banner: [/url/, /does not hold valid JSON/],
    },
    {
      name: 'an unknown parameter (__proto__)',
      hash: hashOf(`{"v":1,"kind":"CosineDecay","params":{"__proto__":{"mode":"single","values":[1]}},"steps":{"start":0,"end":10,"stride":1},"extra":[],"colorBy":"","yScale":"log"}`),
      banner: [/params\.__proto__/, /not a parameter of CosineDecay/],
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { page, pageErrors } = await open({ hash: c.hash });
    const s = await statusOf(page);
    expect(s.data['schedules'], s.text).toBe(DEFAULT_ROWS);
    expect(s.data['verified']).toBe('true');
    const banner = page.locator('#url-error');
    expect(await banner.isVisible()).toBe(true);
    const text = (await banner.textContent()) ?? '';
    expect(text).toMatch(/^The shared link could not be used \(.+\); showing the default sweep\.$/);
    for (const rule of c.banner) expect(text).toMatch(rule);
    expect(await page.locator('#kind').inputValue()).toBe('CosineDecay');
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});

describe('a config at the library edge (CosineDecayRestarts t_mul 1 + 2^-52, first_decay_steps 1e-17) never freezes the page', () => {
  const hanging: SweepDef = {
    ...defaultSweep(),
    kind: 'CosineDecayRestarts',
    params: {
      initialLearningRate: { mode: 'single', values: [0.1] },
      firstDecaySteps: { mode: 'single', values: [1e-17] },
      tMul: { mode: 'single', values: [1.0000000000000002] },
      mMul: { mode: 'single', values: [1] },
      alpha: { mode: 'single', values: [0] },
    },
    steps: { start: 0, end: 100, stride: 1 },
    colorBy: '#index',
  };
  const named = /tMul|t_mul|firstDecaySteps|first_decay_steps/;

  it('as a shared link: interactive, and the config computed or refused naming its field', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    const page = await context.newPage();
    await page.goto(`${origin}/${encodeSweepHash(hanging)}`);
    const t0 = Date.now();
    // Polled from Node: each poll is a script the page must answer, so a blocked thread fails here.
    await expect.poll(async () => {
      await responsive(page);
      return page.getByTestId('status').getAttribute('data-schedules');
    }, { timeout: 60_000, interval: 500 }).not.toBeNull();
    const s = await statusOf(page);
    const banner = (await page.locator('#url-error').isVisible()) ? ((await page.locator('#url-error').textContent()) ?? '') : '';
    console.log(`[explorer] hanging-config link: ${Date.now() - t0} ms to interactive; ${banner || s.text}`);
    if (banner) {
      expect(banner).toMatch(named);
      expect(s.data['schedules']).toBe(DEFAULT_ROWS);
    } else {
      expect(s.data['schedules']).toBe('1');
      expect(s.data['verified']).toBe('true');
      expect(await page.locator('#kind').inputValue()).toBe('CosineDecayRestarts');
    }
    expect(await responsive(page)).toBeLessThan(5000);
    await context.close();
  });

  it('pasted: interactive, and the config added or refused naming its field', async () => {
    const { page } = await open();
    const before = await statusOf(page);
    await page.locator('#paste-json').fill(JSON.stringify(kerasItem('CosineDecayRestarts', { initial_learning_rate: 0.1, first_decay_steps: 1e-17, t_mul: 1.0000000000000002, m_mul: 1, alpha: 0 })));
    await page.locator('#paste-add').click();
    const err = page.getByTestId('paste-error');
    await expect.poll(async () => {
      await responsive(page);
      return (await err.isVisible()) || (await statusOf(page)).data['schedules'] !== before.data['schedules'];
    }, { timeout: 60_000, interval: 500 }).toBe(true);
    if (await err.isVisible()) {
      const text = (await err.textContent()) ?? '';
      console.log(`[explorer] hanging config pasted: ${text}`);
      expect(text).toMatch(named);
      expect(text).toMatch(/The current sweep is unchanged\./);
      expect((await statusOf(page)).data['schedules']).toBe(before.data['schedules']);
    } else {
      const s = await statusOf(page);
      expect(s.data['schedules']).toBe(String(Number(before.data['schedules']) + 1));
      expect(s.text).toMatch(/added 1 pasted schedule/);
    }
    expect(await responsive(page)).toBeLessThan(5000);
    await page.context().close();
  });
});

describe('the preflight watchdog', () => {
  it('refuses a link whose row takes longer than the row limit, naming the row and its config, and shows the default sweep', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    const page = await context.newPage();
    // A limit of 2 ms: a row of 10^6 steps (values, then 10^6 exact reference values) takes longer.
    await page.addInitScript(() => {
      (globalThis as { __lrPreflightRowMs?: number }).__lrPreflightRowMs = 2;
    });
    const slow: SweepDef = {
      ...defaultSweep(),
      params: { initialLearningRate: { mode: 'single', values: [0.1] }, decaySteps: { mode: 'single', values: [1234] } },
      steps: { start: 0, end: 999_999, stride: 1 },
      colorBy: '#index',
    };
    await page.goto(`${origin}/${encodeSweepHash(slow)}`);
    await page.waitForSelector('[data-testid="status"][data-schedules]', { timeout: 90_000 });
    const s = await statusOf(page);
    expect(s.data['schedules']).toBe(DEFAULT_ROWS);
    const text = (await page.locator('#url-error').textContent()) ?? '';
    expect(text).toMatch(/^The shared link could not be used \(sweep row #1: CosineDecay\(initialLearningRate=0\.1, decaySteps=1234\): (building it, its GPU support check and its values|computing its exact reference values) did not finish within 0\.002 s/);
    await context.close();
  });
});

describe('the paste box caps the flattened list', () => {
  it('a nested list is refused naming its path, before any schedule is built', async () => {
    const { page } = await open();
    const before = await statusOf(page);
    // Large texts are set in the page (typing 13 MB through the test driver takes minutes), in
    // a textarea taken out of the layout: Chromium laying out 13 MB of textarea text takes ~20 s
    // here, which is not the explorer's work.
    const setPaste = (count: number, nested: boolean): Promise<void> => page.evaluate(([n, nest, item]) => {
      const list = Array.from({ length: n }, () => item);
      const box = document.getElementById('paste-json') as HTMLTextAreaElement;
      box.style.display = 'none';
      box.value = JSON.stringify(nest ? [item, list] : list);
    }, [count, nested, GOOD_ITEM] as const);
    let t0 = Date.now();
    await setPaste(102_000, true);
    const tSet = Date.now() - t0;
    t0 = Date.now();
    const inPage = await page.evaluate(() => {
      const t = performance.now();
      (document.getElementById('paste-add') as HTMLButtonElement).click(); // the shape check runs before onPaste's first await
      return performance.now() - t;
    });
    console.log(`[explorer] paste handler until the refusal: ${inPage.toFixed(0)} ms`);
    const err = page.getByTestId('paste-error');
    await expect.poll(async () => (await err.isVisible()) && ((await err.textContent()) ?? ''), { timeout: 30_000 }).toMatch(/^Not a schedule: \[1\]: .*a list inside the list/);
    console.log(`[explorer] 102,000 nested items (13 MB): set in ${tSet} ms, refusal shown ${Date.now() - t0} ms after the click`);
    expect((await statusOf(page)).data['schedules']).toBe(before.data['schedules']);
    // A flat list over the cap is refused by its count.
    await setPaste(99_001, false);
    await page.locator('#paste-add').click();
    await expect.poll(async () => (await err.textContent()) ?? '', { timeout: 30_000 }).toMatch(/sweep: 1,000 schedules \+ 99,001 pasted = 100,001; at most 100,000/);
    const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
    console.log(`[explorer] after refusing 102,000 nested + 99,001 flat pasted items: JS heap ${(heap / 2 ** 20).toFixed(0)} MiB`);
    expect((await statusOf(page)).data['schedules']).toBe(before.data['schedules']);
    await page.context().close();
  });
});

describe('the GPU declining a pasted config', () => {
  it('is computed on the CPU and drawn with the rest, and the status says so', async () => {
    const { page } = await open();
    const before = await statusOf(page);
    expect(before.data['backend']).toBe('webgpu');
    // PolynomialDecay power 2000: the GPU kernels support power ≤ 1024, the CPU computes the rest.
    await page.locator('#paste-json').fill(JSON.stringify(kerasItem('PolynomialDecay', { initial_learning_rate: 0.1, decay_steps: 1000, end_learning_rate: 0.0001, power: 2000, cycle: false })));
    await page.locator('#paste-add').click();
    await expect.poll(async () => (await statusOf(page)).data['schedules'], { timeout: 90_000 }).toBe('1001');
    const s = await statusOf(page);
    console.log(`[explorer] declined config: ${s.text}`);
    expect(await page.getByTestId('paste-error').isVisible()).toBe(false);
    expect(await page.getByTestId('form-error').isVisible()).toBe(false);
    expect(s.text).toMatch(/added 1 pasted schedule/);
    // Only the declined row is computed on the CPU; the GPU computes the other 1,000.
    expect(s.data['backend']).toBe('webgpu');
    expect(s.data['cpuRows']).toBe('1001');
    expect(s.data['fallback']).toMatch(/power = 2000: GPU PolynomialDecay supports power ≤ 1024/);
    expect(s.text).toMatch(/ webgpu, and schedule #1001 on the CPU \(the GPU declines its config: #1001 PolynomialDecay: power = 2000/);
    expect(s.data['verified']).toBe('true');
    await page.context().close();
  });
});

describe("the built pages' Content-Security-Policy", () => {
  it('has no ws: in any built page (only the dev server needs it)', () => {
    for (const file of ['index.html', 'bench.html', 'examples/train/index.html']) {
      const html = readFileSync(join(outDir, file), 'utf8');
      const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1];
      if (file === 'examples/train/index.html' && csp === undefined) continue;
      expect(csp, file).toBeDefined();
      expect(csp, file).toMatch(/connect-src 'self'(;|$)/);
      expect(csp, file).not.toMatch(/wss?:/);
    }
  });
});
