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
//
// cyclic_at computes every mode's value and selects one (no branch: SwiftShader runs every block
// of a pipeline whose flags are not fixed, a mixed sweep's, plus the merge bookkeeping of each;
// with the flags fixed the selects fold and the other modes' arithmetic is dead). The modes share
// one fixed-point exponent and ONE exp2m1_poly, whose argument is selected: exp_range rising
// (exp2_fixed: 2^(+-t) = 1 + exp2m1_poly(+-t), scale * that, ldexp by +-n, a decay past n > 256
// is 0) or falling (the three cases of 1 - 2^-E above, the third one exp2_fixed's decay with
// scale 1). The same operations on the same operands as each mode alone: the same values.
fn cyclic_at(step: u32, flags: u32, d_int: u32, w_int: u32, inv_d: f32, inv_w: f32, amp: f32, base: f32, peak: f32, k_mant: u32, k_shift: u32, rate: f32) -> f32 {
  let cyc = step / d_int;
  let pos = step - cyc * d_int;
  let up = pos <= w_int;
  let iv = select(inv_w, inv_d, up);
  let s = f32(select(d_int - pos, pos, up)) * iv;
  let u = f32(select(pos - w_int, w_int - pos, up)) * iv;
  let tri2 = (flags & FLAG_TRIANGULAR2) != 0u;
  let expr = (flags & FLAG_EXP_RANGE) != 0u;
  let falling = (flags & FLAG_FALLING) != 0u;
  let growth = (flags & FLAG_GROWTH) != 0u;
  let c = i32(min(cyc, 300u));
  // exp_range: E = step * K (exp2_fixed's decomposition)
  let e = fixed_exponent(step, k_mant, k_shift, flags);
  let fi = bitcast<i32>(e.y);
  let n = min(e.x, 1024u) + select(0u, 1u, fi < 0);
  let t = f32(fi) * 2.3283064365386963e-10;
  // falling exp_range: which case of 1 - 2^-E
  let small = (e.x == 0u) & (e.y < 0x80000000u);
  let near = (e.x == 0u) | ((e.x == 1u) & (e.y < 0x80000000u));
  let tau = select(-f32(e.y) * 2.3283064365386963e-10, f32(0u - e.y) * 2.3283064365386963e-10, e.x == 0u);
  let arg_fall = select(select(-t, tau, near), -(f32(step) * rate), small);
  let m = exp2m1_poly(select(select(-t, t, growth), arg_fall, falling));
  // rising: base + amp * s * scale
  let decayed = ldexp(1.0 + m, i32(0u - n));       // exp2_fixed(e, false, 1.0) before its cut
  let grown = ldexp(amp * s * (1.0 + m), select(i32(0u - n), i32(n), growth));
  let rise_exp = select(select(grown, 0.0, n > 256u), grown, growth);
  let rise = select(select(base + amp * s, base + ldexp(amp * s, -c), tri2), base + rise_exp, expr);
  // falling: peak + amp * (u + s * (1 - scale))
  let om_exp = select(select(1.0 - select(decayed, 0.0, n > 256u), (1.0 - m) * 0.5, near), -m, small);
  let g = select(select(0.0, 1.0 - ldexp(1.0, -c), tri2), om_exp, expr);
  let fall = peak + amp * (u + s * g);
  // exact ends: pos = 0 is f32(base), a peak of scale 1 f32(max)
  // (nested selects: a pipeline with fixed flags folds each one whose condition is a flag)
  let v = select(rise, fall, falling);
  let v_peak = select(v, peak, pos == w_int);
  let v_ends = select(select(v_peak, select(v, v_peak, cyc == 0u), tri2), v, expr);
  return select(v_ends, base, pos == 0u);
}

// cyclic on a whole ScheduleParams (for kernels that include this file). The evaluator calls
// cyclic_at with the fields it loads one by one (no struct copy).
fn cyclic(p: ScheduleParams, step: u32) -> f32 {
  return cyclic_at(step, p.flags, p.d_int, p.w_int, p.inv_d, p.inv_w, p.amp, p.base, p.peak, p.k_mant, p.k_shift, p.rate);
}
