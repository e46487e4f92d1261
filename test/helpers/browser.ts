import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, createServer, preview, type ViteDevServer } from 'vite';

/** Debian's chromium; playwright never downloads a browser here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that give headless Chromium WebGPU (and a WebGPU canvas) on SwiftShader (Debian's chromium package ships it; the canvas needs the three Vulkan/ANGLE flags). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-angle=swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  readonly browser: Browser;
  readonly server: ViteDevServer;
  /** http://127.0.0.1:PORT (a secure context, so navigator.gpu exists). */
  readonly origin: string;
  newPage(options?: { webgpu?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Starts the project's Vite dev server on a free port and headless Chromium.
 * `frozen`: no file watching and no HMR, so edits to the checkout during the test
 * (others working in it) cannot reload the page under a long single-page test.
 */
export async function startBrowser(options: { frozen?: boolean } = {}): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`browser tests need Chromium at ${CHROMIUM}: apt-get install chromium libvulkan1`);
  }
  const frozen = options.frozen === true ? { hmr: false, watch: null } : {};
  const server = await createServer({ configFile: 'vite.config.ts', server: { port: 0, host: '127.0.0.1', ...frozen }, logLevel: 'error' });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('vite dev server did not report a port');
  const origin = `http://127.0.0.1:${address.port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return {
    browser,
    server,
    origin,
    async newPage(options = {}) {
      const context = await browser.newContext();
      const page = await context.newPage();
      if (options.webgpu === false) {
        // Simulates a browser without WebGPU: the page must fall back to the CPU.
        await page.addInitScript(() => {
          Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
        });
      }
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** The built page (`vite build` into a temporary folder, served by `vite preview`) and headless Chromium. */
export interface BuiltPageSession {
  readonly browser: Browser;
  /** http://127.0.0.1:PORT of the preview server. */
  readonly origin: string;
  /** The folder the page was built into (removed by `close`). */
  readonly outDir: string;
  close(): Promise<void>;
}

/**
 * Builds the page as a user deploys it (with `configFile`, vite.config.ts unless given), serves it
 * on a free port and starts headless Chromium; `close` removes the build.
 */
export async function startBuiltPage(tmpPrefix: string, configFile = 'vite.config.ts'): Promise<BuiltPageSession> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`browser tests need Chromium at ${CHROMIUM}: apt-get install chromium libvulkan1`);
  }
  const outDir = mkdtempSync(join(tmpdir(), tmpPrefix));
  await build({ configFile, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const server = await preview({ configFile, logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('vite preview did not report a port');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return {
    browser,
    origin: `http://127.0.0.1:${address.port}`,
    outDir,
    async close() {
      await browser.close();
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

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
