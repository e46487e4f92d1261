/**
 * The preflight worker: a shared link's or a paste's rows are built and computed
 * here first (construction, the GPU support check, the CPU values over the whole step
 * range, the exact reference at the rows the page verifies), so a config whose
 * library work would take long never runs on the page's thread. The page
 * (preflight.ts) watches the progress messages and stops this worker when one row
 * takes too long.
 */
import { sweepRows, verifyPicks } from './build.ts';
import { exactAt, fillRow, gpuDeclines, type Schedule } from './lib.ts';
import { SweepError, stepRange } from './sweep.ts';
import type { PreflightReply, PreflightRequest } from './preflight.ts';

const post = (m: PreflightReply): void => postMessage(m);

function check(req: PreflightRequest): void {
  const rows = sweepRows(req.def); // validation and caps, before any schedule exists
  const range = stepRange(req.def.steps);
  const out = new Float32Array(range.count);
  const from = Math.max(0, Math.min(rows.count, req.from));
  const built: (Schedule | undefined)[] = [];
  // Each row is built and its GPU support checked first: once every row has passed that,
  // the page may build the rows and pack them for the GPU ('built') while their values are
  // computed here. One message per row and pass (10^5 rows: 10^5 messages a pass; one per
  // phase and row tripled the check's time).
  for (let i = from; i < rows.count; i++) {
    post({ type: 'row', index: i, phase: 'row' });
    const { schedule } = rows.build(i);
    built[i] = schedule;
    gpuDeclines(schedule, range);
  }
  post({ type: 'built' });
  for (let i = from; i < rows.count; i++) {
    post({ type: 'row', index: i, phase: 'row' });
    fillRow(built[i] as Schedule, range, out);
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
  try {
    check(ev.data);
    post({ type: 'ok' });
  } catch (e) {
    post({ type: 'error', field: e instanceof SweepError ? e.field : '', message: e instanceof Error ? e.message : String(e) });
  }
};
