// Entry points eval_range / eval_list (docs/design.md, Layer 1). Concatenated AFTER
// SCHEDULES_WGSL (common.wgsl + kinds/*.wgsl; src/kernels: EVALUATE_WGSL).

const WORKGROUP_SIZE: u32 = 256u;

struct Job {
  row0: u32,        // first schedule row of this dispatch
  col0: u32,        // first column (index into the step range / list) of this dispatch
  cols: u32,        // columns per schedule row (N)
  count: u32,       // invocations that write (elements in this dispatch)
  start: u32,       // eval_range: first step
  stride: u32,      // eval_range: step stride
  groups_x: u32,    // workgroups along x of the 2D dispatch
  out_offset: u32,  // element offset of this dispatch's first output
}

@group(0) @binding(0) var<uniform> job: Job;
@group(0) @binding(1) var<storage, read> params: array<ScheduleParams>;
@group(0) @binding(2) var<storage, read> tables: array<u32>;
@group(0) @binding(3) var<storage, read> steps: array<u32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

// The table hook the kinds read (restart periods, long piecewise lists).
fn lr_table(i: u32) -> u32 {
  return tables[i];
}

// eval_row(row, step), each kind's <kind>_row and the override SCHEDULE_KIND are written
// from the kind list by scripts/gen-shaders.ts and follow this file (EVALUATE_SOURCE).

@compute @workgroup_size(WORKGROUP_SIZE)
fn eval_range(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let i = (wg.y * job.groups_x + wg.x) * WORKGROUP_SIZE + lid.x;
  if (i >= job.count) {
    return;
  }
  let linear = job.col0 + i;
  let row = job.row0 + linear / job.cols;
  let col = linear % job.cols;
  let step = job.start + col * job.stride;
  out[job.out_offset + i] = eval_row(row, step);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn eval_list(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let i = (wg.y * job.groups_x + wg.x) * WORKGROUP_SIZE + lid.x;
  if (i >= job.count) {
    return;
  }
  let linear = job.col0 + i;
  let row = job.row0 + linear / job.cols;
  let col = linear % job.cols;
  out[job.out_offset + i] = eval_row(row, steps[col]);
}
