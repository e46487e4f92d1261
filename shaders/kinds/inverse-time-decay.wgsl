// ---- InverseTimeDecay (shaders/kinds/inverse-time-decay.wgsl): TS reference src/schedules/inverse-time-decay.ts, fields packed by src/kernels/kinds/inverse-time-decay.ts ----
// InverseTimeDecay: lr0 / (1 + x), x = f32(s) * (rate/D) or f32(s / D) * rate (staircase,
// integer D). Condition of 1/(1+x) in x is x/(1+x) <= 1.
// Bound: x: conv 1 + host 0.5 + product 1 = 2.5 eps; 1 + x: 1 eps; division 2.5 eps; lr0 0.5 eps
//   = 6.5 eps (k = 10). Step 0 (x = 0) returns f32(lr0) exactly.
fn inverse_time_decay_at(step: u32, flags: u32, d_int: u32, amp: f32, rate: f32) -> f32 {
  var x: f32;
  if ((flags & FLAG_STAIRCASE) != 0u) {
    x = f32(step / d_int) * rate;
  } else {
    x = f32(step) * rate;
  }
  if (x == 0.0) {
    return amp;
  }
  return amp / (1.0 + x);
}

// inverse_time_decay on a whole ScheduleParams (for kernels that include this file). The
// evaluator calls inverse_time_decay_at with the fields it loads one by one: on SwiftShader
// copying the struct by value (176 bytes when measured) cost ~4x the whole computation.
fn inverse_time_decay(p: ScheduleParams, step: u32) -> f32 {
  return inverse_time_decay_at(step, p.flags, p.d_int, p.amp, p.rate);
}

