/**
 * The pool of pool-core.ts driven by in-process workers (serveWorker behind message queues,
 * as a Web Worker or a worker thread would run it): two calls at once on a pool without shared
 * memory (a page that is not cross-origin isolated), and workers that cannot be constructed.
 * No timing: every assertion is on values or on which ports were stopped.
 */
import { describe, expect, it } from 'vitest';
import { cpuEvaluate } from '../../src/cpu/cpu-backend.ts';
import { PoolFailedError, WorkerPool, planPoolChunks, type PoolPort, type SpawnWorker } from '../../src/cpu/pool-core.ts';
import { serveWorker } from '../../src/cpu/pool-worker.ts';
import { createSchedule } from '../../src/schedules/registry.ts';
import { thrown } from '../helpers/thrown.ts';

/** Workers in this thread: each message is delivered in a later macrotask, in order. */
function inProcess(stopped: number[]): SpawnWorker {
  let n = 0;
  return (onMessage) => {
    const id = n++;
    const handle = serveWorker({ post: (m) => setTimeout(() => onMessage(m)) });
    return { post: (m) => setTimeout(() => handle(m)), terminate: () => stopped.push(id) } satisfies PoolPort;
  };
}

const rows = (count: number, decay: number) =>
  Array.from({ length: count }, (_, r) => createSchedule('CosineDecay', { initialLearningRate: 0.1 + r / 1000, decaySteps: decay + r, alpha: 0.01 }));

async function oneThread(schedules: ReturnType<typeof rows>, n: number): Promise<Float32Array> {
  const out = new Float32Array(schedules.length * n);
  await cpuEvaluate(schedules, { start: 0, count: n }, out);
  return out;
}

describe('a pool without shared memory', () => {
  it('finishes two calls made at once, each with the one-thread bits', async () => {
    const pool = new WorkerPool(2, false, inProcess([]));
    const a = rows(40, 500);
    const b = rows(30, 900);
    const n = 5000; // 2 × 10^5 and 1.5 × 10^5 values: dozens of chunks each, so the calls interleave
    const outA = new Float32Array(a.length * n);
    const outB = new Float32Array(b.length * n);
    await Promise.all([pool.evaluate(a, { start: 0, count: n }, outA), pool.evaluate(b, { start: 0, count: n }, outB)]);
    expect(Buffer.from(outA.buffer).equals(Buffer.from((await oneThread(a, n)).buffer))).toBe(true);
    expect(Buffer.from(outB.buffer).equals(Buffer.from((await oneThread(b, n)).buffer))).toBe(true);
    pool.close();
  });
});

describe('a pool with shared memory', () => {
  /** A worker that claims the first chunk of its part and never fills it (a thread kept off its core), or does nothing at all. */
  const stuck =
    (claims: boolean): SpawnWorker =>
    () => ({
      post: (m) => {
        if (claims && m.t === 'job' && m.claim) Atomics.add(new Int32Array(m.claim.ctl), 1 + m.home, 1);
      },
      terminate: () => {},
    });

  for (const claims of [true, false]) {
    it(`finishes calls whose worker ${claims ? 'holds a chunk it never fills' : 'never runs'}, with the one-thread bits`, async () => {
      const pool = new WorkerPool(3, true, stuck(claims));
      const a = rows(40, 500);
      const n = 5000;
      const want = await oneThread(a, n);
      for (let call = 0; call < 2; call++) {
        const out = new Float32Array(a.length * n);
        await pool.evaluate(a, { start: 0, count: n }, out);
        expect(Buffer.from(out.buffer).equals(Buffer.from(want.buffer)), `call ${call}`).toBe(true);
      }
      pool.close();
    });
  }
});

describe('workers that cannot be constructed', () => {
  it('make the pool throw PoolFailedError, after stopping the workers already started', () => {
    const stopped: number[] = [];
    const spawn = inProcess(stopped);
    let made = 0;
    const failing: SpawnWorker = (onMessage, onError) => {
      if (made++ === 2) throw new DOMException('cross-origin worker script', 'SecurityError');
      return spawn(onMessage, onError);
    };
    const err = thrown(() => new WorkerPool(4, false, failing));
    expect(err).toBeInstanceOf(PoolFailedError);
    expect((err as Error).message).toContain('cross-origin worker script');
    expect(stopped.sort()).toEqual([0, 1]);
  });
});

describe('the chunks of a call', () => {
  /** Every element of the rows with an id exactly once, in order, and none of the others. */
  const covers = (chunks: [number, number][], ids: Int32Array, n: number): boolean => {
    const want: number[] = [];
    ids.forEach((id, r) => id >= 0 && want.push(r * n, (r + 1) * n));
    const merged: number[] = [];
    for (const [a, b] of chunks) {
      if (!(a < b)) return false;
      if (merged.length > 0 && merged[merged.length - 1] === a) merged[merged.length - 1] = b;
      else merged.push(a, b);
    }
    const wantMerged: number[] = [];
    for (let i = 0; i < want.length; i += 2) {
      if (wantMerged.length > 0 && wantMerged[wantMerged.length - 1] === want[i]) wantMerged[wantMerged.length - 1] = want[i + 1]!;
      else wantMerged.push(want[i]!, want[i + 1]!);
    }
    return JSON.stringify(merged) === JSON.stringify(wantMerged);
  };

  it('are whole rows where rows are short, claimed or handed out', () => {
    const ids = Int32Array.from({ length: 6000 }, (_, r) => (r % 97 === 5 ? -1 : r));
    for (const claimed of [true, false]) {
      const chunks = planPoolChunks(ids, 1000, 2, claimed);
      expect(covers(chunks, ids, 1000), `claimed ${claimed}`).toBe(true);
      expect(chunks.every(([a, b]) => a % 1000 === 0 && b % 1000 === 0), `claimed ${claimed}`).toBe(true);
      expect(chunks.length, `claimed ${claimed}`).toBeGreaterThanOrEqual(16);
    }
  });

  it('slice a long row into near-equal parts, many per thread when claimed', () => {
    const ids = Int32Array.of(0);
    const n = 2 ** 24;
    const chunks = planPoolChunks(ids, n, 2, true);
    expect(covers(chunks, ids, n)).toBe(true);
    const sizes = chunks.map(([a, b]) => b - a);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(chunks.length).toBeGreaterThanOrEqual(2 * 32);
  });
});
