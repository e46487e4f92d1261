// Keras learning-rate schedules as pure WGSL functions (no bindings).
//
// Contract (docs/design.md, Layer 1):
//   * one function per kind, `(p: ScheduleParams, step: u32) -> f32`, named after its
//     TS twin, and `schedule_value(p, step)` dispatching on `p.kind`;
//   * this file holds what the kinds share; each kind's functions live in
//     shaders/kinds/<kind>.wgsl, concatenated after it in registry order by
//     scripts/gen-shaders.ts, which also writes the kind codes and schedule_value;
//   * every ScheduleParams field is written by the kind's TS packer (src/kernels/kinds/<kind>.ts),
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

// ---- kind codes: KIND_<NAME> = its index in SCHEDULE_KINDS, written by scripts/gen-shaders.ts after the kinds ----

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
const FLAG_HOLD: u32 = 1024u;       // linear, cosine anneal: hold the ends (x clamped to [0, 1])
const FLAG_POW_INT: u32 = 2048u;    // polynomial: integer power 2 ... 8 (= pow_m >> pow_q), by products
const FLAG_K_WIDE: u32 = 4096u;     // fixed-point exponent K with k_shift < 32 (K >= 1/2): n may saturate
const FLAG_K_NARROW: u32 = 8192u;   // fixed-point exponent K with k_shift >= 64 (K < 2^-32): n = 0
const FLAG_DOUBLING: u32 = 16384u;  // restarts table with t_mul == 2, integer D: period index firstLeadingBit(s / D + 1)
const FLAG_DOUBLING_INTS: u32 = 32768u;  // with FLAG_DOUBLING: each row's last step, extra (1) and 1 / length (inv_d * 2^-k) from D and k
const FLAG_REVERSE: u32 = 65536u;       // sqrt anneal: reverse = true (sqrt of 1 - x)
const FLAG_TRIANGULAR2: u32 = 131072u;  // cyclic: mode triangular2 (scale 2^-cycle)
const FLAG_EXP_RANGE: u32 = 262144u;    // cyclic: mode exp_range (scale gamma^step)
const FLAG_FALLING: u32 = 524288u;      // cyclic: |max_lr| < |base_lr| (value = max + amp * (1 - w))

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
// Inline piecewise lists: the number of boundaries (0 ... 8) in flags bits 20 ... 23.
const PIECEWISE_N_SHIFT: u32 = 20u;

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
  rate: f32,          // inverse time: rate / D (or rate, staircase); inverse sqrt: timescale; cyclic: log2(1/gamma)
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
  a0_b: u32,          // linear, cosine anneal: anchor x = 0 (step a = -offset), see anchor_dist
  a1_b: u32,          // anchor x = 1 (step a = steps - offset, or period - offset)
  a0_l: f32,
  a0_r: f32,
  a1_l: f32,
  a1_r: f32,
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

// 2^t - 1 for t in [-1/2, 1/2]: t * Q(t), degree 6 (no cancellation: the fit's error vanishes
// with t, as 2^t = 1 + t * Q(t) is exact at t = 0). Bound relative to 2^t - 1: approx
// |ln2 - Q(0)| / ln2 = 2^-28.4 near 0, <= 2^-26.5 at |t| = 1/2 (0.1 eps) + Horner on Q ~0.5 eps
// + t*Q 1 eps = 1.6 eps; a relative error rho in t adds rho (condition ~1).
fn exp2m1_poly(t: f32) -> f32 {
  let q = 0.6931471825 + t * (0.2402264774 + t * (0.05550359935 + t * (0.009618505836 + t * (0.001339080627 + t * 1.532646420e-4))));
  return t * q;
}

// 2^t for t in [-1/2, 1/2]: 1 + t * Q(t), degree 6.
// Bound: approx 2^-28.3 + Horner on Q (~1.5 eps on t*Q, |t*Q| <= 0.41, result >= 0.707) ~0.9 eps
//   + final add 1 eps = 2.0 eps (measured on SwiftShader as a standalone function: 1.07 ULP).
fn exp2_poly(t: f32) -> f32 {
  return 1.0 + exp2m1_poly(t);
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

// 32x32 -> 64-bit product (exact): returns (lo, hi). lo is the wrapping u32 product a * b (the
// low word, exactly); hi from 16-bit limbs, with the carry out of the middle sum.
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
  let hi = p11 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u);
  return vec2<u32>(a * b, hi);
}

// Fixed-point exponent E = t * K with K = k_mant * 2^-k_shift (k_mant < 2^32, 23 <= k_shift < 96):
// returns (n, f) with E = n + f * 2^-32 - (truncation < 2^-32), n saturated at 0xffffffff.
// Exact integer shifts of the exact 64-bit product. The host marks the range of k_shift in
// `flags` (FLAG_K_NARROW: >= 64, FLAG_K_WIDE: < 32, neither: 32 ... 63), so a pipeline
// specialised for the row's flags keeps one of the three shift paths. The three are computed
// and one is selected (no branch: SwiftShader runs every block of a pipeline whose flags are
// not fixed, plus the merge bookkeeping of each; a shift by an amount out of range is taken
// mod 32 in WGSL, and its result is not selected).
fn fixed_exponent(t: u32, k_mant: u32, k_shift: u32, flags: u32) -> vec2<u32> {
  let pr = mul_u32_wide(t, k_mant);
  let lo = pr.x;
  let hi = pr.y;
  let narrow = vec2<u32>(0u, hi >> (k_shift - 64u));
  // j = k_shift - 32 in [0, 31]: (hi << 1) << (31 - j) is hi << (32 - j), and 0 at j = 0.
  let j = k_shift - 32u;
  let middle = vec2<u32>(hi >> j, ((hi << 1u) << (31u - j)) | (lo >> j));
  // k_shift in [23, 32): n = P >> k_shift may exceed 32 bits: saturate.
  let n = select(0xffffffffu, (hi << (32u - k_shift)) | (lo >> k_shift), (hi >> k_shift) == 0u);
  let wide = vec2<u32>(n, lo << (32u - k_shift));
  return select(select(middle, wide, (flags & FLAG_K_WIDE) != 0u), narrow, (flags & FLAG_K_NARROW) != 0u);
}

// scale * 2^(-E) (decay) or scale * 2^(+E) (growth) for E = (n, f) from fixed_exponent.
// Re-centres the fraction to [-1/2, 1/2) exactly in integers (bitcast), then one rounding
// (f32 of the 32-bit fraction, <= 0.5 eps relative in t, |t| <= 1/2 -> ln2 * 2^-25 = 0.35 eps),
// exp2_poly (2.0 eps), scale * p (1 eps), ldexp exact. Decay results with n > 256 are 0
// (the exact value is below 2^-128 for |scale| < 2^127): covered by the 2^-126 absolute term.
// Bound: 3.35 eps + error of E (E * 2^-32 from the host's K, + 2^-32 truncation).
// The integers are u32 (n <= 1025, no overflow): a decay past n > 256 is computed (ldexp of an
// exponent below -bias gives 0 or a tiny value) and replaced by 0 with a select, no branch.
fn exp2_fixed(e: vec2<u32>, growth: bool, scale: f32) -> f32 {
  let fi = bitcast<i32>(e.y);                       // f >= 2^31 becomes f - 2^32: E = n' + fi * 2^-32
  let n = min(e.x, 1024u) + select(0u, 1u, fi < 0);
  let t = f32(fi) * 2.3283064365386963e-10;        // * 2^-32, exact scaling
  // growth: ldexp(scale * 2^t, n); decay: ldexp(scale * 2^-t, -n) (i32(0u - n) = -n, bits
  // reinterpreted), 0 past n > 256. One polynomial and one ldexp for both, chosen by selects.
  let v = ldexp(scale * exp2_poly(select(-t, t, growth)), select(i32(0u - n), i32(n), growth));
  return select(select(v, 0.0, n > 256u), v, growth);
}

// ---------------------------------------------------------------------------------
// Shared pieces.

// The signed distance step - a to an anchor a (a real step: x = 0 or x = 1 of a linear or
// cosine anneal), from the host's exact split of a: b = max(floor(a) + 1, 0) (the first step
// past a), r = b - a > 0, l = a - (b - 1) in [0, 1). Right of a (step >= b) it is
// f32(step - b) + r, left of it -(f32(b - 1 - step) + l): the integer part is exact u32, so the
// distance is a sum of two non-negative terms and its sign is exact. Bound: conv 1 eps (above
// 2^24) + host constant 0.5 eps + sum 1 eps = 2 eps relative (exact where both parts are).
// Both sides are computed and one is selected (no branch).
fn anchor_dist(step: u32, b: u32, l: f32, r: f32) -> f32 {
  return select(-(f32(b - 1u - step) + l), f32(step - b) + r, step >= b);
}

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
  let low = fr.fract < 0.70710678;
  let m = select(fr.fract, fr.fract * 2.0, low);
  let k = select(fr.exp, fr.exp - 1, low);
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

