/**
 * The preflight worker: a shared link's or a paste's rows are built and computed
 * here first (construction, the GPU support check, the CPU values over the whole step
 * range, the exact reference at the rows the page verifies), so a config whose
 * library work would take long never runs on the page's thread. The page
 * (preflight.ts) watches the progress (shared words, or a message per row) and stops this
 * worker when one row takes too long.
 */
import { sweepRows, verifyPicks } from './build.ts';
import { exactAt, fillRow, gpuDeclines, type Schedule } from './lib.ts';
import { SweepError, stepRange } from './sweep.ts';
import { LateRow, PHASE_CODES, PROGRESS_PHASE, PROGRESS_ROW, PROGRESS_SEQ, timedReporter, type Phase, type PreflightJob, type PreflightReply } from './preflight.ts';

const post = (m: PreflightReply): void => postMessage(m);

/** Reports that row `index` starts `phase`: in the shared progress words when the page gave them, else by a message. */
function reporter(progress: Int32Array | undefined): (index: number, phase: Phase) => void {
  if (!progress) return (index, phase) => post({ type: 'row', index, phase });
  return (index, phase) => {
    Atomics.store(progress, PROGRESS_ROW, index);
    Atomics.store(progress, PROGRESS_PHASE, PHASE_CODES.indexOf(phase));
    Atomics.add(progress, PROGRESS_SEQ, 1);
  };
}

function check(req: PreflightJob): void {
  const timed = timedReporter(reporter(req.progress), req.rowMs);
  const at = timed.at;
  const rows = sweepRows(req.def); // validation and caps, before any schedule exists
  const range = stepRange(req.def.steps);
  const out = new Float32Array(range.count);
  const from = Math.max(0, Math.min(rows.count, req.from));
  const built: (Schedule | undefined)[] = [];
  // Each row is built and its GPU support checked first: once every row has passed that,
  // the page may build the rows and pack them for the GPU ('built') while their values are
  // computed here. One report per row and pass (without shared memory a message each: 10^5
  // rows, 10^5 messages a pass; one per phase and row tripled the check's time).
  for (let i = from; i < rows.count; i++) {
    at(i, 'row');
    const { schedule } = rows.build(i);
    built[i] = schedule;
    gpuDeclines(schedule, range);
  }
  post({ type: 'built' });
  for (let i = from; i < rows.count; i++) {
    at(i, 'row');
    fillRow(built[i] as Schedule, range, out);
  }
  // The page checks these rows against the exact reference after drawing.
  for (const r of verifyPicks(rows.count, range.count)) {
    const s = built[r];
    if (!s) continue;
    at(r, 'reference');
    for (let c = 0; c < range.count; c++) exactAt(s, range.start + c * range.stride);
  }
  timed.done();
}

onmessage = (ev: MessageEvent<PreflightJob>) => {
  try {
    check(ev.data);
    post({ type: 'ok' });
  } catch (e) {
    if (e instanceof LateRow) post({ type: 'late', index: e.index, phase: e.phase });
    else post({ type: 'error', field: e instanceof SweepError ? e.field : '', message: e instanceof Error ? e.message : String(e) });
  }
};
