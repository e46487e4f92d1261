/**
 * Layer 1 throughput (not a test): eval_range on one CosineDecay row vs a kernel that
 * only writes, 2^22 steps (BENCH_LOG2), median of BENCH_REPS=11 timed dispatches after
 * BENCH_WARM=3 warm-ups (submit → onSubmittedWorkDone), best of BENCH_ROUNDS=3 rounds. Run: `npx tsx bench/kernels-throughput.ts`. On SwiftShader use
 * the ratio, never the absolute numbers, as information.
 */
import { acquireDevice } from '../src/gpu/device.ts';
import { EVALUATE_WGSL, WORKGROUP_SIZE, packJob, packSchedules, type KernelSchedule } from '../src/kernels/index.ts';
import { CosineDecay } from '../src/schedules/cosine-decay.ts';
import { ExponentialDecay } from '../src/schedules/exponential-decay.ts';
import { PolynomialDecay } from '../src/schedules/polynomial-decay.ts';
import { CosineDecayRestarts } from '../src/schedules/cosine-decay-restarts.ts';

const N = 2 ** Number(process.env.BENCH_LOG2 ?? 22);
const REPS = Number(process.env.BENCH_REPS ?? 11);
const WARM = Number(process.env.BENCH_WARM ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WRITE_ONLY = EVALUATE_WGSL.replace(
  'out[job.out_offset + i] = eval_row(row, step);',
  'out[job.out_offset + i] = f32(step) * 1e-9;',
);

async function main(): Promise<void> {
  const { device, adapterName } = await acquireDevice();
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
  const mk = (bytes: ArrayBuffer, u: number) => {
    const b = device.createBuffer({ size: Math.max(16, bytes.byteLength), usage: u | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(b, 0, bytes);
    return b;
  };
  const out = device.createBuffer({ size: N * 4, usage: GPUBufferUsage.STORAGE });
  const groups = N / WORKGROUP_SIZE;
  const gx = Math.min(groups, 65535);
  const gy = Math.ceil(groups / gx);
  const job = mk(packJob({ row0: 0, col0: 0, cols: N, count: N, start: 0, stride: 1, groupsX: gx, outOffset: 0 }), GPUBufferUsage.UNIFORM);
  const steps = mk(new ArrayBuffer(16), usage);
  const ro = { type: 'read-only-storage' } as const;
  const bgl = device.createBindGroupLayout({
    entries: [{ type: 'uniform' } as const, ro, ro, ro, { type: 'storage' } as const].map((buffer, binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer })),
  });

  async function time(code: string, s: KernelSchedule): Promise<number> {
    const packed = packSchedules([s], { minStep: 0, maxStep: N - 1 });
    const module = device.createShaderModule({ code });
    const pipeline = await device.createComputePipelineAsync({
      layout: device.createPipelineLayout({ bindGroupLayouts: [bgl] }),
      compute: { module, entryPoint: 'eval_range' },
    });
    const used = [job, mk(packed.params, usage), mk(packed.tables, usage), steps, out];
    const bind = device.createBindGroup({ layout: bgl, entries: used.map((buffer, binding) => ({ binding, resource: { buffer } })) });
    const run = async () => {
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(gx, gy);
      pass.end();
      const t0 = performance.now();
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
      return performance.now() - t0;
    };
    for (let i = 0; i < WARM; i++) await run();
    const ts: number[] = [];
    for (let i = 0; i < REPS; i++) ts.push(await run());
    ts.sort((a, b) => a - b);
    return ts[Math.floor(REPS / 2)] ?? NaN;
  }

  const cos = new CosineDecay({ initialLearningRate: 0.1, decaySteps: N, alpha: 0.01 });
  const kernels: [string, string, KernelSchedule][] = [
    ['write-only', WRITE_ONLY, cos],
    ['cosine', EVALUATE_WGSL, cos],
    ['exponential', EVALUATE_WGSL, new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 })],
    ['polynomial p=2', EVALUATE_WGSL, new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: N, power: 2 })],
    ['restarts t=2', EVALUATE_WGSL, new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 1000, tMul: 2 })],
  ];
  const best = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, code, s] of kernels) {
      const ms = await time(code, s);
      best.set(name, Math.min(best.get(name) ?? Infinity, ms));
      if (process.env.BENCH_VERBOSE) console.log(round, name, ms.toFixed(1));
    }
  }
  const base = best.get('write-only') ?? NaN;
  console.log(`${adapterName}; ${N} steps; best of ${ROUNDS} medians of ${REPS} after ${WARM} warm-ups`);
  for (const [name, ms] of best) console.log(`${name.padEnd(16)} ${ms.toFixed(1).padStart(7)} ms  ${(N / ms / 1e3).toFixed(1).padStart(6)} Msteps/s  ×${(ms / base).toFixed(2)}`);
  device.destroy();
}

await main();
