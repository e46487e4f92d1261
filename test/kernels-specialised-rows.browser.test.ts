/**
 * The one-row entry points in headless Chromium (its own Dawn and Tint): a mixed sweep and a
 * single row on the one-row path (rowPathMinCols 1) write the bits of the spanning path
 * (rowPathMinCols Infinity), over a range and a step list, readback and a buffer, and every
 * value is within its bound (verify 'all'); every call reports the path it took (every
 * dispatch a one-row one, or none) and no CPU fallback. Node runs the same checks in
 * test/kernels-specialised-rows.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowser, type BrowserSession } from './helpers/browser.ts';
import { FLAG_PATH_CONFIGS } from './helpers/gpu-flag-configs.ts';

let session: BrowserSession;
beforeAll(async () => {
  session = await startBrowser();
});
afterAll(async () => {
  await session?.close();
});

/** Every flag-path config of every kind, as [kind, config] (serialisable into the page). */
const ROWS = Object.entries(FLAG_PATH_CONFIGS).flatMap(([kind, configs]) => configs.map((c) => [kind, c] as const));

describe('the one-row entry points in Chromium', () => {
  it('write the bits of the spanning entry points, within the bound, readback and buffer', async () => {
    const page = await session.newPage();
    await page.goto(`${session.origin}/test/helpers/blank.html`);
    // The library from the dev server, as a module script (page.evaluate's own code is not served by Vite).
    await page.addScriptTag({ type: 'module', content: "import * as lib from '/src/index.ts'; window.lrLib = lib;" });
    await page.waitForFunction(() => 'lrLib' in window);
    const result = await page.evaluate(async (rows) => {
      const lib = (window as unknown as { lrLib: typeof import('../src/index.ts') }).lrLib;
      const schedules = rows.map(([kind, c]) => lib.createSchedule(kind as never, c as never));
      const range = { start: 3, count: 3000, stride: 7 };
      const list = Uint32Array.from({ length: 2000 }, (_, i) => (i * 2654435761) % 4294967291);
      const bits = (f: Float32Array): number[] => Array.from(new Uint32Array(f.buffer, f.byteOffset, f.length));
      const out: Record<string, number[]> = {};
      const checks: boolean[] = [];
      const paths: string[] = [];
      for (const [name, min] of [['row', 1], ['spanning', Infinity]] as const) {
        const ev = await lib.createEvaluator({ backend: 'webgpu', limits: { rowPathMinCols: min, maxChunkElements: 1100 } });
        const r = await ev.sweep(schedules, range, { verify: 'all' });
        const l = await ev.sweep(schedules, list, { verify: 'all' });
        const one = await ev.sweep([schedules[0]!], list);
        checks.push(r.verification?.ok === true, l.verification?.ok === true);
        const buf = await ev.sweepToBuffer(schedules, range);
        // Each report: on the GPU alone (no fallback), and every dispatch (row) or none (spanning) a one-row one.
        for (const [what, rep] of [['range', r], ['list', l], ['one row', one], ['buffer', ev.lastBufferReport]] as const) {
          const st = rep?.gpuStats;
          paths.push(`${name} ${what}: ${rep?.backend} ${rep?.fallbackReason ?? 'no fallback'} ${st !== undefined && st.dispatches > 0 && st.rowDispatches === (name === 'row' ? st.dispatches : 0)}`);
        }
        const device = ev.device!;
        const staging = device.createBuffer({ size: buf.size, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
        const enc = device.createCommandEncoder();
        enc.copyBufferToBuffer(buf, 0, staging, 0, buf.size);
        device.queue.submit([enc.finish()]);
        await staging.mapAsync(GPUMapMode.READ);
        const fromBuffer = new Float32Array(staging.getMappedRange().slice(0));
        staging.destroy();
        buf.destroy();
        out[name] = [...bits(r.values), ...bits(l.values), ...bits(one.values), ...bits(fromBuffer)];
        ev.destroy();
      }
      return { row: out.row!, spanning: out.spanning!, checks, paths };
    }, ROWS);
    expect(result.checks.every((c) => c)).toBe(true);
    const want = ['row', 'spanning'].flatMap((p) => ['range', 'list', 'one row', 'buffer'].map((w) => `${p} ${w}: webgpu no fallback true`));
    expect(result.paths).toEqual(want);
    expect(result.row.length).toBe(ROWS.length * 3000 * 2 + ROWS.length * 2000 + 2000);
    expect(result.row).toEqual(result.spanning);
  }, 120_000);
});
