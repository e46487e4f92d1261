/**
 * The independent oracle of the primitives beyond Keras (SqrtAnneal, InverseSqrt, Cyclic):
 * each kind's formula as the issue H contract writes it (Cyclic: PyTorch's CyclicLR.get_lr
 * line by line), evaluated in floating BigInt (test/oracle/bigfloat.ts, 400 bits) on the f64
 * parameters. Rational parts (the cycle, the position in it, x ≤ ratio) are exact. Imports
 * nothing from src/ and shares none of the reference's formulations (the reference avoids
 * cancellation by rewriting; this evaluates the literal formula at 400 bits).
 */
import * as B from './bigfloat.ts';
import type { BF } from './bigfloat.ts';

type Cfg = Record<string, unknown>;
const N = B.fromNumber;
const get = (c: Cfg, k: string, d?: number): number => {
  const v = c[k];
  if (typeof v === 'number') return v;
  if (d === undefined) throw new RangeError(`oracle: ${k} missing`);
  return d;
};

/** SqrtAnneal: x = clamp(t/steps, 0, 1); from + (to − from)·sqrt(x), or reversed to + (from − to)·sqrt(1 − x). */
function sqrtAnneal(c: Cfg, t: number): BF {
  const from = N(get(c, 'from'));
  const to = N(get(c, 'to'));
  const S = N(get(c, 'steps'));
  const x = B.cmp(N(t), S) >= 0 ? B.ONE : B.div(N(t), S);
  if (c.reverse === true) return B.round(B.add(to, B.mul(B.sub(from, to), B.sqrt(B.sub(B.ONE, x)))));
  return B.round(B.add(from, B.mul(B.sub(to, from), B.sqrt(x))));
}

/** InverseSqrt: value·sqrt(timescale / (t + timescale)). */
function inverseSqrt(c: Cfg, t: number): BF {
  const ts = N(get(c, 'timescale'));
  return B.round(B.mul(N(get(c, 'value')), B.sqrt(B.div(ts, B.add(N(t), ts)))));
}

/** CyclicLR.get_lr at last_epoch = t, in exact rationals where torch has them. */
function cyclic(c: Cfg, t: number): BF {
  const base = N(get(c, 'baseLr'));
  const max = N(get(c, 'maxLr'));
  const up = N(get(c, 'stepSizeUp'));
  const down = c.stepSizeDown === null || c.stepSizeDown === undefined ? up : N(get(c, 'stepSizeDown'));
  const total = B.add(up, down);
  const T = N(t);
  const q = B.floorDiv(T, total); // cycle − 1 = floor(1 + t/total) − 1
  const pos = B.sub(T, B.mul(B.fromBigInt(q), total)); // total·x, exact
  // x ≤ step_ratio ⟺ pos/total ≤ up/total ⟺ pos ≤ up (exact)
  const x = B.div(pos, total);
  const ratio = B.div(up, total);
  const s = B.cmp(pos, up) <= 0 ? B.div(x, ratio) : B.div(B.sub(x, B.ONE), B.sub(ratio, B.ONE));
  const height = B.mul(B.sub(max, base), s);
  const mode = c.mode ?? 'triangular';
  let scaled: BF;
  if (mode === 'triangular') scaled = height;
  else if (mode === 'triangular2') scaled = q > 100000n ? B.ZERO : B.ldexp(height, -Number(q)); // 1/2^(cycle − 1)
  else scaled = B.mul(height, B.exp(B.round(B.mul(T, B.ln(N(get(c, 'gamma', 1))))))); // gamma^t
  return B.round(B.add(base, scaled));
}

/** The oracle's formula of each primitive. */
const PRIMITIVE_ORACLES: Readonly<Record<string, (config: Cfg, step: number) => BF>> = { SqrtAnneal: sqrtAnneal, InverseSqrt: inverseSqrt, Cyclic: cyclic };

/** The exact value of a primitive at an integer step. */
export function primitiveOracle(kind: string, config: Cfg, step: number): BF {
  const f = Object.hasOwn(PRIMITIVE_ORACLES, kind) ? PRIMITIVE_ORACLES[kind] : undefined;
  if (!f) throw new RangeError(`primitiveOracle: unknown kind ${kind}`);
  return f(config, step);
}
