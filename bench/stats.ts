/**
 * Statistics of repeated timings: median and spread, throughput, ratios.
 * Pure: no timers, no GPU; unit-tested in test/bench-stats.test.ts.
 */

export interface Summary {
  /** Number of timed repetitions. */
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** First and third quartiles (linear interpolation between order statistics). */
  readonly q1: number;
  readonly q3: number;
  /** Median absolute deviation from the median. */
  readonly mad: number;
  /** (max − min) / median: the whole spread relative to the median (0 for one sample). */
  readonly spread: number;
}

function sortedCopy(samples: readonly number[]): number[] {
  for (const x of samples) if (!Number.isFinite(x)) throw new RangeError(`sample ${x} is not finite`);
  return [...samples].sort((a, b) => a - b);
}

/** The q-quantile (0 ≤ q ≤ 1) of sorted values, interpolating linearly (type 7, as R and NumPy). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('no samples');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} outside [0, 1]`);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

export function median(samples: readonly number[]): number {
  return quantileSorted(sortedCopy(samples), 0.5);
}

/** Median, quartiles, min/max, MAD and relative spread of non-empty finite samples. */
export function summarize(samples: readonly number[]): Summary {
  const s = sortedCopy(samples);
  if (s.length === 0) throw new RangeError('no samples');
  const med = quantileSorted(s, 0.5);
  const deviations = s.map((x) => Math.abs(x - med)).sort((a, b) => a - b);
  const min = s[0] as number;
  const max = s[s.length - 1] as number;
  return {
    n: s.length,
    median: med,
    min,
    max,
    q1: quantileSorted(s, 0.25),
    q3: quantileSorted(s, 0.75),
    mad: quantileSorted(deviations, 0.5),
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
