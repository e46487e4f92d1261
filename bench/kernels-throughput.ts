/**
 * Layer 1 throughput (not a test): eval_range over one row of each kind (the `single` group's
 * schedule, bench/configs.ts) at 2^BENCH_LOG2 steps (default 20) against a kernel that only
 * writes (eval_range with the value replaced by f32(step)), each pipeline as the evaluator
 * specialises it: eval_range (dispatches spanning rows, a narrow sweep's entry point) by kind
 * (`kind`, flags read per row) and by kind and the row's flags (`flags`), and eval_range_row (the
 * entry point rows of at least 2^15 columns run, its parameters bound by themselves) by kind
 * and flags (`row`, what the `single` row runs). Rounds interleave every pipeline; each pipeline's time is the minimum over
 * BENCH_ROUNDS=7 rounds of one dispatch (submit → onSubmittedWorkDone) after BENCH_WARM=2
 * warm-ups, so that the other processes of a shared machine disturb it least.
 * Run: `npx tsx bench/kernels-throughput.ts [Kind ...]`. On SwiftShader read the ratio to the
 * write-only kernel, never the absolute numbers.
 */
import { acquireDevice } from '../src/gpu/device.ts';
import { createSchedule, type ConfigByKind, type Schedule } from '../src/index.ts';
import { ENTRY_POINTS, EVALUATE_WGSL, WORKGROUP_SIZE, packJob, packSchedules, pipelineConstants } from '../src/kernels/index.ts';
import { SCHEDULE_KINDS, isScheduleKind, type ScheduleKind } from '../src/schedules/index.ts';
import { singleConfig } from './configs.ts';

const N = 2 ** Number(process.env.BENCH_LOG2 ?? 20);
const WARM = Number(process.env.BENCH_WARM ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const WRITE_ONLY = EVALUATE_WGSL.replace('out[job.out_offset + i] = eval_row(row, step);', 'out[job.out_offset + i] = f32(step) * 1e-9;');

interface Case {
  readonly name: string;
  readonly run: () => Promise<number>;
}

async function main(): Promise<void> {
  const kinds = process.argv.slice(2).filter(isScheduleKind);
  const { device, adapterName } = await acquireDevice();
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
  const mk = (bytes: ArrayBuffer, u: number): GPUBuffer => {
    const b = device.createBuffer({ size: Math.max(16, bytes.byteLength), usage: u | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(b, 0, bytes);
    return b;
  };
  const out = device.createBuffer({ size: N * 4, usage: GPUBufferUsage.STORAGE });
  const groups = N / WORKGROUP_SIZE;
  if (groups > device.limits.maxComputeWorkgroupsPerDimension) throw new RangeError(`BENCH_LOG2: ${N} steps need ${groups} workgroups, more than one 1D dispatch takes`);
  const gx = groups;
  const gy = 1;
  const job = mk(packJob({ row0: 0, col0: 0, cols: N, count: N, start: 0, stride: 1, groupsX: gx, outOffset: 0 }) as ArrayBuffer, GPUBufferUsage.UNIFORM);
  const steps = mk(new ArrayBuffer(16), usage);
  const ro = { type: 'read-only-storage' } as const;
  // Bindings 0-4 of every entry point, and 5 (row_params) of eval_range_row: one layout serves both.
  const bgl = device.createBindGroupLayout({
    entries: [{ type: 'uniform' } as const, ro, ro, ro, { type: 'storage' } as const, ro].map((buffer, binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer })),
  });
  const layout = device.createPipelineLayout({ bindGroupLayouts: [bgl] });

  async function prepare(name: string, code: string, s: Schedule, constants: Readonly<Record<string, number>> | undefined, entryPoint: string = ENTRY_POINTS.range): Promise<Case> {
    const packed = packSchedules([s], { minStep: 0, maxStep: N - 1 });
    const module = device.createShaderModule({ code });
    const pipeline = await device.createComputePipelineAsync({ layout, compute: { module, entryPoint, ...(constants ? { constants: { ...constants } } : {}) } });
    const params = mk(packed.params, usage);
    const used = [job, params, mk(packed.tables, usage), steps, out, params];
    const bind = device.createBindGroup({ layout: bgl, entries: used.map((buffer, binding) => ({ binding, resource: { buffer } })) });
    return {
      name,
      run: async () => {
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
      },
    };
  }

  const schedule = (kind: ScheduleKind): Schedule => createSchedule(kind, singleConfig(kind, N).config as unknown as ConfigByKind[typeof kind]) as Schedule;
  const cases: Case[] = [await prepare('write-only', WRITE_ONLY, schedule('Constant'), undefined)];
  for (const kind of kinds.length > 0 ? kinds : SCHEDULE_KINDS) {
    const s = schedule(kind);
    cases.push(await prepare(`${kind} kind`, EVALUATE_WGSL, s, pipelineConstants([s])));
    const flags = pipelineConstants([s], packSchedules([s], { minStep: 0, maxStep: N - 1 }).params);
    cases.push(await prepare(`${kind} flags`, EVALUATE_WGSL, s, flags));
    cases.push(await prepare(`${kind} row`, EVALUATE_WGSL, s, flags, ENTRY_POINTS.rangeRow));
  }
  for (const c of cases) for (let i = 0; i < WARM; i++) await c.run();
  const best = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of cases) best.set(c.name, Math.min(best.get(c.name) ?? Infinity, await c.run()));
  }
  const base = best.get('write-only') ?? NaN;
  console.log(`${adapterName}; ${N} steps; min of ${ROUNDS} interleaved rounds after ${WARM} warm-ups; ratio = write-only ÷ kernel (kernel ÷ fill)`);
  for (const [name, ms] of best) console.log(`${name.padEnd(30)} ${ms.toFixed(2).padStart(8)} ms  ${(base / ms).toFixed(3)}`);
  device.destroy();
}

await main();
