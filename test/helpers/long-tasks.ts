/**
 * The explorer's freeze guard: the spans that held a page's main thread, judged against a fixed
 * budget over the longest of the default page measured in the same browser run. Used by
 * test/explorer-guards.browser.test.ts.
 *
 * A span is a task the Long Tasks API reports, or a gap in a 10 ms timer heartbeat, whichever is
 * longer. The heartbeat is needed: Chromium reports no long task for work run from a WebGPU
 * callback (a 2 s hold inside a queue.submit called after an awaited WebGPU promise left no
 * `longtask` entry here, where the same hold in a setTimeout left one), and a freeze is a freeze
 * whichever task queue it came from.
 *
 * What the page promises (docs/bad-inputs.md, docs/explorer.md): a link's or a paste's configs
 * are built and computed first in the preflight worker, so no config holds the page's thread.
 * The page's own status timings are no bound for that: `build` and `evalMs` bracket the very
 * page-thread work a slow config would add, and `preflight` is worker time.
 */
import type { Page } from 'playwright-core';

/**
 * How much longer than the default page's longest task any one task may hold the thread after a
 * link or a paste: 1 s. A config's library work belongs in the worker (which refuses a row after
 * 8 s); what is left on this thread for one edge row is the same kind of work the default
 * 1,000-row page does. A second over that scale is a freeze a user feels, whatever the load.
 */
export const FREEZE_BUDGET_MS = 1000;

/** The longest task allowed after an action, given the default page's longest task (ms). */
export const freezeBound = (baselineMs: number): number => baselineMs + FREEZE_BUDGET_MS;

interface LongTaskLog {
  readonly tasks: { start: number; ms: number }[];
  readonly observer: PerformanceObserver;
  /** Records the heartbeat's gap up to now (also run by the 10 ms timer). */
  readonly beat: () => void;
}

/**
 * Runs in the page (an init script, or an evaluate): records every span over 50 ms that held its
 * main thread, with its start (ms since the page's time origin): each long task (buffered ones
 * too) and each gap between two beats of a 10 ms timer. longTasksSince filters them by start.
 * Self-contained: it runs in the page, so it may not use this module's other names.
 */
export function installLongTaskRecorder(): void {
  const g = globalThis as { __lrLongTasks?: LongTaskLog };
  if (g.__lrLongTasks) return;
  const tasks: { start: number; ms: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) tasks.push({ start: e.startTime, ms: e.duration });
  });
  observer.observe({ type: 'longtask', buffered: true });
  let last = performance.now();
  const beat = (): void => {
    const now = performance.now();
    if (now - last > 50) tasks.push({ start: last, ms: now - last });
    last = now;
  };
  setInterval(beat, 10);
  g.__lrLongTasks = { tasks, observer, beat };
}

/** The page's clock now (ms since its time origin): an action's start, for longTasksSince. */
export const pageNow = (page: Page): Promise<number> => page.evaluate(() => performance.now());

/**
 * The longest task (ms) among those that started at or after `since` on the page's clock, and
 * how many there were (over 50 ms each). Waits one timer turn and takes the observer's pending
 * records first, so a task that just ended is counted.
 */
export async function longTasksSince(page: Page, since: number): Promise<{ longest: number; count: number }> {
  return page.evaluate(async (from) => {
    await new Promise((r) => setTimeout(r, 50));
    const log = (globalThis as { __lrLongTasks?: LongTaskLog }).__lrLongTasks;
    if (!log) throw new Error('installLongTaskRecorder did not run in this page');
    for (const e of log.observer.takeRecords()) log.tasks.push({ start: e.startTime, ms: e.duration });
    log.beat();
    const after = log.tasks.filter((t) => t.start >= from);
    return { longest: after.reduce((m, t) => Math.max(m, t.ms), 0), count: after.length };
  }, since);
}
