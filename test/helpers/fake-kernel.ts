import type { KernelJob } from '../../src/gpu/chunk-planner.ts';
import type { GpuKernel } from '../../src/gpu/gpu-backend.ts';

/**
 * A stand-in kernel with the bindings and Job of docs/design.md whose "schedule" is
 * `params[row] + f32(step)`: exact in float32 for small values, so GPU plumbing tests
 * (chunking, offsets, batching) can compare exactly without any schedule maths. Its one-row
 * entry points read the row's base from binding 5 (`row_params`), as evaluate.wgsl's do.
 */
export const FAKE_WORKGROUP_SIZE = 64;

export const FAKE_WGSL = /* wgsl */ `
struct Job { row0: u32, col0: u32, cols: u32, count: u32, start: u32, stride: u32, groups_x: u32, out_offset: u32 }
@group(0) @binding(0) var<uniform> job: Job;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> tables: array<u32>;
@group(0) @binding(3) var<storage, read> steps: array<u32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
@group(0) @binding(5) var<storage, read> row_params: f32;

fn index(wg: vec3u, local: vec3u) -> u32 { return (wg.y * job.groups_x + wg.x) * ${FAKE_WORKGROUP_SIZE}u + local.x; }

@compute @workgroup_size(${FAKE_WORKGROUP_SIZE}) fn eval_range(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) local: vec3u) {
  let i = index(wg, local);
  if (i >= job.count) { return; }
  let linear = job.col0 + i;
  let row = job.row0 + linear / job.cols;
  let col = linear % job.cols;
  out[job.out_offset + i] = params[row] + f32(job.start + col * job.stride);
}

@compute @workgroup_size(${FAKE_WORKGROUP_SIZE}) fn eval_list(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) local: vec3u) {
  let i = index(wg, local);
  if (i >= job.count) { return; }
  let linear = job.col0 + i;
  let row = job.row0 + linear / job.cols;
  let col = linear % job.cols;
  out[job.out_offset + i] = params[row] + f32(steps[col]);
}

@compute @workgroup_size(${FAKE_WORKGROUP_SIZE}) fn eval_range_row(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) local: vec3u) {
  let i = index(wg, local);
  if (i >= job.count) { return; }
  out[job.out_offset + i] = row_params + f32(job.start + i * job.stride);
}

@compute @workgroup_size(${FAKE_WORKGROUP_SIZE}) fn eval_list_row(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) local: vec3u) {
  let i = index(wg, local);
  if (i >= job.count) { return; }
  out[job.out_offset + i] = row_params + f32(steps[job.col0 + i]);
}
`;

export function fakePackJob(j: KernelJob): Uint32Array {
  return Uint32Array.of(j.row0, j.col0, j.cols, j.count, j.start, j.stride, j.groupsX, j.outOffset);
}

export const FAKE_KERNEL: GpuKernel = { code: FAKE_WGSL, label: 'fake.wgsl', workgroupSize: FAKE_WORKGROUP_SIZE, packJob: fakePackJob };

/** What the fake kernel computes, on the CPU. */
export function fakeExpected(bases: readonly number[], steps: readonly number[]): Float32Array {
  const out = new Float32Array(bases.length * steps.length);
  bases.forEach((b, r) => steps.forEach((s, c) => (out[r * steps.length + c] = b + s)));
  return out;
}
