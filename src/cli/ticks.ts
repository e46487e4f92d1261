/**
 * Linear-axis ticks for the CLI's SVG plot: d3-array's `ticks` and `nice`, the
 * algorithm behind the explorer's d3-scale axes (bundled into the CLI build, so the
 * package has no runtime dependency for it).
 */
import { nice, ticks } from 'd3-array';

export { ticks };

/** The domain widened to round tick values (d3-array's `nice`, as d3-scale's linear.nice). */
export function niceDomain(d0: number, d1: number, count = 10): [number, number] {
  const [start, stop] = nice(d0, d1, count);
  return [start, stop];
}

/** Labels for `ts`, all in one notation: fixed with the step's decimals, or exponential for tiny/huge values. */
export function tickLabels(ts: readonly number[]): string[] {
  if (ts.length === 0) return [];
  const step = ts.length > 1 ? Math.abs((ts[1] as number) - (ts[0] as number)) : Math.abs(ts[0] as number) || 1;
  const big = Math.max(...ts.map(Math.abs));
  const stepPow = Math.floor(Math.log10(step) + 1e-9);
  if (big >= 1e7 || (step < 1e-3 && big < 1e-2) || step < 1e-6) {
    const digits = Math.max(0, Math.min(15, Math.floor(Math.log10(big || 1) + 1e-9) - stepPow));
    return ts.map((t) => (t === 0 ? '0' : t.toExponential(digits).replace(/\.?0+e/, 'e').replace('e+', 'e')));
  }
  const decimals = Math.max(0, -stepPow);
  return ts.map((t) => {
    const s = t.toFixed(decimals);
    return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
  });
}
