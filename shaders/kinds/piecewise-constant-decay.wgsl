// ---- PiecewiseConstantDecay (shaders/kinds/piecewise-constant-decay.wgsl): TS reference src/schedules/piecewise-constant-decay.ts, fields packed by src/kernels/kinds/piecewise-constant-decay.ts ----
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
  // Boundaries increase strictly (floors never decrease, padding 0xffffffff is never passed), so
  // the steps past are a prefix and their count c is the index: values[c], the same element the
  // chain of selects (values[largest i + 1 with step > b_i]) picked. c as a dot product of 0/1
  // lanes: sums of integers <= 8, exact in f32 in any order.
  let s4 = vec4<u32>(step);
  let one = vec4<f32>(1.0);
  let past = select(vec4<f32>(0.0), one, s4 > bounds_lo) + select(vec4<f32>(0.0), one, s4 > bounds_hi);
  let c = u32(dot(past, one));
  let four = select(select(values_b, values_a, c < 4u), values_c, c >= 8u);
  return four[c & 3u];
}

// piecewise_constant_decay on a whole ScheduleParams (for kernels that include this file). The
// evaluator calls piecewise_constant_decay_at with the fields it loads one by one: on SwiftShader
// copying the struct by value (176 bytes when measured) cost ~4x the whole computation.
fn piecewise_constant_decay(p: ScheduleParams, step: u32) -> f32 {
  return piecewise_constant_decay_at(step, p.flags, p.table_off, p.table_rows, p.bounds_lo, p.bounds_hi, p.values_a, p.values_b, p.values_c);
}

