// The bulk draw as a compute rasteriser (after common.wgsl): one thread per run of
// SEGS_PER_THREAD segments of one curve walks them pixel by pixel (one pixel per column,
// or per row for steep parts, at pixel centres in half-open spans so joins are not
// painted twice; a pixel just hit by the same curve is skipped) and adds the curve's
// colour and a count to each pixel with atomics. Per-primitive set-up is what makes
// millions of line primitives slow on a software GPU; this has none. 10,000 × 1,000 on
// SwiftShader: line-strips ~20 s, 1 segment per thread ~5.8 s, 8 per thread ~1.9 s
// (16: ~3.3 s, 32: ~3 s).
const SEGS_PER_THREAD: u32 = 8u;
const RASTER_WORKGROUP: u32 = 64u;
struct Grid { threads_x: u32 };
@group(0) @binding(2) var<storage, read> colors: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> accum: array<atomic<u32>>;
@group(0) @binding(4) var<uniform> grid: Grid;
fn plot(x: u32, y: u32, w: u32, rgb: vec3u, last: u32) -> u32 {
  let pix = y * w + x;
  if (pix == last) { return last; }
  atomicAdd(&accum[pix * 4u], rgb.r);
  atomicAdd(&accum[pix * 4u + 1u], rgb.g);
  atomicAdd(&accum[pix * 4u + 2u], rgb.b);
  atomicAdd(&accum[pix * 4u + 3u], 1u);
  return pix;
}
@compute @workgroup_size(RASTER_WORKGROUP) fn raster(@builtin(global_invocation_id) g: vec3u) {
  let segs = view.per_row - 1u;
  let chunks = (segs + SEGS_PER_THREAD - 1u) / SEGS_PER_THREAD;
  let i = g.y * grid.threads_x + g.x;
  if (i >= view.rows * chunks) { return; }
  let row = i / chunks;
  let k0 = (i % chunks) * SEGS_PER_THREAD;
  let k1 = min(segs, k0 + SEGS_PER_THREAD);
  let size = vec2f(view.width_px, view.height_px);
  let c = colors[row];
  // Alpha 0: a hidden curve (a legend group switched off, a pin drawn only as a highlight).
  if (c.a <= 0.0) { return; }
  let rgb = vec3u(round(clamp(c.rgb, vec3f(0.0), vec3f(1.0)) * 255.0));
  let w = u32(view.width_px);
  let base = row * view.per_row;
  var last = 0xffffffffu;
  var a = vec2f(point_x(k0), 1.0 - y_frac(vals[base + k0])) * size;
  for (var k = k0; k < k1; k++) {
    let b = vec2f(point_x(k + 1u), 1.0 - y_frac(vals[base + k + 1u])) * size;
    let d = b - a;
    if (abs(d.x) >= abs(d.y)) {
      // x-major: one pixel per column whose centre lies in [a.x, b.x), so consecutive
      // segments never paint a column twice (no brighter streaks where samples > pixels).
      let x0 = max(ceil(a.x - 0.5), 0.0);
      let x1 = min(ceil(b.x - 0.5), view.width_px);
      for (var x = x0; x < x1; x += 1.0) {
        let y = a.y + (x + 0.5 - a.x) / d.x * d.y;
        if (y >= 0.0 && y < view.height_px) { last = plot(u32(x), u32(y), w, rgb, last); }
      }
    } else {
      // y-major: one pixel per row whose centre lies between the ends, clipped to the plot.
      let y0 = max(ceil(min(a.y, b.y) - 0.5), 0.0);
      let y1 = min(ceil(max(a.y, b.y) - 0.5), view.height_px);
      for (var y = y0; y < y1; y += 1.0) {
        let x = a.x + (y + 0.5 - a.y) / d.y * d.x;
        if (x >= 0.0 && x < view.width_px) { last = plot(u32(x), u32(y), w, rgb, last); }
      }
    }
    a = b;
  }
}
