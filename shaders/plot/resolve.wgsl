// Accumulated colour sums and counts → premultiplied RGBA: n curves of opacity α cover 1 − (1 − α)^n.
struct Resolve { width: u32, alpha: f32, pad0: u32, pad1: u32 };
@group(0) @binding(0) var<uniform> p: Resolve;
@group(0) @binding(1) var<storage, read> accum: array<u32>;
@vertex fn vs(@builtin(vertex_index) vi: u32) -> @builtin(position) vec4f {
  let q = vec2f(f32((vi << 1u) & 2u), f32(vi & 2u));
  return vec4f(q * 2.0 - 1.0, 0.0, 1.0);
}
@fragment fn fs(@builtin(position) pos: vec4f) -> @location(0) vec4f {
  let pix = (u32(pos.y) * p.width + u32(pos.x)) * 4u;
  let n = accum[pix + 3u];
  if (n == 0u) { return vec4f(0.0); }
  let rgb = vec3f(f32(accum[pix]), f32(accum[pix + 1u]), f32(accum[pix + 2u])) / (255.0 * f32(n));
  let a = 1.0 - pow(1.0 - p.alpha, f32(n));
  return vec4f(rgb * a, a);
}
