/**
 * Headless Chromium for the project's programs that drive a page: the browser tests (through
 * test/helpers/browser.ts), the explorer benchmarks (bench/explorer.ts, bench/browser.ts) and
 * scripts/screenshots.ts, so bench and tests share the launch flags without importing each
 * other. Debian's chromium, WebGPU on SwiftShader; the page from the Vite dev server
 * (startBrowser) or built and served by `vite preview` (startBuiltPage).
 */
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

/** Headless Chromium with CHROMIUM_ARGS (throws, naming the packages, when it is not installed). */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`browser tests need Chromium at ${CHROMIUM}: apt-get install chromium libvulkan1`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

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
  const frozen = options.frozen === true ? { hmr: false, watch: null } : {};
  const server = await createServer({ configFile: 'vite.config.ts', server: { port: 0, host: '127.0.0.1', ...frozen }, logLevel: 'error' });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('vite dev server did not report a port');
  const origin = `http://127.0.0.1:${address.port}`;
  const browser = await launchChromium();
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
  const outDir = mkdtempSync(join(tmpdir(), tmpPrefix));
  await build({ configFile, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const server = await preview({ configFile, logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('vite preview did not report a port');
  const browser = await launchChromium();
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
