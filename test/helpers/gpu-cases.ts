/**
 * The GPU accuracy loop of the kernel tests: each case's schedule is asked for GPU support
 * over its step window, evaluated on the machine's WebGPU (eval_list) and judged by its
 * kind's interval (docs/accuracy.md#the-contract); every failure is reported at once. And
 * the evaluator's verified sweep on either backend.
 */
import { expect } from 'vitest';
import { createEvaluator, type EvaluationResult, type EvaluatorInput } from '../../src/api/index.ts';
import type { Steps } from '../../src/schedules/steps.ts';
import { gpuSupport, type StepWindow } from '../../src/kernels/index.ts';
import { requireDevice } from './gpu.ts';
import { evalList } from './kernels-dispatch.ts';
import { judge, U32_MAX, uniqSteps, type ScheduleWithAt } from './kernels-accuracy.ts';

/** Every u32 step: the window gpuSupport asks about when given none. */
export const FULL_WINDOW: StepWindow = { minStep: 0, maxStep: U32_MAX };

/** One case: a schedule, its sorted steps, and the window its support is asked for (default: the steps' own span). */
export interface GpuCase {
  readonly s: ScheduleWithAt;
  readonly steps: Uint32Array;
  readonly window?: StepWindow;
}

/** The first and last of sorted steps. */
export function windowOf(steps: Uint32Array): StepWindow {
  return { minStep: steps[0] ?? 0, maxStep: steps[steps.length - 1] ?? 0 };
}

/** Failure lines as one text: the first `most`, then how many there were in all. */
export function failureReport(failures: readonly string[], most = 200): string {
  return failures.slice(0, most).join('\n') + (failures.length > most ? `\n… ${failures.length} failures in all` : '');
}

/** Runs every case on the GPU and fails with every bad point (and every case the GPU declined) listed. */
export async function expectGpuCases(cases: readonly GpuCase[]): Promise<void> {
  const { device } = await requireDevice();
  const failures: string[] = [];
  let i = 0;
  for (const { s, steps, window } of cases) {
    const why = gpuSupport(s, window ?? windowOf(steps));
    if (why) failures.push(`schedule #${i} (${s.kind} ${JSON.stringify(s.config)}) unexpectedly unsupported: ${why.field} = ${String(why.value)}: ${why.rule}`);
    else failures.push(...judge([s], steps, await evalList(device, [s], steps), i));
    i++;
  }
  expect(failureReport(failures)).toBe('');
}

/** The steps (deduplicated, sorted) where the reference value is an f32 and the GPU does not return it exactly, a line each. */
export async function gpuExactMisses(s: ScheduleWithAt, steps: readonly number[]): Promise<string[]> {
  const { device } = await requireDevice();
  const st = uniqSteps(steps);
  const got = await evalList(device, [s], st);
  const misses: string[] = [];
  st.forEach((step, j) => {
    const exact = s.at(step);
    if (Math.fround(exact) === exact && got[j] !== exact) misses.push(`${s.kind} ${JSON.stringify(s.config)} step ${step} → got ${got[j]}, expected exactly ${exact}`);
  });
  return misses;
}

/** A verified sweep of `schedules` on the evaluator's `backend`: expects that backend and a clean verification ('all'), and returns the result. */
export async function sweepVerified(backend: 'cpu' | 'webgpu', schedules: readonly EvaluatorInput[], steps: Steps): Promise<EvaluationResult> {
  const ev = await createEvaluator({ backend });
  try {
    const r = await ev.sweep(schedules, steps, { verify: 'all' });
    expect(r.backend).toBe(backend);
    expect(r.verification?.ok).toBe(true);
    return r;
  } finally {
    ev.destroy();
  }
}
