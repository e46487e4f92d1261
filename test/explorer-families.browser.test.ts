/**
 * The explorer's dialect families (src/app/families.ts) in headless Chromium (WebGPU on
 * SwiftShader) against the BUILT page: a Hugging Face warmup_stable_decay sweep (decay
 * fraction × the 3 decay types) and a PyTorch OneCycleLR sweep (pct_start × max_lr), read
 * back from the page's CSV export at their phase ends and checked against the dialect
 * reader's exact value (`fromHuggingFace(...).at(step)`, `fromPyTorch(...).at(step)`)
 * within the f32 acceptance interval of each piece's kind (verify); and pastes of a
 * PyTorch JSON and of a whole training_args.json drawn beside the sweep.
 *
 * `npm run screenshots` draws the same two sweeps into docs/explorer-wsd.png and docs/explorer-onecycle.png.
 */
import { type Browser, type Download, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFailures, fromAnyJson, fromHuggingFace, fromPyTorch, verify, type AnySchedule } from '../src/index.ts';
import { startBuiltPage, type BuiltPageSession } from './helpers/browser.ts';

let session: BuiltPageSession;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  session = await startBuiltPage('explorer-families-');
  ({ browser, origin } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

async function open(hash = ''): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await page.goto(`${origin}/${hash}`);
  await page.waitForSelector('[data-testid="status"][data-schedules]', { timeout: 90_000 });
  return page;
}

async function status(page: Page): Promise<Record<string, string>> {
  return page.getByTestId('status').evaluate((e: HTMLElement) => ({ text: e.textContent ?? '', ...e.dataset }) as Record<string, string>);
}

/** Waits until the page shows `schedules` curves with nothing busy. */
async function drawn(page: Page, schedules: number): Promise<void> {
  await expect.poll(async () => {
    const s = await status(page);
    return !(await page.locator('#busy').isVisible()) && s['schedules'] === String(schedules);
  }, { timeout: 120_000 }).toBe(true);
}

async function text(d: Download): Promise<string> {
  return new Response((await d.createReadStream()) as unknown as ReadableStream).text();
}

/** The CSV export: header names and, per step, the row of values. */
async function csv(page: Page): Promise<{ names: string[]; at: Map<number, number[]> }> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.locator('#export-csv').click()]);
  const lines = (await text(d)).trim().split('\n');
  const names = (lines[0] ?? '').split(',').slice(1).map((n) => n.replace(/^"|"$/g, ''));
  const at = new Map<number, number[]>();
  for (const l of lines.slice(1)) {
    const cells = l.split(',').map(Number);
    // Each value is the shortest decimal of an f32: read back as that f32.
    at.set(cells[0] as number, cells.slice(1).map(Math.fround));
  }
  return { names, at };
}

/** The page's values of column `col` at `steps`, checked against `ref` within its f32 acceptance interval. */
function check(ref: AnySchedule, steps: readonly number[], data: { at: Map<number, number[]> }, col: number, what: string): void {
  const got = steps.map((s) => {
    const row = data.at.get(s);
    if (!row) throw new Error(`step ${s} is not in the CSV`);
    return row[col] as number;
  });
  const report = verify([ref], steps, got);
  expect(report.ok, `${what}: ${formatFailures(report)}`).toBe(true);
  expect(report.checked).toBe(steps.length);
}

async function setSteps(page: Page, end: number, stride: number): Promise<void> {
  await page.locator('#step-end').fill(String(end));
  await page.locator('#step-stride').fill(String(stride));
}

const T = 10_000;

describe('the explorer sweeps dialect families', () => {
  it('draws a warmup_stable_decay sweep (decay fraction × linear, cosine, 1-sqrt) whose values at the phase ends are the Hugging Face reader\'s', async () => {
    const page = await open();
    await page.locator('#kind').selectOption('hf.warmup_stable_decay');
    // The decay type is a choice control: every type ticked by default.
    for (const t of ['linear', 'cosine', '1-sqrt']) expect(await page.locator(`input[data-choice="${t}"]`).isChecked()).toBe(true);
    await setSteps(page, T, 1);
    await drawn(page, 9);
    const data = await csv(page);
    expect(data.names).toHaveLength(9);
    let col = 0;
    for (const fraction of [0.1, 0.2, 0.3]) {
      for (const type of ['linear', 'cosine', '1-sqrt']) {
        expect(data.names[col]).toBe(`#${col + 1} hf.warmup_stable_decay decay_fraction=${fraction} decay_type=${type}`);
        const D = Math.round(fraction * T);
        const ref = fromHuggingFace({ lr_scheduler_type: 'warmup_stable_decay', learning_rate: 1e-3, max_steps: T, warmup_steps: 500, lr_scheduler_kwargs: { num_decay_steps: D, decay_type: type, min_lr_ratio: 0 } });
        const ends = [0, 499, 500, 501, T - D - 1, T - D, T - D + 1, T - 1, T];
        check(ref, ends, data, col, `WSD fraction ${fraction} ${type}`);
        col++;
      }
    }
    await page.context().close();
  }, 300_000);

  it('draws a OneCycleLR sweep (pct_start × max_lr) whose values at the phase ends are the PyTorch reader\'s', async () => {
    const page = await open();
    await page.locator('#kind').selectOption('torch.OneCycleLR');
    await setSteps(page, T, 1);
    await drawn(page, 9);
    const data = await csv(page);
    let col = 0;
    // Rows in field order, the last swept field fastest: max_lr, then pct_start.
    for (const maxLr of [1e-3, 3e-3, 1e-2]) {
      for (const pct of [0.1, 0.3, 0.5]) {
        expect(data.names[col]).toBe(`#${col + 1} torch.OneCycleLR max_lr=${maxLr} pct_start=${pct}`);
        const ref = fromPyTorch({ module: 'torch.optim.lr_scheduler', class_name: 'OneCycleLR', config: { max_lr: maxLr, total_steps: T, pct_start: pct, anneal_strategy: 'cos', div_factor: 25, final_div_factor: 1e4, three_phase: false } });
        const up = pct * T - 1;
        const ends = [...new Set([0, Math.floor(up), Math.ceil(up), Math.ceil(up) + 1, T - 1, T])];
        check(ref, ends, data, col, `OneCycle pct_start ${pct} max_lr ${maxLr}`);
        col++;
      }
    }
    await page.context().close();
  }, 300_000);

  it('draws a pasted PyTorch JSON and a pasted training_args.json beside the sweep, each with its own values, and a share link brings all back', async () => {
    const page = await open();
    await page.locator('#kind').selectOption('hf.warmup_stable_decay');
    await page.locator('input[data-choice="linear"]').uncheck();
    await page.locator('input[data-choice="1-sqrt"]').uncheck();
    await setSteps(page, T, 10);
    await drawn(page, 3);
    const torch = { module: 'torch.optim.lr_scheduler', class_name: 'StepLR', config: { step_size: 2000, gamma: 0.5 }, lr: 0.002 };
    // A training_args.json as TrainingArguments.to_json_string() writes it: the keys that do not bear on the schedule are ignored.
    const args = { output_dir: 'out', per_device_train_batch_size: 8, num_train_epochs: 3, max_steps: 8000, learning_rate: 5e-4, lr_scheduler_type: 'cosine', lr_scheduler_kwargs: {}, warmup_ratio: 0.05, warmup_steps: 0, weight_decay: 0.01, seed: 42, logging_steps: 500, report_to: [] };
    await page.locator('#paste-json').fill(JSON.stringify([torch, args]));
    await page.locator('#paste-add').click();
    await drawn(page, 5);
    const data = await csv(page);
    expect(data.names[3]).toMatch(/^#4 StepLR /);
    expect(data.names[4]).toMatch(/^#5 cosine /);
    const steps = [0, 390, 400, 410, 1990, 2000, 4000, 7990, 8000, 10_000];
    check(fromAnyJson(torch), steps, data, 3, 'pasted StepLR');
    check(fromAnyJson(args), steps, data, 4, 'pasted training_args.json');
    // The share link carries the family, its choice ticks and the pastes: the same values come back.
    await page.locator('#share').click();
    const url = await page.locator('#share-url').inputValue();
    await page.context().close();
    const again = await open(new URL(url).hash);
    await drawn(again, 5);
    expect(await again.locator('#kind').inputValue()).toBe('hf.warmup_stable_decay');
    expect(await again.locator('input[data-choice="cosine"]').isChecked()).toBe(true);
    expect(await again.locator('input[data-choice="linear"]').isChecked()).toBe(false);
    const back = await csv(again);
    expect(back.names).toEqual(data.names);
    for (const st of steps) expect(back.at.get(st), `step ${st}`).toEqual(data.at.get(st));
    await again.context().close();
  }, 300_000);
});
