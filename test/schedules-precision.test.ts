/**
 * The f64 reference against an independent high-precision reference
 * (test/schedules-reference.ts: BigInt fixed point, 320 bits, naive Keras formulas),
 * at steps up to 2^53, and exact restart boundaries at high period indices.
 * Bound: docs/accuracy.md#the-contract, |got − exact| ≤ 1e-12·|exact|.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CosineDecay,
  CosineDecayRestarts,
  ExponentialDecay,
  InverseTimeDecay,
  PolynomialDecay,
} from '../src/schedules/index.ts';
import { floorDiv } from '../src/schedules/exact.ts';
import { P, PI, cos, div, exp, fx, ln, mul, toNumber, type Big } from './schedules-reference.ts';

const ONE = 1n << P;
const REL = 1e-12;

function check(label: string, got: number, want: number): void {
  const err = Math.abs(got - want);
  if (!(err <= REL * Math.abs(want))) throw new Error(`${label}: got ${got}, exact ${want}, rel err ${err / Math.abs(want)}`);
}

const bigMulFix = (b: Big, f: bigint): Big => ({ m: mul(b.m, f), e: b.e });
const floorRat = (a: bigint, b: bigint): bigint => a / b; // a, b ≥ 0

// --- references (exact formulas, high precision) --------------------------------

function cosineRef(lr0: number, D: number, alpha: number, s: number, wt: number | null = null, W = 0): number {
  const S = fx(s), Df = fx(D), A = fx(alpha);
  let from = fx(lr0);
  let d = S < Df ? S : Df;
  if (wt !== null) {
    const Wf = fx(W);
    from = fx(wt);
    if (S < Wf) return toNumber(fx(lr0) + div(mul(fx(wt) - fx(lr0), S), Wf));
    d = S - Wf < Df ? S - Wf : Df;
  }
  const g = d === Df ? 0n : (ONE + cos(div(mul(PI, d), Df))) / 2n; // cos(π) = −1 exactly
  return toNumber(mul(from, mul(ONE - A, g) + A));
}

function expRef(lr0: number, D: number, rate: number, s: number, staircase: boolean): number {
  let x = div(fx(s), fx(D));
  if (staircase) x = floorRat(fx(s), fx(D)) * ONE;
  const v = exp(mul(x, ln(fx(rate))));
  const r = bigMulFix(v, fx(lr0));
  return toNumber(r.m, r.e);
}

function invRef(lr0: number, D: number, rate: number, s: number, staircase: boolean): number {
  let x = div(fx(s), fx(D));
  if (staircase) x = floorRat(fx(s), fx(D)) * ONE;
  return toNumber(div(fx(lr0), ONE + mul(fx(rate), x)));
}

function polyRef(lr0: number, D: number, end: number, power: number, cycle: boolean, s: number): number {
  const S = fx(s), Df = fx(D);
  let H = Df;
  let d = S < Df ? S : Df;
  if (cycle) {
    const c = s === 0 ? 1n : (S + Df - 1n) / Df; // ceil(s/D) on exact fixed-point integers
    H = Df * (c < 1n ? 1n : c);
    d = S;
  }
  const r = div(H - d, H);
  let y: bigint;
  if (r === 0n) y = power === 0 ? ONE : 0n;
  else {
    const e = exp(mul(fx(power), ln(r)));
    y = e.e >= 0 ? e.m << BigInt(e.e) : e.m >> BigInt(-e.e);
  }
  return toNumber(mul(fx(lr0) - fx(end), y) + fx(end));
}

/** SGDR by the reference loop Keras's tests use: subtract periods while s ≥ the period end. Exact for short dyadic t. */
function restartsRef(lr0: number, D: number, t: number, m: number, alpha: number, s: number): number {
  const S = fx(s);
  let B = 0n;
  let L = fx(D);
  let amp = ONE;
  if (t === 1) {
    const k = S / L;
    B = k * L;
    for (let i = 0n; i < k; i++) amp = mul(amp, fx(m));
  } else {
    while (S >= B + L) {
      B += L;
      L = mul(L, fx(t));
      amp = mul(amp, fx(m));
    }
  }
  const g = (ONE + cos(div(mul(PI, S - B), L))) / 2n;
  const A = fx(alpha);
  return toNumber(mul(fx(lr0), mul(mul(ONE - A, amp), g) + A));
}

// --- tests -----------------------------------------------------------------------

const step53 = fc.oneof(fc.integer({ min: 0, max: 2 ** 20 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }).map((x) => x + 1), fc.constantFrom(0, 2 ** 24 + 1, 2 ** 32 - 1, 2 ** 53));
const lrArb = fc.double({ min: 1e-6, max: 10, noNaN: true });
// α = 0 or ≥ 1e-9 (the fixed-point reference truncates below 2^-320)
const alphaArb = fc.oneof(fc.constant(0), fc.double({ min: 1e-9, max: 1, noNaN: true }));

describe('against the high-precision reference', () => {
  it('CosineDecay (no warmup): any positive real D, steps to 2^53', () => {
    fc.assert(
      fc.property(lrArb, fc.oneof(fc.double({ min: 0.5, max: 1e6, noNaN: true }), fc.double({ min: 1e6, max: 2 ** 53, noNaN: true })), alphaArb, step53, fc.integer({ min: -3, max: 3 }), fc.boolean(), (lr, D, a, s0, off, nearEnd) => {
        const s = Math.min(2 ** 53, Math.max(0, (nearEnd ? Math.floor(D) : s0) + off));
        const sch = new CosineDecay({ initialLearningRate: lr, decaySteps: D, alpha: a });
        check(`CosineDecay(${lr}, ${D}, α=${a}) at ${s}`, sch.at(s), cosineRef(lr, D, a, s));
      }),
      { numRuns: 400 },
    );
  });
  it('CosineDecay with warmup (incl. fractional W, decreasing warmups), around both phase ends', () => {
    fc.assert(
      fc.property(lrArb, lrArb, fc.double({ min: 0.5, max: 1e7, noNaN: true }), fc.double({ min: 0.25, max: 1e7, noNaN: true }), alphaArb, fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 2 }), (lr, wt, D, W, a, off, where) => {
        const base = where === 0 ? 0 : where === 1 ? Math.floor(W) : Math.floor(W + D);
        const s = Math.max(0, base + off);
        const sch = new CosineDecay({ initialLearningRate: lr, decaySteps: D, alpha: a, warmupTarget: wt, warmupSteps: W });
        check(`CosineDecay(${lr}, ${D}, α=${a}, wt=${wt}, W=${W}) at ${s}`, sch.at(s), cosineRef(lr, D, a, s, wt, W));
      }),
      { numRuns: 300 },
    );
  });
  it('CosineDecay with α = 0 right before the end at huge steps keeps relative accuracy', () => {
    for (const D of [2 ** 53, 2 ** 53 - 1, 1e15 + 0.5, 123456789.75]) {
      const sch = new CosineDecay({ initialLearningRate: 1, decaySteps: D });
      for (const s of [Math.ceil(D) - 1, Math.ceil(D) - 2, Math.floor(D / 2), 1]) check(`D=${D} s=${s}`, sch.at(s), cosineRef(1, D, 0, s));
    }
  });
  it('ExponentialDecay: integer and fractional D, staircase, exponents up to ~1000', () => {
    fc.assert(
      fc.property(lrArb, fc.oneof(fc.integer({ min: 1, max: 1e6 }), fc.double({ min: 0.5, max: 2 ** 45, noNaN: true })), fc.double({ min: 0.5, max: 0.9999999, noNaN: true }), fc.boolean(), step53, (lr, D, rate, st, s0) => {
        // keep the result in the normal range: (s/D)·|log2 rate| ≤ 900
        const sMax = Math.floor((900 / -Math.log2(rate)) * D);
        const s = Math.min(s0, sMax, 2 ** 53);
        const sch = new ExponentialDecay({ initialLearningRate: lr, decaySteps: D, decayRate: rate, staircase: st });
        check(`Exp(${lr}, ${D}, ${rate}, ${st}) at ${s}`, sch.at(s), expRef(lr, D, rate, s, st));
      }),
      { numRuns: 300 },
    );
  });
  it('ExponentialDecay at 2^53 and growth', () => {
    const cases: [number, number, number, number][] = [
      [0.1, 2 ** 43, 0.96, 2 ** 53],
      [0.1, 1000, 0.99999, 2 ** 53 / 2 ** 20],
      [1, 3, 1.5, 3000],
      [1, 7.25, 0.5, 7000],
    ];
    for (const [lr, D, r, s] of cases) {
      for (const st of [false, true]) check(`Exp(${lr},${D},${r},${st}) at ${s}`, new ExponentialDecay({ initialLearningRate: lr, decaySteps: D, decayRate: r, staircase: st }).at(s), expRef(lr, D, r, s, st));
    }
  });
  it('InverseTimeDecay', () => {
    fc.assert(
      fc.property(lrArb, fc.double({ min: 0.5, max: 2 ** 40, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), fc.boolean(), step53, (lr, D, rate, st, s) => {
        const sch = new InverseTimeDecay({ initialLearningRate: lr, decaySteps: D, decayRate: rate, staircase: st });
        check(`Inv(${lr}, ${D}, ${rate}, ${st}) at ${s}`, sch.at(s), invRef(lr, D, rate, s, st));
      }),
      { numRuns: 300 },
    );
  });
  it('PolynomialDecay: decreasing and increasing, powers 0.1 … 8, cycle, near the ends', () => {
    fc.assert(
      fc.property(lrArb, lrArb, fc.oneof(fc.integer({ min: 1, max: 1e9 }), fc.double({ min: 0.5, max: 2 ** 52, noNaN: true })), fc.constantFrom(0.1, 0.5, 1, 2, 3.7, 8), fc.boolean(), fc.integer({ min: -2, max: 2 }), fc.integer({ min: 0, max: 3 }), (lr, end, D, pw, cyc, off, where) => {
        const base = where === 0 ? 0 : where === 1 ? Math.floor(D) : where === 2 ? Math.floor(D / 2) : Math.floor(D * 7);
        const s = Math.min(2 ** 53, Math.max(0, base + off));
        const sch = new PolynomialDecay({ initialLearningRate: lr, decaySteps: D, endLearningRate: end, power: pw, cycle: cyc });
        check(`Poly(${lr}, ${D}, ${end}, p=${pw}, cycle=${cyc}) at ${s}`, sch.at(s), polyRef(lr, D, end, pw, cyc, s));
      }),
      { numRuns: 400 },
    );
  });
  it('CosineDecayRestarts: short dyadic t, random steps, near boundaries, α = 0 at period ends', () => {
    fc.assert(
      fc.property(lrArb, fc.constantFrom(1, 0.5, 3, 7, 10, 1000, 2.5, 12.75), fc.constantFrom(1, 1.25, 1.5, 2, 3, 10), fc.constantFrom(1, 0.9, 0.5), fc.constantFrom(0, 0.1), fc.integer({ min: 0, max: 2 ** 40 }), (lr, D, t, m, a, s0) => {
        const sch = new CosineDecayRestarts({ initialLearningRate: lr, firstDecaySteps: D, tMul: t, mMul: m, alpha: a });
        // the step, and the last step of its period, and the first of the next
        const k = sch.periodIndex(s0);
        if (t === 1 && s0 / D > 4000) return; // the reference loop is O(k)
        const p = sch.period(k);
        for (const s of [s0, p.nextFirstStep - 1, p.nextFirstStep, p.firstStep]) {
          if (s > 2 ** 53) continue;
          check(`SGDR(${lr}, ${D}, t=${t}, m=${m}, α=${a}) at ${s}`, sch.at(s), restartsRef(lr, D, t, m, a, s));
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** B_k = D·(t^k − 1)/(t − 1) as an exact rational [num, den] of BigInts, t = tn/td, D = Dn/Dd (t > 1). */
function exactB(k: number, tn: bigint, td: bigint, Dn: bigint, Dd: bigint): [bigint, bigint] {
  const K = BigInt(k);
  // D·(tn^k − td^k)/td^k · td/(tn − td)
  return [Dn * (tn ** K - td ** K) * td, Dd * td ** K * (tn - td)];
}

describe('restart boundaries are exact at high k (docs/semantics.md#cosinedecayrestarts)', () => {
  const cases: [number, number, bigint, bigint, bigint, bigint][] = [
    // [t, D, tn, td, Dn, Dd]
    [1.5, 1, 3n, 2n, 1n, 1n],
    [1.5, 1024, 3n, 2n, 1024n, 1n],
    [3, 1, 3n, 1n, 1n, 1n],
    [3, 7, 3n, 1n, 7n, 1n],
    [10, 1, 10n, 1n, 1n, 1n],
    [10, 3, 10n, 1n, 3n, 1n],
    [2, 1, 2n, 1n, 1n, 1n],
    [3, 0.5, 3n, 1n, 1n, 2n],
    [1.25, 4096, 5n, 4n, 4096n, 1n],
  ];
  it.each(cases)('t = %s, D = %s: every boundary up to 2^53', (t, D, tn, td, Dn, Dd) => {
    const sch = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: D, tMul: t });
    let integerBoundaries = 0;
    for (let k = 1; ; k++) {
      const [num, den] = exactB(k, tn, td, Dn, Dd);
      if (num > (1n << 53n) * den) break;
      const fl = num / den;
      const isInt = fl * den === num;
      const first = Number(isInt ? fl : fl + 1n);
      const p = sch.period(k);
      expect(p.firstStep).toBe(first);
      expect(sch.periodIndex(first)).toBe(k);
      if (first >= 1) expect(sch.periodIndex(first - 1)).toBe(k - 1);
      expect(sch.period(k - 1).nextFirstStep).toBe(first);
      if (isInt) {
        integerBoundaries++;
        expect(p.startOffset).toBe(0);
        expect(sch.period(k - 1).endOffset).toBe(1);
        expect(sch.at(first)).toBe(1); // the restart peak, exactly
        // the step before is the last of period k − 1, below the peak unless it is that period's only step
        if (sch.period(k - 1).firstStep < first - 1) expect(sch.at(first - 1)).toBeLessThan(1);
      } else {
        // startOffset = first − B_k, correctly rounded
        const rem = (BigInt(first) * den - num) * 2n ** 80n;
        expect(Math.abs(p.startOffset - Number(rem / den) / 2 ** 80)).toBeLessThanOrEqual(2 ** -52 * p.startOffset);
      }
    }
    expect(integerBoundaries).toBeGreaterThan(0);
  });
  it('(1.0, 1, t_mul = 3) at step 121 is the peak 1.0; t = 10 at 111, 111111 (where the f64 log ratio of V8 misfires)', () => {
    expect(new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 1, tMul: 3 }).at(121)).toBe(1);
    const ten = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 1, tMul: 10 });
    for (const [step, k] of [[111, 3], [111111, 6], [111111111, 9], [111111111111, 12], [1111111111111, 13]] as const) {
      // the naive Keras index (f64, V8's Math.log) gives k − 1 here, which is why this is a real test
      expect(Math.floor(Math.log(1 - step * (1 - 10)) / Math.log(10))).toBe(k - 1);
      expect(ten.periodIndex(step)).toBe(k);
      expect(ten.at(step)).toBe(1);
    }
  });
  it('t = 1: k = floor(s/D) exactly up to 2^53, also for fractional D', () => {
    for (const D of [1, 3, 1000, 0.75, 1e9 + 0.5]) {
      const s = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: D, tMul: 1 });
      for (const st of [0, 1, 2 ** 53, 2 ** 53 - 1, 2 ** 40 + 3, Math.floor(D * 12345)]) {
        if (st / D >= 2 ** 53) continue; // documented: exact while s/D < 2^53
        const want = (BigInt(st) * fx(1)) / fx(D);
        expect(BigInt(s.periodIndex(st))).toBe(want);
      }
    }
  });
  it('period(k) for consecutive k tiles the steps (t = 1.1, non-dyadic)', () => {
    const s = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 100, tMul: 1.1 });
    let prev = s.period(0);
    for (let k = 1; k < 300; k++) {
      const p = s.period(k);
      expect(p.firstStep).toBe(prev.nextFirstStep);
      expect(p.startOffset + prev.endOffset).toBeCloseTo(1, 12);
      expect(s.periodIndex(p.firstStep)).toBe(k);
      expect(s.periodIndex(p.firstStep - 1)).toBe(k - 1);
      prev = p;
    }
  });
});

describe('exactness of the building blocks', () => {
  it('floorDiv(s, D) = floor(s/D) exactly (BigInt), including near multiples and s near 2^53', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 1, max: 2 ** 30 }), fc.double({ min: 1, max: 2 ** 40, noNaN: true })), fc.integer({ min: 0, max: 2 ** 22 }), fc.integer({ min: -2, max: 2 }), (D, q, off) => {
        const s = Math.min(2 ** 53, Math.max(0, Math.round(q * D) + off));
        const want = (BigInt(s) * fx(1)) / fx(D);
        expect(BigInt(floorDiv(s, D))).toBe(want);
      }),
      { numRuns: 2000 },
    );
    for (const [s, D] of [[2 ** 53, 3], [2 ** 53 - 1, 3], [2 ** 53, 2 ** 53 - 1], [2 ** 53, 7.000000000000001], [2 ** 53 - 1, 1.5]] as const) {
      expect(BigInt(floorDiv(s, D))).toBe((BigInt(s) * fx(1)) / fx(D));
    }
  });
});
