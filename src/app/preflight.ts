/**
 * Checks a sweep from outside the page (a shared link, a paste) in a worker before the
 * page builds it: the page's thread never runs a config's library work first, so a
 * config that would take long (or never return) cannot freeze the tab. The worker
 * reports each row and phase as it starts (in a shared progress word when the page is
 * cross-origin isolated, else by a message); a row that takes longer than `rowMs` ends
 * the worker and the config is refused, naming the row, its config and the phase. The
 * page's timer judges a row still running; the worker judges each row it finishes by its
 * own clock ('late'), so a slow row is refused even while the page's thread is too busy
 * for the timer to tick.
 */
import type { SweepDef } from './sweep.ts';

export interface PreflightRequest {
  readonly def: SweepDef;
  /** First row to check (rows before it are on screen already). */
  readonly from: number;
  /**
   * Where the worker reports the row and phase it is at, instead of a message per row (on a
   * SharedArrayBuffer: PROGRESS_* words), when the page can share memory with it.
   */
  readonly progress?: Int32Array;
}

/** What the worker receives: the request and the row limit (ms), which it also judges by its own clock ('late'). */
export type PreflightJob = PreflightRequest & { readonly rowMs: number };

/** The words of PreflightRequest.progress: the row, its phase (PHASE_CODES), and a count of reports. */
export const PROGRESS_ROW = 0;
export const PROGRESS_PHASE = 1;
export const PROGRESS_SEQ = 2;
export const PHASE_CODES: readonly Phase[] = ['row', 'reference'];

export type PreflightReply =
  | { readonly type: 'row'; readonly index: number; readonly phase: Phase }
  /** Every row was built and its GPU support checked (its values and reference follow). */
  | { readonly type: 'built' }
  | { readonly type: 'ok' }
  /** Row `index` took longer than the row limit in `phase`, by the worker's own clock. */
  | { readonly type: 'late'; readonly index: number; readonly phase: Phase }
  | { readonly type: 'error'; readonly field: string; readonly message: string };

/** `row`: building the row, its GPU support check and its values; `reference`: its exact reference values. */
export type Phase = 'row' | 'reference';

const PHASES: Readonly<Record<Phase, string>> = {
  row: 'building it, its GPU support check and its values',
  reference: 'computing its exact reference values',
};

export type PreflightResult =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly field: string; readonly message: string; readonly timedOut: boolean };

/** A row (and phase) that took longer than the row limit, by this worker's own clock. */
export class LateRow {
  constructor(readonly index: number, readonly phase: Phase) {}
}

/**
 * `report` with the worker's own clock on each row and phase: when the next one starts (or
 * `done()` is called) and the one before took longer than `rowMs`, it throws LateRow. The
 * page's timer still ends a row that never finishes; this makes a slow row that does finish
 * refused whatever the page's thread was doing meanwhile (a busy page thread skips the
 * timer's ticks, and the row's 'ok' could come first).
 */
export function timedReporter(report: (index: number, phase: Phase) => void, rowMs: number): { at(index: number, phase: Phase): void; done(): void } {
  let cur: { index: number; phase: Phase; t0: number } | null = null;
  const judge = (): void => {
    if (cur && performance.now() - cur.t0 > rowMs) throw new LateRow(cur.index, cur.phase);
  };
  return {
    at(index, phase) {
      judge();
      report(index, phase);
      cur = { index, phase, t0: performance.now() };
    },
    done: judge,
  };
}

/** Longest a single row may take in the worker (its values are at most 10^6 steps: tens of ms normally). */
export const ROW_LIMIT_MS = 8000;

/** Longest the worker may take to load and report its first row. */
export const START_LIMIT_MS = 15_000;

/**
 * The row limit in force: ROW_LIMIT_MS, or `globalThis.__lrPreflightRowMs` when a test sets
 * it before the page loads (the browser test of the refusal path uses a limit a real row
 * exceeds, since no config of the library is slow on purpose).
 */
export function rowLimitMs(): number {
  const v: unknown = (globalThis as { __lrPreflightRowMs?: unknown }).__lrPreflightRowMs;
  return typeof v === 'number' && v > 0 ? v : ROW_LIMIT_MS;
}

/**
 * Runs the check; resolves (never rejects). `describe(i)` and `path(i)` name row i in a refusal.
 * `onBuilt` runs once every row was built and its GPU support checked in the worker (before
 * their values and exact reference are computed there): from then on building the rows and
 * packing them for the GPU is known to be prompt. `null` when the browser cannot start the
 * worker (the caller then proceeds without it).
 */
export function preflight(
  req: PreflightRequest,
  names: { describe(i: number): string; path(i: number): string },
  rowMs = rowLimitMs(),
  onBuilt?: () => void,
): Promise<PreflightResult> | null {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./preflight-worker.ts', import.meta.url), { type: 'module', name: 'lr-preflight' });
  } catch (e) {
    console.warn('preflight worker unavailable', e);
    return null;
  }
  const t0 = performance.now();
  // Cross-origin isolated (vite.config.ts serves the page so): the worker writes its progress
  // into shared memory and the timer reads it, so 10^5 rows cost no message each.
  const progress = globalThis.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(3 * 4)) : undefined;
  return new Promise<PreflightResult>((resolve) => {
    let current: { index: number; phase: Phase } | null = null;
    let since = performance.now();
    let tick = since;
    let seen = 0;
    const every = Math.min(250, rowMs / 4);
    // One cheap handler per message (10^5 of them for a large sweep), or a read of the shared
    // progress per tick; a coarse timer judges.
    const timer = window.setInterval(() => {
      const now = performance.now();
      const late = now - tick > every + 100; // this thread was busy: messages may still be queued
      tick = now;
      if (progress) {
        // The worker writes the row and phase, then counts the report: a new count means a new row began.
        const seq = Atomics.load(progress, PROGRESS_SEQ);
        if (seq !== seen) {
          seen = seq;
          current = { index: Atomics.load(progress, PROGRESS_ROW), phase: PHASE_CODES[Atomics.load(progress, PROGRESS_PHASE)] ?? 'row' };
          since = now;
          return;
        }
      }
      // Loading the worker's module is not a row: it gets START_LIMIT_MS.
      if (late || now - since <= (current ? rowMs : Math.max(rowMs, START_LIMIT_MS))) return;
      refuse(current);
    }, every);
    const refuse = (c: { index: number; phase: Phase } | null): void => {
      const limit = c ? rowMs : Math.max(rowMs, START_LIMIT_MS);
      const field = c ? names.path(c.index) : 'preflight';
      const what = c ? `${names.describe(c.index)}: ${PHASES[c.phase]}` : 'starting the check';
      finish({ ok: false, field, timedOut: true, message: `${field}: ${what} did not finish within ${limit / 1000} s, so the page does not run it (this config is at an edge the library cannot compute promptly)` });
    };
    const finish = (r: PreflightResult): void => {
      clearInterval(timer);
      worker.terminate();
      resolve(r);
    };
    worker.onmessage = (ev: MessageEvent<PreflightReply>) => {
      const m = ev.data;
      if (m.type === 'row') {
        current = m;
        since = performance.now();
      } else if (m.type === 'built') onBuilt?.();
      else if (m.type === 'ok') finish({ ok: true, ms: performance.now() - t0 });
      else if (m.type === 'late') refuse(m);
      else finish({ ok: false, field: m.field, message: m.message, timedOut: false });
    };
    worker.onerror = (ev) => {
      ev.preventDefault();
      finish({ ok: false, field: 'preflight', message: `preflight: the check failed (${ev.message})`, timedOut: false });
    };
    const job: PreflightJob = progress ? { ...req, progress, rowMs } : { ...req, rowMs };
    worker.postMessage(job);
  });
}
