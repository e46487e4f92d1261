/**
 * Verifying a sample of a benchmark's own output (docs/accuracy.md#what-verify-checks): a fast but
 * wrong kernel must show up as wrong. Pure: unit-tested in test/bench-check.test.ts.
 */

/**
 * How a value is judged against the exact (f64) value:
 * - `bound`: the project's promise, |got − exact| ≤ k·2^-23·|exact| + 2^-126 (docs/accuracy.md#the-contract);
 * - `exact`: got must equal Math.fround(exact) (PiecewiseConstantDecay);
 * - `abs`: |got − exact| ≤ abs. Used for peers (tfjs, the naive JS loop), which
 *   compute the same formula but never promised the project's bound: it checks that
 *   they computed the right thing, and the report still says how far they are in ULP.
 */
export type Tolerance =
  | { readonly kind: 'bound'; readonly k: number }
  | { readonly kind: 'exact' }
  | { readonly kind: 'abs'; readonly abs: number };

export interface SampleFailure {
  /** Index into the output array (row-major for sweeps). */
  readonly index: number;
  readonly step: number;
  readonly got: number;
  readonly expected: number;
  readonly lo: number;
  readonly hi: number;
}

export interface CheckReport {
  readonly ok: boolean;
  readonly tolerance: Tolerance;
  readonly checked: number;
  readonly failed: number;
  /** The first few failures, `index, step → got, expected [lo, hi]`. */
  readonly failures: readonly SampleFailure[];
  /** Largest error in float32 ULPs at the exact value. */
  readonly maxUlp: number;
  /** Largest error in units of 2^-23 relative to |exact| (the k of docs/accuracy.md#the-contract). */
  readonly maxK: number;
}

const TWO_M23 = 2 ** -23;
const TWO_M126 = 2 ** -126;
const TWO_M149 = 2 ** -149;

/** The spacing of float32 numbers at |x| (2^-149 below the normal range). */
export function ulpF32(x: number): number {
  const a = Math.abs(x);
  if (a < TWO_M126) return TWO_M149;
  if (!Number.isFinite(a)) return Number.NaN;
  let e = Math.floor(Math.log2(a));
  // log2 may be off by one at binade edges.
  if (2 ** e > a) e -= 1;
  else if (2 ** (e + 1) <= a) e += 1;
  return 2 ** (Math.min(e, 127) - 23);
}

/** The accepted interval [lo, hi] for an exact value under a tolerance. */
export function acceptance(exact: number, tol: Tolerance): { lo: number; hi: number } {
  switch (tol.kind) {
    case 'exact': {
      const f = Math.fround(exact);
      return { lo: f, hi: f };
    }
    case 'bound': {
      const e = tol.k * TWO_M23 * Math.abs(exact) + TWO_M126;
      return { lo: exact - e, hi: exact + e };
    }
    case 'abs':
      return { lo: exact - tol.abs, hi: exact + tol.abs };
  }
}

/**
 * Judges sampled values: `got[j]` is the output at `indices[j]`, for step
 * `steps[j]`, and `exact[j]` the f64 reference. Reports every failure count and
 * the first `keep` failures.
 */
export function checkSample(
  sample: { readonly indices: ArrayLike<number>; readonly steps: ArrayLike<number>; readonly got: ArrayLike<number>; readonly exact: ArrayLike<number> },
  tol: Tolerance,
  keep = 8,
): CheckReport {
  const { indices, steps, got, exact } = sample;
  const n = indices.length;
  if (steps.length !== n || got.length !== n || exact.length !== n) throw new RangeError('sample arrays differ in length');
  const failures: SampleFailure[] = [];
  let failed = 0;
  let maxUlp = 0;
  let maxK = 0;
  for (let j = 0; j < n; j++) {
    const g = got[j] as number;
    const x = exact[j] as number;
    const { lo, hi } = acceptance(x, tol);
    const err = Math.abs(g - x);
    if (Number.isNaN(g)) {
      maxUlp = Number.POSITIVE_INFINITY;
      maxK = Number.POSITIVE_INFINITY;
    } else {
      maxUlp = Math.max(maxUlp, err / ulpF32(x));
      if (x !== 0) maxK = Math.max(maxK, err / (TWO_M23 * Math.abs(x)));
      else if (err > TWO_M126) maxK = Number.POSITIVE_INFINITY;
    }
    if (!(g >= lo && g <= hi)) {
      failed += 1;
      if (failures.length < keep) failures.push({ index: indices[j] as number, step: steps[j] as number, got: g, expected: x, lo, hi });
    }
  }
  return { ok: failed === 0 && n > 0, tolerance: tol, checked: n, failed, failures, maxUlp, maxK };
}

/** A small seeded PRNG (mulberry32), so a run's sample is reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Which outputs of an n-element result to check: the first and last `edge`
 * indices, the `extra` indices asked for (e.g. the steps around a decay's end),
 * `count` evenly spread ones and `count` seeded random ones. Sorted, unique, < n.
 */
export function sampleIndices(n: number, options: { count?: number; edge?: number; seed?: number; extra?: readonly number[] } = {}): number[] {
  const { count = 1024, edge = 16, seed = 0x5eed, extra = [] } = options;
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n = ${n} is not a count`);
  const set = new Set<number>();
  for (let i = 0; i < Math.min(edge, n); i++) {
    set.add(i);
    set.add(n - 1 - i);
  }
  for (const i of extra) if (Number.isInteger(i) && i >= 0 && i < n) set.add(i);
  if (n > 0) {
    for (let j = 0; j < count; j++) set.add(Math.min(n - 1, Math.floor(((j + 0.5) * n) / count)));
    const rand = mulberry32(seed);
    for (let j = 0; j < count; j++) set.add(Math.floor(rand() * n));
  }
  return [...set].sort((a, b) => a - b);
}

/** One-line description of a report, e.g. "ok 2080/2080, max 3.1 ulp" or "FAIL 17/2080: #i step s → got X, expected [lo, hi]". */
export function describeCheck(r: CheckReport): string {
  const ulp = Number.isFinite(r.maxUlp) ? r.maxUlp.toPrecision(3) : String(r.maxUlp);
  if (r.ok) return `ok ${r.checked}/${r.checked}, max ${ulp} ulp`;
  const f = r.failures[0];
  const first = f ? `; #${f.index} step ${f.step} → got ${f.got}, expected [${f.lo}, ${f.hi}]` : '';
  return `FAIL ${r.failed}/${r.checked}, max ${ulp} ulp${first}`;
}
