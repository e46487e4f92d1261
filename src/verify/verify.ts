/**
 * verify(): judges float32 outputs against the exact reference with the acceptance
 * intervals of the accuracy contract (docs/accuracy.md, "What verify checks"), and
 * reports every failure the way the WebGPU CTS does.
 */

import { ABS_SLACK, acceptanceInterval, accepts, boundsText, toleranceK, type KindBound, type VerifiableSchedule } from './tolerance.ts';
import { stepReader, stepsLength, type Steps } from '../schedules/steps.ts';
import { ulpDistance } from './ulp.ts';
import { affine } from '../schedules/sequence.ts';
import { pieceAt } from '../schedules/sequence.ts';
import { inInterval, isVerifiableSequence, pieceBounds, pieceInterval, reportedK, type PieceBound, type VerifiableSequence } from './sequence-bound.ts';

/** One value outside its acceptance interval. */
export interface VerifyFailure {
  /** Index into the row-major values array. */
  readonly index: number;
  /** Schedule index (row). */
  readonly row: number;
  /** The schedule's kind. */
  readonly kind: string;
  /** The step evaluated. */
  readonly step: number;
  /** The value produced. */
  readonly got: number;
  /** The exact value (f64 reference). */
  readonly expected: number;
  /** The acceptance interval's ends. */
  readonly lo: number;
  readonly hi: number;
  /** |got − expected| in ULPs of expected. */
  readonly ulps: number;
}

/** The outcome of verify(). */
export interface VerifyReport {
  /** True when every checked value lies in its interval. */
  readonly ok: boolean;
  /** How many values were checked. */
  readonly checked: number;
  /** 'all' or 'sample': what was checked. */
  readonly mode: 'all' | 'sample';
  /**
   * Largest |got − exact| in ULPs of exact (ulpF32) over the checked values whose exact
   * magnitude is ≥ 2^-126 (float32 normal range); 0 when there are none. Values below
   * 2^-126 are judged by the bound's absolute 2^-126 (a flushed 0 is accepted
   * there) and their subnormal ULP counts (up to ~8e6 for a flush) say nothing of
   * accuracy, so they are left out here; maxAbs and maxRel still include them.
   */
  readonly maxUlp: number;
  /** Largest |got − exact| over all checked values. */
  readonly maxAbs: number;
  /** Largest |got − exact| / |exact| (exact ≠ 0). Divide by 2^-23 for "roundings". */
  readonly maxRel: number;
  /** The first failures in index order, at most `maxFailures` of them. */
  readonly failures: readonly VerifyFailure[];
  /** How many checked values failed (all of them, not only those listed). */
  readonly failedCount: number;
  /** The factor k each kind of the checked schedules was judged by (distinct pairs, in row order); `boundsText(bounds)` states the rule. */
  readonly bounds: readonly KindBound[];
}

/** Options of verify(). */
export interface VerifyOptions {
  /** 'all' (default) checks every value; 'sample' a deterministic sample. */
  readonly mode?: 'all' | 'sample';
  /** Sample size besides the first and last value of every row (default 4096). */
  readonly sampleSize?: number;
  /** Failures kept in the report (default 100); failedCount counts all. */
  readonly maxFailures?: number;
  /**
   * Judge every value by |got − exact| ≤ absTolerance instead of its kind's bound (the
   * kinds are then not looked up and `bounds` is empty): for other implementations of
   * the same formula, such as tfjs or a plain loop, which never promised the bound.
   */
  readonly absTolerance?: number;
}

/**
 * The indices checked in sample mode: the first and last column of every row plus
 * `size` indices spread evenly over the whole M × N array (a fixed, deterministic
 * pattern: no randomness, so a failure reproduces). Sorted, without duplicates.
 */
export function sampleIndices(rows: number, cols: number, size: number): number[] {
  const total = rows * cols;
  if (total === 0) return [];
  const set = new Set<number>();
  for (let r = 0; r < rows; r++) {
    set.add(r * cols);
    set.add(r * cols + cols - 1);
  }
  const n = Math.min(size, total);
  for (let j = 0; j < n; j++) set.add(Math.floor(((j + 0.5) * total) / n));
  return [...set].sort((a, b) => a - b);
}

/**
 * Checks row-major `values` (M × N, M = schedules.length, N = the number of steps)
 * against each schedule's exact value. Example:
 * `verify([s], { start: 0, count: 3 }, out).ok`. Never modifies `values`.
 */
export function verify(
  schedules: readonly (VerifiableSchedule | VerifiableSequence)[],
  steps: Steps,
  values: ArrayLike<number>,
  options: VerifyOptions = {},
): VerifyReport {
  const rows = schedules.length;
  const cols = stepsLength(steps);
  const stepOf = stepReader(steps);
  if (values.length !== rows * cols) {
    throw new RangeError(`verify: values.length = ${values.length}, expected rows × steps = ${rows} × ${cols} = ${rows * cols}`);
  }
  const mode = options.mode ?? 'all';
  const maxFailures = options.maxFailures ?? 100;
  const absTol = options.absTolerance;
  if (absTol !== undefined && !(absTol >= 0 && absTol < Infinity)) {
    throw new RangeError(`verify: absTolerance = ${absTol}: must be a finite number ≥ 0 (an absolute error bound)`);
  }
  // A Sequence is judged per piece (docs/accuracy.md#sequences): its row's k is unused.
  const seqBounds: (PieceBound[] | undefined)[] = schedules.map((s) => (isVerifiableSequence(s) && absTol === undefined ? pieceBounds(s) : undefined));
  const ks = absTol === undefined ? schedules.map((s, i) => (seqBounds[i] ? 0 : toleranceK(s))) : [];
  const failures: VerifyFailure[] = [];
  let failedCount = 0;
  let checked = 0;
  let maxUlp = 0;
  let maxAbs = 0;
  let maxRel = 0;
  const check = (index: number): void => {
    const row = Math.floor(index / cols);
    const col = index - row * cols;
    const schedule = schedules[row]!;
    const k = ks[row]!;
    const step = stepOf(col);
    const got = values[index]!;
    const pb = seqBounds[row];
    let exact: number;
    let interval: readonly [number, number] | undefined;
    if (pb) {
      const pieces = (schedule as VerifiableSequence).config.pieces;
      const i = pieceAt(pieces, step);
      const p = pieces[i]!;
      const v = p.schedule.at(step - p.begin);
      exact = affine(v, p.scale, p.shift);
      interval = pieceInterval(p, pb[i]!, v, exact);
    } else {
      exact = schedule.at(step);
    }
    checked++;
    const abs = Math.abs(got - exact);
    const ulps = ulpDistance(got, exact);
    if (!(abs <= maxAbs)) maxAbs = abs;
    // `!(… < ABS_SLACK)` keeps a NaN exact value in (it must show, not hide).
    if (!(Math.abs(exact) < ABS_SLACK) && !(ulps <= maxUlp)) maxUlp = ulps;
    if (exact !== 0) {
      const rel = abs / Math.abs(exact);
      if (!(rel <= maxRel)) maxRel = rel;
    }
    const ok = interval ? inInterval(interval[0], interval[1], got) : absTol === undefined ? accepts(k, exact, got) : abs <= absTol;
    if (!ok) {
      failedCount++;
      if (failures.length < maxFailures) {
        const [lo, hi] = interval ?? (absTol === undefined ? acceptanceInterval(k, exact) : [exact - absTol, exact + absTol]);
        failures.push({ index, row, kind: schedule.kind, step, got, expected: exact, lo, hi, ulps });
      }
    }
  };
  if (mode === 'all') {
    for (let i = 0; i < rows * cols; i++) check(i);
  } else {
    for (const i of sampleIndices(rows, cols, options.sampleSize ?? 4096)) check(i);
  }
  const bounds: KindBound[] = [];
  const seen = new Set<string>();
  const note = (kind: string, k: number): void => {
    const key = `${kind} ${k}`;
    if (!seen.has(key)) {
      seen.add(key);
      bounds.push({ kind, k });
    }
  };
  if (absTol === undefined) schedules.forEach((s, i) => {
    const pb = seqBounds[i];
    if (pb) (s as VerifiableSequence).config.pieces.forEach((p, j) => note(`Sequence piece ${j} (${p.schedule.kind}${pb[j]!.identity ? '' : ' scaled'})`, reportedK(pb[j]!)));
    else note(s.kind, ks[i]!);
  });
  return { ok: failedCount === 0, checked, mode, maxUlp, maxAbs, maxRel, failures, failedCount, bounds };
}

/**
 * The failures of a report as CTS-style lines,
 * `schedule #i (Kind), step s → got X, expected [lo, hi] (n ULP)`, plus a line for the
 * failures not listed. Empty string for a passing report.
 */
export function formatFailures(report: VerifyReport): string {
  const lines = report.failures.map(
    (f) => `schedule #${f.row} (${f.kind}), step ${f.step} → got ${f.got}, expected [${f.lo}, ${f.hi}] (exact ${f.expected}, ${fmtUlp(f.ulps)} ULP)`,
  );
  const more = report.failedCount - report.failures.length;
  if (more > 0) lines.push(`… and ${more} more failure${more === 1 ? '' : 's'}`);
  return lines.join('\n');
}

/** The bounds of the kinds that failed (those of the listed failures), else all of the report's. */
function failedBounds(report: VerifyReport): readonly KindBound[] {
  const kinds = new Set(report.failures.map((f) => f.kind));
  const failed = report.bounds.filter((b) => kinds.has(b.kind));
  return failed.length > 0 ? failed : report.bounds;
}

function fmtUlp(u: number): string {
  return u < 1000 ? u.toFixed(2) : u.toExponential(3);
}

/** Thrown when verification finds a value outside its interval; carries the report. */
export class VerificationError extends Error {
  override readonly name = 'VerificationError';
  /** The full report (failures listed up to the cap; failedCount counts all). */
  readonly report: VerifyReport;
  constructor(report: VerifyReport, context = '') {
    super(
      `${context}${context ? ': ' : ''}${report.failedCount} of ${report.checked} checked values lie outside ${boundsText(failedBounds(report))} (max ${fmtUlp(report.maxUlp)} ULP)\n${formatFailures(report)}`,
    );
    this.report = report;
  }
}
