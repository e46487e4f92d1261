import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

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
