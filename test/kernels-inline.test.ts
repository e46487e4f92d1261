/**
 * Inline use: a user's own kernel concatenates SCHEDULES_WGSL, binds one
 * ScheduleParams struct as a uniform (packScheduleParams) and calls cosine_decay(...)
 * itself; it compiles and matches the reference within the bound of docs/accuracy.md#the-contract.
 */
import { expect, test } from 'vitest';
import { NO_TABLE_WGSL, SCHEDULES_WGSL, packScheduleParams } from '../src/kernels/index.ts';
import { CosineDecay } from '../src/schedules/cosine-decay.ts';
import { ExponentialDecay } from '../src/schedules/exponential-decay.ts';
import { accepts, toleranceK } from '../src/verify/index.ts';
import { readBuffer, requireDevice, submitDispatch, withErrorScopes } from './helpers/gpu.ts';

const USER_KERNEL = `${SCHEDULES_WGSL}
${NO_TABLE_WGSL}
@group(0) @binding(0) var<uniform> sched: ScheduleParams;
@group(0) @binding(1) var<uniform> decay: ScheduleParams;
@group(0) @binding(2) var<storage, read_write> lr: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let step = gid.x * 997u;          // the user's own step logic
  if (gid.x >= arrayLength(&lr) / 2u) { return; }
  lr[2u * gid.x] = cosine_decay(sched, step);
  lr[2u * gid.x + 1u] = exponential_decay(decay, step);
}
`;

test('a user kernel built on SCHEDULES_WGSL + packScheduleParams compiles and matches the reference', async () => {
  const { device } = await requireDevice();
  const cos = new CosineDecay({ initialLearningRate: 0.05, decaySteps: 3_000_000, alpha: 0.01, warmupTarget: 0.1, warmupSteps: 1000 });
  const exp = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96, staircase: true });
  const n = 4096;
  const values = await withErrorScopes(device, async () => {
    const module = device.createShaderModule({ code: USER_KERNEL });
    const info = await module.getCompilationInfo();
    expect(info.messages.filter((m) => m.type === 'error').map((m) => m.message)).toEqual([]);
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const uni = (bytes: ArrayBuffer) => {
      const b = device.createBuffer({ size: bytes.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
      device.queue.writeBuffer(b, 0, bytes);
      return b;
    };
    const out = device.createBuffer({ size: 2 * n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const bind = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [uni(packScheduleParams(cos)), uni(packScheduleParams(exp)), out].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    submitDispatch(device, pipeline, bind, n / 64);
    return new Float32Array(await readBuffer(device, out, 2 * n * 4));
  });
  const failures: string[] = [];
  for (let i = 0; i < n; i++) {
    const step = i * 997;
    for (const [j, s] of [cos, exp].entries()) {
      const got = values[2 * i + j] ?? NaN;
      if (!accepts(toleranceK(s), s.at(step), got)) failures.push(`${s.kind}, step ${step} → got ${got}, exact ${s.at(step)}`);
    }
  }
  expect(failures.join('\n')).toBe('');
});
