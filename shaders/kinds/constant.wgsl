// ---- Constant (shaders/kinds/constant.wgsl): TS reference src/schedules/constant.ts, fields packed by src/kernels/kinds/constant.ts ----
// Constant: v(t) = value. The host rounds the value to f32 once (peak = f32(value)); the packer
// declines a value whose f32 rounding overflows or is subnormal (WebGPU may flush it to 0).
// Bound: exact rounding, got = Math.fround(value) at every step (k = 0: no arithmetic).
fn constant_at(step: u32, peak: f32) -> f32 {
  return peak;
}

// constant on a whole ScheduleParams (for kernels that include this file).
fn constant(p: ScheduleParams, step: u32) -> f32 {
  return constant_at(step, p.peak);
}

