/**
 * Issue F.2, the bad-input catalog through the explorer's paste box (Vite dev server,
 * headless Chromium with WebGPU on SwiftShader): one page load, then every Keras-JSON
 * case of test/fixtures/bad-inputs.ts that is written as one JSON text is pasted and
 * added. Each must show the inline error (data-testid="paste-error") naming the key and
 * the rule, keep the current sweep (the status line's data attributes unchanged), and
 * never open a dialog or run pasted text as HTML or script.
 *
 * The explorer parses with the browser's JSON.parse before the library sees the text,
 * so malformed JSON (the catalog's field `json`, Python's NaN/Infinity tokens included)
 * shows "Not valid JSON: <parser message>" rather than the library's wording.
 * The sweep form has no per-field test ids, so invalid form values are not covered here.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_INPUTS, kerasJson, type JsonCase } from '../fixtures/bad-inputs.ts';
import { startBrowser, type BrowserSession } from '../helpers/browser.ts';

let session: BrowserSession;
let page: Page;
const dialogs: string[] = [];
const pageErrors: string[] = [];
let loads = 0;

beforeAll(async () => {
  // Frozen: an edit elsewhere in the checkout must not reload this one long-lived page.
  session = await startBrowser({ frozen: true });
  page = await session.newPage();
  page.on('load', () => void loads++);
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${session.origin}/`);
  await page.waitForSelector('[data-testid="status"][data-schedules]', { timeout: 90_000 });
});

afterAll(async () => {
  await session?.close();
});

type Status = Record<string, string>;

async function status(): Promise<Status> {
  return page.getByTestId('status').evaluate((e: HTMLElement) => ({ ...e.dataset }) as Record<string, string>);
}

/** The attributes that describe the sweep on screen (not timings or notes). */
function sweepOf(s: Status): Status {
  return { schedules: s['schedules'] ?? '', steps: s['steps'] ?? '', backend: s['backend'] ?? '', verified: s['verified'] ?? '' };
}

const EMPTY_PASTE = /Paste a schedule or optimizer config \(JSON: Keras, PyTorch, Hugging Face or Optax\) first/;

/** Pastes `text`, clicks add, returns the inline error once it has replaced a known previous one. */
async function paste(text: string): Promise<{ visible: boolean; text: string }> {
  const err = page.getByTestId('paste-error');
  // Reset the error to a known text first, so a stale error of the previous case cannot pass.
  await page.locator('#paste-json').fill('');
  await page.locator('#paste-add').click();
  await expect.poll(async () => (await err.textContent()) ?? '', { timeout: 10_000 }).toMatch(EMPTY_PASTE);
  await page.locator('#paste-json').fill(text);
  await page.locator('#paste-add').click();
  await expect.poll(async () => (await err.textContent()) ?? '', { timeout: 10_000 }).not.toMatch(EMPTY_PASTE);
  return { visible: await err.isVisible(), text: (await err.textContent()) ?? '' };
}

// One JSON text each: all of them (lists included; the explorer takes a list).
const jsonCases = BAD_INPUTS.filter((c): c is JsonCase => c.surface === 'json');

describe(`bad-input catalog through the explorer paste box (${jsonCases.length} Keras-JSON cases, one page)`, () => {
  let before: Status;

  it('loads the default sweep', async () => {
    before = sweepOf(await status());
    expect(Number(before['schedules'])).toBeGreaterThanOrEqual(1000);
    expect(before['verified']).toBe('true');
  });

  it.each(jsonCases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const shown = await paste(c.text);
    const where = `${c.id}: ${shown.text}`;
    expect(shown.visible, where).toBe(true);
    expect(shown.text, where).toMatch(/The current sweep is unchanged\./);
    if (c.expect.field === 'json' && /malformed JSON/.test(c.expect.rule.source)) {
      // The browser's JSON.parse message (position or neighbouring text), not the library's.
      expect(shown.text, where).toMatch(/^Not valid JSON: .+/);
    } else {
      expect(shown.text, where).toMatch(/^Not a schedule: /);
      // The explorer adds the list's items one by one: a list element's error names the
      // key within that element, without the "[i]." prefix the library's deserializeMany gives.
      expect(shown.text, where).toContain(c.expect.field.replace(/^\[\d+\]\./, ''));
      expect(shown.text, where).toMatch(c.expect.rule);
    }
    expect(sweepOf(await status()), where).toEqual(before);
  });

  it('an invalid config carrying HTML shows it as text; nothing is created or run', async () => {
    const name = '<img src=x id=pwn-invalid onerror=window.__pwned=1>/x';
    const shown = await paste(kerasJson('ExponentialDecay', { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5, name }));
    expect(shown.visible).toBe(true);
    expect(shown.text).toContain('config.name');
    expect(shown.text).toContain(name);
    expect(shown.text).toMatch(/must not contain "\/"/);
    expect(await page.getByTestId('paste-error').evaluate((e) => e.children.length)).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(sweepOf(await status())).toEqual(before);
  });

  it('a __proto__ key is an unknown key, and no prototype is polluted', async () => {
    const text = '{"class_name": "ExponentialDecay", "config": {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5, "__proto__": {"polluted": 1}}}';
    const shown = await paste(text);
    expect(shown.visible).toBe(true);
    expect(shown.text).toContain('config.__proto__');
    expect(shown.text).toMatch(/unknown key/);
    expect(await page.evaluate(() => (({}) as Record<string, unknown>)['polluted'])).toBeUndefined();
    expect(sweepOf(await status())).toEqual(before);
  });

  it('a VALID config whose name is an HTML payload is added as data: no element, no script, no dialog', async () => {
    const name = '<img src=x id=pwn onerror=window.__pwned=1>';
    await page.locator('#paste-json').fill(kerasJson('ExponentialDecay', { initial_learning_rate: 0.005, decay_steps: 100, decay_rate: 0.5, staircase: false, name }));
    await page.locator('#paste-add').click();
    await expect.poll(async () => (await status())['schedules'], { timeout: 90_000 }).toBe(String(Number(before['schedules']) + 1));
    const after = await status();
    expect(after['verified']).toBe('true');
    expect(after['backend']).toBe(before['backend']);
    expect(await page.getByTestId('paste-error').isVisible()).toBe(false);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('#pwn').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  });

  it('no dialog opened, no page error and no reload during all of it', () => {
    expect(loads).toBe(1);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
