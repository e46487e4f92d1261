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

// Row functions: each kind's `_at` function with the fields of params[row] read one by
// one through a pointer. On SwiftShader, passing the 176-byte ScheduleParams by value cost
// about 4x the whole computation (2^20 InverseTimeDecay steps: 499 ms vs 109 ms; a
// write-only kernel 65 ms), so the evaluator never copies the struct.
fn cosine_decay_row(row: u32, step: u32) -> f32 {
  let p = &params[row];
  return cosine_decay_at(step,
    p.flags, p.d_int, p.w_int, p.d_frac, p.inv_d, p.amp, p.base, p.peak, p.warm_init, p.warm_target, p.inv_w);
}

fn cosine_decay_restarts_row(row: u32, step: u32) -> f32 {
  let p = &params[row];
  return cosine_decay_restarts_at(step,
    p.flags, p.d_int, p.inv_d, p.amp, p.base, p.peak, p.k_mant, p.k_shift, p.table_off, p.table_rows, p.est_mul, p.est_div, p.k0);
}

fn exponential_decay_row(row: u32, step: u32) -> f32 {
  let p = &params[row];
  return exponential_decay_at(step,
    p.flags, p.d_int, p.amp, p.k_mant, p.k_shift);
}

fn piecewise_constant_decay_row(row: u32, step: u32) -> f32 {
  let p = &params[row];
  return piecewise_constant_decay_at(step,
    p.flags, p.table_off, p.table_rows, p.bounds_lo, p.bounds_hi, p.values_a, p.values_b, p.values_c);
}

fn polynomial_decay_row(row: u32, step: u32) -> f32 {
  let p = &params[row];
  return polynomial_decay_at(step,
    p.flags, p.d_int, p.d_frac, p.inv_d, p.amp, p.base, p.peak, p.pow_p, p.pow_lo, p.pow_m, p.pow_q);
}

fn inverse_time_decay_row(row: u32, step: u32) -> f32 {
  let p = &params[row];
  return inverse_time_decay_at(step,
    p.flags, p.d_int, p.amp, p.rate);
}

// The kind this pipeline is specialised for (a pipeline-overridable constant set at
// pipeline creation), or ANY_KIND for a mixed sweep. With one kind set, the branches of the
// other five fold away: on SwiftShader the runtime switch over all six kinds measured
// 8-10x slower than a pipeline with one kind (2^20 CosineDecay steps).
const ANY_KIND: u32 = 0xffffffffu;
override SCHEDULE_KIND: u32 = ANY_KIND;

fn eval_row(row: u32, step: u32) -> f32 {
  if (SCHEDULE_KIND == KIND_COSINE_DECAY) { return cosine_decay_row(row, step); }
  if (SCHEDULE_KIND == KIND_COSINE_DECAY_RESTARTS) { return cosine_decay_restarts_row(row, step); }
  if (SCHEDULE_KIND == KIND_EXPONENTIAL_DECAY) { return exponential_decay_row(row, step); }
  if (SCHEDULE_KIND == KIND_PIECEWISE_CONSTANT_DECAY) { return piecewise_constant_decay_row(row, step); }
  if (SCHEDULE_KIND == KIND_POLYNOMIAL_DECAY) { return polynomial_decay_row(row, step); }
  if (SCHEDULE_KIND == KIND_INVERSE_TIME_DECAY) { return inverse_time_decay_row(row, step); }
  switch (params[row].kind) {
    case KIND_COSINE_DECAY: { return cosine_decay_row(row, step); }
    case KIND_COSINE_DECAY_RESTARTS: { return cosine_decay_restarts_row(row, step); }
    case KIND_EXPONENTIAL_DECAY: { return exponential_decay_row(row, step); }
    case KIND_PIECEWISE_CONSTANT_DECAY: { return piecewise_constant_decay_row(row, step); }
    case KIND_POLYNOMIAL_DECAY: { return polynomial_decay_row(row, step); }
    default: { return inverse_time_decay_row(row, step); }
  }
}

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
