/**
 * sin x and cos x for 0 ≤ x ≤ π/4 (a little beyond is fine: up to the double 0x3FE921FC_00000000,
 * π/4·(1 + 6e-7)), as fdlibm's __kernel_sin(x, 0, 0) and __kernel_cos(x, 0): the same
 * coefficients and the same operations in the same order, so these JS functions, the
 * WebAssembly kernels of cosine.wat and fdlibm's sin/cos (V8's Math.sin/Math.cos on that
 * interval) give the same double, bit for bit. CosineDecay evaluates its cos² factor only on
 * that interval (the argument is π/2 times the smaller distance over the length), so its JS
 * loops, its `at()` and its WebAssembly loops agree on every engine, whatever libm the engine's
 * Math.sin uses. Error: fdlibm's, < 1 ulp (the polynomials' own error is below 2^-58).
 */

const S1 = -1.66666666666666324348e-1;
const S2 = 8.33333333332248946124e-3;
const S3 = -1.98412698298579493134e-4;
const S4 = 2.75573137070700676789e-6;
const S5 = -2.50507602534068634195e-8;
const S6 = 1.58969099521155010221e-10;

const C1 = 4.16666666666666019037e-2;
const C2 = -1.38888888888741095749e-3;
const C3 = 2.48015872894767294178e-5;
const C4 = -2.75573143513906633035e-7;
const C5 = 2.08757232129817482790e-9;
const C6 = -1.13596475577881948265e-11;

/** The double whose high word is 0x3FD33333 (low word 0): __kernel_cos's `ix < 0x3FD33333` is x < this. */
export const COS_SMALL = 0.2999999523162842;
/** The double whose high word is 0x3FE90001: __kernel_cos's `ix > 0x3FE90000` is x ≥ this. */
export const COS_BIG = 0.7812504768371582;

/** fdlibm's __kernel_sin(x, 0, 0) for 0 ≤ x ≤ π/4 (x itself below 2^-27, as fdlibm returns). */
export function sinQ(x: number): number {
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  return x + v * (S1 + z * r);
}

/**
 * fdlibm's __kernel_cos(x, 0) for 0 ≤ x ≤ π/4 (1 below 2^-27, as fdlibm returns). Its qx, the
 * double x/4 with the low word of its bits cleared, is x/4 truncated to 20 fraction bits: with
 * x in [0.3, 0.5) the unit of x/4 is then 2^-24, with x in [0.5, 0.78125] 2^-23 (exact floors).
 */
export function cosQ(x: number): number {
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (x < COS_SMALL) return 1 - (0.5 * z - z * r);
  const qx = x >= COS_BIG ? 0.28125 : x < 0.5 ? Math.floor(x * 2 ** 22) * 2 ** -24 : Math.floor(x * 2 ** 21) * 2 ** -23;
  const hz = 0.5 * z - qx;
  const a = 1 - qx;
  return a - (hz - z * r);
}

/**
 * cos²-style cosine decay factor ½(1 + cos(π·d/L)) from the two distances d (from the start)
 * and u (to the end), d + u = L, both ≥ 0, no cancellation (docs/accuracy.md): sin²(π/2·u/L)
 * when u ≤ d, else cos²(π/2·d/L); each argument is in [0, π/4]. `k` = π/(2L). Relative error a
 * few ulp; exactly 1 at d = 0 and exactly 0 at u = 0.
 */
export function cosFactorQ(u: number, d: number, k: number): number {
  if (u <= d) {
    const x = sinQ(k * u);
    return x * x;
  }
  const y = cosQ(k * d);
  return y * y;
}
