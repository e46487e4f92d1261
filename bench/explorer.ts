/**
 * Explorer timings in headless Chromium (WebGPU on SwiftShader): page load → first
 * drawn sweep for 1,000 × 1,001 and 10,000 × 1,000 schedules × steps, the phases of
 * each run, and the hover frame time. Builds the page (vite build), serves it with
 * vite preview.
 *
 *   npx tsx bench/explorer.ts            (RUNS=5 runs per case; HOVER=0 skips the hover
 *                                          frames; EXPLORER_VITE_CONFIG overrides the config)
 *
 * "first draw" is performance.now() (ms since navigation start) once the first sweep
 * is on screen with its final status: the frame submitted and the GPU queue done. The
 * phases are the page's `data-phase-*` attributes on the status line (ms; see
 * docs/benchmarks.md), plus `pageLoad` (navigation start → the module's first line,
 * from `data-phase-page-load`, or the navigation entry's domContentLoadedEventEnd when
 * the page predates the attribute). "hover frame" is one mousemove handler (nearest-
 * curve pick on the CPU copy + highlight frame encode/submit); "hover frame (GPU
 * done)" waits for onSubmittedWorkDone too.
 */
import { loadavg } from 'node:os';
import { startBuiltPage } from '../scripts/chromium.ts';
import type { SweepDef } from '../src/app/sweep.ts';
import { encodeSweepHash } from '../src/app/sweep-link.ts';
import { median } from './stats.ts';

function sweep(targets: number, end: number, stride: number): SweepDef {
  return {
    kind: 'CosineDecay',
    params: {
      initialLearningRate: { mode: 'single', values: [0] },
      decaySteps: { mode: 'single', values: [8000] },
      alpha: { mode: 'list', values: [0, 0.01, 0.05, 0.1, 0.2] },
      warmupTarget: { mode: 'range', from: 1e-4, to: 1e-2, count: targets, spacing: 'log' },
      warmupSteps: { mode: 'list', values: [0, 500, 1000, 2000] },
    },
    steps: { start: 0, end, stride },
    extra: [],
    colorBy: 'warmupTarget',
    yScale: 'log',
  };
}

const cases: { name: string; def: SweepDef }[] = [
  { name: '1,000 × 1,001', def: sweep(50, 1000, 1) },
  { name: '10,000 × 1,000', def: sweep(500, 9990, 10) },
];
const runs = Number(process.env.RUNS ?? 5);
const hover = process.env.HOVER !== '0';
/** The phases, in the order the page runs them. */
const PHASES = ['pageLoad', 'device', 'compile', 'evaluate', 'readback', 'verify', 'draw'] as const;

/** How long one pointer move's frame times are waited for (ms). */
const FRAME_WAIT_MS = 500;

const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(0) : '-');

const load = loadavg().map((x) => x.toFixed(2)).join(' / ');
console.log(`${new Date().toISOString()} load average ${load} (1 / 5 / 15 min), ${runs} runs per case`);
const session = await startBuiltPage('explorer-bench-', process.env.EXPLORER_VITE_CONFIG);
const { browser, origin } = session;

try {
  for (const c of cases) {
    const first: number[] = [];
    const phases: Record<string, number>[] = [];
    const frames: number[] = [];
    const gpuFrames: number[] = [];
    let statusText = '';
    let timingsText = '';
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
      const page = await context.newPage();
      await page.goto(`${origin}/${encodeSweepHash(c.def)}`);
      await page.waitForSelector('[data-testid="status"][data-first-draw-ms]', { timeout: 300_000 });
      const st = await page.getByTestId('status').evaluate((e: HTMLElement) => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        return { text: e.textContent ?? '', data: { ...e.dataset }, domReady: nav?.domContentLoadedEventEnd ?? Number.NaN };
      });
      statusText = st.text;
      timingsText = st.data['timings'] ?? '';
      first.push(Number(st.data['firstDrawMs']));
      const p: Record<string, number> = {};
      const legacy = JSON.parse(timingsText || '{}') as Record<string, number>;
      for (const name of PHASES) {
        const attr = st.data[`phase${name[0]?.toUpperCase()}${name.slice(1)}`];
        p[name] = attr !== undefined ? Number(attr) : name === 'pageLoad' ? st.domReady : name === 'evaluate' ? Number(st.data['evalMs']) : (legacy[name] ?? Number.NaN);
      }
      phases.push(p);
      console.log(`  run ${run + 1}: first draw ${fmt(first.at(-1) as number)} ms; ${PHASES.map((n) => `${n} ${fmt(p[n] as number)}`).join(', ')}`);
      if (hover) {
        // Hover: sweep the mouse across the plot; each row change is one frame.
        await page.locator('#plot').evaluate((e: HTMLElement) => { e.dataset['measure'] = ''; });
        const box = await page.locator('#plot-canvas').boundingBox();
        if (!box) throw new Error('no plot');
        for (let i = 0; i < 40; i++) {
          await page.mouse.move(box.x + box.width * (0.2 + 0.015 * i), box.y + box.height * (0.1 + 0.02 * i));
          // The page handles the move at its next animation frame (moves are coalesced), and the
          // GPU time once the queue is done: both read when written, within FRAME_WAIT_MS (a
          // move that changes no row writes neither), then cleared for the next move.
          const [cpu, gpu] = await page.locator('#plot').evaluate(async (e: HTMLElement, bound: number) => {
            const until = performance.now() + bound;
            while (e.dataset['frameMs'] === undefined && performance.now() < until) await new Promise((r) => requestAnimationFrame(r));
            const ms = e.dataset['frameMs'];
            while (ms !== undefined && e.dataset['frameGpuMs'] === undefined && performance.now() < until) await new Promise((r) => requestAnimationFrame(r));
            const gpuMs = e.dataset['frameGpuMs'];
            delete e.dataset['frameMs'];
            delete e.dataset['frameGpuMs'];
            return [ms, gpuMs];
          }, FRAME_WAIT_MS);
          if (cpu !== undefined) frames.push(Number(cpu));
          if (gpu !== undefined) gpuFrames.push(Number(gpu));
        }
      }
      await context.close();
    }
    const med = Object.fromEntries(PHASES.map((n) => [n, median(phases.map((p) => p[n] as number))]));
    console.log(`${c.name}: load→first draw median ${fmt(median(first))} ms (runs: ${first.map(fmt).join(', ')})`);
    console.log(`  phase medians (ms): ${PHASES.map((n) => `${n} ${fmt(med[n] as number)}`).join(', ')}`);
    if (hover) {
      console.log(`  hover frame median ${median(frames).toFixed(2)} ms (n=${frames.length}, max ${Math.max(...frames).toFixed(2)}); ` +
        `until GPU done median ${median(gpuFrames).toFixed(2)} ms (n=${gpuFrames.length})`);
    }
    console.log(`  status: ${statusText}`);
    console.log(`  data-timings of the last run (ms): ${timingsText}`);
  }
} finally {
  await session.close();
  console.log(`load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' / ')}`);
}
