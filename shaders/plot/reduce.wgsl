// M4 per pixel column (first, min/max in the order they occur, last) of every curve;
// src/app/view.ts reduceM4 is its CPU twin.
const REDUCE_WORKGROUP: u32 = 64u;
struct Reduce { rows: u32, samples: u32, columns: u32, threads_x: u32 };
@group(0) @binding(0) var<uniform> r: Reduce;
@group(0) @binding(1) var<storage, read> vals: array<f32>;
@group(0) @binding(2) var<storage, read> starts: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(REDUCE_WORKGROUP) fn reduce(@builtin(global_invocation_id) g: vec3u) {
  let i = g.y * r.threads_x + g.x;
  if (i >= r.rows * r.columns) { return; }
  let row = i / r.columns;
  let c = i % r.columns;
  let a = starts[c];
  let b = starts[c + 1u];
  let base = row * r.samples;
  var mn = vals[base + a];
  var mx = mn;
  var imn = a;
  var imx = a;
  for (var k = a + 1u; k < b; k++) {
    let v = vals[base + k];
    if (v < mn) { mn = v; imn = k; }
    if (v > mx) { mx = v; imx = k; }
  }
  let o = i * 4u;
  out[o] = vals[base + a];
  if (imn <= imx) { out[o + 1u] = mn; out[o + 2u] = mx; } else { out[o + 1u] = mx; out[o + 2u] = mn; }
  out[o + 3u] = vals[base + b - 1u];
}
