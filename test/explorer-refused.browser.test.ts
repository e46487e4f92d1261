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
import { summaryText } from '../src/app/apply.ts';
import { defaultParams, defaultSweep, productCount, type SweepDef } from '../src/app/sweep.ts';
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

describe('a share link opened in the tab that already shows the explorer (only the hash changes)', () => {
  /** What the page shows of a sweep: the drawn facts, the pins' names and the form's class and last step. */
  async function shown(page: Page): Promise<{ drawn: Awaited<ReturnType<typeof drawnFacts>>; pins: string[]; kind: string; end: string }> {
    return {
      drawn: await drawnFacts(page),
      pins: await page.locator('#pins-body input.pin-name').evaluateAll((es) => es.map((e) => (e as HTMLInputElement).value)),
      kind: await page.locator('#kind').inputValue(),
      end: await page.locator('#step-end').inputValue(),
    };
  }
  const goTo = (page: Page, hash: string): Promise<void> => page.evaluate((h) => void (location.hash = h), hash);
  const banner = (page: Page): Promise<string> => page.locator('#url-error').evaluate((e: HTMLElement) => (e.hidden ? '' : (e.textContent ?? '')));
  /** The reason a page loaded with `hash` gives for refusing it (the start-up's banner). */
  async function refusedAtLoad(hash: string): Promise<string> {
    const { page } = await openWatched(browser, origin, { hash });
    const text = await banner(page);
    await page.context().close();
    const why = /^The shared link could not be used \((.+)\); showing the default sweep\.$/.exec(text)?.[1];
    if (!why) throw new Error(`no refusal at load: ${text}`);
    return why;
  }

  const base = defaultSweep();
  // 50 warmupTarget × 4 warmupSteps at one alpha, steps 0–6,000, and a pin the sweep lacks.
  const a: SweepDef = { ...base, params: { ...base.params, alpha: { mode: 'single', values: [0.1] } }, steps: { start: 0, end: 6000, stride: 10 } };
  const pinA = { keras: { class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.005, decay_steps: 1000, decay_rate: 0.5 } }, name: 'link pin A', color: '#ff0000', hidden: false };
  const hashA = encodeSweepHash(a, [pinA]);
  const b: SweepDef = { kind: 'ExponentialDecay', params: defaultParams('ExponentialDecay'), steps: { start: 0, end: 4000, stride: 20 }, extra: [], colorBy: '', yScale: 'linear' };
  const hashB = encodeSweepHash(b, []);
  const want = (d: SweepDef, pins: string[]): Awaited<ReturnType<typeof shown>> => ({
    drawn: { schedules: String(productCount(d)), steps: String((d.steps.end - d.steps.start) / d.steps.stride + 1), xDomain: `${d.steps.start},${d.steps.end}`, title: summaryText(d).title },
    pins,
    kind: d.kind,
    end: String(d.steps.end),
  });

  it('applies each link\'s sweep and pins, back and forward too, and refuses a bad one as at load, keeping the plot with the notice', async () => {
    const { page, pageErrors } = await openWatched(browser, origin);
    await pinAt(page, 0.3);
    // Pasting a link into this tab's address bar changes only its hash: the link's sweep and pins replace the page's.
    await goTo(page, hashA);
    await expect.poll(() => shown(page), { timeout: 90_000 }).toEqual(want(a, ['link pin A']));
    expect((await statusParts(page)).data['pinnedRows']).toBe('1');
    await goTo(page, hashB);
    await expect.poll(() => shown(page), { timeout: 90_000 }).toEqual(want(b, []));
    await page.goBack();
    await expect.poll(() => shown(page), { timeout: 90_000 }).toEqual(want(a, ['link pin A']));
    await page.goForward();
    await expect.poll(() => shown(page), { timeout: 90_000 }).toEqual(want(b, []));
    expect(await banner(page)).toBe('');

    // Refused links: one its decoding refuses (an unknown parameter), one the preflight worker refuses (a pin it cannot build).
    const badParam = encodeSweepHash({ ...b, params: { ...b.params, decayRatio: { mode: 'single', values: [0.5] } } }, []);
    const badPin = encodeSweepHash(a, [{ ...pinA, keras: { class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.005, decay_steps: -1000, decay_rate: 0.5 } } }]);
    for (const hash of [badParam, badPin]) {
      const why = await refusedAtLoad(hash);
      await goTo(page, hash);
      await expect.poll(() => banner(page), { timeout: 90_000 }).toBe(`The shared link could not be used (${why}); the plot keeps the sweep drawn before.`);
      expect(await notice(page)).toBe(`The plot still shows the previous sweep: ${summaryText(b).title}. The shared link's sweep was not drawn: ${why}`);
      expect(await shown(page)).toEqual(want(b, []));
      const s = await statusParts(page);
      expect(s.data['stale']).toBe('true');
      expect(s.text).toMatch(/^previous sweep \(the shared link's was refused, see the plot\): \d/);
    }
    expect(await refusedAtLoad(badParam)).toMatch(/^params\.decayRatio: not a parameter of ExponentialDecay/);
    expect(await refusedAtLoad(badPin)).toMatch(/^pins\[0\]\.keras/);

    // A good link after them: drawn, and nothing says "previous" or "refused" any more.
    await goTo(page, hashA);
    await expect.poll(() => shown(page), { timeout: 90_000 }).toEqual(want(a, ['link pin A']));
    expect(await banner(page)).toBe('');
    expect(await notice(page)).toBe('');
    expect((await statusParts(page)).data['stale']).toBeUndefined();
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  /**
   * Opens the explorer at `hash` and, once its scripts ran (DOMContentLoaded: the start-up has
   * read its hash, its device is still starting), sets the hash to each of `then` in turn, as a
   * user pasting links into the address bar while the page starts. Resolves once the start-up
   * drew its first sweep, with whether the hashes changed before it had (no sweep on screen yet).
   */
  async function changedDuringStartUp(hash: string, then: readonly string[]): Promise<{ page: Page; early: boolean; pageErrors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.addInitScript((hashes) => {
      document.addEventListener('DOMContentLoaded', () => {
        (globalThis as { __early?: boolean }).__early = !document.querySelector('[data-testid="status"]')?.hasAttribute('data-schedules');
        for (const h of hashes) location.hash = h;
      }, { once: true });
    }, then);
    await page.goto(`${origin}/${hash}`);
    await page.waitForSelector('[data-testid="status"][data-schedules]', { timeout: 90_000 });
    const early = await page.evaluate(() => (globalThis as { __early?: boolean }).__early === true);
    return { page, early, pageErrors };
  }

  it('follows a link that arrives while the page is still starting, once it has started: the latest hash wins', async () => {
    const c: SweepDef = { ...b, steps: { start: 0, end: 3000, stride: 10 } };
    // Opened with link A; links B then C pasted before the start-up drew A: C is what the page ends with.
    const first = await changedDuringStartUp(hashA, [hashB, encodeSweepHash(c, [pinA])]);
    expect(first.early).toBe(true);
    await expect.poll(() => shown(first.page), { timeout: 30_000 }).toEqual(want(c, ['link pin A']));
    expect(await banner(first.page)).toBe('');
    expect(first.pageErrors).toEqual([]);
    await first.page.context().close();

    // Opened without a link (the default sweep); link B pasted while it starts.
    const second = await changedDuringStartUp('', [hashB]);
    expect(second.early).toBe(true);
    await expect.poll(() => shown(second.page), { timeout: 30_000 }).toEqual(want(b, []));
    expect(second.pageErrors).toEqual([]);
    await second.page.context().close();
  });
});
