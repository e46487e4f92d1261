// Accumulated colours and counts → premultiplied RGBA: n curves of opacity α cover
// 1 − (1 − α)^n, in the mean colour of the curves through the pixel: the mean of their
// RGB, or (by_t) the colour map at the mean of their map positions t (lut: the map at
// LUT_SIZE evenly spaced t, linearly interpolated). raster.wgsl's layout: by_t, 2 words per
// pixel (t sum, count); else 4 (R, G, B sums, count).
const LUT_SIZE: u32 = 256u;
const T_STEPS: u32 = 4095u;
struct Resolve { width: u32, alpha: f32, by_t: u32, pad0: u32 };
@group(0) @binding(0) var<uniform> p: Resolve;
@group(0) @binding(1) var<storage, read> accum: array<u32>;
@group(0) @binding(2) var<storage, read> lut: array<vec4f>;
@vertex fn vs(@builtin(vertex_index) vi: u32) -> @builtin(position) vec4f {
  let q = vec2f(f32((vi << 1u) & 2u), f32(vi & 2u));
  return vec4f(q * 2.0 - 1.0, 0.0, 1.0);
}
@fragment fn fs(@builtin(position) pos: vec4f) -> @location(0) vec4f {
  let pixel = u32(pos.y) * p.width + u32(pos.x);
  let by_t = p.by_t != 0u;
  let pix = pixel * select(4u, 2u, by_t);
  let n = accum[pix + select(3u, 1u, by_t)];
  if (n == 0u) { return vec4f(0.0); }
  var rgb: vec3f;
  if (by_t) {
    let x = clamp(f32(accum[pix]) / (f32(T_STEPS) * f32(n)), 0.0, 1.0) * f32(LUT_SIZE - 1u);
    let i = min(u32(x), LUT_SIZE - 2u);
    rgb = mix(lut[i].rgb, lut[i + 1u].rgb, x - f32(i));
  } else {
    rgb = vec3f(f32(accum[pix]), f32(accum[pix + 1u]), f32(accum[pix + 2u])) / (255.0 * f32(n));
  }
  let a = 1.0 - pow(1.0 - p.alpha, f32(n));
  return vec4f(rgb * a, a);
}
