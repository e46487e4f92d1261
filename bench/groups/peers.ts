/**
 * The peers group: the same cosine formula (CosineDecay, α = 0) by the project's fused
 * kernel, tfjs-webgpu (kept on the GPU and with readback, timed with the same PassTimer
 * method), tfjs-cpu, a naive JS loop (Math.cos) and the project's CPU fallback. The
 * project's rows are judged by its bound; the peers, which never promised it, by an
 * absolute tolerance that checks they computed the same formula.
 */
import { checkSample, sampleIndices, type CheckReport, type Reference } from '../check.ts';
import { pow2Label } from '../configs.ts';
import { PassTimer, createStorage, readSample } from '../gpu.ts';
import { gather, repeat, toSample, type SuiteRun } from '../measure.ts';
import { naiveCosine, tfCosine, tfFlush, tfSteps, type CosineParams } from '../peers.ts';
import { V, type BenchEvaluator, type EvalResult } from '../types.ts';

export async function runPeers(run: SuiteRun): Promise<void> {
  const { env, opts } = run;
  if (!opts.groups.has('peers')) return;
  const n = 2 ** opts.peerLog2;
  const shape = pow2Label(opts.peerLog2);
  const params: CosineParams = { lr0: 0.1, decaySteps: n };
  const s = env.project.schedule('CosineDecay', { initialLearningRate: params.lr0, decaySteps: params.decaySteps, alpha: 0 });
  // Peers never promised the project's bound: check that they compute the same formula.
  // On the GPU they use WGSL's builtin cos, whose only guarantee is an absolute error
  // of 2^-11 on [−π, π] (the WGSL spec's accuracy table): lr0 · 0.5 · 2^-11, with a 2× margin.
  // On the CPU, Math.cos is close to exact: lr0 · 2^-20.
  const gpuPeerTol = params.lr0 * 2 ** -11;
  const peerTol = params.lr0 * 2 ** -20;
  const sample = sampleIndices(n, { count: opts.sampleCount, extra: [n - 2, n - 1] });
  const ref: Reference = { schedules: [s], start: 0, cols: n };
  /** The sample of a whole output, judged by the project's bound, or by `abs` (peers). */
  const check = (got: ArrayLike<number>, abs?: number): CheckReport => checkSample(ref, sample, gather(got, sample), abs === undefined ? {} : { abs });
  const base = { group: 'peers' as const, kind: 'CosineDecay', shape, values: n };

  // The fused kernel (the project's GPU evaluator).
  const device = env.device;
  let ev: BenchEvaluator | undefined;
  if (device && run.timer) {
    try {
      ev = await run.gpuEvaluator();
    } catch (err) {
      run.skipped.push(`fused kernel peer: ${(err as Error).message}`);
    }
  } else run.skipped.push('fused kernel peer: no WebGPU device');
  if (device && run.timer && ev) {
    const timer = run.timer;
    const out = await createStorage(device, n * 4, 'bench peers');
    try {
      const p1 = run.plan('peers/kept', n);
      const kept = await repeat(async () => toSample(await timer.time(() => ev.evaluateToBuffer(s, { start: 0, count: n }, out))), p1);
      const got = await readSample(device, out, sample);
      await run.push({ ...base, variant: V.kept }, kept, 'gpu', p1.warmup, checkSample(ref, sample, got));
    } finally {
      out.destroy();
    }
    const p2 = run.plan('peers/readback', n);
    let last: EvalResult | undefined;
    const rb = await repeat(async () => toSample(await timer.time(async () => void (last = await ev.evaluate(s, { start: 0, count: n })))), p2);
    const res = last as EvalResult | undefined;
    await run.push({ ...base, variant: V.readback }, rb, 'wall', p2.warmup, res ? check(res.values) : undefined);
  }

  // tfjs on webgpu: its own device; its passes timed with the same PassTimer method.
  try {
    const h = await env.tfjs('webgpu');
    const dev = h.device;
    if (!dev) throw new Error('tfjs-webgpu gave no device');
    const tfTimer = new PassTimer(dev, () => env.now());
    const steps = tfSteps(h, 0, n);
    try {
      let y: ReturnType<typeof tfCosine> | undefined;
      const p1 = run.plan('peers/tfw-kept', n);
      const kept = await repeat(async () => {
        y?.dispose();
        y = undefined;
        return toSample(
          await tfTimer.time(() => {
            y = tfCosine(h, steps, params);
            tfFlush(h);
          }),
        );
      }, p1);
      const yKept = y as ReturnType<typeof tfCosine> | undefined;
      const keptValues = yKept ? await yKept.data() : undefined;
      yKept?.dispose();
      y = undefined;
      await run.push({ ...base, variant: V.tfWebgpuKept }, kept, 'gpu', p1.warmup, keptValues ? check(keptValues, gpuPeerTol) : undefined);

      const p2 = run.plan('peers/tfw-readback', n);
      let vals: ArrayLike<number> | undefined;
      const rb = await repeat(async () => {
        vals = undefined;
        return toSample(
          await tfTimer.time(async () => {
            const r = tfCosine(h, steps, params);
            vals = await r.data();
            r.dispose();
          }),
        );
      }, p2);
      await run.push({ ...base, variant: V.tfWebgpuReadback }, rb, 'wall', p2.warmup, vals ? check(vals, gpuPeerTol) : undefined);
    } finally {
      steps.dispose();
      tfTimer.destroy();
    }
  } catch (err) {
    run.skipped.push(`tfjs-webgpu: ${(err as Error).message}`);
    env.log(`peers     tfjs-webgpu skipped: ${(err as Error).message}`);
  }

  // tfjs on the CPU.
  try {
    const h = await env.tfjs('cpu');
    const steps = tfSteps(h, 0, n);
    try {
      const p = run.plan('peers/tfc', n);
      let vals: ArrayLike<number> | undefined;
      const m = await repeat(
        () =>
          run.wallOnly(async () => {
            const r = tfCosine(h, steps, params);
            vals = await r.data();
            r.dispose();
          }),
        p,
      );
      await run.push({ ...base, variant: V.tfCpu }, m, 'wall', p.warmup, vals ? check(vals, peerTol) : undefined);
    } finally {
      steps.dispose();
    }
  } catch (err) {
    run.skipped.push(`tfjs-cpu: ${(err as Error).message}`);
    env.log(`peers     tfjs-cpu skipped: ${(err as Error).message}`);
  }

  // The naive loop.
  {
    const out = new Float32Array(n);
    const p = run.plan('peers/naive', n);
    const m = await repeat(() => run.wallOnly(() => naiveCosine(params, 0, out)), p);
    await run.push({ ...base, variant: V.naive }, m, 'wall', p.warmup, check(out, peerTol));
  }

  // The project's CPU fallback.
  try {
    const ev = await run.cpuEvaluator();
    const p = run.plan('peers/cpu', n);
    let last: EvalResult | undefined;
    const m = await repeat(() => run.wallOnly(async () => void (last = await ev.evaluate(s, { start: 0, count: n }))), p);
    const res = last as EvalResult | undefined;
    await run.push({ ...base, variant: V.cpuFallback }, m, 'wall', p.warmup, res ? check(res.values) : undefined);
  } catch (err) {
    run.skipped.push(`CPU fallback: ${(err as Error).message}`);
    env.log(`peers     CPU fallback skipped: ${(err as Error).message}`);
  }
}
