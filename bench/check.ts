/**
 * Verifying a sample of a benchmark's own output (docs/accuracy.md#what-verify-checks): a fast but
 * wrong kernel must show up as wrong. The judging is the library's own verify() (src/verify);
 * this module only picks the sample and shapes the report of a bench row. Pure: unit-tested in
 * test/bench-check.test.ts.
 */
import { EPS_F32, SCHEDULE_KINDS, toleranceK, verify, type VerifiableSchedule } from '../src/index.ts';

/**
 * How a value is judged against the exact (f64) value:
 * - `bound`: the project's promise, |got − exact| ≤ k·2^-23·|exact| + 2^-126 (docs/accuracy.md#the-contract),
 *   k of the schedule's kind (toleranceK);
 * - `exact`: got must equal the reference's float32 value: Math.fround(exact) for a schedule (k = 0:
 *   PiecewiseConstantDecay), the reference itself for the device baselines (fill, clear, copy), whose
 *   reference values are float32 numbers;
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
  /** The tolerance of the first sampled row (a sweep's rows are each judged by their own kind's). */
  readonly tolerance: Tolerance;
  readonly checked: number;
  readonly failed: number;
  /** The first few failures, `index, step → got, expected [lo, hi]`. */
  readonly failures: readonly SampleFailure[];
  /** Largest error in float32 ULPs (src/verify's ulpF32) at the exact value, over exact values ≥ 2^-126. */
  readonly maxUlp: number;
  /** Largest error in units of 2^-23 relative to |exact|, over exact ≠ 0 (verify's maxRel / 2^-23: the k of docs/accuracy.md#the-contract). */
  readonly maxK: number;
}

/** What a sample is judged against: M schedules (or float32-valued references), each over `cols` steps from `start`. */
export interface Reference {
  readonly schedules: readonly VerifiableSchedule[];
  readonly start: number;
  readonly cols: number;
}

const isKind = (kind: string): boolean => (SCHEDULE_KINDS as readonly string[]).includes(kind);

/** The project's own tolerance for a schedule: its kind's bound, or exact float32 rounding (k = 0). */
export function ownTolerance(schedule: VerifiableSchedule): Tolerance {
  const k = toleranceK(schedule);
  return k === 0 ? { kind: 'exact' } : { kind: 'bound', k };
}

/**
 * Judges sampled outputs with verify(): `got[j]` is the output at row-major index
 * `indices[j]` of the M × cols result. Each schedule is judged by its own kind's bound
 * (toleranceK), or every value by `abs` when given (peers); a reference that is no
 * schedule kind (a device baseline) must be matched exactly. Counts every failure and
 * keeps the first `keep`. An empty sample never passes.
 */
export function checkSample(
  ref: Reference,
  indices: readonly number[],
  got: ArrayLike<number>,
  options: { readonly abs?: number; readonly keep?: number } = {},
): CheckReport {
  const { abs, keep = 8 } = options;
  if (got.length !== indices.length) throw new RangeError(`got.length = ${got.length}, expected one value per sampled index (${indices.length})`);
  const failures: SampleFailure[] = [];
  let checked = 0;
  let failed = 0;
  let maxUlp = 0;
  let maxK = 0;
  // verify() takes a grid of schedules × steps: one call per row that the sample touches.
  let j = 0;
  while (j < indices.length) {
    const row = Math.floor((indices[j] as number) / ref.cols);
    const schedule = ref.schedules[row];
    if (!schedule) throw new RangeError(`sampled index ${indices[j]} is outside the ${ref.schedules.length} × ${ref.cols} result`);
    const rowIndices: number[] = [];
    const steps: number[] = [];
    const values: number[] = [];
    for (; j < indices.length && Math.floor((indices[j] as number) / ref.cols) === row; j++) {
      const i = indices[j] as number;
      rowIndices.push(i);
      steps.push(ref.start + (i - row * ref.cols));
      values.push(got[j] as number);
    }
    const absTolerance = abs ?? (isKind(schedule.kind) ? undefined : 0);
    const report = verify([schedule], steps, values, { maxFailures: keep, ...(absTolerance === undefined ? {} : { absTolerance }) });
    checked += report.checked;
    failed += report.failedCount;
    maxUlp = Math.max(maxUlp, report.maxUlp);
    maxK = Math.max(maxK, report.maxRel / EPS_F32);
    for (const f of report.failures) {
      if (failures.length < keep) failures.push({ index: rowIndices[f.index] as number, step: f.step, got: f.got, expected: f.expected, lo: f.lo, hi: f.hi });
    }
  }
  const first = ref.schedules[Math.floor((indices[0] ?? 0) / ref.cols)];
  const tolerance: Tolerance = abs !== undefined ? { kind: 'abs', abs } : first && isKind(first.kind) ? ownTolerance(first) : { kind: 'exact' };
  return { ok: failed === 0 && checked > 0, tolerance, checked, failed, failures, maxUlp, maxK };
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
 * (verify()'s own sample mode is deterministic and spread only; the bench adds the
 * edges of each case and random indices, and reads back only the sampled values.)
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
