import { describe, expect, it } from 'vitest';
import { cpuEvaluate, type FillableSchedule } from '../../src/cpu/index.ts';
import type { Steps } from '../../src/schedules/types.ts';
import { sliceSteps, stepAt, stepsLength } from '../../src/schedules/steps.ts';

/** A schedule stand-in whose value is row-tagged and exact in float32: 1000 · tag + step. */
function tagged(tag: number, calls: number[] = []): FillableSchedule {
  return {
    kind: 'ExponentialDecay',
    fill(steps: Steps, out: Float32Array) {
      calls.push(stepsLength(steps));
      for (let i = 0; i < out.length; i++) out[i] = 1000 * tag + stepAt(steps, i);
      return out;
    },
  };
}

describe('cpu backend (fill per row into a subarray)', () => {
  it('fills an M × N sweep row-major, one fill per row', async () => {
    const calls: number[] = [];
    const out = new Float32Array(3 * 5);
    await cpuEvaluate([tagged(1, calls), tagged(2, calls), tagged(3, calls)], { start: 10, count: 5, stride: 2 }, out);
    expect(calls).toEqual([5, 5, 5]);
    expect([...out.subarray(5, 10)]).toEqual([2010, 2012, 2014, 2016, 2018]);
  });

  it('slices long rows, reporting progress, for lists and ranges', async () => {
    const calls: number[] = [];
    const progress: [number, number][] = [];
    const list = [5, 4, 3, 2, 1, 0, 9];
    const out = new Float32Array(14);
    await cpuEvaluate([tagged(0, calls), tagged(1, calls)], list, out, { sliceElements: 3, onProgress: (d, t) => progress.push([d, t]) });
    expect(calls).toEqual([3, 3, 1, 3, 3, 1]);
    expect([...out]).toEqual([...list, ...list.map((s) => 1000 + s)]);
    expect(progress.at(-1)).toEqual([14, 14]);
    for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThan(progress[i - 1]![0]);
    expect(sliceSteps(Uint32Array.of(1, 2, 3, 4), 1, 2)).toEqual(Uint32Array.of(2, 3));
    expect(sliceSteps({ start: 4, count: 100, stride: 3 }, 10, 5)).toEqual({ start: 34, count: 5, stride: 3 });
  });

  it('stops between slices when aborted', async () => {
    const ac = new AbortController();
    const out = new Float32Array(100);
    const p = cpuEvaluate([tagged(0)], { start: 0, count: 100 }, out, { sliceElements: 10, signal: ac.signal, onProgress: (d) => d >= 30 && ac.abort() });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});
