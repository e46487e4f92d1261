// ---- PiecewiseConstantDecay (shaders/kinds/piecewise-constant-decay.wgsl): TS reference src/schedules/piecewise-constant-decay.ts, fields packed by src/kernels/kinds/piecewise-constant-decay.ts ----
// PiecewiseConstantDecay: index = #{ i : step > floor(b_i) } by exact u32 compares (boundaries
// below 0 / at or above 2^32-1 are folded away on the host), values rounded once on the host.
// Bit-exact: returns f32(values[index]). Boundaries increase strictly (floors never decrease),
// so the boundaries passed are a prefix and values[index] is values[largest i + 1 passed].
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
  // values[largest i + 1 with step > b_i] (values[0] if none) by a chain of selects, one per
  // boundary: the loaded value itself, no arithmetic. The host puts the number of boundaries n
  // in the flags (PIECEWISE_N_SHIFT), so a pipeline specialised for the row's flags keeps n links
  // and loads only the n boundaries and n + 1 values it compares and picks (SwiftShader loads
  // every vector lane used, each with its own bounds check). With the flags read per row the
  // padding keeps every link correct (0xffffffff is never passed) and n only masks links.
  let n = (flags >> PIECEWISE_N_SHIFT) & 15u;
  var v = values_a.x;
  v = select(v, values_a.y, (n > 0u) & (step > bounds_lo.x));
  v = select(v, values_a.z, (n > 1u) & (step > bounds_lo.y));
  v = select(v, values_a.w, (n > 2u) & (step > bounds_lo.z));
  v = select(v, values_b.x, (n > 3u) & (step > bounds_lo.w));
  v = select(v, values_b.y, (n > 4u) & (step > bounds_hi.x));
  v = select(v, values_b.z, (n > 5u) & (step > bounds_hi.y));
  v = select(v, values_b.w, (n > 6u) & (step > bounds_hi.z));
  return select(v, values_c.x, (n > 7u) & (step > bounds_hi.w));
}

// piecewise_constant_decay on a whole ScheduleParams (for kernels that include this file). The
// evaluator calls piecewise_constant_decay_at with the fields it loads one by one: on SwiftShader
// copying the struct by value (176 bytes when measured) cost ~4x the whole computation.
fn piecewise_constant_decay(p: ScheduleParams, step: u32) -> f32 {
  return piecewise_constant_decay_at(step, p.flags, p.table_off, p.table_rows, p.bounds_lo, p.bounds_hi, p.values_a, p.values_b, p.values_c);
}

