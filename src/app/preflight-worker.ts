/**
 * The preflight worker: a shared link's or a paste's rows are built and computed
 * here first (construction, the GPU support check, the CPU values over the whole step
 * range, the exact reference at the rows the page verifies), so a config whose
 * library work would take long never runs on the page's thread. The page
 * (preflight.ts) watches the progress messages and stops this worker when one row
 * takes too long.
 */
import { sweepRows, verifyPicks } from './build.ts';
import { createEngine, exactAt, gpuDeclines, type Engine, type Schedule } from './lib.ts';
import { SweepError, stepRange } from './sweep.ts';
import type { PreflightReply, PreflightRequest } from './preflight.ts';

const post = (m: PreflightReply): void => postMessage(m);
let engine: Engine | null = null;

async function check(req: PreflightRequest): Promise<void> {
  const rows = sweepRows(req.def); // validation and caps, before any schedule exists
  const range = stepRange(req.def.steps);
  engine ??= await createEngine(null);
  const from = Math.max(0, Math.min(rows.count, req.from));
  const built: (Schedule | undefined)[] = [];
  for (let i = from; i < rows.count; i++) {
    post({ type: 'row', index: i, phase: 'build' });
    const { schedule } = rows.build(i);
    built[i] = schedule;
    post({ type: 'row', index: i, phase: 'gpu-check' });
    gpuDeclines(schedule, range);
    post({ type: 'row', index: i, phase: 'values' });
    await engine.sweep([schedule], range);
  }
  // The page checks these rows against the exact reference after drawing.
  for (const r of verifyPicks(rows.count, range.count)) {
    const s = built[r];
    if (!s) continue;
    post({ type: 'row', index: r, phase: 'reference' });
    for (let c = 0; c < range.count; c++) exactAt(s, range.start + c * range.stride);
  }
}

onmessage = (ev: MessageEvent<PreflightRequest>) => {
  check(ev.data).then(
    () => post({ type: 'ok' }),
    (e: unknown) => post({ type: 'error', field: e instanceof SweepError ? e.field : '', message: e instanceof Error ? e.message : String(e) }),
  );
};
