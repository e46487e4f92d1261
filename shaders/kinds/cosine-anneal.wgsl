// ---- CosineAnneal (shaders/kinds/cosine-anneal.wgsl): TS reference src/schedules/cosine-anneal.ts, fields packed by src/kernels/kinds/cosine-anneal.ts ----
// CosineAnneal: v = to * (1 - g) + from * g (exponent 1; without FLAG_POW_ONE see the power below),
// g = (1 + cos(pi * x)) / 2, x = (step + offset) / period; peak = f32(from), base = f32(to),
// inv_d = f32(1 / period) (host, 0.5 eps each). The packer requires from * to >= 0, so both
// terms have one sign.
// FLAG_HOLD: d0 = step - a0, d1 = a1 - step from anchor_dist (exact sign, 2 eps each); x <= 0
//   gives f32(from), x >= 1 f32(to); else g and 1 - g from cos_decay_factor's reduction
//   (x = min(d0, d1) / period in [0, 1/2], one sin^2 polynomial s, the other half 1 - s >= 1/2).
// Periodic (no FLAG_HOLD; integer period P = d_int <= 2^30 and integer offset): r = (step +
//   offset) mod 2P exactly in u32 (w_int = offset mod 2P); r < P descends from `from` (elapsed
//   r, remain P - r), r > P rises from `to` (g(x) = g(2 - x): elapsed P - (r - P), remain r - P):
//   exact integers, conv 1 eps.
// Bound: g and 1 - g 10.4 eps each (cos_decay_factor with rho = 2 eps), term 0.5 + 10.4 + 1
//   = 11.9 eps, sum of one sign + 1 = 12.9 eps (k = 20, as CosineDecay). Exact ends: x = 0 (or an
//   even multiple of the period, periodic) gives f32(from), x = 1 (odd multiple) f32(to).
// Exponent e != 1 (held only; the packer requires |from| >= |to| of one sign, so amp = from - to
//   has from's sign and both terms one sign; e <= 64): v = to + amp * g^e by pow_unit_scaled
//   (pow_p = e split as pow_m * 2^-pow_q + pow_lo on the host): g 10.4 eps, the power
//   (1.04 e + 1.4) + 2 + 10.4 e, the scale amp 0.5 + 1, the sum 1: 11.44 e + 5.9 eps
//   (k = max(20, ceil(1.3 * (11.44 e + 5.9))): 38 for e = 2).
//
// Both formulations (held, periodic) give a (remain, elapsed) pair and the exact ends; they are
// selected, then one reduction (x = min(remain, elapsed) * inv_d, s = sin^2, g and 1 - g) feeds
// the exponent-1 mix and the power. No branch: SwiftShader runs every block of a pipeline whose
// flags are not fixed (a mixed sweep's) plus the merge bookkeeping of each; with the flags fixed
// the selects fold and the other formulation's arithmetic is dead. The same operations on the
// same operands as each formulation alone: the same values.
fn cosine_anneal_at(step: u32, flags: u32, d_int: u32, w_int: u32, a0_b: u32, a1_b: u32, a0_l: f32, a0_r: f32, a1_l: f32, a1_r: f32, inv_d: f32, peak: f32, base: f32, amp: f32, pow_p: f32, pow_m: u32, pow_q: u32, pow_lo: f32) -> f32 {
  let hold = (flags & FLAG_HOLD) != 0u;
  // held: the distances past anchor 0 (elapsed) and before anchor 1 (remain)
  let d0 = anchor_dist(step, a0_b, a0_l, a0_r);
  let d1 = -anchor_dist(step, a1_b, a1_l, a1_r);
  // periodic: r = (step + offset) mod 2P; r < P descends (elapsed r, remain P - r), r > P rises
  // (q = r - P: elapsed P - q, remain q)
  let p2 = 2u * d_int;
  let r0 = step % p2 + w_int;
  let r = select(r0, r0 - p2, r0 >= p2);
  let below = r < d_int;
  let q = r - d_int;
  let remain = select(f32(select(q, d_int - r, below)), d1, hold);
  let elapsed = select(f32(select(d_int - q, r, below)), d0, hold);
  let at_from = select(r == 0u, d0 <= 0.0, hold);
  let at_to = select(r == d_int, d1 <= 0.0, hold);
  let x = min(remain, elapsed) * inv_d;
  let s = sin2_halfpi(x);
  let near_end = remain <= elapsed;
  let g = select(1.0 - s, s, near_end);
  let h = select(s, 1.0 - s, near_end);
  let mix = base * h + peak * g;
  // exponent != 1 (held only): to + amp * g^e
  let pw = select(base + pow_unit_scaled(g, pow_p, pow_m, pow_q, pow_lo, amp), base, g <= 0.0);
  let v = select(mix, pw, hold & ((flags & FLAG_POW_ONE) == 0u));
  return select(select(v, base, at_to), peak, at_from);
}

// cosine_anneal on a whole ScheduleParams (for kernels that include this file).
fn cosine_anneal(p: ScheduleParams, step: u32) -> f32 {
  return cosine_anneal_at(step, p.flags, p.d_int, p.w_int, p.a0_b, p.a1_b, p.a0_l, p.a0_r, p.a1_l, p.a1_r, p.inv_d, p.peak, p.base, p.amp, p.pow_p, p.pow_m, p.pow_q, p.pow_lo);
}

