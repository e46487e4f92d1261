/**
 * A sweep the form refuses, in headless Chromium (WebGPU on SwiftShader, with the canvas flags
 * of test/helpers/browser.ts), against the BUILT page (`vite build` into a temp dir, served by
 * `vite preview` on 127.0.0.1): the plot keeps the sweep drawn before, and says so over it
 * (what is drawn, and the form's error: field, value and rule); the status line, the plot's
 * data attributes and the exports describe the drawn sweep; a paste drawn meanwhile keeps the
 * notice (the form is still refused), a valid edit or a share link's load has none.
 *
 * EXPLORER_VITE_CONFIG overrides the Vite config (development only).
 */
import { readFileSync } from 'node:fs';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSweep } from '../src/app/sweep.ts';
import { encodeSweepHash } from '../src/app/sweep-link.ts';
import { startBuiltPage, type BuiltPageSession } from './helpers/browser.ts';
import { openWatched, pinAt, statusParts } from './helpers/explorer-page.ts';

let session: BuiltPageSession;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  session = await startBuiltPage('explorer-refused-', process.env.EXPLORER_VITE_CONFIG);
  ({ browser, origin } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

/** Types `value` into a step box (#step-start, #step-end, #step-stride), as a user's edit. */
async function setStep(page: Page, id: string, value: string): Promise<void> {
  const input = page.locator(`#${id}`);
  await input.fill(value);
  await input.dispatchEvent('input');
}

/** What tells which sweep is drawn: the status line's counts, the plot's x domain and title. */
async function drawnFacts(page: Page): Promise<{ schedules: string | undefined; steps: string | undefined; xDomain: string | null; title: string }> {
  const s = await statusParts(page);
  return {
    schedules: s.data['schedules'],
    steps: s.data['steps'],
    xDomain: await page.locator('#plot').getAttribute('data-x-domain'),
    title: (await page.locator('#plot-title').textContent()) ?? '',
  };
}

const notice = (page: Page): Promise<string> => page.getByTestId('stale-notice').evaluate((e: HTMLElement) => (e.hidden ? '' : (e.textContent ?? '')));

async function downloadText(page: Page, button: string): Promise<string> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.locator(button).click()]);
  return readFileSync((await d.path()) as string, 'utf8');
}

const STEPS_RULE = 'steps: steps 0–1,000,001 every 1 are 1,000,002 samples per schedule; at most 1,000,001: set the stride to 2 or more, or narrow the range to 1,000,000 steps';

describe('a sweep the form refuses', () => {
  it('leaves the drawn sweep on the plot, says so over it, and the next drawn valid sweep clears it', async () => {
    const { page, pageErrors } = await openWatched(browser, origin);
    await pinAt(page, 0.3);
    const before = await drawnFacts(page);
    expect(before.steps).toBe('1001');
    expect(before.xDomain).toBe('0,10000');
    expect(before.title).toMatch(/^CosineDecay: 1,000 schedules, sweeping .* · steps 0–10,000$/);
    expect(await notice(page)).toBe('');

    // Over the values limit first (100,001 steps × 1,000 schedules), then the steps limit: neither is drawn.
    await setStep(page, 'step-end', '1000001');
    await expect.poll(() => notice(page), { timeout: 10_000 }).toMatch(/^The plot still shows the previous sweep: .*The form's sweep was not drawn: sweep: 1,000 schedules × 100,001 steps/);
    await setStep(page, 'step-stride', '1');
    const formErr = page.getByTestId('form-error');
    await expect.poll(async () => (await formErr.textContent()) ?? '', { timeout: 10_000 }).toBe(STEPS_RULE);
    expect(await notice(page)).toBe(`The plot still shows the previous sweep: ${before.title}. The form's sweep was not drawn: ${STEPS_RULE}`);
    // A form apply would have gone 350 ms after the edit: nothing was drawn, nothing claims the new sweep.
    await page.waitForTimeout(1_000);
    expect(await drawnFacts(page)).toEqual(before);
    const s = await statusParts(page);
    expect(s.data['stale']).toBe('true');
    expect(s.text).toMatch(/^previous sweep \(the form's was refused, see the plot\): 1,000 schedules × 1,001 steps · /);
    expect(await page.locator('#sweep-summary').textContent()).toBe('');

    // The exports are of the drawn sweep: its title, its steps (the pinned curve's CSV).
    const svg = await downloadText(page, '#export-svg');
    expect(svg).toContain(`<title>${before.title}</title>`);
    expect(svg).not.toContain('1,000,001');
    const csv = (await downloadText(page, '#export-csv')).trim().split('\n');
    expect(csv).toHaveLength(1002);
    expect(csv.at(-1)).toMatch(/^10000,[\d.e-]+$/);

    // A paste onto a refused form is refused too (the paste is added to the form's sweep).
    const pasteErr = page.getByTestId('paste-error');
    const paste = async (): Promise<void> => {
      await page.locator('#paste-json').fill(JSON.stringify({ class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.005, decay_steps: 1000, decay_rate: 0.5 } }));
      await page.locator('#paste-add').click();
    };
    await paste();
    await expect.poll(async () => (await pasteErr.textContent()) ?? '', { timeout: 30_000 }).toBe(`${STEPS_RULE}. The current sweep is unchanged.`);
    expect(await drawnFacts(page)).toEqual(before);
    expect(await notice(page)).toMatch(/not drawn: steps: steps 0–1,000,001 every 1/);

    // A field the form cannot read, named with its value; the steps are then made valid (0–8,000 every 10).
    const alpha = page.locator('tr[data-field="alpha"] input.values');
    const alphaText = await alpha.inputValue();
    await alpha.fill('abc');
    await alpha.dispatchEvent('input');
    const ALPHA_RULE = /^alpha: "abc" is not a number/;
    await expect.poll(async () => (await formErr.textContent()) ?? '', { timeout: 10_000 }).toMatch(ALPHA_RULE);
    await setStep(page, 'step-stride', '10');
    await setStep(page, 'step-end', '8000');
    const alphaError = (await formErr.textContent()) ?? '';
    expect(alphaError).toMatch(ALPHA_RULE);
    expect(await notice(page)).toBe(`The plot still shows the previous sweep: ${before.title}. The form's sweep was not drawn: ${alphaError}`);

    // A paste is now drawn onto the drawn sweep; the form is still refused, so the notice stays, naming the new drawn sweep.
    await paste();
    // The row count and the paste box's error (the earlier refusal's until this paste is added).
    await expect.poll(async () => `${(await statusParts(page)).data['schedules']} ${(await pasteErr.textContent()) ?? ''}`, { timeout: 90_000 }).toBe('1001 ');
    const pasted = await drawnFacts(page);
    expect(pasted.title).toMatch(/^CosineDecay: 1,000 schedules \+ 1 pasted, sweeping .* · steps 0–10,000$/);
    expect(pasted.steps).toBe('1001');
    expect(await notice(page)).toBe(`The plot still shows the previous sweep: ${pasted.title}. The form's sweep was not drawn: ${alphaError}`);
    expect(await formErr.textContent()).toBe(alphaError);
    expect((await statusParts(page)).data['stale']).toBe('true');

    // A valid edit (alpha as it was): drawn, and nothing says "previous" any more.
    await alpha.fill(alphaText);
    await alpha.dispatchEvent('input');
    await expect.poll(async () => (await statusParts(page)).data['steps'], { timeout: 90_000 }).toBe('801');
    expect(await notice(page)).toBe('');
    expect(await formErr.isVisible()).toBe(false);
    const after = await statusParts(page);
    expect(after.data['stale']).toBeUndefined();
    expect(after.text).toMatch(/^1,001 schedules × 801 steps · /);
    expect(await page.locator('#plot').getAttribute('data-x-domain')).toBe('0,8000');
    expect(await page.locator('#plot-title').textContent()).toMatch(/ \+ 1 pasted, sweeping .* · steps 0–8,000$/);
    expect(await downloadText(page, '#export-svg')).toContain('· steps 0–8,000</title>');

    // A share link's sweep, loaded in this tab: drawn, with no notice.
    await page.goto(`${origin}/${encodeSweepHash({ ...defaultSweep(), steps: { start: 0, end: 6000, stride: 10 } }, [])}`);
    await page.reload();
    await page.waitForSelector('[data-testid="status"][data-schedules]', { timeout: 90_000 });
    expect((await statusParts(page)).data['steps']).toBe('601');
    expect(await notice(page)).toBe('');
    expect((await statusParts(page)).data['stale']).toBeUndefined();
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});
