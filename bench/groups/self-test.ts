/**
 * The self-test group: two deliberately wrong fast kernels (a naive f32 cosine, a linear
 * "cosine"), timed and checked through the same path as every row; verification must flag both.
 */
import { checkSample, sampleIndices } from '../check.ts';
import { pow2Label } from '../configs.ts';
import { LINEAR_WRONG_WGSL, NAIVE_COSINE_WGSL, createStorage, readSample } from '../gpu.ts';
import { repeat, toSample, type SuiteRun } from '../measure.ts';
import { V } from '../types.ts';

export async function runSelfTest(run: SuiteRun): Promise<void> {
  const { device, timer, opts, env } = run;
  if (!device || !timer || !opts.groups.has('self-test')) return;
  const n = 2 ** opts.selfTestLog2;
  const shape = pow2Label(opts.selfTestLog2);
  const lr0 = 0.1;
  const s = env.project.schedule('CosineDecay', { initialLearningRate: lr0, decaySteps: n, alpha: 0 });
  const sample = sampleIndices(n, { count: opts.sampleCount, extra: [n - 2, n - 1] });
  const buf = await createStorage(device, n * 4, 'bench self-test');
  try {
    for (const [label, code] of [
      [V.naiveKernel, NAIVE_COSINE_WGSL],
      [V.linearKernel, LINEAR_WRONG_WGSL],
    ] as const) {
      const k = run.kernel(code, label);
      const p = run.plan(`self/${label}`, n);
      const m = await repeat(async () => toSample(await timer.time(() => k.run([buf], n, { scale: lr0, start: n }))), p);
      const check = checkSample({ schedules: [s], start: 0, cols: n }, sample, await readSample(device, buf, sample));
      await run.push({ group: 'self-test', variant: label, kind: 'CosineDecay', shape, values: n }, m, 'gpu', p.warmup, check, 'fail');
    }
  } finally {
    buf.destroy();
  }
}
