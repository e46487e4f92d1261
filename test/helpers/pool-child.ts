/**
 * Child process of test/cpu/pool.test.ts (worker threads need tsx's loader, which a vitest
 * worker lacks): evaluates the cases named on stdin with a CpuPool and with each schedule's own
 * fill, and prints one JSON line per case: { name, values, mismatches, firstMismatch }.
 */
import { readFileSync } from 'node:fs';
import { CpuPool } from '../../src/cpu/pool.node.ts';
import { createSchedule, type ScheduleKind } from '../../src/index.ts';
import type { PoolSchedule } from '../../src/cpu/pool.node.ts';
import { stepAt, stepsLength, type Steps } from '../../src/schedules/steps.ts';

interface Case {
  readonly name: string;
  readonly threads: number;
  readonly schedules: readonly { readonly kind: string; readonly config: Record<string, unknown> }[];
  readonly steps: Steps;
  /** Evaluate twice with the same schedule objects (ids reused, memos warm). */
  readonly twice?: boolean;
  /** Write into a plain (non-shared) Float32Array (one copy). */
  readonly plainOut?: boolean;
}

/** A schedule of a kind the registry does not know: the pool fills it on the calling thread. */
function custom(scale: number): PoolSchedule {
  return {
    kind: 'Custom' as ScheduleKind,
    config: { scale },
    fill(steps: Steps, out: Float32Array) {
      // a function of the step (as every schedule's fill), so any slicing gives the same values
      const n = stepsLength(steps);
      for (let i = 0; i < n; i++) out[i] = scale * stepAt(steps, i);
      return out;
    },
  };
}

const cases = JSON.parse(readFileSync(0, 'utf8')) as Case[];
for (const c of cases) {
  const pool = new CpuPool({ threads: c.threads });
  const schedules: PoolSchedule[] = c.schedules.map((s) => (s.kind === 'Custom' ? custom(Number(s.config.scale)) : (createSchedule(s.kind as ScheduleKind, s.config as never) as PoolSchedule)));
  const n = 'count' in c.steps && !Array.isArray(c.steps) ? (c.steps as { count: number }).count : (c.steps as number[]).length;
  const total = schedules.length * n;
  let got = await pool.evaluate(schedules, c.steps, c.plainOut ? new Float32Array(total) : pool.allocate(total));
  if (c.twice) got = await pool.evaluate(schedules, c.steps, c.plainOut ? new Float32Array(total) : pool.allocate(total));
  const want = new Float32Array(total);
  schedules.forEach((s, r) => s.fill(c.steps, want.subarray(r * n, (r + 1) * n)));
  let mismatches = 0;
  let firstMismatch: string | null = null;
  for (let i = 0; i < total; i++) {
    if (!Object.is(got[i], want[i])) {
      mismatches++;
      firstMismatch ??= `element ${i}: pool ${got[i]}, fill ${want[i]}`;
    }
  }
  await pool.close();
  process.stdout.write(JSON.stringify({ name: c.name, values: got.length, mismatches, firstMismatch }) + '\n');
}
