// Shared by thick.wgsl and raster.wgsl (the generator prepends it): the plot's view
// uniform, the values being drawn (the evaluator's rows × samples f32, or their M4
// reduction) and the mapping of a point to the plot. The y mapping is precomputed on the
// CPU (gpu-plot.ts writeView): t = f(v) · y_scale + y_off with f = log2 on a log axis,
// so no invocation takes the domain's logarithms or divides by its span.
struct View {
  y_scale: f32, y_off: f32, log_y: u32, alpha: f32,
  rows: u32, per_row: u32, reduced: u32, columns: u32,
  samples: u32, width_px: f32, height_px: f32, dpr: f32,
  x_scale: f32, by_t: u32, x_list: u32, pad1: u32,
};
@group(0) @binding(0) var<uniform> view: View;
@group(0) @binding(1) var<storage, read> vals: array<f32>;
// With view.x_list: where each sample is drawn, as a fraction of the width (a log x
// axis's samples at their own steps' x); else the samples are evenly spaced.
@group(0) @binding(5) var<storage, read> xs: array<f32>;

fn point_x(i: u32) -> f32 {
  if (view.reduced != 0u) { return (f32(i / 4u) + 0.5) / f32(view.columns); }
  if (view.x_list != 0u) { return xs[i]; }
  if (view.samples <= 1u) { return 0.5; }
  return f32(i) / f32(view.samples - 1u);
}
fn y_frac(v: f32) -> f32 {
  var u = v;
  if (view.log_y != 0u) { u = log2(max(v, 1e-38)); }
  let t = u * view.y_scale + view.y_off;
  if (t != t) { return -1.0; }
  return clamp(t, -1.0, 2.0);
}
fn point_ndc(row: u32, i: u32) -> vec2f {
  let v = vals[row * view.per_row + i];
  return vec2f(point_x(i) * 2.0 - 1.0, y_frac(v) * 2.0 - 1.0);
}
