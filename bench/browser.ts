/**
 * Runs the benchmark page (bench.html) in headless Chromium (SwiftShader WebGPU, the
 * flags of scripts/chromium.ts) and prints its ratios and table; `--json FILE`
 * writes the page's report.
 *
 *   npx tsx bench/browser.ts [--full] [--only peers,self-test] [--json out.json]
 */
import { writeFileSync } from 'node:fs';
import { startBrowser } from '../scripts/chromium.ts';

const argv = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const query = new URLSearchParams({ autorun: '1' });
if (argv.includes('--full')) query.set('mode', 'full');
const only = arg('--only');
if (only) query.set('only', only);

const session = await startBrowser();
let code = 0;
try {
  const page = await session.newPage();
  page.on('pageerror', (e) => process.stderr.write(`[page error] ${e.message}\n`));
  page.on('console', (m) => {
    if (m.type() === 'info') process.stderr.write(`${m.text()}\n`);
  });
  await page.goto(`${session.origin}/bench.html?${query.toString()}`);
  await page.waitForFunction(() => window.__benchResult !== undefined || /^failed/.test(document.getElementById('status')?.textContent ?? ''), undefined, {
    timeout: 900_000,
  });
  process.stdout.write(`${(await page.locator('#env').textContent()) ?? ''}\n${(await page.locator('#status').textContent()) ?? ''}\n\n`);
  process.stdout.write(`${(await page.locator('#ratios').textContent()) ?? ''}\n`);
  const report = await page.evaluate(() => window.__benchResult);
  const json = arg('--json');
  if (json && report) writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  code = report?.ok ? 0 : 1;
} finally {
  await session.close();
}
process.exit(code);
