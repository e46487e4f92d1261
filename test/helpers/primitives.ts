/**
 * What the tests of the primitives beyond Keras (test/schedules/{sqrt-anneal,inverse-sqrt,cyclic}.test.ts)
 * share: the reference against the independent 400-bit oracle (test/oracle/primitives.ts) with
 * every failure reported, fill() against at(), and the CPU evaluator against the reference.
 */
import { expect } from 'vitest';
import { createEvaluator } from '../../src/index.ts';
import type { Schedule } from '../../src/schedules/index.ts';
import { primitiveOracle } from '../oracle/primitives.ts';
import { judgeReference } from '../oracle/schedules.ts';

/** Judges s.at(t) against the oracle at every step; returns the failure lines (none when all pass). */
export function oracleFailures(s: Schedule, steps: readonly number[]): string[] {
  const out: string[] = [];
  for (const t of steps) {
    const why = judgeReference(primitiveOracle(s.kind, s.config as Record<string, unknown>, t), s.at(t));
    if (why !== null) out.push(`${s.kind} ${JSON.stringify(s.config)} step ${t}: ${why}`);
  }
  return out;
}

/** fill() over a range and over a list equals at() (Float64Array exactly, Float32Array as Math.fround). */
export function expectFillMatchesAt(s: Schedule, steps: readonly number[]): void {
  const want = steps.map((t) => s.at(t));
  expect([...s.fill(Float64Array.from(steps))]).toEqual(want);
  expect([...s.fill(Uint32Array.from(steps.filter((t) => t <= 0xffffffff)), new Float32Array(steps.length))].slice(0, steps.filter((t) => t <= 0xffffffff).length)).toEqual(
    steps.filter((t) => t <= 0xffffffff).map((t) => Math.fround(s.at(t))),
  );
  const start = steps[0] ?? 0;
  const range = s.fill({ start, count: 300, stride: 7 });
  for (let i = 0; i < 300; i++) expect(range[i], `range step ${start + 7 * i}`).toBe(s.at(start + 7 * i));
}

/** The CPU backend of the evaluator gives Math.fround of the reference and says it ran on the CPU. */
export async function expectCpuBackend(s: Schedule, steps: readonly number[]): Promise<void> {
  const ev = await createEvaluator({ backend: 'cpu' });
  try {
    const r = await ev.evaluate(s, Uint32Array.from(steps), { verify: 'all' });
    expect(r.backend).toBe('cpu');
    expect([...r.values]).toEqual(steps.map((t) => Math.fround(s.at(t))));
    expect(r.verification?.ok).toBe(true);
  } finally {
    ev.destroy();
  }
}

/** The steps around each edge e (e − 1, e, e + 1, ⌊e⌋, ⌈e⌉), the u32 edges and `n` log-uniform steps, sorted, ≤ 2^53. */
export function edgeSteps(edges: readonly number[], n: number, r: () => number): number[] {
  const set = new Set<number>([0, 1, 2, 3, 2 ** 24 + 1, 2 ** 31, 2 ** 32 - 1, 2 ** 53]);
  for (const e of edges) for (const x of [Math.floor(e) - 1, Math.floor(e), Math.ceil(e), Math.ceil(e) + 1]) if (x >= 0 && x <= 2 ** 53) set.add(x);
  for (let i = 0; i < n; i++) set.add(Math.floor(2 ** (r() * 53)));
  return [...set].sort((a, b) => a - b);
}
