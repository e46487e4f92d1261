import { describe, expect, it } from 'vitest';
type ScheduleKind = string;
import {
  ABS_SLACK,
  EPS_F32,
  VerificationError,
  acceptanceInterval,
  accepts,
  boundText,
  boundsText,
  floorF32,
  formatFailures,
  nextDownF32,
  nextUpF32,
  sampleIndices,
  toleranceK,
  ulpDistance,
  ulpF32,
  verify,
  type VerifiableSchedule,
} from '../src/verify/index.ts';

/** A stand-in schedule with a closed form, so these tests need no schedule code. */
function fake(kind: ScheduleKind, fn: (s: number) => number, config: object = {}): VerifiableSchedule {
  return { kind, config, at: fn };
}

describe('ulp helpers', () => {
  it('follows the WGSL definition (smaller gap at a power of two)', () => {
    expect(ulpF32(1)).toBe(2 ** -24);
    expect(ulpF32(1.5)).toBe(2 ** -23);
    expect(ulpF32(1 + 1e-9)).toBe(2 ** -23);
    expect(ulpF32(0.1)).toBe(2 ** -27);
    expect(ulpF32(-2)).toBe(2 ** -23);
    expect(ulpF32(0)).toBe(2 ** -149);
    expect(ulpF32(2 ** -140)).toBe(2 ** -149);
    expect(ulpF32(3.4e38)).toBe(2 ** 104);
  });
  it('steps through neighbours by bit pattern', () => {
    expect(nextUpF32(1)).toBe(1 + 2 ** -23);
    expect(nextDownF32(1)).toBe(1 - 2 ** -24);
    expect(nextUpF32(0)).toBe(2 ** -149);
    expect(nextDownF32(0)).toBe(-(2 ** -149));
    expect(nextUpF32(-1)).toBe(-1 + 2 ** -24);
    expect(floorF32(0.1)).toBeLessThan(0.1);
    expect(nextUpF32(floorF32(0.1))).toBeGreaterThan(0.1);
  });
  it('measures distances in ULP of the exact value', () => {
    expect(ulpDistance(Math.fround(0.1), 0.1)).toBeLessThanOrEqual(0.5);
    expect(ulpDistance(nextUpF32(1.5), 1.5)).toBe(1);
    expect(ulpDistance(NaN, 1)).toBe(Infinity);
  });
});

describe('toleranceK (the k per kind of docs/accuracy.md)', () => {
  it.each([
    ['ExponentialDecay', {}, 8],
    ['InverseTimeDecay', {}, 10],
    ['CosineDecay', {}, 20],
    ['CosineDecayRestarts', { tMul: 2, mMul: 0.5 }, 20],
    ['CosineDecayRestarts', { tMul: 1, mMul: 1 }, 20],
    ['CosineDecayRestarts', { tMul: 1, mMul: 0.9 }, 24],
    ['PolynomialDecay', { power: 0.5 }, 18],
    ['PolynomialDecay', { power: 1 }, 18],
    ['PolynomialDecay', { power: 3 }, 38],
    ['PiecewiseConstantDecay', {}, 0],
  ] as const)('%s %o → %d', (kind, config, k) => {
    expect(toleranceK({ kind, config })).toBe(k);
  });
});

describe('acceptance intervals', () => {
  it('is k·2^-23·|x| + 2^-126 around x', () => {
    const [lo, hi] = acceptanceInterval(8, 0.75);
    expect(hi - 0.75).toBe(8 * EPS_F32 * 0.75 + ABS_SLACK);
    expect(0.75 - lo).toBe(8 * EPS_F32 * 0.75 + ABS_SLACK);
  });
  it.each([8, 10, 20, 24, 38])('accepts the last float32 inside and rejects the next one out (k = %d)', (k) => {
    for (const exact of [0.1, 1e-3, 0.7, 3.3e-7, 1]) {
      const [lo, hi] = acceptanceInterval(k, exact);
      const edgeHi = floorF32(hi);
      const edgeLo = -floorF32(-lo);
      expect(accepts(k, exact, edgeHi)).toBe(true);
      expect(accepts(k, exact, edgeLo)).toBe(true);
      expect(accepts(k, exact, nextUpF32(edgeHi))).toBe(false);
      expect(accepts(k, exact, nextDownF32(edgeLo))).toBe(false);
      // The edge sits within one float32 gap of k·2^-23 relative.
      expect(Math.abs(edgeHi - exact)).toBeGreaterThan(k * EPS_F32 * exact - ulpF32(hi));
    }
  });
  it('needs exactly the rounded value for PiecewiseConstantDecay', () => {
    expect(accepts(0, 0.1, Math.fround(0.1))).toBe(true);
    expect(accepts(0, 0.1, nextUpF32(Math.fround(0.1)))).toBe(false);
    expect(accepts(0, 0.1, nextDownF32(Math.fround(0.1)))).toBe(false);
  });
  it('absorbs flush-to-zero for tiny values and rejects NaN', () => {
    expect(accepts(20, 2 ** -130, 0)).toBe(true);
    expect(accepts(20, 1, NaN)).toBe(false);
    expect(accepts(8, 1e39, Infinity)).toBe(true);
    expect(accepts(8, 1, Infinity)).toBe(false);
  });
});

describe('verify', () => {
  const cos = fake('CosineDecay', (s) => 0.5 * (1 + Math.cos((Math.PI * Math.min(s, 100)) / 100)) * 0.1);
  const pw = fake('PiecewiseConstantDecay', (s) => (s <= 10 ? 0.1 : 0.01));

  it('passes exact float32 roundings of a sweep, all and sample', () => {
    const steps = { start: 0, count: 200 };
    const values = new Float32Array(400);
    for (let c = 0; c < 200; c++) {
      values[c] = cos.at(c);
      values[200 + c] = pw.at(c);
    }
    const all = verify([cos, pw], steps, values);
    expect(all).toMatchObject({ ok: true, checked: 400, failedCount: 0, mode: 'all' });
    expect(all.maxUlp).toBeLessThanOrEqual(0.5);
    const sample = verify([cos, pw], steps, values, { mode: 'sample', sampleSize: 10 });
    expect(sample.ok).toBe(true);
    expect(sample.checked).toBeLessThan(400);
    expect(sample.checked).toBeGreaterThanOrEqual(14);
  });

  it('reports every failure CTS-style, capped, counting all', () => {
    const steps = Uint32Array.of(0, 5, 11, 12);
    const values = new Float32Array(8);
    for (let c = 0; c < 4; c++) {
      values[c] = nextUpF32(floorF32(acceptanceInterval(20, cos.at(steps[c]!))[1])); // just outside
      values[4 + c] = pw.at(steps[c]!);
    }
    values[6] = nextUpF32(Math.fround(0.01)); // piecewise off by one float32
    const r = verify([cos, pw], steps, values, { maxFailures: 3 });
    expect(r.ok).toBe(false);
    expect(r.failedCount).toBe(5);
    expect(r.failures).toHaveLength(3);
    expect(r.failures[0]).toMatchObject({ index: 0, row: 0, step: 0, kind: 'CosineDecay' });
    const text = formatFailures(r);
    expect(text).toMatch(/^schedule #0 \(CosineDecay\), step 0 → got [\d.e-]+, expected \[[\d.e-]+, [\d.e-]+\]/);
    expect(text).toContain('… and 2 more failures');
    const err = new VerificationError(r, 'test');
    expect(err.report).toBe(r);
    expect(r.bounds).toEqual([{ kind: 'CosineDecay', k: 20 }, { kind: 'PiecewiseConstantDecay', k: 0 }]);
    // The message states the bound of the kinds that failed (the 3 listed are CosineDecay), not a file.
    expect(err.message).toMatch(/^test: 5 of 8 checked values lie outside \|got − exact\| ≤ 20·2\^-23·\|exact\| \+ 2\^-126 \(CosineDecay\) \(max [\d.]+ ULP\)\n/);
    expect(err.message).not.toMatch(/\.md/);
    const pwOnly = verify([pw], steps, values.subarray(4));
    expect(new VerificationError(pwOnly).message).toMatch(/^1 of 4 checked values lie outside got = Math\.fround\(exact\) \(PiecewiseConstantDecay\) /);
  });

  it('states bounds as text: one k, grouped kinds, a range of k beyond three', () => {
    expect(boundText(20)).toBe('|got − exact| ≤ 20·2^-23·|exact| + 2^-126');
    expect(boundText(8 + 10 * 1.37)).toBe('|got − exact| ≤ 21.7·2^-23·|exact| + 2^-126');
    expect(boundText(0)).toBe('got = Math.fround(exact)');
    expect(boundsText([{ kind: 'CosineDecay', k: 20 }, { kind: 'CosineDecayRestarts', k: 20 }, { kind: 'ExponentialDecay', k: 8 }])).toBe(
      '|got − exact| ≤ 20·2^-23·|exact| + 2^-126 (CosineDecay, CosineDecayRestarts); |got − exact| ≤ 8·2^-23·|exact| + 2^-126 (ExponentialDecay)',
    );
    const many = [18, 28, 38, 48].map((k) => ({ kind: 'PolynomialDecay', k }));
    expect(boundsText([...many, { kind: 'PiecewiseConstantDecay', k: 0 }])).toBe(
      '|got − exact| ≤ k·2^-23·|exact| + 2^-126 with k = 18 … 48 by kind; got = Math.fround(exact) (PiecewiseConstantDecay)',
    );
    expect(boundsText([])).toBe('|got − exact| ≤ k·2^-23·|exact| + 2^-126');
  });

  it('maxUlp covers only exact values ≥ 2^-126; flushed subnormals pass and count in maxAbs/maxRel', () => {
    // exact 2^-127 and 1.1e-38 (< 2^-126 ≈ 1.1755e-38) flushed to 0: accepted by the 2^-126 slack,
    // millions of subnormal ULPs, so not in maxUlp; 0.25 exactly representable (0 ULP).
    const exact = [2 ** -127, 1.1e-38, 0.25];
    const tiny = fake('ExponentialDecay', (s) => exact[s]!);
    const r = verify([tiny], Uint32Array.of(0, 1, 2), Float32Array.of(0, 0, 0.25));
    expect(r).toMatchObject({ ok: true, checked: 3, failedCount: 0, maxUlp: 0, maxAbs: 1.1e-38, maxRel: 1 });
    expect(ulpDistance(0, 1.1e-38)).toBeGreaterThan(7e6); // what maxUlp would have said
    // Only tiny values: maxUlp 0.
    expect(verify([tiny], Uint32Array.of(0, 1), Float32Array.of(0, 0)).maxUlp).toBe(0);
    // A value at 2^-126 exactly is in the normal range: its ULPs count.
    const edge = fake('ExponentialDecay', () => 2 ** -126);
    const e = verify([edge], Uint32Array.of(0), Float32Array.of(nextUpF32(2 ** -126)));
    expect(e.maxUlp).toBe(ulpDistance(nextUpF32(2 ** -126), 2 ** -126));
    expect(e.maxUlp).toBeGreaterThan(0);
    // A failure below 2^-126 still fails (and lists its ULPs), even though maxUlp leaves it out.
    const f = verify([tiny], Uint32Array.of(1), Float32Array.of(-1e-30));
    expect(f.ok).toBe(false);
    expect(f.maxUlp).toBe(0);
    expect(f.failures[0]!.ulps).toBeGreaterThan(1e6);
  });

  it('sample mode includes the first and last value of every row', () => {
    const idx = sampleIndices(3, 1000, 5);
    for (const i of [0, 999, 1000, 1999, 2000, 2999]) expect(idx).toContain(i);
    expect(new Set(idx).size).toBe(idx.length);
    expect(sampleIndices(2, 3, 100)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('rejects a values array of the wrong length', () => {
    expect(() => verify([cos], { start: 0, count: 3 }, new Float32Array(2))).toThrow(RangeError);
  });
});
