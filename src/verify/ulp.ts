/**
 * float32 helpers on bit patterns: neighbours, the ULP of a real value (the WGSL
 * specification's definition), and distances in ULP. Pure TS, no GPU.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Largest finite float32, 2^128 − 2^104. */
export const F32_MAX = 3.4028234663852886e38;
/** Smallest positive normal float32, 2^-126. */
export const F32_MIN_NORMAL = 2 ** -126;
/** Smallest positive subnormal float32, 2^-149. */
export const F32_MIN_SUBNORMAL = 2 ** -149;
/** Reals at or beyond this magnitude round to ±Infinity in float32 (2^128 − 2^103). */
export const F32_OVERFLOW_THRESHOLD = 2 ** 128 - 2 ** 103;

/** The bit pattern of `Math.fround(x)`. Example: `f32Bits(1) === 0x3f800000`. */
export function f32Bits(x: number): number {
  f32[0] = x;
  return u32[0]!;
}

/** The float32 whose bit pattern is `bits` (as a JS number). Example: `f32FromBits(0x3f800000) === 1`. */
export function f32FromBits(bits: number): number {
  u32[0] = bits >>> 0;
  return f32[0]!;
}

/** True when `x` is exactly representable as a float32 (finite or infinite). */
export function isF32(x: number): boolean {
  return Math.fround(x) === x || Number.isNaN(x);
}

/**
 * The next float32 above the float32 `x` (toward +Infinity). `x` must already be a
 * float32; `nextUpF32(-0) === nextUpF32(0) === 2^-149`; `nextUpF32(F32_MAX) === Infinity`.
 */
export function nextUpF32(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return F32_MIN_SUBNORMAL;
  const b = f32Bits(x);
  return f32FromBits(x > 0 ? b + 1 : b - 1);
}

/** The next float32 below the float32 `x` (toward −Infinity). */
export function nextDownF32(x: number): number {
  return -nextUpF32(-x);
}

/** The largest float32 ≤ x (x any real as an f64). `floorF32(0.1) < 0.1`. */
export function floorF32(x: number): number {
  const r = Math.fround(x);
  return r > x ? nextDownF32(r) : r;
}

/** The smallest float32 ≥ x. */
export function ceilF32(x: number): number {
  const r = Math.fround(x);
  return r < x ? nextUpF32(r) : r;
}

/**
 * ULP of a real number x in float32, as the WGSL specification defines it: the
 * smallest distance between two distinct finite float32 a, b with a ≤ x ≤ b. For a
 * float32 x that is the smaller of its two gaps (so `ulpF32(1) === 2^-24`); otherwise
 * the gap of the two float32 around x (`ulpF32(1.5 + 1e-9) === 2^-23`). Beyond the
 * largest finite float32 it is the top gap, 2^104.
 */
export function ulpF32(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a >= F32_MAX) return 2 ** 104;
  if (isF32(a)) {
    if (a === 0) return F32_MIN_SUBNORMAL;
    return Math.min(nextUpF32(a) - a, a - nextDownF32(a));
  }
  const lo = floorF32(a);
  return nextUpF32(lo) - lo;
}

/** |got − exact| measured in ULPs of `exact` (ulpF32). 0 when equal; Infinity for a NaN. */
export function ulpDistance(got: number, exact: number): number {
  if (got === exact) return 0;
  if (Number.isNaN(got) || Number.isNaN(exact)) return Infinity;
  return Math.abs(got - exact) / ulpF32(exact);
}
