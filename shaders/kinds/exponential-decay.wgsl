// ---- ExponentialDecay (shaders/kinds/exponential-decay.wgsl): TS reference src/schedules/exponential-decay.ts, fields packed by src/kernels/kinds/exponential-decay.ts ----
// ExponentialDecay: lr0 * rate^(s/D) = lr0 * 2^(-E), E = t * K, t = s (K = log2(1/rate)/D,
// any real D) or t = s / D exact (staircase, integer D; K = log2(1/rate)). Growth (rate > 1)
// uses 2^(+E) with K = log2(rate)/D.
// Bound: exp2_fixed 3.35 eps + E * 2^-32 (E <= 256: 0.5 eps) + host lr0 0.5 eps = 4.4 eps (k = 8).
// Step 0 (E = 0) returns f32(lr0) exactly.
fn exponential_decay_at(step: u32, flags: u32, d_int: u32, amp: f32, k_mant: u32, k_shift: u32) -> f32 {
  var t = step;
  if ((flags & FLAG_STAIRCASE) != 0u) {
    t = step / d_int;
  }
  return exp2_fixed(fixed_exponent(t, k_mant, k_shift, flags), (flags & FLAG_GROWTH) != 0u, amp);
}

// exponential_decay on a whole ScheduleParams (for kernels that include this file). The
// evaluator calls exponential_decay_at with the fields it loads one by one: on SwiftShader
// copying the struct by value (176 bytes when measured) cost ~4x the whole computation.
fn exponential_decay(p: ScheduleParams, step: u32) -> f32 {
  return exponential_decay_at(step, p.flags, p.d_int, p.amp, p.k_mant, p.k_shift);
}

