/**
 * Linear-axis ticks for the CLI's SVG plot, without a runtime dependency: the same
 * algorithm as d3-array's `ticks` / `tickIncrement` and d3-scale's `linear.nice()`
 * (d3 v3 / v4, ISC licence), so the CLI's axes match the explorer's d3-scale axes
 * (test/cli-plot.test.ts compares them with d3-scale over many domains).
 */
const E10 = Math.sqrt(50);
const E5 = Math.sqrt(10);
const E2 = Math.sqrt(2);

function tickSpec(start: number, stop: number, count: number): [number, number, number] {
  const step = (stop - start) / Math.max(0, count);
  const power = Math.floor(Math.log10(step));
  const error = step / 10 ** power;
  const factor = error >= E10 ? 10 : error >= E5 ? 5 : error >= E2 ? 2 : 1;
  let i1: number;
  let i2: number;
  let inc: number;
  if (power < 0) {
    inc = 10 ** -power / factor;
    i1 = Math.round(start * inc);
    i2 = Math.round(stop * inc);
    if (i1 / inc < start) ++i1;
    if (i2 / inc > stop) --i2;
    inc = -inc;
  } else {
    inc = 10 ** power * factor;
    i1 = Math.round(start / inc);
    i2 = Math.round(stop / inc);
    if (i1 * inc < start) ++i1;
    if (i2 * inc > stop) --i2;
  }
  if (i2 < i1 && 0.5 <= count && count < 2) return tickSpec(start, stop, count * 2);
  return [i1, i2, inc];
}

/** About `count` round ticks in [start, stop] (start ≤ stop). */
export function ticks(start: number, stop: number, count: number): number[] {
  if (!(count > 0)) return [];
  if (start === stop) return [start];
  const [i1, i2, inc] = tickSpec(start, stop, count);
  if (!(i2 >= i1)) return [];
  const n = i2 - i1 + 1;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = inc < 0 ? (i1 + i) / -inc : (i1 + i) * inc;
  return out;
}

/** The tick step: > 0 a multiple, < 0 the reciprocal of one (d3's tickIncrement). */
export function tickIncrement(start: number, stop: number, count: number): number {
  return tickSpec(start, stop, count)[2];
}

/** d3-scale's linear.nice(count): the domain widened to round tick values. */
export function niceDomain(d0: number, d1: number, count = 10): [number, number] {
  let start = d0;
  let stop = d1;
  let prestep: number | undefined;
  for (let iter = 0; iter < 10; iter++) {
    const step = tickIncrement(start, stop, count);
    if (step === prestep) return [start, stop];
    if (step > 0) {
      start = Math.floor(start / step) * step;
      stop = Math.ceil(stop / step) * step;
    } else if (step < 0) {
      start = Math.ceil(start * step) / step;
      stop = Math.floor(stop * step) / step;
    } else break;
    prestep = step;
  }
  return [d0, d1];
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
