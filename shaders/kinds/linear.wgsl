// ---- Linear (shaders/kinds/linear.wgsl): TS reference src/schedules/linear.ts, fields packed by src/kernels/kinds/linear.ts ----
// Linear: v = from + (to - from) * x, x = (step + offset) / steps, x clamped to [0, 1] with
// FLAG_HOLD. d0 = step - a0 (a0 = -offset) and d1 = a1 - step (a1 = steps - offset) are
// anchor_dist's exact-sign sums (2 eps each); peak = f32(from), base = f32(to),
// amp = f32(to - from), inv_d = f32(1 / steps) (host, 0.5 eps each).
// Inside (d0 > 0, d1 > 0): from * (d1 * inv_d) + to * (d0 * inv_d), two terms of one sign (the
//   packer requires from * to >= 0): w = d * inv_d 2 + 0.5 + 1 = 3.5 eps, term 0.5 + 3.5 + 1
//   = 5 eps, sum + 1 = 6 eps.
// Outside without FLAG_HOLD: past x = 1, to + amp * ((-d1) * inv_d); before x = 0,
//   from - amp * ((-d0) * inv_d): the amp term 0.5 + 2 + 0.5 + 1 + 1 = 5 eps, the end 0.5 eps.
//   Moving away from zero (terms of one sign): 5 + 1 = 6 eps. Towards zero the packer requires
//   |amp term| <= |end| / 3 in the window, so |end| <= 1.5 |v|, |amp term| <= |v| / 2:
//   0.5 * 1.5 + 5 * 0.5 + 1 = 4.25 eps.
// Bound: 6 eps (k = 8). Exact ends: x <= 0 (hold) or x = 0 gives f32(from), x >= 1 (hold) or
// x = 1 gives f32(to) (the sign of each distance is exact, and it is 0 only at the anchor).
fn linear_at(step: u32, flags: u32, a0_b: u32, a1_b: u32, a0_l: f32, a0_r: f32, a1_l: f32, a1_r: f32, inv_d: f32, peak: f32, base: f32, amp: f32) -> f32 {
  let hold = (flags & FLAG_HOLD) != 0u;
  let d0 = anchor_dist(step, a0_b, a0_l, a0_r);
  if (d0 <= 0.0) {
    if (hold || d0 == 0.0) {
      return peak;
    }
    return peak - amp * ((-d0) * inv_d);
  }
  let d1 = -anchor_dist(step, a1_b, a1_l, a1_r);
  if (d1 <= 0.0) {
    if (hold || d1 == 0.0) {
      return base;
    }
    return base + amp * ((-d1) * inv_d);
  }
  return peak * (d1 * inv_d) + base * (d0 * inv_d);
}

// linear on a whole ScheduleParams (for kernels that include this file).
fn linear(p: ScheduleParams, step: u32) -> f32 {
  return linear_at(step, p.flags, p.a0_b, p.a1_b, p.a0_l, p.a0_r, p.a1_l, p.a1_r, p.inv_d, p.peak, p.base, p.amp);
}

