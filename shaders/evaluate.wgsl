// Entry points eval_range / eval_list / eval_segments (docs/design.md, Layer 1). Concatenated AFTER
// SCHEDULES_WGSL (common.wgsl + kinds/*.wgsl; src/kernels: EVALUATE_WGSL).

const WORKGROUP_SIZE: u32 = 256u;

struct Job {
  row0: u32,        // first schedule row of this dispatch
  col0: u32,        // first column (index into the step range / list) of this dispatch
  cols: u32,        // columns per schedule row (N)
  count: u32,       // invocations that write (elements in this dispatch)
  start: u32,       // eval_range: first step
  stride: u32,      // eval_range: step stride
  groups_x: u32,    // workgroups along x (eval_segments; eval_range / eval_list run 1D)
  out_offset: u32,  // element offset of this dispatch's first output
  lane_cols: u32,   // eval_range_tile / eval_list_tile: columns per invocation (1 elsewhere)
}

@group(0) @binding(0) var<uniform> job: Job;
@group(0) @binding(1) var<storage, read> params: array<ScheduleParams>;
@group(0) @binding(2) var<storage, read> tables: array<u32>;
@group(0) @binding(3) var<storage, read> steps: array<u32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
// eval_range_row / eval_list_row only: the parameters of the dispatch's one row (the host binds
// that row of its params, copied at offset-aligned strides). One struct, not an array: no row
// index to clamp.
@group(0) @binding(5) var<storage, read> row_params: ScheduleParams;

// The table hook the kinds read (restart periods, long piecewise lists).
fn lr_table(i: u32) -> u32 {
  return tables[i];
}

// eval_row(row, step), each kind's <kind>_row and the override SCHEDULE_KIND are written
// from the kind list by scripts/gen-shaders.ts and follow this file (EVALUATE_SOURCE).

// eval_range and eval_list are dispatched as one row of workgroups (x only: the host's chunk
// planner runs with flat = true), so the invocation's index is global_invocation_id.x.
@compute @workgroup_size(WORKGROUP_SIZE)
fn eval_range(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
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
fn eval_list(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= job.count) {
    return;
  }
  let linear = job.col0 + i;
  let row = job.row0 + linear / job.cols;
  let col = linear % job.cols;
  out[job.out_offset + i] = eval_row(row, steps[col]);
}

// eval_range_row and eval_list_row: a dispatch whose elements all lie in row job.row0 (the host
// picks them for rows of at least ROW_PATH_MIN_COLS columns, src/gpu/gpu-backend.ts, and cuts
// its chunks at row boundaries). The row's parameters are row_params (binding 5, that row bound
// by itself), so no invocation divides, clamps a row index or reads the params array:
// eval_one(step) is eval_row(row0, step) on the same fields, the same arithmetic, the same bits.
// Each invocation of eval_range_row / eval_list_row writes ROW_VALUES = 2 consecutive elements
// (the host plans their chunks with WORKGROUP_SIZE * ROW_VALUES elements a workgroup): on
// SwiftShader what each invocation costs besides its values (the bounds test, the Job and
// parameter loads, the lane bookkeeping) is a large part of a cheap kind's time, and two values
// an invocation measured 1.26-1.67x faster than one (4 by a loop: 0.97-1.36x; docs/benchmarks.md,
// "The single-row kernels of PiecewiseConstantDecay and CosineDecayRestarts"). Each value is
// eval_one of its own step: the same bits.
const ROW_VALUES: u32 = 2u;

@compute @workgroup_size(WORKGROUP_SIZE)
fn eval_range_row(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x * ROW_VALUES;
  if (i >= job.count) {
    return;
  }
  let step = job.start + i * job.stride;
  out[job.out_offset + i] = eval_one(step);
  if (i + 1u < job.count) {
    out[job.out_offset + i + 1u] = eval_one(step + job.stride);
  }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn eval_list_row(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x * ROW_VALUES;
  if (i >= job.count) {
    return;
  }
  out[job.out_offset + i] = eval_one(steps[job.col0 + i]);
  if (i + 1u < job.count) {
    out[job.out_offset + i + 1u] = eval_one(steps[job.col0 + i + 1u]);
  }
}

// eval_range_tile and eval_list_tile: a dispatch of whole rows (narrow rows, below
// ROW_PATH_MIN_COLS columns and at least TILE_MIN_COLS, src/gpu/gpu-backend.ts). Workgroup row
// wg.y is row job.row0 + wg.y, so no invocation divides; each invocation reads its row's fields
// once and writes job.lane_cols columns of it, WORKGROUP_SIZE apart (workgroup wg.x covers
// lane_cols · WORKGROUP_SIZE columns from wg.x times that). On SwiftShader an invocation's
// fixed cost (its builtins, the row's field loads, the bounds test) is most of a cheap kind's
// time: 4 columns an invocation at 10^3 columns ran 1.6-2.5x faster than eval_range
// (docs/benchmarks.md, "Narrow rows by tiles"). The values are eval_row(row, step): the same
// <kind>_at calls on the same fields, the same bits.
@compute @workgroup_size(WORKGROUP_SIZE)
fn eval_range_tile(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  eval_tile_range(job.row0 + wg.y, wg.x * job.lane_cols * WORKGROUP_SIZE + lid.x, job.out_offset + wg.y * job.cols);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn eval_list_tile(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  eval_tile_list(job.row0 + wg.y, wg.x * job.lane_cols * WORKGROUP_SIZE + lid.x, job.out_offset + wg.y * job.cols);
}

// Segments of Sequences (docs/design.md, "Sequences on the GPU"): the host splits each
// Sequence's steps into per-piece segments and writes a table of them at the head of
// `steps`, SEGMENT_WORDS u32 per entry: row (into params), a, b, count, out (element index
// of its first output), scale and shift (f32 bits), mode. mode 0: step = a + i·b (a range);
// mode 1: step = steps[a + i] − b (a run of a step list, b the piece's begin). Workgroup row
// wg.y is entry job.row0 + wg.y; x covers its elements (count ≤ groups_x · WORKGROUP_SIZE).
// No division, no search: each entry is one piece of one kind, on a pipeline specialised
// to that kind like eval_range's. The identity map (scale 1, shift 0) returns v exactly.
const SEGMENT_WORDS: u32 = 8u;

@compute @workgroup_size(WORKGROUP_SIZE)
fn eval_segments(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let e = (job.row0 + wg.y) * SEGMENT_WORDS;
  let i = wg.x * WORKGROUP_SIZE + lid.x;
  if (i >= steps[e + 3u]) {
    return;
  }
  let a = steps[e + 1u];
  let b = steps[e + 2u];
  var step = a + i * b;
  if (steps[e + 7u] != 0u) {
    step = steps[a + i] - b;
  }
  let v = eval_row(steps[e], step);
  out[steps[e + 4u] + i] = v * bitcast<f32>(steps[e + 5u]) + bitcast<f32>(steps[e + 6u]);
}
