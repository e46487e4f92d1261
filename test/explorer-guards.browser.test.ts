/**
 * What the sweep explorer refuses or survives, in headless Chromium (WebGPU on SwiftShader,
 * with the canvas flags of test/helpers/browser.ts), against the BUILT page (`vite build` into
 * a temp dir, served by `vite preview` on 127.0.0.1, a secure context): bad shared links, a
 * config at the library edge, the preflight watchdog, the paste box's cap, a pasted config
 * the GPU declines, and the built pages' Content-Security-Policy.
 * test/explorer-workflow.browser.test.ts holds the user's workflow.
 *
 * EXPLORER_VITE_CONFIG overrides the Vite config (development only).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSweep, type SweepDef } from '../src/app/sweep.ts';
import { EVALUATE_LABEL } from '../src/gpu/gpu-backend.ts';
import { encodeSweepHash } from '../src/app/sweep-link.ts';
import { startBuiltPage, type BuiltPageSession } from './helpers/browser.ts';
import { SLOW_ROW_REFUSAL, SLOW_ROW_SWEEP, openWatched, statusParts, type WatchedPage } from './helpers/explorer-page.ts';
import { FREEZE_BUDGET_MS, freezeBound, installLongTaskRecorder, longTasksSince, pageNow } from './helpers/long-tasks.ts';

let session: BuiltPageSession;
let browser: Browser;
let origin: string;
let outDir: string;

beforeAll(async () => {
  session = await startBuiltPage('explorer-guards-', process.env.EXPLORER_VITE_CONFIG);
  ({ browser, origin, outDir } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

const open = (options: Parameters<typeof openWatched>[2] = {}): Promise<WatchedPage> => openWatched(browser, origin, options);

/** `#sweep=` of raw JSON text (not necessarily a valid definition). */
function hashOf(json: unknown): string {
  return `#sweep=${Buffer.from(typeof json === 'string' ? json : JSON.stringify(json), 'utf8').toString('base64url')}`;
}

const kerasItem = (cls: string, config: Record<string, unknown>): Record<string, unknown> => ({ module: 'keras.optimizers.schedules', class_name: cls, config, registered_name: null });
const GOOD_ITEM = kerasItem('ExponentialDecay', { initial_learning_rate: 0.005, decay_steps: 1000, decay_rate: 0.5, staircase: false, name: 'ExponentialDecay' });
const DEFAULT_ROWS = String(1000);

/** Pastes one config and waits until it is added (the row count grows) or refused (the paste error shows). */
async function paste(page: Page, item: unknown): Promise<void> {
  const before = (await statusParts(page)).data['schedules'];
  const err = page.getByTestId('paste-error');
  await page.locator('#paste-json').fill(JSON.stringify(item));
  await page.locator('#paste-add').click();
  await expect.poll(async () => (await err.isVisible()) || (await statusParts(page)).data['schedules'] !== before, { timeout: 60_000, interval: 250 }).toBe(true);
}

/**
 * The scale of the freeze guard: the longest main-thread task of the default page (start-up to
 * its first sweep, then pasting one good config), measured once per run in this browser.
 */
let baseline: Promise<number> | undefined;
function defaultPageLongestTask(): Promise<number> {
  baseline ??= (async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    const page = await context.newPage();
    await page.addInitScript(installLongTaskRecorder);
    await page.goto(`${origin}/`);
    await page.waitForSelector('[data-testid="status"][data-schedules]', { timeout: 90_000 });
    const load = await longTasksSince(page, 0);
    const since = await pageNow(page);
    await paste(page, GOOD_ITEM);
    expect((await statusParts(page)).data['schedules']).toBe('1001');
    const pasted = await longTasksSince(page, since);
    await context.close();
    console.log(`[explorer] default page: longest main-thread task ${load.longest.toFixed(0)} ms from start-up to its sweep (${load.count} over 50 ms), ${pasted.longest.toFixed(0)} ms pasting one config (${pasted.count})`);
    return Math.max(load.longest, pasted.longest);
  })();
  return baseline;
}

/**
 * No task that started at or after `since` held the page's thread longer than freezeBound of
 * the default page's longest task (test/helpers/long-tasks.ts: no status timing is in it).
 */
async function expectNoFreeze(page: Page, since: number, what: string): Promise<void> {
  const base = await defaultPageLongestTask();
  const { longest, count } = await longTasksSince(page, since);
  console.log(`[explorer] ${what}: longest main-thread task ${longest.toFixed(0)} ms (${count} over 50 ms), bound ${freezeBound(base).toFixed(0)} ms (default page's ${base.toFixed(0)} + ${FREEZE_BUDGET_MS})`);
  expect(longest, `${what}: a main-thread task ${FREEZE_BUDGET_MS} ms longer than the default page's longest`).toBeLessThanOrEqual(freezeBound(base));
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
    const s = await statusParts(page);
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
    await page.addInitScript(installLongTaskRecorder);
    await page.goto(`${origin}/${encodeSweepHash(hanging)}`);
    const t0 = Date.now();
    await expect.poll(() => page.getByTestId('status').getAttribute('data-schedules'), { timeout: 60_000, interval: 500 }).not.toBeNull();
    const s = await statusParts(page);
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
    // Every task from the navigation on: start-up with the link against the default page's start-up.
    await expectNoFreeze(page, 0, 'hanging-config link');
    await context.close();
  });

  it('pasted: interactive, and the config added or refused naming its field', async () => {
    const { page } = await open();
    const before = await statusParts(page);
    await page.evaluate(installLongTaskRecorder);
    const since = await pageNow(page); // start-up's tasks are the default page's, not the paste's
    await paste(page, kerasItem('CosineDecayRestarts', { initial_learning_rate: 0.1, first_decay_steps: 1e-17, t_mul: 1.0000000000000002, m_mul: 1, alpha: 0 }));
    const err = page.getByTestId('paste-error');
    if (await err.isVisible()) {
      const text = (await err.textContent()) ?? '';
      console.log(`[explorer] hanging config pasted: ${text}`);
      expect(text).toMatch(named);
      expect(text).toMatch(/The current sweep is unchanged\./);
      expect((await statusParts(page)).data['schedules']).toBe(before.data['schedules']);
    } else {
      const s = await statusParts(page);
      expect(s.data['schedules']).toBe(String(Number(before.data['schedules']) + 1));
      expect(s.text).toMatch(/added 1 pasted schedule/);
    }
    await expectNoFreeze(page, since, 'hanging config pasted');
    await page.context().close();
  });

  it('the guard fails for a page thread held inside a timed phase (the status timings grow with the hold; its bound does not)', async () => {
    const { page } = await open();
    await page.evaluate(installLongTaskRecorder);
    const hold = freezeBound(await defaultPageLongestTask()) + FREEZE_BUDGET_MS;
    // The page's next evaluation submit (the pasted sweep's, inside evalMs) spins `hold` ms on this
    // thread first. Only a submit of the evaluator's labelled command buffer: the page's own
    // submits (the highlight pipeline's warm-up draw, which lands whenever its compile ends, and
    // frames) run outside the timed phases. The hold runs from a WebGPU callback, which Chromium
    // reports no long task for: the recorder's heartbeat sees it (test/helpers/long-tasks.ts).
    await page.evaluate(([ms, label]) => {
      const submit = GPUQueue.prototype.submit;
      GPUQueue.prototype.submit = function (this: GPUQueue, buffers: Iterable<GPUCommandBuffer>): undefined {
        const list = [...buffers];
        if (list.some((b) => b.label === label)) {
          GPUQueue.prototype.submit = submit;
          const end = performance.now() + ms;
          while (performance.now() < end);
        }
        return submit.call(this, list);
      };
    }, [hold, EVALUATE_LABEL] as const);
    const since = await pageNow(page);
    await paste(page, GOOD_ITEM);
    const s = await statusParts(page);
    expect(s.data['schedules'], s.text).toBe('1001');
    const { longest } = await longTasksSince(page, since);
    expect(longest).toBeGreaterThanOrEqual(hold);
    // The sum of the page's own timings (the guard's bound before) holds the hold, so it let it pass.
    const timings = JSON.parse(s.data['timings'] ?? '{}') as Record<string, number>;
    const sum = Number(s.data['evalMs']) + ['build', 'readback', 'verify', 'draw'].reduce((a, k) => a + (timings[k] ?? Number.NaN), 0);
    console.log(`[explorer] thread held ${hold.toFixed(0)} ms in the next submit: longest task ${longest.toFixed(0)} ms, evalMs ${s.data['evalMs']}, the timings' sum ${sum.toFixed(0)} ms`);
    expect(sum).toBeGreaterThanOrEqual(longest);
    await expect(expectNoFreeze(page, since, 'a paste with the thread held')).rejects.toThrow(/longer than the default page's longest/);
    await page.context().close();
  });
});

describe('the preflight watchdog', () => {
  it('refuses a link whose row takes longer than the row limit, naming the row and its config, and shows the default sweep', async () => {
    const { page } = await open({ hash: encodeSweepHash(SLOW_ROW_SWEEP), rowMs: 2 });
    const s = await statusParts(page);
    expect(s.data['schedules']).toBe(DEFAULT_ROWS);
    expect((await page.locator('#url-error').textContent()) ?? '').toMatch(SLOW_ROW_REFUSAL);
    await page.context().close();
  });
});

describe('the paste box caps the flattened list', () => {
  it('a nested list is refused naming its path, before any schedule is built', async () => {
    const { page } = await open();
    const before = await statusParts(page);
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
    expect((await statusParts(page)).data['schedules']).toBe(before.data['schedules']);
    // A flat list over the cap is refused by its count.
    await setPaste(99_001, false);
    await page.locator('#paste-add').click();
    await expect.poll(async () => (await err.textContent()) ?? '', { timeout: 30_000 }).toMatch(/sweep: 1,000 schedules \+ 99,001 pasted = 100,001; at most 100,000/);
    const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
    console.log(`[explorer] after refusing 102,000 nested + 99,001 flat pasted items: JS heap ${(heap / 2 ** 20).toFixed(0)} MiB`);
    expect((await statusParts(page)).data['schedules']).toBe(before.data['schedules']);
    await page.context().close();
  });
});

describe('the GPU declining a pasted config', () => {
  it('is computed on the CPU and drawn with the rest, and the status says so', async () => {
    const { page } = await open();
    const before = await statusParts(page);
    expect(before.data['backend']).toBe('webgpu');
    // PolynomialDecay power 2000: the GPU kernels support power ≤ 1024, the CPU computes the rest.
    await page.locator('#paste-json').fill(JSON.stringify(kerasItem('PolynomialDecay', { initial_learning_rate: 0.1, decay_steps: 1000, end_learning_rate: 0.0001, power: 2000, cycle: false })));
    await page.locator('#paste-add').click();
    await expect.poll(async () => (await statusParts(page)).data['schedules'], { timeout: 90_000 }).toBe('1001');
    const s = await statusParts(page);
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
