/**
 * PolynomialDecay's powUnit (r^p by products and one sqrt for powers that are multiples of ½
 * up to 16) against exact powers (BigInt oracle), and PolynomialDecay with such powers against
 * the independent schedule oracle: the f64 contract (1e-12) at every step of many configs,
 * the ends included.
 */
import { describe, expect, it } from 'vitest';
import { createSchedule, type Schedule } from '../../src/index.ts';
import { powUnit } from '../../src/schedules/polynomial-decay.ts';
import * as B from '../oracle/bigfloat.ts';
import { judgeReference, oracle } from '../oracle/schedules.ts';
import { mulberry32 } from '../helpers/random.ts';

/**
 * powUnit's bound in ulp of the exact r^p, by counting roundings (docs/accuracy.md#powunit-on-the-cpu):
 * binary powering of r^n rounds once per squaring and once per product after the first (1·b is
 * exact), and a squaring's error doubles with each later squaring, so r^n carries at most
 * (1 + u)^(n − 1) − 1 relative (u = 2^-53): n − 1 roundings. The half adds a correctly rounded
 * sqrt and, for n ≥ 1, the product y·√r: n + 1 roundings; p = ½ alone is the sqrt, ½ ulp. k
 * roundings are a relative error ≤ (1 + u)^k − 1 ≤ k·u·(1 + k·u), and a relative u is < 1 ulp
 * of the exact value (its significand is < 2), so k·(1 + k·u) ulp.
 */
function powUnitUlps(p: number): number {
  if (p === 0.5) return 0.5;
  const n = Math.floor(p);
  const k = p === n ? n - 1 : n + 1;
  return k * (1 + k * 2 ** -53);
}

describe('powUnit', () => {
  it('is within its rounding count in ulp of r^p (n − 1 for r^n, n + 1 for r^(n+½), ½ for √r) for every multiple p of ½ up to 16 and r in [2^-60, 1], and Math.pow elsewhere', () => {
    const r = mulberry32(0x90);
    const worst: string[] = [];
    for (let h = 1; h <= 32; h++) {
      const p = h / 2;
      let w = 0;
      for (let i = 0; i < 300; i++) {
        const x = i === 0 ? 1 : i === 1 ? 2 ** -60 : r() < 0.3 ? r() * 2 ** -Math.floor(r() * 60) : r();
        if (x < 2 ** -60) continue;
        const X = B.fromNumber(x);
        const exact = h % 2 === 0 ? B.powInt(X, p) : B.mul(B.powInt(X, Math.floor(p)), B.sqrt(X));
        const e = B.toNumber(exact);
        const ulp = 2 ** (Math.floor(Math.log2(e)) - 52);
        const err = Math.abs(B.toNumber(B.sub(B.fromNumber(powUnit(x, p)), exact))) / ulp;
        w = Math.max(w, err);
      }
      worst.push(`${p}: ${w.toFixed(2)}`);
      expect(w, `power ${p}`).toBeLessThanOrEqual(powUnitUlps(p));
    }
    // p = 1 is r itself
    expect(powUnitUlps(1)).toBe(0);
    for (const [x, p] of [[0.5, 0.3], [0.7, 16.5], [0.9, 17], [2 ** -61, 2], [0.25, 1e-3]] as const) expect(powUnit(x, p)).toBe(Math.pow(x, p));
    console.log(`powUnit, worst ulp by power: ${worst.join(', ')}`);
  });
});

describe('PolynomialDecay with powers that are multiples of ½', () => {
  it('meets the f64 contract against the oracle at every step of many configs (cycle or not, rising or falling)', () => {
    const r = mulberry32(0x51);
    let checked = 0;
    for (let c = 0; c < 40; c++) {
      const D = Math.max(1, Math.round(10 + r() * 2000));
      const lr0 = 0.1 * (0.5 + r());
      const cfg = { initialLearningRate: lr0, decaySteps: D, endLearningRate: [lr0 / 100, 0, lr0 * 3][c % 3], power: [0.5, 1.5, 2, 2.5, 3, 8, 16][c % 7], cycle: r() < 0.5 };
      const s = createSchedule('PolynomialDecay', cfg as never) as Schedule;
      const steps = [0, 1, 2, D - 1, D, D + 1, 2 * D, 2 * D + 1, ...Array.from({ length: 60 }, () => Math.floor(r() * 3 * D))];
      const got = s.fill(steps, new Float64Array(steps.length));
      steps.forEach((st, i) => {
        const exact = oracle('PolynomialDecay', cfg, st);
        if (exact === null) return;
        const why = judgeReference(exact, got[i] as number);
        if (why !== null) throw new Error(`${JSON.stringify(cfg)} step ${st}: ${why}`);
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(40 * 60);
  });
});
