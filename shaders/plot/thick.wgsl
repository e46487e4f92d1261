// Thick lines (after common.wgsl): 6 vertices (two triangles) per segment, one instance per highlight.
struct Hl { color: vec4f, row: u32, width: f32, pad0: u32, pad1: u32 };
@group(0) @binding(2) var<storage, read> hls: array<Hl>;
struct Out { @builtin(position) pos: vec4f, @location(0) color: vec4f };
@vertex fn vs(@builtin(vertex_index) vi: u32, @builtin(instance_index) k: u32) -> Out {
  let h = hls[k];
  let seg = vi / 6u;
  let corner = vi % 6u;
  let px = vec2f(view.width_px, view.height_px) * 0.5;
  let a = point_ndc(h.row, seg) * px;
  let b = point_ndc(h.row, seg + 1u) * px;
  var d = b - a;
  if (length(d) < 1e-4) { d = vec2f(1.0, 0.0); }
  d = normalize(d);
  let n = vec2f(-d.y, d.x) * (h.width * view.dpr * 0.5);
  let e = d * (h.width * view.dpr * 0.5);
  var p: vec2f;
  switch corner {
    case 0u: { p = a - e - n; }
    case 1u: { p = a - e + n; }
    case 2u: { p = b + e - n; }
    case 3u: { p = b + e - n; }
    case 4u: { p = a - e + n; }
    default: { p = b + e + n; }
  }
  var o: Out;
  o.pos = vec4f(p / px, 0.0, 1.0);
  o.color = vec4f(h.color.rgb * h.color.a, h.color.a);
  return o;
}
@fragment fn fs(i: Out) -> @location(0) vec4f { return i.color; }
