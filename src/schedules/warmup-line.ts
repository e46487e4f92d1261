/**
 * The linear warmup line of Keras's CosineDecay, shared with Linear so that a Linear piece
 * gives the same bits as CosineDecay's warmup (docs/semantics.md#sequence: CosineDecay with
 * warmup as a Sequence of a Linear piece and a CosineDecay piece).
 */
import { mulPow2, prodErr } from './exact.ts';

/**
 * The scaling of the line's double-double products (0 unless they could overflow: |lr0| or
 * |wt| near 1e308, or large with a large W, since TwoProd splits overflow above 2^996): the
 * line then runs on lr0·2^-E, wt·2^-E, s·2^-J, W·2^-J and its result is scaled back.
 */
export interface WarmupLine {
  readonly W: number;
  readonly lr0: number;
  readonly wt: number;
  readonly E: number;
  readonly J: number;
  readonly WJ: number;
  readonly lr0E: number;
  readonly wtE: number;
  readonly scaled: boolean;
}

/** The line from lr0 (step 0) to wt (step W), with its scaling. */
export function warmupLine(lr0: number, wt: number, W: number): WarmupLine {
  const J = W > 2 ** 900 ? Math.ceil(Math.log2(W)) - 900 : 0;
  const WJ = mulPow2(W, -J);
  const M = Math.max(Math.abs(lr0), Math.abs(wt));
  const need = M > 0 ? Math.ceil(Math.log2(M)) + Math.max(53, Math.ceil(Math.log2(Math.max(1, WJ)))) - 940 : 0;
  const E = Math.max(need, 0);
  return { W, lr0, wt, E, J, WJ, lr0E: mulPow2(lr0, -E), wtE: mulPow2(wt, -E), scaled: need > 0 || J > 0 };
}

/** The line's value at 0 ≤ s < W (exactly lr0 at s = 0). */
export function warmupAt(l: WarmupLine, s: number): number {
  if (l.scaled && s > 0) return mulPow2(warmup(mulPow2(s, -l.J), l.WJ, l.lr0E, l.wtE), l.E);
  return warmup(s, l.W, l.lr0, l.wt);
}

/**
 * Warmup value lr0 + (wt − lr0)·s/W = (lr0·(W − s) + wt·s)/W, evaluated in
 * double-double (both products and the difference W − s exact), then one
 * correctly rounded-ish division: relative error ≲ 3 ulp unless the two terms cancel
 * (lr0 and wt of opposite signs). Exactly lr0 at step 0.
 */
export function warmup(s: number, W: number, lr0: number, wt: number): number {
  if (s === 0) return lr0;
  // (the error-free transforms are inlined: this runs per element in fill)
  const ah = W - s; // TwoSum(W, −s)
  let bb = ah - W;
  const al = W - (ah - bb) + (-s - bb);
  const p1 = lr0 * ah;
  const e1 = prodErr(lr0, ah, p1) + lr0 * al;
  const p2 = wt * s;
  const e2 = prodErr(wt, s, p2);
  const nh = p1 + p2; // TwoSum(p1, p2)
  bb = nh - p1;
  const nl = p1 - (nh - bb) + (p2 - bb) + e1 + e2;
  const q = nh / W;
  const qw = q * W;
  const r = (nh - qw - prodErr(q, W, qw) + nl) / W;
  return q + r;
}
