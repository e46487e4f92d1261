// ---- PolynomialDecay (shaders/kinds/polynomial-decay.wgsl): TS reference src/schedules/polynomial-decay.ts, fields packed by src/kernels/kinds/polynomial-decay.ts ----
// PolynomialDecay: lr = (lr0 - end) * (1 - p)^power + end with r = 1 - p from exact integers:
// no cycle: r = (f32(d_int - s) [+ d_frac]) * (1/D)  (rho_r = 1 conv + 1 sum + 0.5 + 1 = 3.5 eps);
// cycle (integer D): c = max(1, ceil(s/D)), r = (f32(D - s%D) * (1/D)) / f32(c)  (rho_r = 6 eps).
// Bound: pow_unit_scaled (1.04 p + 4.4) eps + p * rho_r + amp 0.5 + product 1 + sum 1; the packer requires
//   end and lr0 of one sign with |end| <= 2|lr0| so |amp * y| <= |lr|.
//   p = 1 (no pow_unit): 3.5 + 2.5 = 6 / 8.5 eps; p = 2: 15 / 20 eps; p = 3: 20 / 29 eps
//   (k = 8 + 10 max(1, p)). Ends: step 0 -> f32(lr0), r = 0 -> f32(end) exactly.
// Integer p in 2 ... 8 (FLAG_POW_INT, p = pow_m >> pow_q): amp * r * r * ... (p factors r, left
//   to right): amp 0.5 + p (rho_r + 1) + sum 1 = p (rho_r + 1) + 1.5 eps: p = 2: 10.5 / 15.5 eps,
//   p = 3: 15 / 22.5 eps, p = 8: 37.5 / 57.5 eps, below 8 + 10 p for every p (rho_r + 1 <= 7). The
//   partial products amp * r^j shrink with j (r <= 1), so one flushes to 0 only where the exact
//   amp * r^p is below 2^-126 (the absolute term).
fn polynomial_decay_at(step: u32, flags: u32, d_int: u32, d_frac: f32, inv_d: f32, amp: f32, base: f32, peak: f32, pow_p: f32, pow_lo: f32, pow_m: u32, pow_q: u32) -> f32 {
  if (step == 0u || (flags & FLAG_POW_ZERO) != 0u) {
    return peak;
  }
  var r: f32;
  if ((flags & FLAG_CYCLE) != 0u) {
    let q = step / d_int;
    let rem = step - q * d_int;
    if (rem == 0u) {
      return base;
    }
    r = (f32(d_int - rem) * inv_d) / f32(q + 1u);
  } else {
    let frac = (flags & FLAG_D_FRAC) != 0u;
    if (step > d_int || (step == d_int && !frac)) {
      return base;
    }
    var num = f32(d_int - step);
    if (frac) {
      num = num + d_frac;
    }
    r = num * inv_d;
  }
  if ((flags & FLAG_POW_ONE) != 0u) {
    return amp * r + base;
  }
  if ((flags & FLAG_POW_INT) != 0u) {
    var v = amp * r;
    for (var j = pow_m >> pow_q; j > 1u; j = j - 1u) {
      v = v * r;
    }
    return v + base;
  }
  return pow_unit_scaled(r, pow_p, pow_m, pow_q, pow_lo, amp) + base;
}

// polynomial_decay on a whole ScheduleParams (for kernels that include this file). The
// evaluator calls polynomial_decay_at with the fields it loads one by one: on SwiftShader
// copying the struct by value (176 bytes when measured) cost ~4x the whole computation.
fn polynomial_decay(p: ScheduleParams, step: u32) -> f32 {
  return polynomial_decay_at(step, p.flags, p.d_int, p.d_frac, p.inv_d, p.amp, p.base, p.peak, p.pow_p, p.pow_lo, p.pow_m, p.pow_q);
}

