/**
 * Checks a sweep from outside the page (a shared link, a paste) in a worker before the
 * page builds it: the page's thread never runs a config's library work first, so a
 * config that would take long (or never return) cannot freeze the tab. The worker
 * reports each row and phase as it starts; a row that takes longer than `rowMs` ends
 * the worker and the config is refused, naming the row, its config and the phase.
 */
import type { SweepDef } from './sweep.ts';

export interface PreflightRequest {
  readonly def: SweepDef;
  /** First row to check (rows before it are on screen already). */
  readonly from: number;
}

export type PreflightReply =
  | { readonly type: 'row'; readonly index: number; readonly phase: Phase }
  | { readonly type: 'ok' }
  | { readonly type: 'error'; readonly field: string; readonly message: string };

export type Phase = 'build' | 'gpu-check' | 'values' | 'reference';

const PHASES: Readonly<Record<Phase, string>> = {
  build: 'building it',
  'gpu-check': 'the GPU support check',
  values: 'computing its values',
  reference: 'computing its exact reference values',
};

export type PreflightResult =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly field: string; readonly message: string; readonly timedOut: boolean };

/** Longest a single row may take in the worker (its values are at most 10^6 steps: tens of ms normally). */
export const ROW_LIMIT_MS = 8000;

/**
 * Runs the check; resolves (never rejects). `describe(i)` and `path(i)` name row i in a refusal.
 * `null` when the browser cannot start the worker (the caller then proceeds without it).
 */
export function preflight(
  req: PreflightRequest,
  names: { describe(i: number): string; path(i: number): string },
  rowMs = ROW_LIMIT_MS,
): Promise<PreflightResult> | null {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./preflight-worker.ts', import.meta.url), { type: 'module', name: 'lr-preflight' });
  } catch (e) {
    console.warn('preflight worker unavailable', e);
    return null;
  }
  const t0 = performance.now();
  return new Promise<PreflightResult>((resolve) => {
    let current: { index: number; phase: Phase } | null = null;
    let timer = 0;
    const finish = (r: PreflightResult): void => {
      clearTimeout(timer);
      worker.terminate();
      resolve(r);
    };
    const arm = (): void => {
      clearTimeout(timer);
      timer = window.setTimeout(() => {
        const c = current;
        const field = c ? names.path(c.index) : 'preflight';
        const what = c ? `${names.describe(c.index)}: ${PHASES[c.phase]}` : 'starting the check';
        finish({ ok: false, field, timedOut: true, message: `${field}: ${what} did not finish within ${rowMs / 1000} s, so the page does not run it (this config is at an edge the library cannot compute promptly)` });
      }, rowMs);
    };
    worker.onmessage = (ev: MessageEvent<PreflightReply>) => {
      const m = ev.data;
      if (m.type === 'row') {
        current = { index: m.index, phase: m.phase };
        arm();
      } else if (m.type === 'ok') finish({ ok: true, ms: performance.now() - t0 });
      else finish({ ok: false, field: m.field, message: m.message, timedOut: false });
    };
    worker.onerror = (ev) => {
      ev.preventDefault();
      finish({ ok: false, field: 'preflight', message: `preflight: the check failed (${ev.message})`, timedOut: false });
    };
    arm();
    worker.postMessage(req);
  });
}
