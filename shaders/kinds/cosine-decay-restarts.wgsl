// ---- CosineDecayRestarts (shaders/kinds/cosine-decay-restarts.wgsl): TS reference src/schedules/cosine-decay-restarts.ts, fields packed by src/kernels/kinds/cosine-decay-restarts.ts ----
// CosineDecayRestarts with the host-built exact period table (t_mul != 1, or t_mul = 1 with
// a fractional D or m_mul > 1). remain = B_{k+1} - s = f32(last - s) + extra,
// elapsed = s - B_k = f32(s - start) + delta: sums of non-negative terms (conv 1 + sum 1 = 2 eps).
// Bound: g 10.4 eps + amp (host 0.5) + product 1 + sum 1 = 12.9 eps (k = 20).
// The estimate of k only picks where the exact integer search starts.
// restarts_table_row returns the word offset of the period row of `step` in lr_table, that
// row's start (ROW_START), which the search has read, and its period index k (row + k0).
// FLAG_DOUBLING (t_mul = 2, integer D, the host checked start = D * (2^k - 1) for every row): the
// period index is exact without a search, k = firstLeadingBit(s / D + 1) (s >= D * (2^k - 1) iff
// s / D + 1 >= 2^k, D * (2^k - 1) being a multiple of D), and the row is k - k0 (clamped to the
// table, as the search's result is).
fn restarts_table_row(step: u32, q: u32, d_int: u32, flags: u32, table_off: u32, table_rows: u32, est_mul: f32, est_div: f32, k0: u32) -> vec3<u32> {
  let rows = table_rows;
  let doubling = (flags & FLAG_DOUBLING) != 0u;
  let sf = f32(step);
  let est = select(log2(1.0 + sf * est_mul) * est_div, sf * est_mul, (flags & FLAG_EST_LINEAR) != 0u);
  // firstLeadingBit(q + 1) from the exponent of f32(q + 1), which rounding may raise by one (to
  // a power of two, at most 2^32): capped at 31, then lowered where 2^e exceeds q + 1
  let q1 = q + 1u;
  let e = min((bitcast<u32>(f32(q1)) >> 23u) - 127u, 31u);
  let kd = select(e, e - 1u, (1u << e) > q1);
  var k = select(u32(clamp(est - f32(k0), 0.0, f32(rows - 1u))), min(max(kd, k0) - k0, rows - 1u), doubling);
  let tbase = table_off;
  // FLAG_DOUBLING: the start D * (2^k - 1) without a read (< 2^32 and k <= 31 in the window)
  var at = d_int * ((1u << (k + k0)) - 1u);
  // Without FLAG_DOUBLING: the last row whose start is <= step (row 0 if none), one loop that
  // steps down while the row starts after the step and up while the next row starts at or
  // before it (the starts never decrease, so at most one of the two holds). The start of the
  // row found is the one the last test read.
  if (!doubling) {
    loop {
      at = lr_table(tbase + k * ROW_WORDS + ROW_START);
      let down = (k > 0u) & (at > step);
      let up = (k + 1u < rows) & (lr_table(tbase + (k + 1u) * ROW_WORDS + ROW_START) <= step);
      if (!(down | up)) { break; }
      k = select(k + 1u, k - 1u, down);
    }
  }
  return vec3<u32>(tbase + k * ROW_WORDS, at, k + k0);
}

// CosineDecayRestarts. t_mul = 1 with integer D: k = s / D, rem = s % D exact;
// m_mul^k = 2^(-k * log2(1/m_mul)) by the fixed-point exponent (3.4 eps + k*K*2^-32).
// Bound: g 8.4 eps (integers exact below 2^24; D - rem, rem < D) + amp*m^k 3.4+0.5 + product 1
//   + sum 1 = 14.3 eps (k = 24 when m_mul != 1). m_mul = 1: the peak is f32(lr0) exactly.
// Both formulations end in the same cosine factor and `a * g + base`: the period's remain,
// elapsed, 1 / length, amplitude and exact start value come from the table row (FLAG_TABLE) or
// from s / D, selected, then one cos_decay_factor (no branch but the table search, which a
// pipeline whose flags are fixed keeps only with FLAG_TABLE: SwiftShader runs every block of a
// pipeline whose flags are not fixed, a mixed sweep's, plus the merge bookkeeping of each).
fn cosine_decay_restarts_at(step: u32, flags: u32, d_int: u32, inv_d: f32, amp: f32, base: f32, peak: f32, k_mant: u32, k_shift: u32, table_off: u32, table_rows: u32, est_mul: f32, est_div: f32, k0: u32) -> f32 {
  let table = (flags & FLAG_TABLE) != 0u;
  // s / D: the t_mul = 1 path's period and FLAG_DOUBLING's (one division for both)
  let k = step / d_int;
  var r = 0u;
  var start = 0u;
  var kp = 0u;
  if (table) {
    let found = restarts_table_row(step, k, d_int, flags, table_off, table_rows, est_mul, est_div, k0);
    r = found.x;
    start = found.y;
    kp = found.z;
  }
  // FLAG_DOUBLING: every start is an integer (delta 0, checked by the host)
  let delta = select(bitcast<f32>(lr_table(r + ROW_DELTA)), 0.0, (flags & FLAG_DOUBLING) != 0u);
  // FLAG_DOUBLING_INTS (the host checked every row of the window against these): period kp is
  // D * 2^kp steps from start, its last step start + D * 2^kp - 1 (< 2^32, no row clamped),
  // extra 1, and 1 / length = f32(1 / D) * 2^-kp, the host's f32(1 / L) exactly (a power-of-two
  // scaling of a normal float). The values of the words they replace: the same operations follow,
  // and only ROW_AMP and ROW_PEAK are read (two table reads per value instead of five).
  let ints = (flags & FLAG_DOUBLING_INTS) != 0u;
  let last = select(lr_table(r + ROW_LAST), start + (d_int << kp) - 1u, ints);
  let extra = select(bitcast<f32>(lr_table(r + ROW_EXTRA)), 1.0, ints);
  let inv_len = select(bitcast<f32>(lr_table(r + ROW_INV_LEN)), ldexp(inv_d, -i32(kp)), ints);
  // t_mul = 1, integer D
  let rem = step - k * d_int;
  let m_one = (flags & FLAG_M_ONE) != 0u;
  let a_int = select(exp2_fixed(fixed_exponent(k, k_mant, k_shift, flags), (flags & FLAG_GROWTH) != 0u, amp), amp, m_one);
  let remain = select(f32(d_int - rem), f32(last - step) + extra, table);
  let elapsed = select(f32(rem), f32(step - start) + delta, table);
  let a = select(a_int, bitcast<f32>(lr_table(r + ROW_AMP)), table);
  let g = cos_decay_factor(remain, elapsed, select(inv_d, inv_len, table));
  // the exact value at a period's start
  let first = select(select(a_int + base, peak, m_one), bitcast<f32>(lr_table(r + ROW_PEAK)), table);
  let at_first = select(rem == 0u, (step == start) & (delta == 0.0), table);
  return select(a * g + base, first, at_first);
}

// cosine_decay_restarts on a whole ScheduleParams (for kernels that include this file). The
// evaluator calls cosine_decay_restarts_at with the fields it loads one by one: on SwiftShader
// copying the struct by value (176 bytes when measured) cost ~4x the whole computation.
fn cosine_decay_restarts(p: ScheduleParams, step: u32) -> f32 {
  return cosine_decay_restarts_at(step, p.flags, p.d_int, p.inv_d, p.amp, p.base, p.peak, p.k_mant, p.k_shift, p.table_off, p.table_rows, p.est_mul, p.est_div, p.k0);
}

