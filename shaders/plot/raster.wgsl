// The bulk draw as a compute rasteriser (after common.wgsl): one thread per run of
// SEGS_PER_THREAD segments of one curve walks them pixel by pixel (one pixel per column,
// or per row for steep parts, at pixel centres in half-open spans so joins are not
// painted twice; a pixel just hit by the same curve is skipped) and adds to each pixel
// with atomics a count and the curve's colour: on a continuous colour map (BY_T) its
// map position t in 1/T_STEPS (2 atomics into 2 words per pixel; resolve.wgsl maps the
// mean t), else its RGB in 1/255 (4 atomics into 4 words). Per-primitive set-up is what
// makes millions of line primitives slow on a software GPU; this has none.
// The view's modes are pipeline constants (gpu-plot.ts compiles one pipeline per
// combination it draws with): SwiftShader runs both sides of a branch on a uniform for
// every lane, so a runtime mode cost each segment the other modes' work (the xs gather,
// the RGB atomics); for the same reason the segment's major axis is chosen with selects.
// 10,000 × 1,000 into 760 × 470 px on SwiftShader, the GPU process's CPU time per pass
// (docs/benchmarks.md): 750 ms with the modes as uniforms, 8 segments per thread and 4
// words per pixel; 640 ms as constants; 590 ms with 32 segments per thread; 550 ms with
// 2 words per pixel for t; see below for the pixel test. (Earlier, in wall time: line-strips
// ~20 s, 1 segment per thread ~5.8 s, 8 per thread ~1.9 s. Line strips again, into an
// rgba16float target with additive blending, no MSAA: 1,000 of the 10,000 curves alone took
// 0.8-3.1 s of CPU against ~1 s for all 10,000 here.)
override REDUCED: bool = false;
override X_LIST: bool = false;
override BY_T: bool = false;
const SEGS_PER_THREAD: u32 = 32u;
const RASTER_WORKGROUP: u32 = 64u;
const T_STEPS: u32 = 4095u;
struct Grid { threads_x: u32 };
@group(0) @binding(2) var<storage, read> colors: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> accum: array<atomic<u32>>;
@group(0) @binding(4) var<uniform> grid: Grid;
/** Sample k of the row at `base` in pixels (y down). */
fn px(base: u32, k: u32) -> vec2f {
  var x = f32(k);
  if (REDUCED) { x = f32(k / 4u) + 0.5; }
  x *= view.x_scale;
  if (X_LIST) { x = xs[k] * view.width_px; }
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
  var rgb = vec3u(round(clamp(c.rgb, vec3f(0.0), vec3f(1.0)) * 255.0));
  if (BY_T) { rgb.r = u32(round(clamp(c.r, 0.0, 1.0) * f32(T_STEPS))); }
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
    // Written for the major axis as (major, minor) pairs: a.x ≤ b.x always, so the
    // x-major span is a.x → b.x; the y-major one runs up from the lower end.
    let xm = abs(d.x) >= abs(d.y);
    let lo = select(min(a.yx, b.yx), a, xm);
    let hi = select(max(a.yx, b.yx), b, xm);
    let from_a = select(a.yx, a, xm);
    let m = select(d.x / d.y, d.y / d.x, xm);
    let c0 = max(ceil(lo.x - 0.5), 0.0);
    let q0 = vec2f(c0 + 0.5, from_a.y + (c0 + 0.5 - from_a.x) * m);
    let p0 = select(q0.yx, q0, xm);
    let s = select(vec2f(m, 1.0), vec2f(1.0, m), xm);
    let n = min(ceil(hi.x - 0.5), select(size.y, size.x, xm)) - c0;
    for (var j = 0.0; j < n; j += 1.0) {
      let p = p0 + j * s;
      // \`&\`, not \`&&\` (a branch), and the pixel index in i32 (p ≥ 0 here): SwiftShader emulates
      // f32 → u32; with both, the pass took 0.87-0.92× the CPU time (docs/benchmarks.md).
      if (all(p >= vec2f(0.0)) & all(p < size)) {
        let pix = u32(i32(p.y) * i32(w) + i32(p.x));
        if (pix != last) {
          if (BY_T) {
            atomicAdd(&accum[pix * 2u], rgb.r);
            atomicAdd(&accum[pix * 2u + 1u], 1u);
          } else {
            atomicAdd(&accum[pix * 4u], rgb.r);
            atomicAdd(&accum[pix * 4u + 1u], rgb.g);
            atomicAdd(&accum[pix * 4u + 2u], rgb.b);
            atomicAdd(&accum[pix * 4u + 3u], 1u);
          }
          last = pix;
        }
      }
    }
    a = b;
  }
}
