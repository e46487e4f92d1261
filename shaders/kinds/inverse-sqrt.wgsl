// ---- InverseSqrt (shaders/kinds/inverse-sqrt.wgsl): TS reference src/schedules/inverse-sqrt.ts, fields packed by src/kernels/kinds/inverse-sqrt.ts ----
// InverseSqrt: value * sqrt(ts / (s + ts)) = amp * inverseSqrt(f32(s) + ts), amp = value * sqrt(ts)
// (host, f64, rounded once), ts = timescale in `rate`.
// Bound: f32(s) + ts: conv 1, host ts 0.5, sum of positives 1 -> 2 eps; inverseSqrt: 2 ULP (WGSL
//   accuracy table) + rho_y / 2 = 1 -> 3 eps; amp 0.5 + product 1 -> 4.5 eps (k = 8).
// Step 0 returns f32(value) (peak) exactly.
fn inverse_sqrt_at(step: u32, amp: f32, peak: f32, rate: f32) -> f32 {
  if (step == 0u) {
    return peak;
  }
  return amp * inverseSqrt(f32(step) + rate);
}

// inverse_sqrt on a whole ScheduleParams (for kernels that include this file). The evaluator
// calls inverse_sqrt_at with the fields it loads one by one (no struct copy).
fn inverse_sqrt(p: ScheduleParams, step: u32) -> f32 {
  return inverse_sqrt_at(step, p.amp, p.peak, p.rate);
}
