// ---- CosineDecay (shaders/kinds/cosine-decay.wgsl): TS reference src/schedules/cosine-decay.ts, fields packed by src/kernels/kinds/cosine-decay.ts ----
// CosineDecay (+ optional linear warmup). Decay: d = steps since warmup end (exact u32),
// remain = D - d = f32(d_int - d) [+ d_frac], lr = amp * g + base, amp = lr_from*(1-alpha),
// base = lr_from*alpha (host, 0.5 eps each; packer requires 0 <= alpha <= 2 so |amp*g| <= |lr|).
// Bound: g 10.4 eps (D > 2^24 or fractional D; 8.4 eps otherwise) + amp 0.5 + product 1 + sum 1
//   = 12.9 eps  (k = 20).
// Warmup: init*((W-s)*(1/W)) + target*(s*(1/W)), two same-signed terms (packer checks):
//   conv 1 + host 0.5 + product 1 + scale 1 (+0.5 host) + sum 1 = 5 eps.
// Exact ends: step 0 returns f32(lr0) (or f32(target) if W = 0), the end returns f32(lr_from*alpha)
// (0 for alpha = 0), the warmup end returns f32(target).
fn cosine_decay_at(step: u32, flags: u32, d_int: u32, w_int: u32, d_frac: f32, inv_d: f32, amp: f32, base: f32, peak: f32, warm_init: f32, warm_target: f32, inv_w: f32) -> f32 {
  var s = step;
  if ((flags & FLAG_WARMUP) != 0u) {
    if (s < w_int) {
      if (s == 0u) {
        return warm_init;
      }
      let a = f32(w_int - s) * inv_w;
      let b = f32(s) * inv_w;
      return warm_init * a + warm_target * b;
    }
    s = s - w_int;
  }
  // Past the end (s > D; s >= D for an integer D) the value is base. The decay is computed for
  // every s and the ends chosen by selects, without branches: the taken value is the same.
  let frac = (flags & FLAG_D_FRAC) != 0u;
  let past = select(s >= d_int, s > d_int, frac);
  var remain = f32(d_int - s);
  if (frac) {
    remain = remain + d_frac;
  }
  let g = cos_decay_factor(remain, f32(s), inv_d);
  return select(select(amp * g + base, base, past), peak, s == 0u);
}

// cosine_decay on a whole ScheduleParams (for kernels that include this file). The
// evaluator calls cosine_decay_at with the fields it loads one by one: on SwiftShader
// copying the struct by value (176 bytes when measured) cost ~4x the whole computation.
fn cosine_decay(p: ScheduleParams, step: u32) -> f32 {
  return cosine_decay_at(step, p.flags, p.d_int, p.w_int, p.d_frac, p.inv_d, p.amp, p.base, p.peak, p.warm_init, p.warm_target, p.inv_w);
}

