// Keras learning-rate schedules as pure WGSL functions (no bindings).
//
// Contract (docs/design.md, Layer 1):
//   * one function per kind, `(p: ScheduleParams, step: u32) -> f32`, named after its
//     TS twin, and `schedule_value(p, step)` dispatching on `p.kind`;
//   * every ScheduleParams field is written by the TS packer (src/kernels/pack.ts),
//     which computes all parameter-only constants in f64 and rounds each once to f32;
//   * the restart table (CosineDecayRestarts with FLAG_TABLE) and long piecewise
//     lists (PiecewiseConstantDecay with FLAG_TABLE) are read through
//     `lr_table(i: u32) -> u32`, which the INCLUDING module must define (evaluate.wgsl
//     reads binding 2; a user kernel without tables can define it as `return 0u;`).
//
// Numerics (docs/accuracy.md#the-error-budget-of-each-formulation): all step arithmetic is
// exact u32 (and u32 pairs); the only f32 inputs to transcendental parts are reduced
// quantities in [0, 1/2] (or [-1/2, 1/2]) that are exact or singly rounded; own
// polynomials, no builtin cos/sin/exp2/log2/pow (the restart-index ESTIMATE uses the
// builtin log2 only to choose where an exact integer search starts). No TwoSum or
// other error-free transformations: legal reassociation cannot break anything here.
//
// Error bounds below are first-order sums of roundings, in eps = 2^-23 (one faithful
// WGSL rounding); "conv" = u32->f32 conversion (exact below 2^24, else <= 1 eps);
// host constants are correctly rounded (0.5 eps). The promised tolerances (docs/accuracy.md,
// "The contract") are k = 8 (exponential), 10 (inverse time), 20/24 (cosine, restarts),
// 8 + 10*max(1, power) (polynomial), exact (piecewise).

// ---- kind codes (the TS side reads these through the generator; one source) ----
const KIND_COSINE_DECAY: u32 = 0u;
const KIND_COSINE_DECAY_RESTARTS: u32 = 1u;
const KIND_EXPONENTIAL_DECAY: u32 = 2u;
const KIND_PIECEWISE_CONSTANT_DECAY: u32 = 3u;
const KIND_POLYNOMIAL_DECAY: u32 = 4u;
const KIND_INVERSE_TIME_DECAY: u32 = 5u;

// ---- flags ----
const FLAG_STAIRCASE: u32 = 1u;     // exponential, inverse time: exponent uses floor(s / D)
const FLAG_CYCLE: u32 = 2u;         // polynomial: cycle = true
const FLAG_WARMUP: u32 = 4u;        // cosine: linear warmup over w_int steps first
const FLAG_D_FRAC: u32 = 8u;        // D = d_int + d_frac with d_frac > 0 (non-integer D, or D > 2^32-1)
const FLAG_POW_ONE: u32 = 16u;      // polynomial: power == 1
const FLAG_POW_ZERO: u32 = 32u;     // polynomial: power == 0 (constant lr0)
const FLAG_GROWTH: u32 = 64u;       // exponential rate > 1 / restarts m_mul > 1: 2^(+E)
const FLAG_TABLE: u32 = 128u;       // restarts: period table; piecewise: boundary table
const FLAG_EST_LINEAR: u32 = 256u;  // restarts table with t_mul == 1: index estimate s / D
const FLAG_M_ONE: u32 = 512u;       // restarts t_mul == 1 path with m_mul == 1

// ---- restart table rows: ROW_WORDS u32 words per period, at p.table_off + ROW_WORDS * (k - p.k0) ----
const ROW_WORDS: u32 = 8u;
const ROW_START: u32 = 0u;    // u32: first step of period k, ceil(B_k)
const ROW_LAST: u32 = 1u;     // u32: last step of period k, ceil(B_{k+1}) - 1 (clamped to 2^32-1)
const ROW_EXTRA: u32 = 2u;    // f32 bits: B_{k+1} - last  (in (0, 1] unless clamped)
const ROW_DELTA: u32 = 3u;    // f32 bits: start - B_k     (in [0, 1))
const ROW_INV_LEN: u32 = 4u;  // f32 bits: 1 / L_k
const ROW_AMP: u32 = 5u;      // f32 bits: lr0 * (1 - alpha) * m_mul^k
const ROW_PEAK: u32 = 6u;     // f32 bits: lr0 * ((1 - alpha) * m_mul^k + alpha), the value at an integer B_k

// Largest number of inline piecewise boundaries (two vec4<u32>); more go to the table.
const PIECEWISE_INLINE_MAX: u32 = 8u;

struct ScheduleParams {
  kind: u32,          // KIND_*
  flags: u32,         // FLAG_*
  d_int: u32,         // floor(D) clamped to 2^32-1 (decay_steps / first_decay_steps)
  w_int: u32,         // cosine: warmup steps W (integer)
  d_frac: f32,        // D - d_int, when FLAG_D_FRAC
  inv_d: f32,         // 1 / D
  amp: f32,           // cosine/restarts: lr_from*(1-alpha); polynomial: lr0-end; exponential/inverse: lr0
  base: f32,          // cosine/restarts: lr_from*alpha; polynomial: end
  peak: f32,          // exact value at the start: cosine lr_from, restarts/polynomial lr0
  warm_init: f32,     // cosine warmup: initial_learning_rate
  warm_target: f32,   // cosine warmup: warmup_target
  inv_w: f32,         // cosine warmup: 1 / W
  k_mant: u32,        // fixed-point exponent K = k_mant * 2^-k_shift (exponential; restarts t_mul=1: log2 m_mul)
  k_shift: u32,
  rate: f32,          // inverse time: rate / D (or rate, staircase)
  pow_p: f32,         // polynomial: power
  pow_lo: f32,        // polynomial: power - pow_m * 2^-pow_q
  pow_m: u32,         // polynomial: 12-bit integer part of the power, power ~ pow_m * 2^-pow_q
  pow_q: u32,
  table_off: u32,     // word offset of this schedule's rows in lr_table
  table_rows: u32,    // restarts: rows; piecewise table: number of boundaries
  est_mul: f32,       // restarts table: (t_mul - 1) / D, or 1 / D with FLAG_EST_LINEAR
  est_div: f32,       // restarts table: 1 / log2(t_mul)
  k0: u32,            // restarts table: period index of row 0
  bounds_lo: vec4<u32>,  // piecewise: floor(boundary[0..3]); unused = 0xffffffff
  bounds_hi: vec4<u32>,  // piecewise: floor(boundary[4..7])
  values_a: vec4<f32>,   // piecewise: f32(values[0..3])
  values_b: vec4<f32>,   // piecewise: f32(values[4..7])
  values_c: vec4<f32>,   // piecewise: f32(values[8]) in .x
}

// ---------------------------------------------------------------------------------
// Polynomials (coefficients fitted by Lawson's minimax iteration in high precision, f32 rounded one at a
// time with the rest re-fitted; re-checked in f64 on 2026-11-25:
// approximation errors 2^-29.86, 2^-28.32, 2^-30.25). Leading coefficients as hi + lo.

// sin^2(pi/2 * x) for x in [0, 1/2]: z * Q(z), z = x^2, degree 4 in z.
// Bound (x exact): approx 2^-29.9 + z 1 eps + Horner ~0.4 eps + (hi + q) 1 eps + z*Q 1 eps
//   = 3.4 eps; a relative error rho in x adds 2 rho (condition number <= 2).
fn sin2_halfpi(x: f32) -> f32 {
  let z = x * x;
  let q = 7.259289703e-8 + z * (-2.029355764 + z * (0.6676203012 + z * (-0.1175364628 + z * 0.01230827533)));
  return z * (2.467401028 + q);
}

// 2^t for t in [-1/2, 1/2]: 1 + t * Q(t), degree 6.
// Bound: approx 2^-28.3 + Horner on Q (~1.5 eps on t*Q, |t*Q| <= 0.41, result >= 0.707) ~0.9 eps
//   + final add 1 eps = 2.0 eps (measured on SwiftShader as a standalone function: 1.07 ULP).
fn exp2_poly(t: f32) -> f32 {
  let q = 0.6931471825 + t * (0.2402264774 + t * (0.05550359935 + t * (0.009618505836 + t * (0.001339080627 + t * 1.532646420e-4))));
  return 1.0 + t * q;
}

// log2(1 + u) for 1 + u in [sqrt(1/2), sqrt(2)): u * R(u), R of degree 10.
// Bound (relative to the result): approx 2^-30.2 + Horner (terms shrink by |u| <= 0.3) ~1 eps
//   + (hi + r) 1 eps + u*R 1 eps = 3 eps.
fn log2_1p_poly(u: f32) -> f32 {
  let r = u * (-0.7213475108 + u * (0.4808980823 + u * (-0.3606745601 + u * (0.2885680795 + u * (-0.2404513657
        + u * (0.2051601410 + u * (-0.1791700572 + u * (0.1715588868 + u * (-0.1676048189 + u * 0.09640027583)))))))));
  return u * (1.442695022 + (1.925963034e-8 + r));
}

// ---------------------------------------------------------------------------------
// Exact integer helpers.

// 32x32 -> 64-bit product from 16-bit limbs (exact): returns (lo, hi).
fn mul_u32_wide(a: u32, b: u32) -> vec2<u32> {
  let a0 = a & 0xffffu;
  let a1 = a >> 16u;
  let b0 = b & 0xffffu;
  let b1 = b >> 16u;
  let p00 = a0 * b0;
  let p01 = a0 * b1;
  let p10 = a1 * b0;
  let p11 = a1 * b1;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);   // < 3 * 2^16, no overflow
  let lo = (p00 & 0xffffu) | (mid << 16u);
  let hi = p11 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u);
  return vec2<u32>(lo, hi);
}

// Fixed-point exponent E = t * K with K = k_mant * 2^-k_shift (k_mant < 2^32, 23 <= k_shift < 96):
// returns (n, f) with E = n + f * 2^-32 - (truncation < 2^-32), n saturated at 0xffffffff.
// Exact integer shifts of the exact 64-bit product.
fn fixed_exponent(t: u32, k_mant: u32, k_shift: u32) -> vec2<u32> {
  let pr = mul_u32_wide(t, k_mant);
  let lo = pr.x;
  let hi = pr.y;
  if (k_shift >= 64u) {
    return vec2<u32>(0u, hi >> (k_shift - 64u));
  }
  if (k_shift >= 32u) {
    let j = k_shift - 32u;
    if (j == 0u) {
      return vec2<u32>(hi, lo);
    }
    return vec2<u32>(hi >> j, (hi << (32u - j)) | (lo >> j));
  }
  // k_shift in [23, 32): n = P >> k_shift may exceed 32 bits: saturate.
  let n = select(0xffffffffu, (hi << (32u - k_shift)) | (lo >> k_shift), (hi >> k_shift) == 0u);
  return vec2<u32>(n, lo << (32u - k_shift));
}

// scale * 2^(-E) (decay) or scale * 2^(+E) (growth) for E = (n, f) from fixed_exponent.
// Re-centres the fraction to [-1/2, 1/2) exactly in integers (bitcast), then one rounding
// (f32 of the 32-bit fraction, <= 0.5 eps relative in t, |t| <= 1/2 -> ln2 * 2^-25 = 0.35 eps),
// exp2_poly (2.0 eps), scale * p (1 eps), ldexp exact. Decay results with n > 256 are 0
// (the exact value is below 2^-128 for |scale| < 2^127): covered by the 2^-126 absolute term.
// Bound: 3.35 eps + error of E (E * 2^-32 from the host's K, + 2^-32 truncation).
fn exp2_fixed(e: vec2<u32>, growth: bool, scale: f32) -> f32 {
  var fi = bitcast<i32>(e.y);                       // f >= 2^31 becomes f - 2^32: E = n' + fi * 2^-32
  let nu = min(e.x, 1024u);
  var n = i32(nu) + select(0, 1, fi < 0);
  if (!growth && n > 256) {
    return 0.0;
  }
  let t = f32(fi) * 2.3283064365386963e-10;        // * 2^-32, exact scaling
  if (growth) {
    return ldexp(scale * exp2_poly(t), n);
  }
  return ldexp(scale * exp2_poly(-t), -n);
}

// ---------------------------------------------------------------------------------
// Shared pieces.

// 0.5 * (1 + cos(pi * elapsed / L)) with L = remain + elapsed, both >= 0, via
// sin^2(pi/2 * remain/L) (no cancellation): x = min(remain, elapsed) / L in [0, 1/2].
// Bound with rho = relative error of remain/elapsed (0..2 eps) and inv_len (0.5 eps):
//   x: rho + 0.5 + 1 (product) ; g = sin^2: 3.4 + 2 * (rho + 1.5) ; 1 - s branch: g >= 1/2,
//   condition <= pi/4 * 2, plus 1 eps for the subtraction. rho = 2: 10.4 eps.
fn cos_decay_factor(remain: f32, elapsed: f32, inv_len: f32) -> f32 {
  let x = min(remain, elapsed) * inv_len;
  let s = sin2_halfpi(x);
  return select(1.0 - s, s, remain <= elapsed);
}

// scale * r^pw for r in (0, 1] (pw > 0): r = m * 2^k with m in [sqrt(1/2), sqrt(2)), exact;
// log2 r = k + l, l = log2(1 + (m - 1)) (m - 1 exact by Sterbenz). pw * k is split exactly:
// pw = pow_m * 2^-pow_q + pow_lo, pow_m * k an exact integer whose integer and fraction
// parts come from shifts. Then w = frac + (pow_lo * k + pw * l), t = w - round(w) (exact),
// result ldexp(scale * 2^t, n): the scale is applied before ldexp so that a tiny r^pw times a
// large scale is never flushed as an intermediate.
// Bound (r exact): l 3 eps relative -> pw * |l| * 3 eps <= 1.5 pw eps absolute in w, plus
//   |w| <= 1 + pw/2 roundings (~2 eps abs), times ln2 -> (1.04 pw + 1.4) eps, + exp2_poly 2 eps
//   + scale 1 eps. p = 2: 6.5 eps, p = 3: 7.5 eps. An input error rho in r adds pw * rho.
fn pow_unit_scaled(r: f32, pw: f32, pow_m: u32, pow_q: u32, pow_lo: f32, scale: f32) -> f32 {
  let fr = frexp(r);
  var m = fr.fract;
  var k = fr.exp;
  if (m < 0.70710678) {
    m = m * 2.0;
    k = k - 1;
  }
  let l = log2_1p_poly(m - 1.0);
  let prod = i32(pow_m) * k;                                    // exact: pow_m < 2^12, |k| <= 70
  let n0 = prod >> pow_q;                                       // floor(prod * 2^-pow_q)
  let frac0 = ldexp(f32(prod & i32((1u << pow_q) - 1u)), -i32(pow_q));   // exact, in [0, 1)
  let w = frac0 + (pow_lo * f32(k) + pw * l);
  let rw = round(w);
  let t = w - rw;
  return ldexp(scale * exp2_poly(t), n0 + i32(rw));
}

// ---------------------------------------------------------------------------------
// The schedules.

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
  if (s == 0u) {
    return peak;
  }
  let frac = (flags & FLAG_D_FRAC) != 0u;
  if (s > d_int || (s == d_int && !frac)) {
    return base;
  }
  var remain = f32(d_int - s);
  if (frac) {
    remain = remain + d_frac;
  }
  let g = cos_decay_factor(remain, f32(s), inv_d);
  return amp * g + base;
}

// cosine_decay on a whole ScheduleParams (for kernels that include this file). The
// evaluator calls cosine_decay_at with the fields it loads one by one: on SwiftShader
// copying the 176-byte struct by value cost ~4x the whole computation.
fn cosine_decay(p: ScheduleParams, step: u32) -> f32 {
  return cosine_decay_at(step, p.flags, p.d_int, p.w_int, p.d_frac, p.inv_d, p.amp, p.base, p.peak, p.warm_init, p.warm_target, p.inv_w);
}

// CosineDecayRestarts with the host-built exact period table (t_mul != 1, or t_mul = 1 with
// a fractional D or m_mul > 1). remain = B_{k+1} - s = f32(last - s) + extra,
// elapsed = s - B_k = f32(s - start) + delta: sums of non-negative terms (conv 1 + sum 1 = 2 eps).
// Bound: g 10.4 eps + amp (host 0.5) + product 1 + sum 1 = 12.9 eps (k = 20).
// The estimate of k only picks where the exact integer search starts.
fn restarts_table_at(step: u32, flags: u32, base: f32, table_off: u32, table_rows: u32, est_mul: f32, est_div: f32, k0: u32) -> f32 {
  let rows = table_rows;
  let sf = f32(step);
  var est: f32;
  if ((flags & FLAG_EST_LINEAR) != 0u) {
    est = sf * est_mul;
  } else {
    est = log2(1.0 + sf * est_mul) * est_div;
  }
  var k = u32(clamp(est - f32(k0), 0.0, f32(rows - 1u)));
  let tbase = table_off;
  loop {
    if (k == 0u || lr_table(tbase + k * ROW_WORDS + ROW_START) <= step) { break; }
    k = k - 1u;
  }
  loop {
    if (k + 1u >= rows || lr_table(tbase + (k + 1u) * ROW_WORDS + ROW_START) > step) { break; }
    k = k + 1u;
  }
  let r = tbase + k * ROW_WORDS;
  let start = lr_table(r + ROW_START);
  let delta = bitcast<f32>(lr_table(r + ROW_DELTA));
  if (step == start && delta == 0.0) {
    return bitcast<f32>(lr_table(r + ROW_PEAK));
  }
  let remain = f32(lr_table(r + ROW_LAST) - step) + bitcast<f32>(lr_table(r + ROW_EXTRA));
  let elapsed = f32(step - start) + delta;
  let g = cos_decay_factor(remain, elapsed, bitcast<f32>(lr_table(r + ROW_INV_LEN)));
  return bitcast<f32>(lr_table(r + ROW_AMP)) * g + base;
}

// CosineDecayRestarts. t_mul = 1 with integer D: k = s / D, rem = s % D exact;
// m_mul^k = 2^(-k * log2(1/m_mul)) by the fixed-point exponent (3.4 eps + k*K*2^-32).
// Bound: g 8.4 eps (integers exact below 2^24; D - rem, rem < D) + amp*m^k 3.4+0.5 + product 1
//   + sum 1 = 14.3 eps (k = 24 when m_mul != 1). m_mul = 1: the peak is f32(lr0) exactly.
fn cosine_decay_restarts_at(step: u32, flags: u32, d_int: u32, inv_d: f32, amp: f32, base: f32, peak: f32, k_mant: u32, k_shift: u32, table_off: u32, table_rows: u32, est_mul: f32, est_div: f32, k0: u32) -> f32 {
  if ((flags & FLAG_TABLE) != 0u) {
    return restarts_table_at(step, flags, base, table_off, table_rows, est_mul, est_div, k0);
  }
  let k = step / d_int;
  let rem = step - k * d_int;
  let m_one = (flags & FLAG_M_ONE) != 0u;
  var a = amp;
  if (!m_one) {
    a = exp2_fixed(fixed_exponent(k, k_mant, k_shift), (flags & FLAG_GROWTH) != 0u, amp);
  }
  if (rem == 0u) {
    if (m_one) {
      return peak;
    }
    return a + base;
  }
  let g = cos_decay_factor(f32(d_int - rem), f32(rem), inv_d);
  return a * g + base;
}

// cosine_decay_restarts on a whole ScheduleParams (for kernels that include this file). The
// evaluator calls cosine_decay_restarts_at with the fields it loads one by one: on SwiftShader
// copying the 176-byte struct by value cost ~4x the whole computation.
fn cosine_decay_restarts(p: ScheduleParams, step: u32) -> f32 {
  return cosine_decay_restarts_at(step, p.flags, p.d_int, p.inv_d, p.amp, p.base, p.peak, p.k_mant, p.k_shift, p.table_off, p.table_rows, p.est_mul, p.est_div, p.k0);
}

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
  return exp2_fixed(fixed_exponent(t, k_mant, k_shift), (flags & FLAG_GROWTH) != 0u, amp);
}

// exponential_decay on a whole ScheduleParams (for kernels that include this file). The
// evaluator calls exponential_decay_at with the fields it loads one by one: on SwiftShader
// copying the 176-byte struct by value cost ~4x the whole computation.
fn exponential_decay(p: ScheduleParams, step: u32) -> f32 {
  return exponential_decay_at(step, p.flags, p.d_int, p.amp, p.k_mant, p.k_shift);
}

// PiecewiseConstantDecay: index = #{ i : step > floor(b_i) } by exact u32 compares (boundaries
// below 0 / at or above 2^32-1 are folded away on the host), values rounded once on the host.
// Bit-exact: returns f32(values[index]).
fn piecewise_constant_decay_at(step: u32, flags: u32, table_off: u32, table_rows: u32, bounds_lo: vec4<u32>, bounds_hi: vec4<u32>, values_a: vec4<f32>, values_b: vec4<f32>, values_c: vec4<f32>) -> f32 {
  if ((flags & FLAG_TABLE) != 0u) {
    // Long lists: boundaries at table_off .. +n, values (f32 bits) at table_off + n .. + n + 1.
    let n = table_rows;
    var lo = 0u;
    var hi = n;
    loop {
      if (lo >= hi) { break; }
      let mid = (lo + hi) / 2u;
      if (step > lr_table(table_off + mid)) {
        lo = mid + 1u;
      } else {
        hi = mid;
      }
    }
    return bitcast<f32>(lr_table(table_off + n + lo));
  }
  let s4 = vec4<u32>(step);
  let a = s4 > bounds_lo;
  let b = s4 > bounds_hi;
  var v = values_a.x;
  v = select(v, values_a.y, a.x);
  v = select(v, values_a.z, a.y);
  v = select(v, values_a.w, a.z);
  v = select(v, values_b.x, a.w);
  v = select(v, values_b.y, b.x);
  v = select(v, values_b.z, b.y);
  v = select(v, values_b.w, b.z);
  v = select(v, values_c.x, b.w);
  return v;
}

// piecewise_constant_decay on a whole ScheduleParams (for kernels that include this file). The
// evaluator calls piecewise_constant_decay_at with the fields it loads one by one: on SwiftShader
// copying the 176-byte struct by value cost ~4x the whole computation.
fn piecewise_constant_decay(p: ScheduleParams, step: u32) -> f32 {
  return piecewise_constant_decay_at(step, p.flags, p.table_off, p.table_rows, p.bounds_lo, p.bounds_hi, p.values_a, p.values_b, p.values_c);
}

// PolynomialDecay: lr = (lr0 - end) * (1 - p)^power + end with r = 1 - p from exact integers:
// no cycle: r = (f32(d_int - s) [+ d_frac]) * (1/D)  (rho_r = 1 conv + 1 sum + 0.5 + 1 = 3.5 eps);
// cycle (integer D): c = max(1, ceil(s/D)), r = (f32(D - s%D) * (1/D)) / f32(c)  (rho_r = 6 eps).
// Bound: pow_unit_scaled (1.04 p + 4.4) eps + p * rho_r + amp 0.5 + product 1 + sum 1; the packer requires
//   end and lr0 of one sign with |end| <= 2|lr0| so |amp * y| <= |lr|.
//   p = 1 (no pow_unit): 3.5 + 2.5 = 6 / 8.5 eps; p = 2: 15 / 20 eps; p = 3: 20 / 29 eps
//   (k = 8 + 10 max(1, p)). Ends: step 0 -> f32(lr0), r = 0 -> f32(end) exactly.
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
  return pow_unit_scaled(r, pow_p, pow_m, pow_q, pow_lo, amp) + base;
}

// polynomial_decay on a whole ScheduleParams (for kernels that include this file). The
// evaluator calls polynomial_decay_at with the fields it loads one by one: on SwiftShader
// copying the 176-byte struct by value cost ~4x the whole computation.
fn polynomial_decay(p: ScheduleParams, step: u32) -> f32 {
  return polynomial_decay_at(step, p.flags, p.d_int, p.d_frac, p.inv_d, p.amp, p.base, p.peak, p.pow_p, p.pow_lo, p.pow_m, p.pow_q);
}

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
// copying the 176-byte struct by value cost ~4x the whole computation.
fn inverse_time_decay(p: ScheduleParams, step: u32) -> f32 {
  return inverse_time_decay_at(step, p.flags, p.d_int, p.amp, p.rate);
}

// Dispatch on p.kind.
fn schedule_value(p: ScheduleParams, step: u32) -> f32 {
  switch (p.kind) {
    case KIND_COSINE_DECAY: { return cosine_decay(p, step); }
    case KIND_COSINE_DECAY_RESTARTS: { return cosine_decay_restarts(p, step); }
    case KIND_EXPONENTIAL_DECAY: { return exponential_decay(p, step); }
    case KIND_PIECEWISE_CONSTANT_DECAY: { return piecewise_constant_decay(p, step); }
    case KIND_POLYNOMIAL_DECAY: { return polynomial_decay(p, step); }
    default: { return inverse_time_decay(p, step); }
  }
}
