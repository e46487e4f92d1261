/**
 * Browser-test helpers: the Chromium launch and page servers are shared with the benchmarks
 * and scripts (scripts/chromium.ts); plotInk reads a drawn plot.
 */
import type { Page } from 'playwright-core';

export { CHROMIUM, CHROMIUM_ARGS, launchChromium, startBrowser, startBuiltPage, type BrowserSession, type BuiltPageSession } from '../../scripts/chromium.ts';

/**
 * Share of the plot canvas's pixels (a screenshot of it) that differ from the plot's
 * background (its first pixel) by more than 24 summed RGB levels, and how many colours
 * it holds (5 bits a channel).
 */
export async function plotInk(page: Page): Promise<{ ink: number; colours: number }> {
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
