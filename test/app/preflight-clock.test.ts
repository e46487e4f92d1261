// The preflight worker's own clock (src/app/preflight.ts timedReporter): a row that took
// longer than the row limit is refused when the next row or phase starts, or at the end,
// whatever the page's timer saw; a row within the limit passes, and each report goes on
// to the page's progress reporter.
import { describe, expect, it } from 'vitest';
import { LateRow, timedReporter, type Phase } from '../../src/app/preflight.ts';

const hold = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* the row's work */ }
};

describe('timedReporter', () => {
  it('passes rows within the limit and forwards every report', () => {
    const seen: [number, Phase][] = [];
    const t = timedReporter((i, p) => seen.push([i, p]), 60_000);
    t.at(0, 'row');
    t.at(1, 'row');
    t.at(0, 'reference');
    t.done();
    expect(seen).toEqual([[0, 'row'], [1, 'row'], [0, 'reference']]);
  });

  it('refuses the row that took longer, naming it and its phase, when the next one starts', () => {
    const t = timedReporter(() => {}, 5);
    t.at(0, 'row');
    t.at(1, 'row');
    hold(20);
    let thrown: unknown;
    try { t.at(2, 'row'); } catch (e) { thrown = e; }
    expect(thrown).toBeInstanceOf(LateRow);
    expect(thrown).toMatchObject({ index: 1, phase: 'row' });
  });

  it('refuses a slow last row at the end (done)', () => {
    const t = timedReporter(() => {}, 5);
    t.at(3, 'reference');
    hold(20);
    expect(() => t.done()).toThrow(LateRow);
  });
});
