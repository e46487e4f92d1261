import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageResult } from '../examples/train/main.ts';
import { startBrowser, type BrowserSession } from './helpers/browser.ts';

let session: BrowserSession;
beforeAll(async () => {
  session = await startBrowser();
});
afterAll(async () => {
  await session?.close();
});

const STEPS = 300;

async function runPage(query: string): Promise<PageResult> {
  const page = await session.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${session.origin}/examples/train/index.html?${query}`);
  await page.waitForFunction(() => window.__trainResult !== undefined, undefined, { timeout: 90_000 });
  const result = await page.evaluate(() => window.__trainResult);
  const svg = await page.locator('#chart svg polyline').count();
  await page.close();
  expect(errors).toEqual([]);
  if (!result) throw new Error('no result on the page');
  if (result.error) throw new Error(`page failed: ${result.error}`);
  expect(svg).toBe(2);
  return result;
}

describe('examples/train in headless Chromium (WebGPU on SwiftShader)', () => {
  it('trains with lr[step] from the evaluator buffer and the inline WGSL, same lr bits, loss falls', async () => {
    const buffer = await runPage(`steps=${STEPS}&variant=buffer&check=1`);
    const inline = await runPage(`steps=${STEPS}&variant=inline`);
    const b = buffer.result!;
    const i = inline.result!;
    // Same threshold and reasoning as test/example-train.test.ts (ln 2 → ≈ 13 % of it).
    expect(b.initialLoss).toBeCloseTo(Math.LN2, 6);
    expect(b.finalLoss).toBeLessThan(0.25 * b.initialLoss);
    expect(b.lrUsedBits).toHaveLength(STEPS);
    expect(b.lrUsedBits).toEqual(b.evaluatorBits);
    expect(i.lrUsedBits).toEqual(b.lrUsedBits);
    expect(i.lossCurve).toEqual(b.lossCurve);
    console.log(`[example-train] Chromium ${buffer.adapter}, ${STEPS} steps: loss ${b.initialLoss.toFixed(4)} -> ${b.finalLoss.toFixed(4)}, ${b.msPerStep.toFixed(2)} ms/step (inline ${i.msPerStep.toFixed(2)})`);
  });
});
