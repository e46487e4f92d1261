/**
 * The explorer as a user at 1280×720 sees it (built page, headless Chromium): the toolbar
 * in one row and the pins above the fold; narrower windows wrap without overflowing; and
 * the wheel and the keyboard zoom and pan (issue I: "zoom and pan on both axes").
 */
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuiltPage, type BuiltPageSession } from './helpers/browser.ts';
import { boxOf, crosshairAt, openExplorer, pinAt, pointerTo, type Box } from './helpers/explorer-page.ts';

let session: BuiltPageSession;
let browser: Browser;

beforeAll(async () => {
  session = await startBuiltPage('explorer-layout-');
  browser = session.browser;
}, 240_000);

afterAll(async () => {
  await session?.close();
});

const open = (width: number, height: number): Promise<Page> => openExplorer(browser, session.origin, { width, height });
const box = boxOf;

/** The boxes of the toolbar's shown items. */
async function toolbarItems(page: Page): Promise<Box[]> {
  return page.locator('.toolbar').evaluate((t) =>
    Array.from(t.children)
      .map((c) => c.getBoundingClientRect())
      .filter((r) => r.width > 0 && r.height > 0)
      .map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })),
  );
}

/** Moves over the plot at x fraction fx until the tooltip shows a curve. */
async function hoverCurve(page: Page, fx: number): Promise<void> {
  const b = await box(page, '#plot-canvas');
  for (let fy = 0.05; fy < 0.95; fy += 0.03) {
    await pointerTo(page, b.x + b.width * fx, b.y + b.height * fy);
    if (await page.getByTestId('tooltip').isVisible()) return;
  }
  throw new Error(`no curve under x = ${fx}`);
}

/** Each pin name's field: its text, its tooltip, whether all of it is shown, and how an overflow is cut. */
async function pinNameFields(page: Page): Promise<{ value: string; title: string; whole: boolean; overflow: string }[]> {
  return page.locator('#pins-body input.pin-name').evaluateAll((es) =>
    es.map((e) => {
      const i = e as HTMLInputElement;
      return { value: i.value, title: i.title, whole: i.scrollWidth <= i.clientWidth, overflow: getComputedStyle(i).textOverflow };
    }),
  );
}

/** Whether every name listed in the crosshair's readout is shown whole (wrapped, never cut). */
async function readoutNamesWhole(page: Page): Promise<boolean> {
  return page.locator('#readout .ro-name').evaluateAll((es) => es.length > 0 && es.every((e) => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight + 1));
}

/** Pins two curves and checks that their default names (the swept values) are shown whole in the table and the readout. */
async function checkPinNames(page: Page): Promise<void> {
  await pinAt(page, 0.3);
  await pinAt(page, 0.6);
  await expect.poll(() => page.locator('#pins-body tr').count()).toBe(2);
  const fields = await pinNameFields(page);
  for (const f of fields) {
    expect(f.value).toMatch(/^alpha=[\d.e-]+, warmupTarget=[\d.e-]+, warmupSteps=\d+$/);
    expect(f, `pin name field ${JSON.stringify(f)}`).toMatchObject({ whole: true, title: f.value });
  }
  await hoverCurve(page, 0.5);
  expect(await readoutNamesWhole(page)).toBe(true);
}

const domain = async (page: Page, axis: 'x' | 'y'): Promise<[number, number]> =>
  ((await page.locator('#plot').getAttribute(`data-${axis}-domain`)) ?? '').split(',').map(Number) as [number, number];

/** Waits until nothing is being evaluated and the x and y domains hold still; returns them. */
async function steady(page: Page): Promise<{ x: [number, number]; y: [number, number] }> {
  let last = '';
  await expect
    .poll(
      async () => {
        await page.waitForTimeout(150);
        const now = JSON.stringify([await domain(page, 'x'), await domain(page, 'y'), await page.locator('#busy').isVisible()]);
        const same = now === last && !(await page.locator('#busy').isVisible());
        last = now;
        return same;
      },
      { timeout: 90_000, interval: 200 },
    )
    .toBe(true);
  return { x: await domain(page, 'x'), y: await domain(page, 'y') };
}

describe('the explorer at 1280×720 (built page, headless Chromium)', () => {
  it('keeps the toolbar in one row and two pins above the fold', async () => {
    const page = await open(1280, 720);
    const items = await toolbarItems(page);
    expect(items.length).toBeGreaterThanOrEqual(6);
    const tops = items.map((r) => r.y);
    expect(Math.max(...tops) - Math.min(...tops), `toolbar item tops ${tops.join(', ')}`).toBeLessThanOrEqual(4);
    const bar = await box(page, '.toolbar');
    expect(bar.height).toBeLessThanOrEqual(Math.max(...items.map((r) => r.height)) + 2);
    expect(bar.x + bar.width).toBeLessThanOrEqual(1280);
    // The whole plot (with its axes) is above the fold.
    const plot = await box(page, '#plot');
    expect(plot.y + plot.height).toBeLessThan(720);

    // No pin: the tooltip alone gives the hovered curve's value (no readout repeating it).
    await hoverCurve(page, 0.5);
    expect(await page.getByTestId('readout').isHidden()).toBe(true);
    await checkPinNames(page);
    // With pins, the readout and the tooltip are both shown and neither hides the other, wherever the pointer is.
    for (const fx of [0.1, 0.5, 0.9]) {
      await hoverCurve(page, fx);
      const tip = await box(page, '[data-testid="tooltip"]');
      const ro = await box(page, '[data-testid="readout"]');
      const apart = tip.x + tip.width <= ro.x || ro.x + ro.width <= tip.x || tip.y + tip.height <= ro.y || ro.y + ro.height <= tip.y;
      expect(apart, `tooltip ${JSON.stringify(tip)} and readout ${JSON.stringify(ro)} at x = ${fx}`).toBe(true);
    }
    const pins = await box(page, '#pins');
    expect(pins.y).toBeLessThan(720);
    // Both pin rows, one line each, are fully visible without scrolling.
    for (const i of [0, 1]) {
      const row = await page.locator('#pins-body tr').nth(i).boundingBox();
      expect(row).not.toBeNull();
      expect((row as Box).y + (row as Box).height).toBeLessThanOrEqual(720);
      expect((row as Box).height).toBeLessThan(40);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await page.context().close();
  }, 200_000);

  it('keeps two pins above the fold when the status line runs long (a config the GPU declines): two lines, the rest on focus and in its tooltip', async () => {
    const page = await open(1280, 720);
    await pinAt(page, 0.3);
    await pinAt(page, 0.6);
    const status = page.getByTestId('status');
    const before = (await status.textContent()) ?? '';
    await page.locator('#paste-json').fill(JSON.stringify({ class_name: 'PolynomialDecay', config: { initial_learning_rate: 0.001, decay_steps: 1000, end_learning_rate: 0.1, power: 1, cycle: false } }));
    await page.locator('#paste-add').click();
    await expect.poll(async () => ((await status.textContent()) ?? '') !== before && /the GPU declines its config/.test((await status.textContent()) ?? ''), { timeout: 90_000 }).toBe(true);
    const text = (await status.textContent()) ?? '';
    // The whole reason is the status line's text (what a screen reader says), longer than two lines at this width.
    expect(text).toMatch(/^1,001 schedules × 1,001 steps · webgpu, and schedule #1001 on the CPU \(the GPU declines its config: .*GPU PolynomialDecay needs end_learning_rate/);
    const lineHeight = await status.evaluate((e) => parseFloat(getComputedStyle(e).lineHeight));
    const shown = await box(page, '#status');
    expect(shown.height).toBeLessThanOrEqual(2 * lineHeight + 1);
    for (const i of [0, 1]) {
      const row = await page.locator('#pins-body tr').nth(i).boundingBox();
      expect(row).not.toBeNull();
      expect((row as Box).y + (row as Box).height).toBeLessThanOrEqual(720);
    }
    // Cut to two lines: its tooltip holds the whole text, and focusing it (a click, or Tab) shows it all.
    expect(await status.getAttribute('title')).toBe(text);
    await status.click();
    expect((await box(page, '#status')).height).toBeGreaterThan(2 * lineHeight + 1);
    await page.locator('#paste-json').focus();
    expect((await box(page, '#status')).height).toBeLessThanOrEqual(2 * lineHeight + 1);
    // Wide enough for the whole text: no tooltip repeating it, judged again on hover.
    await page.setViewportSize({ width: 2400, height: 720 });
    await expect.poll(() => status.evaluate((e) => e.scrollHeight <= e.clientHeight + 1)).toBe(true);
    await page.mouse.move(600, 400);
    await page.hover('#status');
    expect(await status.getAttribute('title')).toBe('');
    await page.context().close();
  }, 200_000);

  it('shows the pins\' names whole at 1400×860, and a name too long for its field ellipsized, whole on hover and in the field', async () => {
    const page = await open(1400, 860);
    await checkPinNames(page);
    // 101 characters (a name holds up to 120).
    const long = `baseline: ${'warmupTarget=0.00829, '.repeat(4)}end`;
    const field = page.locator('#pins-body input.pin-name').first();
    await field.fill(long);
    await field.dispatchEvent('change');
    const [first] = await pinNameFields(page);
    expect(first).toEqual({ value: long, title: long, whole: false, overflow: 'ellipsis' });
    // The crosshair's readout lists it whole too, wrapped.
    await hoverCurve(page, 0.5);
    expect(await page.locator('#readout .ro-name').allTextContents()).toContain(long);
    expect(await readoutNamesWhole(page)).toBe(true);
    await page.context().close();
  }, 200_000);

  /**
   * Each parameter name of the form, for every class: its text, how far its glyphs reach past the
   * cell's content box (> 0: cut off), and its text's height (one line is about 15 px).
   */
  async function formNames(page: Page): Promise<{ kind: string; name: string; past: number; height: number }[]> {
    const kinds = await page.locator('#kind option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    const out: { kind: string; name: string; past: number; height: number }[] = [];
    for (const kind of kinds) {
      await page.locator('#kind').selectOption(kind);
      out.push(...(await page.locator('td.pname').evaluateAll((cells, k) =>
        cells.map((c) => {
          const text = document.createRange();
          text.selectNodeContents(c);
          const t = text.getBoundingClientRect();
          const r = c.getBoundingClientRect();
          const pad = parseFloat(getComputedStyle(c).paddingRight);
          return { kind: k, name: c.textContent ?? '', past: Math.round((t.right - (r.right - pad)) * 10) / 10, height: Math.round(t.height) };
        }), kind)));
    }
    return out;
  }

  it('shows every parameter name of every class whole: on one line at 1280×720, wrapped at its word joins when narrower', async () => {
    const page = await open(1280, 720);
    const wide = await formNames(page);
    expect(wide.map((n) => n.name)).toContain('initialLearningRate');
    // Before the name column fitted its names, initialLearningRate was cut to `initialLearning…`.
    for (const n of wide) expect(n, `${n.kind} ${n.name}`).toMatchObject({ past: expect.toSatisfy((v: number) => v <= 0.5) as unknown, height: expect.toSatisfy((h: number) => h < 20) as unknown });
    await page.setViewportSize({ width: 1100, height: 720 });
    const narrow = await formNames(page);
    for (const n of narrow) expect(n.past, `${n.kind} ${n.name} at 1100 px`).toBeLessThanOrEqual(0.5);
    // The longest names take two lines there, broken at a word join (no letter lost).
    expect(narrow.find((n) => n.name === 'initialLearningRate')?.height).toBeGreaterThan(20);
    await page.context().close();
  }, 200_000);

  it('puts the train panel\'s "its horizon" box next to its words, the steps field at its own width', async () => {
    const page = await open(1280, 720);
    await pinAt(page, 0.3);
    await page.locator('#pins-body button', { hasText: 'train' }).first().click();
    const panel = page.getByTestId('train-panel');
    await expect.poll(() => panel.isVisible()).toBe(true);
    const parts = await panel.evaluate((p) => {
      const box = p.querySelector('input[type="checkbox"]') as HTMLInputElement;
      const words = document.createRange();
      words.selectNodeContents(box.parentElement as HTMLElement);
      words.setStartAfter(box);
      const b = box.getBoundingClientRect();
      return { box: b.width, gap: words.getBoundingClientRect().left - b.right, steps: (p.querySelector('input[type="number"]') as HTMLElement).getBoundingClientRect().width };
    });
    // The box was given the steps field's 80 px (its tick drawn in the middle of them, far from its words).
    expect(parts.box, JSON.stringify(parts)).toBeLessThanOrEqual(20);
    expect(parts.gap, JSON.stringify(parts)).toBeLessThanOrEqual(10);
    expect(parts.steps).toBe(80);
    await page.context().close();
  }, 200_000);

  it('wraps the toolbar on narrower windows without overflowing the page, and stacks the form above the plot under 1000 px', async () => {
    const page = await open(1024, 700);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    const bar = await box(page, '.toolbar');
    expect(bar.x + bar.width).toBeLessThanOrEqual(1024);
    await page.setViewportSize({ width: 800, height: 700 });
    await expect.poll(async () => (await box(page, '#view')).y).toBeGreaterThan((await box(page, '#controls')).y);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800);
    const plot = await box(page, '#plot');
    expect(plot.width).toBeGreaterThan(700);
    await page.context().close();
  }, 200_000);
});

describe('the crosshair (built page, headless Chromium)', () => {
  it('handles a burst of pointer moves once, at the next frame, by rewriting its readout in place', async () => {
    const page = await open(1280, 720);
    await pinAt(page, 0.3);
    await pinAt(page, 0.6);
    await crosshairAt(page, 0.2);
    expect(await page.locator('#readout .ro-entry:not([hidden])').count()).toBe(2);
    const burst = await page.evaluate(async () => {
      const readout = document.querySelector('[data-testid="readout"]') as HTMLElement;
      const canvas = document.getElementById('plot-canvas') as HTMLCanvasElement;
      const before = Array.from(readout.children);
      const records: MutationRecord[] = [];
      const watch = new MutationObserver((rs) => records.push(...rs));
      watch.observe(readout, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-step'] });
      const r = canvas.getBoundingClientRect();
      // 20 moves in one task, along the bottom edge (no curve hovered): one update, for the last.
      for (let i = 0; i < 20; i++) canvas.dispatchEvent(new MouseEvent('mousemove', { clientX: r.left + r.width * (0.1 + 0.02 * i), clientY: r.bottom - 2, bubbles: true }));
      const sync = records.length + watch.takeRecords().length;
      await new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
      records.push(...watch.takeRecords());
      watch.disconnect();
      return {
        sync,
        stepWrites: records.filter((m) => m.type === 'attributes').length,
        // Rows added or removed (a text change inside a row's spans is not one).
        rebuilt: records.filter((m) => m.type === 'childList' && (m.target === readout || (m.target as Element).classList.contains('ro-entry'))).length,
        sameNodes: before.length === readout.children.length && before.every((n, i) => n === readout.children[i]),
        step: Number(readout.dataset['step']),
      };
    });
    expect(burst).toMatchObject({ sync: 0, stepWrites: 1, rebuilt: 0, sameNodes: true });
    expect(Math.abs(burst.step - 4_800)).toBeLessThanOrEqual(20);
    await page.context().close();
  }, 200_000);


  it('reads the new sweep where the pointer rests after a pin and after the x scale changes under it', async () => {
    const page = await open(1280, 720);
    await pinAt(page, 0.3);
    // The pointer rests on the curve just pinned: its tooltip names the pin and offers to unpin it.
    const name = await page.locator('#pins-body input.pin-name').inputValue();
    await expect.poll(() => page.getByTestId('tooltip').textContent()).toContain(`pinned as${name}`);
    expect(await page.getByTestId('tooltip').textContent()).toContain('click to unpin');
    await crosshairAt(page, 0.5);
    const readStep = (): Promise<number> => page.getByTestId('readout').evaluate((e: HTMLElement) => Number(e.dataset['step']));
    expect(Math.abs((await readStep()) - 5_000)).toBeLessThanOrEqual(20);
    // The pointer stays put: the log axis puts step √(10 · 10,000) ≈ 316 under it.
    await page.locator('#x-scale').selectOption('log');
    await steady(page);
    await expect.poll(readStep, { timeout: 10_000 }).toBeLessThan(400);
    expect(Math.abs((await readStep()) - Math.sqrt(10 * 10_000))).toBeLessThanOrEqual(20);
    await page.context().close();
  }, 200_000);
});

describe('wheel and keyboard zoom (built page, headless Chromium)', () => {
  it('zooms both axes about the pointer with the wheel, x only with shift, y only with alt, and back out to the whole sweep', async () => {
    const page = await open(1280, 720);
    const full = await steady(page);
    expect(full.x).toEqual([0, 10_000]);
    const b = await box(page, '#plot-canvas');
    // A quarter of the way across the plot, halfway up.
    await page.mouse.move(b.x + b.width * 0.25, b.y + b.height * 0.5);
    await page.mouse.wheel(0, -100);
    const z = await steady(page);
    expect(z.x[1] - z.x[0]).toBeLessThan(10_000 * 0.9);
    // The step under the pointer stays put (within one stride of 10 and a pixel's worth).
    const under = (x: [number, number]): number => x[0] + 0.25 * (x[1] - x[0]);
    expect(Math.abs(under(z.x) - 2_500)).toBeLessThanOrEqual(10 + (10_000 / b.width) * 2);
    // y (log scale) zoomed about its middle too: a narrower span in log space.
    expect(Math.log(z.y[1] / z.y[0])).toBeLessThan(Math.log(full.y[1] / full.y[0]) * 0.9);
    // The zoomed curves are evaluated over the window's steps.
    expect(Number(await page.getByTestId('status').getAttribute('data-steps'))).toBe((z.x[1] - z.x[0]) / 10 + 1);
    expect(await page.locator('#reset-zoom').isDisabled()).toBe(false);

    await page.keyboard.down('Shift');
    await page.mouse.wheel(0, -100);
    await page.keyboard.up('Shift');
    const xOnly = await steady(page);
    expect(xOnly.x[1] - xOnly.x[0]).toBeLessThan((z.x[1] - z.x[0]) * 0.9);
    expect(xOnly.y).toEqual(z.y);

    await page.keyboard.down('Alt');
    await page.mouse.wheel(0, -100);
    await page.keyboard.up('Alt');
    const yOnly = await steady(page);
    expect(yOnly.x).toEqual(xOnly.x);
    expect(Math.log(yOnly.y[1] / yOnly.y[0])).toBeLessThan(Math.log(xOnly.y[1] / xOnly.y[0]) * 0.9);

    // Several turns down (coalesced while one is evaluated): out to the whole sweep, never past it.
    for (let i = 0; i < 8; i++) await page.mouse.wheel(0, 250);
    const out = await steady(page);
    expect(out.x).toEqual([0, 10_000]);
    await page.locator('#reset-zoom').click();
    expect((await steady(page)).y).toEqual(full.y);
    await page.context().close();
  }, 200_000);

  it('zooms with + and -, pans with the arrows and resets with 0 on the focused plot', async () => {
    const page = await open(1280, 720);
    const full = await steady(page);
    await page.locator('#plot-canvas').focus();
    await page.keyboard.press('+');
    const zin = await steady(page);
    expect(zin.x[1] - zin.x[0]).toBeCloseTo(8_000, -2);
    expect((zin.x[0] + zin.x[1]) / 2).toBeCloseTo(5_000, -2);
    await page.keyboard.press('ArrowRight');
    const right = await steady(page);
    expect(right.x[0]).toBeGreaterThan(zin.x[0]);
    expect(right.x[1] - right.x[0]).toBeCloseTo(zin.x[1] - zin.x[0], -2);
    // Panning past the sweep's end stops at it.
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    const end = await steady(page);
    expect(end.x[1]).toBe(10_000);
    await page.keyboard.press('ArrowUp');
    const up = await steady(page);
    expect(up.y[0]).toBeGreaterThan(end.y[0]);
    await page.keyboard.press('-');
    await page.keyboard.press('0');
    const back = await steady(page);
    expect(back).toEqual(full);
    expect(await page.locator('#reset-zoom').isDisabled()).toBe(true);
    await page.context().close();
  }, 200_000);
});
