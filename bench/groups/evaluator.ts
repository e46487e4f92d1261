/**
 * The project's GPU evaluator on one case (the single and sweep groups): kept on the GPU
 * (evaluateToBuffer / sweepToBuffer, GPU-timed) and with readback (evaluate / sweep, wall),
 * each row checked on a sample of its own output against every schedule's own bound.
 */
import { checkSample, type Reference } from '../check.ts';
import { readSample } from '../gpu.ts';
import { gather, repeat, toSample, type SuiteRun } from '../measure.ts';
import { V, type BenchSchedule, type EvalResult, type Group, type Range } from '../types.ts';

/** Times the evaluator on `schedules` over `range` into `out` (≥ schedules × range.count floats), then with readback. */
export async function measureEvaluator(
  run: SuiteRun,
  group: Group,
  kind: string,
  shape: string,
  schedules: readonly BenchSchedule[],
  range: Range,
  out: GPUBuffer,
  sample: number[],
): Promise<void> {
  const { device, timer } = run;
  if (!device || !timer) return;
  const ev = await run.gpuEvaluator();
  const isSweep = group === 'sweep';
  const values = schedules.length * range.count;
  const ref: Reference = { schedules, start: range.start, cols: range.count };

  // kept on the GPU
  const keyKept = `${group}/kept/${kind}`;
  const p1 = run.plan(keyKept, values);
  const kept = await repeat(async () => toSample(await timer.time(() => (isSweep ? ev.sweepToBuffer(schedules, range, out) : ev.evaluateToBuffer(schedules[0] as BenchSchedule, range, out)))), p1);
  const gotKept = await readSample(device, out, sample);
  await run.push({ group, variant: V.kept, kind, shape, values }, kept, 'gpu', p1.warmup, checkSample(ref, sample, gotKept));

  // with readback
  const keyRb = `${group}/readback/${kind}`;
  const p2 = run.plan(keyRb, values);
  let last: EvalResult | undefined;
  const rb = await repeat(async () => {
    last = undefined; // let the previous result go before the next one is allocated
    return toSample(
      await timer.time(async () => {
        last = await (isSweep ? ev.sweep(schedules, range) : ev.evaluate(schedules[0] as BenchSchedule, range));
      }),
    );
  }, p2);
  const res = last as EvalResult | undefined;
  const note = res && res.backend !== 'webgpu' ? `ran on ${res.backend}: ${res.fallbackReason ?? 'no reason given'}` : undefined;
  await run.push({ group, variant: V.readback, kind, shape, values, note }, rb, 'wall', p2.warmup, res ? checkSample(ref, sample, gather(res.values, sample)) : undefined);
  last = undefined;
}
