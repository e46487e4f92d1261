// ---- Cyclic (shaders/kinds/cyclic.wgsl): TS reference src/schedules/cyclic.ts, fields packed by src/kernels/kinds/cyclic.ts ----
// Cyclic (PyTorch CyclicLR) with integer step sizes, T = up + down <= 2^32 - 1 (d_int = T,
// w_int = up; the packer sends other configs to the CPU): the cycle c = s / T and the position
// pos = s - c*T are exact u32, s = pos/up or (T - pos)/down and 1 - s = (up - pos)/up or
// (pos - up)/down each from an exact integer: conv 1 + host 0.5 + product 1 = 2.5 eps.
// w = s * scale with scale 1, 2^-c (ldexp, exact) or gamma^s = 2^-E, E = s * log2(1/gamma)
// (fixed point, as ExponentialDecay: exp2_fixed 3.35 + E * 2^-32 0.35 = 3.7 eps; growth the same).
// Rising (|max| >= |base|): v = base + amp * w, amp = max - base of the sign of base (no cancellation):
//   triangular / triangular2: amp 0.5 + s 2.5 + product 1 + sum 1 = 5 eps;
//   exp_range: amp*s 4 eps + exp2_fixed 3.7 + sum 1 = 8.7 eps.
// Falling (|max| < |base|): v = max + amp * (1 - w), amp = base - max of the sign of max, with
//   1 - w = (1 - s) + s * (1 - scale), two terms >= 0: triangular 5 eps; triangular2
//   (1 - 2^-c exact for c <= 24, else 0.5 eps): s*g 4 + sum 1 + amp 1.5 + sum 1 = 7.5 eps;
//   exp_range: g = 1 - 2^-E by cyclic_one_minus_exp2 (4.1 eps), s*g 7.6 + sum 1 + amp 1.5 + sum 1
//   = 11.1 eps.  Max 11.1 eps (k = 16).
// Exact ends: pos = 0 returns f32(base); a peak of scale 1 (triangular, triangular2's first cycle)
// returns f32(max). An ldexp result below 2^-126 (triangular2 after many cycles) is within the
// 2^-126 absolute term.

// 1 - 2^-E for E = (n, f) from fixed_exponent(step, K) and kf = f32(K), without cancellation:
// E < 1/2: -(2^-E - 1) = -exp2m1_poly(-E) with E = f32(step) * kf (2.5 eps; the fixed-point E would
//   lose its relative accuracy below 2^-32): 1.6 + 2.5 = 4.1 eps;
// 1/2 <= E < 3/2: tau = 1 - E in (-1/2, 1/2] exactly from the integers, m = 2^tau - 1, 2^-E = (1 + m)/2,
//   1 - 2^-E = (1 - m)/2 with m <= 0.414: m 2.1 eps * 0.414/0.586 + 1 = 2.5 eps;
// E >= 3/2: 1 - exp2_fixed (3.7 eps), condition 2^-E/(1 - 2^-E) <= 0.55: 3.0 eps.
fn cyclic_one_minus_exp2(step: u32, e: vec2<u32>, kf: f32) -> f32 {
  if (e.x == 0u && e.y < 0x80000000u) {
    return -exp2m1_poly(-(f32(step) * kf));
  }
  if (e.x == 0u || (e.x == 1u && e.y < 0x80000000u)) {
    var tau: f32;
    if (e.x == 0u) {
      tau = f32(0u - e.y) * 2.3283064365386963e-10;   // 1 - f * 2^-32 = (2^32 - f) * 2^-32
    } else {
      tau = -f32(e.y) * 2.3283064365386963e-10;
    }
    return (1.0 - exp2m1_poly(tau)) * 0.5;
  }
  return 1.0 - exp2_fixed(e, false, 1.0);
}

fn cyclic_at(step: u32, flags: u32, d_int: u32, w_int: u32, inv_d: f32, inv_w: f32, amp: f32, base: f32, peak: f32, k_mant: u32, k_shift: u32, rate: f32) -> f32 {
  let cyc = step / d_int;
  let pos = step - cyc * d_int;
  if (pos == 0u) {
    return base;
  }
  var s: f32;
  var u: f32;
  if (pos <= w_int) {
    s = f32(pos) * inv_d;
    u = f32(w_int - pos) * inv_d;
  } else {
    s = f32(d_int - pos) * inv_w;
    u = f32(pos - w_int) * inv_w;
  }
  let tri2 = (flags & FLAG_TRIANGULAR2) != 0u;
  let expr = (flags & FLAG_EXP_RANGE) != 0u;
  if (pos == w_int && !expr && (!tri2 || cyc == 0u)) {
    return peak;
  }
  let c = i32(min(cyc, 300u));
  if ((flags & FLAG_FALLING) == 0u) {
    if (tri2) {
      return base + ldexp(amp * s, -c);
    }
    if (expr) {
      return base + exp2_fixed(fixed_exponent(step, k_mant, k_shift, flags), (flags & FLAG_GROWTH) != 0u, amp * s);
    }
    return base + amp * s;
  }
  var g = 0.0;
  if (tri2) {
    g = 1.0 - ldexp(1.0, -c);
  } else if (expr) {
    g = cyclic_one_minus_exp2(step, fixed_exponent(step, k_mant, k_shift, flags), rate);
  }
  return peak + amp * (u + s * g);
}

// cyclic on a whole ScheduleParams (for kernels that include this file). The evaluator calls
// cyclic_at with the fields it loads one by one (no struct copy).
fn cyclic(p: ScheduleParams, step: u32) -> f32 {
  return cyclic_at(step, p.flags, p.d_int, p.w_int, p.inv_d, p.inv_w, p.amp, p.base, p.peak, p.k_mant, p.k_shift, p.rate);
}
