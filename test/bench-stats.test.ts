import { describe, expect, it } from 'vitest';
import { formatRate, median, speedRatio, summarize, throughputRatio, valuesPerSecond } from '../bench/stats.ts';

describe('bench statistics', () => {
  it('median of odd and even counts, unsorted input', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('quartiles interpolate linearly between order statistics (R type 7)', () => {
    expect(summarize([5, 1, 3, 2, 4])).toMatchObject({ q1: 2, q3: 4 });
    expect(summarize([4, 1, 3, 2])).toMatchObject({ q1: 1.75, q3: 3.25 });
  });

  it('summarize gives median, min/max, quartiles, MAD and relative spread', () => {
    const s = summarize([10, 12, 11, 30, 9]);
    expect(s).toMatchObject({ n: 5, median: 11, min: 9, max: 30, q1: 10, q3: 12, mad: 1 });
    expect(s.spread).toBeCloseTo((30 - 9) / 11, 12);
    expect(summarize([4]).spread).toBe(0);
  });

  it('rejects empty and non-finite samples', () => {
    expect(() => summarize([])).toThrow(RangeError);
    expect(() => summarize([1, Number.NaN])).toThrow(RangeError);
    expect(() => median([Infinity])).toThrow(RangeError);
  });

  it('throughput and ratios', () => {
    expect(valuesPerSecond(1000, 2)).toBe(500_000);
    expect(valuesPerSecond(1000, 0)).toBeNaN();
    // a is twice as fast as b when it needs half the time
    expect(speedRatio(50, 100)).toBe(2);
    expect(speedRatio(undefined, 100)).toBeNaN();
    // kernel at 2^20 in 40 ms vs fill at 2^20 in 10 ms: a quarter of the fill rate
    expect(throughputRatio(2 ** 20, 40, 2 ** 20, 10)).toBeCloseTo(0.25, 12);
    // sizes may differ: same rate per value gives 1
    expect(throughputRatio(2000, 20, 1000, 10)).toBeCloseTo(1, 12);
  });

  it('formats rates', () => {
    expect(formatRate(35_200_000)).toBe('35.2 M/s');
    expect(formatRate(1.5e9)).toBe('1.50 G/s');
    expect(formatRate(Number.NaN)).toBe('—');
  });
});
