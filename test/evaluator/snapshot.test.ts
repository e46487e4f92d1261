/**
 * Issue L.5, races: a call's inputs (the step list, the schedules array, each schedule's
 * kind and config, the options object) are copied and validated once, when the call is
 * made. A caller that changes them afterwards (in a microtask, from onProgress, while
 * the call waits in the evaluator's queue) must get the values of the inputs as they
 * were at the call, within the accuracy bound (verify() 'all' against a pristine copy).
 */
import { describe, expect, it } from 'vitest';
import { CosineDecay, ExponentialDecay, createEvaluator, verify, type Evaluator, type EvaluatorSchedule } from '../../src/index.ts';
import { requireDevice } from '../helpers/gpu.ts';
import { EDGE_STEPS, mixedSchedules } from '../helpers/schedules.ts';

const exp = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 });

describe.each(['webgpu', 'cpu'] as const)('inputs are snapshotted at the call (%s)', (backend) => {
  const make = async (limits = {}): Promise<Evaluator> =>
    createEvaluator({ backend, limits, ...(backend === 'webgpu' ? { device: (await requireDevice()).device } : {}) });

  it('a step list mutated in a microtask after a mixed-kind sweep starts does not reach later kind groups', async () => {
    const ev = await make();
    const ss = mixedSchedules();
    const original = [...EDGE_STEPS];
    const steps = [...original];
    const p = ev.sweep(ss, steps, { verify: 'all' });
    queueMicrotask(() => steps.fill(-1));
    void Promise.resolve().then(() => (steps[3] = 2 ** 40));
    const r = await p;
    expect(r.backend).toBe(backend);
    expect(r.verification).toMatchObject({ ok: true, checked: ss.length * original.length });
    expect(verify(ss, original, r.values, { mode: 'all' }).ok).toBe(true);
    const fresh = await ev.sweep(ss, original);
    expect(r.values).toEqual(fresh.values);
    ev.destroy();
  });

  it('a typed step list and the schedules array changed from onProgress leave the call as it was', async () => {
    const ev = await make({ readbackBatchBytes: 4096, maxStorageBufferBindingSize: 4096 });
    const ss = mixedSchedules();
    const arr = [...ss];
    // The CPU reports progress every 2^20 values or 10 ms, whichever comes first: the schedules ×
    // 140,000 steps pass 2^20 however fast the fill loops are, so onProgress runs mid-call on any machine.
    const original = Uint32Array.from({ length: backend === 'cpu' ? 140_000 : 3000 }, (_, i) => (i * 7919) % 5000);
    const steps = original.slice();
    let calls = 0;
    const r = await ev.sweep(arr, steps, {
      verify: 'all',
      onProgress: () => {
        calls++;
        steps.fill(2 ** 32 - 1);
        arr.reverse();
        arr.length = 1;
      },
    });
    expect(calls).toBeGreaterThan(1);
    expect(r.rows).toBe(ss.length);
    expect(r.verification?.ok).toBe(true);
    expect(verify(ss, original, r.values, { mode: 'all' }).ok).toBe(true);
    expect(r.values).toEqual((await ev.sweep(ss, original)).values);
    ev.destroy();
  });

  it("a schedule's kind and config reassigned after the call are not read", async () => {
    const ev = await make();
    const a = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 });
    const b = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 });
    const other = new CosineDecay({ initialLearningRate: 5, decaySteps: 3 });
    const steps = { start: 0, count: 1200 };
    // b in the second kind group: on the GPU it is packed after the first group's await.
    const expected = (await ev.sweep([exp, a], steps)).values;
    const p = ev.sweep([exp, b], steps, { verify: 'all' });
    queueMicrotask(() => {
      Object.defineProperty(b, 'config', { value: other.config, configurable: true, writable: true });
      Object.defineProperty(b, 'kind', { value: 'PolynomialDecay', configurable: true, writable: true });
    });
    const r = await p;
    expect(r.values).toEqual(expected);
    expect(r.verification?.ok).toBe(true);
    ev.destroy();
  });

  it('a queued call keeps the inputs of its call, not those when it starts', async () => {
    const ev = await make();
    const ss = mixedSchedules();
    const first = ev.sweep(ss, { start: 0, count: 2 ** 16 });
    const original = [0, 1, 99, 100, 101, 2 ** 24 + 1];
    const steps = [...original];
    const range = { start: 10, count: 50, stride: 3 };
    const options = { verify: 'all' as 'all' | 'none' };
    const queuedList = ev.sweep(ss, steps, options);
    const queuedRange = ev.evaluate(exp, range, options);
    steps[0] = -1;
    steps.push(7);
    range.count = 0;
    range.stride = 0.5;
    options.verify = 'none';
    await first;
    const rl = await queuedList;
    expect(rl.cols).toBe(original.length);
    expect(rl.verification?.ok).toBe(true);
    expect(verify(ss, original, rl.values, { mode: 'all' }).ok).toBe(true);
    const rr = await queuedRange;
    expect(rr.cols).toBe(50);
    expect(rr.verification?.ok).toBe(true);
    expect(verify([exp], { start: 10, count: 50, stride: 3 }, rr.values, { mode: 'all' }).ok).toBe(true);
    ev.destroy();
  });

  it('an options object whose signal and onProgress are swapped after the call is read once', async () => {
    const ev = await make({ readbackBatchBytes: 4096 });
    const aborted = AbortSignal.abort(new Error('not this call'));
    const seen: number[] = [];
    const options: { signal?: AbortSignal; onProgress?: (d: number) => void } = { onProgress: (d) => seen.push(d) };
    const p = ev.evaluate(exp, { start: 0, count: 5000 }, options);
    options.signal = aborted;
    options.onProgress = () => {
      throw new Error('not this callback');
    };
    const r = await p;
    expect(seen.at(-1)).toBe(5000);
    expect(verify([exp], { start: 0, count: 5000 }, r.values, { mode: 'all' }).ok).toBe(true);
    ev.destroy();
  });

  it('reads each element of a list once: a list whose elements change on every read gives the first read', async () => {
    const ev = await make();
    const first = [3, 50, 700, 2 ** 20];
    const reads = first.map(() => 0);
    const tricky = new Proxy(first, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) {
          const i = Number(key);
          return reads[i]!++ === 0 ? target[i] : -1;
        }
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const r = await ev.evaluate(exp, tricky, { verify: 'all' });
    expect(reads).toEqual([1, 1, 1, 1]);
    expect(verify([exp], first, r.values, { mode: 'all' }).ok).toBe(true);
    ev.destroy();
  });

  it('stream() snapshots its list when called: changes before and between chunks do not reach later chunks', async () => {
    const ev = await make();
    const s: EvaluatorSchedule = mixedSchedules()[2]!;
    const original = Array.from({ length: 1000 }, (_, i) => 3 * i + 1);
    const steps = [...original];
    const it = ev.stream(s, steps, { chunkSteps: 300 });
    steps.fill(-1);
    const got = new Float32Array(1000);
    for await (const chunk of it) {
      steps.reverse();
      expect(chunk.step).toBe(original[chunk.start]);
      got.set(chunk.values, chunk.start);
    }
    expect(verify([s], original, got, { mode: 'all' }).ok).toBe(true);
    ev.destroy();
  });

  it('checks the options object once at the call, naming the field', async () => {
    const ev = await make();
    const steps = { start: 0, count: 10 };
    await expect(ev.evaluate(exp, steps, { onProgress: 5 } as never)).rejects.toMatchObject({ name: 'EvaluatorInputError', field: 'onProgress' });
    await expect(ev.evaluate(exp, steps, { signal: {} } as never)).rejects.toMatchObject({ name: 'EvaluatorInputError', field: 'signal' });
    await expect(ev.evaluate(exp, steps, { verify: 'some' } as never)).rejects.toMatchObject({ name: 'EvaluatorInputError', field: 'verify' });
    await expect(ev.evaluate(exp, steps, null as never)).rejects.toMatchObject({ name: 'EvaluatorInputError', field: 'options' });
    expect((await ev.evaluate(exp, steps, { verify: 'all' })).verification?.ok).toBe(true);
    ev.destroy();
  });
});
