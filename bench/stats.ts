/**
 * Statistics of repeated timings: median and spread, throughput, ratios.
 * Pure: no timers, no GPU; unit-tested in test/bench-stats.test.ts. Order statistics are
 * d3-array's; this module adds the checks (no samples, a non-finite one: a RangeError) and
 * the bench's own figures.
 */
import { median as d3Median, quantileSorted, sort } from 'd3-array';

export interface Summary {
  /** Number of timed repetitions. */
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** First and third quartiles (linear interpolation between order statistics, as d3-array's quantile). */
  readonly q1: number;
  readonly q3: number;
  /** Median absolute deviation from the median. */
  readonly mad: number;
  /** (max − min) / median: the whole spread relative to the median (0 for one sample). */
  readonly spread: number;
}

/** The samples sorted ascending, after checking that there are some and that each is finite. */
function sortedFinite(samples: readonly number[]): number[] {
  if (samples.length === 0) throw new RangeError('no samples');
  for (const x of samples) if (!Number.isFinite(x)) throw new RangeError(`sample ${x} is not finite`);
  return sort(samples);
}

/** The median of non-empty finite samples (unsorted). */
export function median(samples: readonly number[]): number {
  return quantileSorted(sortedFinite(samples), 0.5) as number;
}

/** Median, quartiles (d3-array's quantile: linear interpolation, R's type 7), min/max, MAD and relative spread of non-empty finite samples. */
export function summarize(samples: readonly number[]): Summary {
  const s = sortedFinite(samples);
  const med = quantileSorted(s, 0.5) as number;
  const min = s[0] as number;
  const max = s[s.length - 1] as number;
  return {
    n: s.length,
    median: med,
    min,
    max,
    q1: quantileSorted(s, 0.25) as number,
    q3: quantileSorted(s, 0.75) as number,
    mad: d3Median(s, (x) => Math.abs(x - med)) as number,
    spread: med > 0 ? (max - min) / med : 0,
  };
}

/** Values per second for `count` values computed in `ms` milliseconds. */
export function valuesPerSecond(count: number, ms: number): number {
  if (!(ms > 0)) return Number.NaN;
  return (count * 1000) / ms;
}

/**
 * How fast `a` is relative to `b`, from their median times: timeB / timeA.
 * 2 means `a` does the same work in half the time. NaN when either is missing.
 */
export function speedRatio(timeA: number | undefined, timeB: number | undefined): number {
  if (timeA === undefined || timeB === undefined || !(timeA > 0) || !(timeB > 0)) return Number.NaN;
  return timeB / timeA;
}

/**
 * Throughput ratio of two measurements of possibly different sizes:
 * (countA / timeA) / (countB / timeB). Used for kernel/fill: the fraction of the
 * device's own write rate that a kernel reaches.
 */
export function throughputRatio(countA: number, timeA: number, countB: number, timeB: number): number {
  const a = valuesPerSecond(countA, timeA);
  const b = valuesPerSecond(countB, timeB);
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return Number.NaN;
  return a / b;
}

/** Formats a number of values per second as e.g. "35.2 M/s". */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '—';
  const units: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [scale, unit] of units) if (perSecond >= scale) return `${(perSecond / scale).toPrecision(3)} ${unit}/s`;
  return `${perSecond.toPrecision(3)} /s`;
}

/** Formats milliseconds with 3 significant digits. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms >= 100) return ms.toFixed(0);
  return ms.toPrecision(3);
}
