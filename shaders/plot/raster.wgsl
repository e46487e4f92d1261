// The bulk draw as a compute rasteriser (after common.wgsl): one thread per run of
// SEGS_PER_THREAD segments of one curve walks them pixel by pixel (one pixel per column,
// or per row for steep parts, at pixel centres in half-open spans so joins are not
// painted twice; a pixel just hit by the same curve is skipped) and adds to each pixel
// with atomics a count and the curve's colour: on a continuous colour map (view.by_t) its
// map position t in 1/T_STEPS (2 atomics; resolve.wgsl maps the mean t), else its RGB in
// 1/255 (4 atomics). Per-primitive set-up is what makes millions of line primitives slow
// on a software GPU; this has none. 10,000 × 1,000 on SwiftShader: line-strips ~20 s,
// 1 segment per thread ~5.8 s, 8 per thread ~1.9 s (16: ~3.3 s, 32: ~3 s).
const SEGS_PER_THREAD: u32 = 8u;
const RASTER_WORKGROUP: u32 = 64u;
const T_STEPS: u32 = 4095u;
struct Grid { threads_x: u32 };
@group(0) @binding(2) var<storage, read> colors: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> accum: array<atomic<u32>>;
@group(0) @binding(4) var<uniform> grid: Grid;
/** Sample k of the row at `base` in pixels (y down). */
fn px(base: u32, k: u32) -> vec2f {
  var x = f32(k);
  if (view.reduced != 0u) { x = f32(k / 4u) + 0.5; }
  x *= view.x_scale;
  if (view.x_list != 0u) { x = xs[k] * view.width_px; }
  return vec2f(x, (1.0 - y_frac(vals[base + k])) * view.height_px);
}
@compute @workgroup_size(RASTER_WORKGROUP) fn raster(@builtin(global_invocation_id) g: vec3u) {
  let segs = view.per_row - 1u;
  let chunks = (segs + SEGS_PER_THREAD - 1u) / SEGS_PER_THREAD;
  let i = g.y * grid.threads_x + g.x;
  if (i >= view.rows * chunks) { return; }
  let row = i / chunks;
  let k0 = (i % chunks) * SEGS_PER_THREAD;
  let k1 = min(segs, k0 + SEGS_PER_THREAD);
  let c = colors[row];
  // Alpha 0: a hidden curve (a legend group switched off, a pin drawn only as a highlight).
  if (c.a <= 0.0) { return; }
  let by_t = view.by_t != 0u;
  var rgb = vec3u(round(clamp(c.rgb, vec3f(0.0), vec3f(1.0)) * 255.0));
  if (by_t) { rgb.r = u32(round(clamp(c.r, 0.0, 1.0) * f32(T_STEPS))); }
  let w = u32(view.width_px);
  let size = vec2f(view.width_px, view.height_px);
  let base = row * view.per_row;
  var last = 0xffffffffu;
  var a = px(base, k0);
  for (var k = k0; k < k1; k++) {
    let b = px(base, k + 1u);
    let d = b - a;
    // The pixels of segment a→b: n steps of s from p0 (x-major: one per column whose
    // centre lies in [a.x, b.x), so consecutive segments never paint a column twice;
    // y-major: one per row whose centre lies between the ends), clipped to the plot.
    var p0: vec2f;
    var s: vec2f;
    var n: f32;
    if (abs(d.x) >= abs(d.y)) {
      let x0 = max(ceil(a.x - 0.5), 0.0);
      let m = d.y / d.x;
      p0 = vec2f(x0 + 0.5, a.y + (x0 + 0.5 - a.x) * m);
      s = vec2f(1.0, m);
      n = min(ceil(b.x - 0.5), size.x) - x0;
    } else {
      let y0 = max(ceil(min(a.y, b.y) - 0.5), 0.0);
      let m = d.x / d.y;
      p0 = vec2f(a.x + (y0 + 0.5 - a.y) * m, y0 + 0.5);
      s = vec2f(m, 1.0);
      n = min(ceil(max(a.y, b.y) - 0.5), size.y) - y0;
    }
    for (var j = 0.0; j < n; j += 1.0) {
      let p = p0 + j * s;
      if (all(p >= vec2f(0.0)) && all(p < size)) {
        let pix = u32(p.y) * w + u32(p.x);
        if (pix != last) {
          atomicAdd(&accum[pix * 4u], rgb.r);
          if (!by_t) {
            atomicAdd(&accum[pix * 4u + 1u], rgb.g);
            atomicAdd(&accum[pix * 4u + 2u], rgb.b);
          }
          atomicAdd(&accum[pix * 4u + 3u], 1u);
          last = pix;
        }
      }
    }
    a = b;
  }
}
