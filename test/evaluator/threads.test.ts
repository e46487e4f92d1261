/**
 * createEvaluator's `threads` option (src/api/cpu-threads.ts, the pool in src/cpu/pool*.ts):
 * a CPU evaluator on worker threads gives the bits of the one-thread evaluator for configs of
 * every kind (the fuzz arbitraries and the bench's mixed sweep), Sequences, step lists, strided
 * ranges from large starts, one long row, stream(), and a second call with the same
 * schedules; an abort mid-call and destroy() mid-call reject and leave nothing running; a bad
 * `threads` is a FieldError naming the field. No timing.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepConfig } from '../../bench/configs.ts';
import { CosineDecay, createEvaluator, createSchedule, EvaluatorDestroyedError, EvaluatorInputError, FieldError, PolynomialDecay, Sequence, type Evaluator, type EvaluatorInput, type ScheduleKind, type Steps } from '../../src/index.ts';
import { MIN_POOL_VALUES } from '../../src/api/cpu-threads.ts';
import { anyConfig, build } from '../fuzz/arbitraries.ts';

const one = await createEvaluator({ backend: 'cpu' });
const three = await createEvaluator({ backend: 'cpu', threads: 3 });
afterAll(() => {
  one.destroy();
  three.destroy();
});

/** Index and values of the first element where a and b differ as bits (Object.is), or null. */
function firstDifference(a: Float32Array, b: Float32Array): string | null {
  if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return `element ${i}: ${a[i]} and ${b[i]}`;
  return null;
}

async function expectSameBits(schedules: readonly EvaluatorInput[], steps: Steps, ev: Evaluator = three): Promise<void> {
  const want = await one.sweep(schedules, steps);
  const got = await ev.sweep(schedules, steps);
  expect(got.values.length * 1).toBeGreaterThanOrEqual(MIN_POOL_VALUES);
  expect(got.cpuThreads, 'the call ran on the workers').toBe(3);
  expect(want.cpuThreads).toBeUndefined();
  expect(firstDifference(got.values, want.values)).toBeNull();
}

const seq = (): Sequence =>
  new Sequence({
    pieces: [
      { begin: 0, schedule: new PolynomialDecay({ initialLearningRate: 0, decaySteps: 100, endLearningRate: 0.1 }) },
      { begin: 100, schedule: new CosineDecay({ initialLearningRate: 0.1, decaySteps: 900 }) },
    ],
  });

describe('a threaded CPU evaluator gives the bits of the one-thread evaluator', () => {
  it('for 600 random configs of every kind (the fuzz arbitraries), at 1,000 steps', async () => {
    const configs = fc.sample(anyConfig, { numRuns: 600, seed: 15 });
    await expectSameBits(configs.map(build), { start: 0, count: 1000 });
  });

  it('for random configs at a strided range from a large start and at a step list past 2^32', async () => {
    const schedules = fc.sample(anyConfig, { numRuns: 200, seed: 16 }).map(build);
    await expectSameBits(schedules, { start: 2 ** 40, count: 400, stride: 12345 });
    const list = Array.from({ length: 500 }, (_, i) => (i % 5 === 0 ? 2 ** 33 + i * 977 : (i * 7919) % 100_000));
    await expectSameBits(schedules, list);
    await expectSameBits(schedules, Uint32Array.from({ length: 500 }, (_, i) => (i * 104_729) % 2 ** 31));
  });

  it('for the bench’s mixed sweep with Sequences among the rows (filled on the calling thread), twice', async () => {
    const rows: EvaluatorInput[] = Array.from({ length: 400 }, (_, r) => {
      const c = sweepConfig(r, 500);
      return r % 50 === 7 ? seq() : createSchedule(c.kind as ScheduleKind, c.config as never);
    });
    await expectSameBits(rows, { start: 0, count: 500 });
    await expectSameBits(rows, { start: 3, count: 333 });
  });

  it('for one long row split into step chunks, by evaluate() and by stream()', async () => {
    const s = new CosineDecay({ initialLearningRate: 0, decaySteps: 900_000, warmupTarget: 0.1, warmupSteps: 60_000, alpha: 0.01 });
    const want = await one.evaluate(s, { start: 0, count: 1_000_000 });
    const got = await three.evaluate(s, { start: 0, count: 1_000_000 });
    expect(got.cpuThreads).toBe(3);
    expect(firstDifference(got.values, want.values)).toBeNull();
    const chunks: Float32Array[] = [];
    for await (const c of three.stream(s, { start: 0, count: 1_000_000 }, { chunkSteps: 300_000 })) chunks.push(c.values);
    const joined = new Float32Array(1_000_000);
    let at = 0;
    for (const c of chunks) {
      joined.set(c, at);
      at += c.length;
    }
    expect(firstDifference(joined, want.values)).toBeNull();
  });

  it('and a call below the pool’s minimum stays on the calling thread', async () => {
    const r = await three.evaluate(new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100 }), { start: 0, count: MIN_POOL_VALUES - 1 });
    expect(r.cpuThreads).toBeUndefined();
  });
});

describe('abort and destroy on the worker threads', () => {
  const big = Array.from({ length: 3000 }, (_, r) => createSchedule('PolynomialDecay', { initialLearningRate: 0.1, decaySteps: 500 + r, power: 1.5, cycle: true }));

  it('an abort mid-call rejects with the signal’s reason, and the next call is whole', async () => {
    const ctl = new AbortController();
    const reason = new Error('stop here');
    // 6·10^6 values take tens of ms on the workers: the abort comes from the first progress
    // report or, on a machine fast enough to report only at the end, from the next macrotask
    const p = three.sweep(big, { start: 0, count: 2000 }, { signal: ctl.signal, onProgress: (done, total) => done < total && ctl.abort(reason) });
    setImmediate(() => ctl.abort(reason));
    await expect(p).rejects.toBe(reason);
    const again = await three.sweep(big.slice(0, 200), { start: 0, count: 2000 });
    const want = await one.sweep(big.slice(0, 200), { start: 0, count: 2000 });
    expect(firstDifference(again.values, want.values)).toBeNull();
  });

  it('onProgress counts up to (total, total)', async () => {
    const seen: number[] = [];
    const r = await three.sweep(big, { start: 0, count: 1000 }, { onProgress: (done, total) => seen.push(done / total) });
    expect(r.cpuThreads).toBe(3);
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((x, i) => i === 0 || x >= seen[i - 1]!)).toBe(true);
  });

  it('destroy() mid-call rejects the call with EvaluatorDestroyedError', async () => {
    const ev = await createEvaluator({ backend: 'cpu', threads: 2 });
    const p = ev.sweep(big, { start: 0, count: 2000 }, { onProgress: () => ev.destroy() });
    await expect(p).rejects.toBeInstanceOf(EvaluatorDestroyedError);
    await expect(ev.sweep(big, { start: 0, count: 10 })).rejects.toBeInstanceOf(EvaluatorDestroyedError);
  });

  it('a process that used a threaded evaluator exits by itself, destroyed or not, with its values', () => {
    const child = fileURLToPath(new URL('../helpers/threads-child.ts', import.meta.url));
    for (const mode of ['destroy', 'keep']) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', child, mode], { encoding: 'utf8', timeout: 60_000 });
      expect(r.signal, `${mode}: the child hung (killed by the timeout)`).toBeNull();
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout.trim())).toEqual({ mode, cpuThreads: 2, same: true });
    }
  });
});

describe('a bad `threads` is a FieldError naming the field', () => {
  it.each([0, -1, 1.5, 257, Number.NaN, Infinity, '4', 'all', null, true])('threads = %s', async (threads) => {
    const err = await createEvaluator({ backend: 'cpu', threads: threads as never }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EvaluatorInputError);
    expect(err).toBeInstanceOf(FieldError);
    expect((err as EvaluatorInputError).field).toBe('threads');
    expect((err as Error).message).toMatch(/threads = .*: must be an integer 1 … 256 or 'auto'/);
  });

  it("'auto' and 1 … 256 are accepted", async () => {
    for (const threads of ['auto', 1, 256] as const) (await createEvaluator({ backend: 'cpu', threads })).destroy();
  });
});
