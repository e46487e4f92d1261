/**
 * Issue L.2, bounded work: host-side work of a call (packing and restart tables during the
 * GPU preparation, the CPU backend's loop, the CPU fallback of a GPU evaluator) checks the
 * call's AbortSignal and yields to the event loop, so an abort from a timer or from a
 * callback lands while that work runs and the call rejects with the signal's reason.
 * No timings are asserted: the tests count how much work ran after the abort.
 */
import { describe, expect, it } from 'vitest';
import { CosineDecay, CosineDecayRestarts, createEvaluator, type EvaluatorSchedule } from '../../src/index.ts';
import { requireDevice } from '../helpers/gpu.ts';
import { mixedSchedules } from '../helpers/schedules.ts';

/** A CosineDecayRestarts (t_mul 1.2: a table of ~40 periods for steps < 10^5) that counts period() calls and may act on them. */
function watched(i: number, onPeriod: () => void = () => undefined): { schedule: EvaluatorSchedule; calls: () => number } {
  const real = new CosineDecayRestarts({ initialLearningRate: 0.1 + i / 1000, firstDecaySteps: 10, tMul: 1.2 });
  let calls = 0;
  const schedule = {
    kind: real.kind,
    config: real.config,
    at: (s: number) => real.at(s),
    fill: (st: Parameters<typeof real.fill>[0], out: Float32Array) => real.fill(st, out),
    periodIndex: (s: number) => real.periodIndex(s),
    period: (k: number) => {
      calls++;
      onPeriod();
      return real.period(k);
    },
  } as EvaluatorSchedule;
  return { schedule, calls: () => calls };
}

const rejection = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => 'resolved',
    (e: unknown) => e,
  );

describe('an abort lands during long host-side work', () => {
  it('CPU backend: a big sweep aborted from a timer rejects with the signal’s reason', async () => {
    const ev = await createEvaluator({ backend: 'cpu' });
    const ac = new AbortController();
    const reason = new Error('stop the sweep');
    const aborted = ev.sweep(mixedSchedules(), { start: 0, count: 2 ** 21 }, { signal: ac.signal });
    setTimeout(() => ac.abort(reason), 0);
    expect(await rejection(aborted)).toBe(reason);
    // Aborted from the first progress report (a callback inside the loop).
    const ac2 = new AbortController();
    let reports = 0;
    const err = await rejection(ev.sweep(mixedSchedules(), { start: 0, count: 2 ** 21 }, { signal: ac2.signal, onProgress: () => ++reports === 1 && ac2.abort('second') }));
    expect(err).toBe('second');
    expect(reports).toBe(1);
    // The evaluator still works.
    expect((await ev.evaluate(mixedSchedules()[0]!, { start: 0, count: 10 }, { verify: 'all' })).verification?.ok).toBe(true);
    ev.destroy();
  });

  it('CPU backend: a sweep of slow schedules (1 ms a fill, 200 rows of one step) stops at an abort from a timer before the last row', async () => {
    const ev = await createEvaluator({ backend: 'cpu' });
    const real = mixedSchedules()[4]!;
    let fills = 0;
    const slow: EvaluatorSchedule = {
      kind: real.kind,
      config: real.config,
      at: (s: number) => real.at(s),
      fill: (st, out) => {
        fills++;
        const until = performance.now() + 1;
        while (performance.now() < until) {
          /* busy */
        }
        return real.fill(st, out);
      },
    } as EvaluatorSchedule;
    const ac = new AbortController();
    const reason = new Error('stop the slow rows');
    const p = ev.sweep(Array.from({ length: 200 }, () => slow), [5], { signal: ac.signal });
    setTimeout(() => ac.abort(reason), 0);
    expect(await rejection(p)).toBe(reason);
    expect(fills).toBeLessThan(200);
    ev.destroy();
  });

  it("'auto' GPU evaluator: the CPU fallback of an unsupported config stops at an abort from a timer", async () => {
    const { device } = await requireDevice();
    const ev = await createEvaluator({ backend: 'auto', device });
    const odd = Array.from({ length: 8 }, (_, i) => new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 + i, alpha: 3 }));
    const ac = new AbortController();
    const reason = new Error('stop the fallback');
    const p = ev.sweep(odd, { start: 0, count: 2 ** 21 }, { signal: ac.signal });
    setTimeout(() => ac.abort(reason), 0);
    expect(await rejection(p)).toBe(reason);
    expect((await ev.evaluate(odd[0]!, { start: 0, count: 100 }, { verify: 'all' })).backend).toBe('cpu');
    ev.destroy();
  });

  it('GPU preparation: an abort while schedule #2 is packed stops packing at the end of its chunk (a few ms of work)', async () => {
    const { device } = await requireDevice();
    const ev = await createEvaluator({ backend: 'webgpu', device });
    const ac = new AbortController();
    const reason = new Error('stop the packing');
    const ws = Array.from({ length: 50 }, (_, i) => watched(i, i === 2 ? () => ac.abort(reason) : undefined));
    const err = await rejection(ev.sweep(ws.map((w) => w.schedule), { start: 0, count: 100_000 }, { signal: ac.signal }));
    expect(err).toBe(reason);
    expect(ws[2]!.calls()).toBeGreaterThan(0);
    // Schedules are packed in chunks of 1, 2, 4, … (while each takes < 1 ms): #2 ends the second.
    expect(ws.slice(8).map((w) => w.calls())).toEqual(ws.slice(8).map(() => 0));
    ev.destroy();
  });

  it('GPU preparation yields: an abort from a timer lands before the last of 100 slow schedules is packed', async () => {
    const { device } = await requireDevice();
    const ev = await createEvaluator({ backend: 'webgpu', device });
    const ac = new AbortController();
    const reason = new Error('stop the slow packing');
    let armed = false;
    // Each period() spins for 0.1 ms of wall time: ~40 periods make each schedule ≥ 4 ms of synchronous work.
    const spin = (): void => {
      if (!armed) {
        armed = true;
        setTimeout(() => ac.abort(reason), 0);
      }
      const until = performance.now() + 0.1;
      while (performance.now() < until) {
        /* busy */
      }
    };
    const ws = Array.from({ length: 100 }, (_, i) => watched(i, spin));
    const err = await rejection(ev.sweep(ws.map((w) => w.schedule), { start: 0, count: 100_000 }, { signal: ac.signal }));
    expect(err).toBe(reason);
    expect(ws.at(-1)!.calls()).toBe(0);
    // 'destroy()' during preparation rejects with EvaluatorDestroyedError the same way.
    const ev2 = await createEvaluator({ backend: 'webgpu', device });
    let destroyed = false;
    const ws2 = Array.from({ length: 20 }, (_, i) =>
      watched(i, () => {
        if (!destroyed) {
          destroyed = true;
          setTimeout(() => ev2.destroy(), 0);
        }
        const until = performance.now() + 0.1;
        while (performance.now() < until) {
          /* busy */
        }
      }),
    );
    expect(await rejection(ev2.sweep(ws2.map((w) => w.schedule), { start: 0, count: 100_000 }))).toMatchObject({ name: 'EvaluatorDestroyedError' });
    ev.destroy();
  });
});
