// ---- SqrtAnneal (shaders/kinds/sqrt-anneal.wgsl): TS reference src/schedules/sqrt-anneal.ts, fields packed by src/kernels/kinds/sqrt-anneal.ts ----
// SqrtAnneal: with p = x = s/D (reverse: p = 1 - x), q = 1 - p, A = the value at p = 0
// (from; reverse: to) and B at p = 1, v = A * (1 - sqrt p) + B * sqrt p, where
// 1 - sqrt p = q / (1 + sqrt p) (no cancellation). x = f32(s) * (1/D) and
// 1 - x = (f32(d_int - s) [+ d_frac]) * (1/D) both come from exact u32 integers; A and B have one
// sign (validated), so the sum has no cancellation.
// Bound: x: conv 1 + host 0.5 + product 1 = 2.5 eps; 1 - x: (conv 1, d_frac 0.5) + sum 1 + 0.5 + 1
//   = 3.5 eps; r = sqrt(p): WGSL's sqrt is "inherited from 1.0 / inverseSqrt(x)" (inverseSqrt
//   2 ULP, division 2.5 ULP) = 4.5 eps + rho_p / 2 = 6.25 eps; 1 + r: r/(1+r) <= 1/2 -> 3.125 + 1
//   = 4.125 eps; q / (1 + r): 3.5 + 4.125 + 2.5 = 10.125 eps; A * that: 0.5 + 1 -> 11.625 eps;
//   B * r: 0.5 + 6.25 + 1 = 7.75 eps; sum (one sign): 11.625 + 1 = 12.625 eps (k = 16).
// Exact ends: step 0 returns f32(from) (peak), steps >= D return f32(to) (base).
fn sqrt_anneal_at(step: u32, flags: u32, d_int: u32, d_frac: f32, inv_d: f32, base: f32, peak: f32) -> f32 {
  if (step == 0u) {
    return peak;
  }
  let frac = (flags & FLAG_D_FRAC) != 0u;
  if (step > d_int || (step == d_int && !frac)) {
    return base;
  }
  var remain = f32(d_int - step);
  if (frac) {
    remain = remain + d_frac;
  }
  let x = f32(step) * inv_d;
  let y = remain * inv_d;
  let rev = (flags & FLAG_REVERSE) != 0u;
  let p = select(x, y, rev);
  let q = select(y, x, rev);
  let a = select(peak, base, rev);
  let b = select(base, peak, rev);
  let r = sqrt(p);
  return a * (q / (1.0 + r)) + b * r;
}

// sqrt_anneal on a whole ScheduleParams (for kernels that include this file). The evaluator
// calls sqrt_anneal_at with the fields it loads one by one (no struct copy).
fn sqrt_anneal(p: ScheduleParams, step: u32) -> f32 {
  return sqrt_anneal_at(step, p.flags, p.d_int, p.d_frac, p.inv_d, p.base, p.peak);
}
