/**
 * The benchmark suite, shared by the Node runner (bench/run.ts) and the page
 * (bench.html → bench/page.ts). Everything that differs between them comes in
 * through BenchEnv (bench/types.ts): the project's API, the device, tfjs, the clock, logging.
 *
 * Groups, one module each under bench/groups/:
 * - baseline: the device's own write rate (a write-only fill kernel, clearBuffer) and
 *   copy rate (a copy kernel, copyBufferToBuffer) at every size of `single`;
 * - single: one schedule of every kind, 2^16 … 2^26 steps, kept on the GPU
 *   (evaluateToBuffer) and with readback (evaluate);
 * - sweep: 100 × 10^5, 1,000 × 10^4, 10,000 × 10^3, kinds mixed row by row;
 * - peers: the same cosine formula as tfjs-webgpu, tfjs-cpu, a naive JS loop and
 *   the project's CPU fallback, next to the fused kernel;
 * - self-test: deliberately wrong fast kernels, which the verification must flag.
 * Measurement (plans, repetitions, rows) is bench/measure.ts; every row verifies a sample
 * of its own output with the library's verify() (bench/check.ts).
 */
import { runPeers } from './groups/peers.ts';
import { runSelfTest } from './groups/self-test.ts';
import { runBaselineAndSingle } from './groups/single.ts';
import { runSweeps } from './groups/sweep.ts';
import { SuiteRun } from './measure.ts';
import type { BenchEnv, SuiteOptions, SuiteResult } from './types.ts';

/** Runs the suite: self-test, peers, sweeps, then baseline and single interleaved by size. */
export async function runSuite(env: BenchEnv, opts: SuiteOptions): Promise<SuiteResult> {
  const run = new SuiteRun(env, opts);
  try {
    const wantGpu = opts.groups.has('baseline') || opts.groups.has('single') || opts.groups.has('sweep') || opts.groups.has('self-test');
    if (wantGpu && !env.device) run.skipped.push('GPU rows: no WebGPU device');
    await runSelfTest(run);
    await runPeers(run);
    await runSweeps(run);
    await runBaselineAndSingle(run);
  } finally {
    run.destroy();
  }
  return run.result();
}
