/** The view window (zoom.ts) and the reading numbers (fmt.ts), pure. */
import { describe, expect, it } from 'vitest';
import { placeReadout } from '../../src/app/crosshair.ts';
import { formatAlike, formatDistinct, formatSig } from '../../src/app/fmt.ts';
import { rowRuns } from '../../src/app/sweep-eval.ts';
import { brushWindow, clampWindow, fromFraction, panned, sampleSteps, stepAt, toFraction, wheelFactor, zoomedAbout } from '../../src/app/zoom.ts';

describe('sampleSteps', () => {
  const steps = { start: 0, end: 10_000, stride: 10 };

  it('evaluates the whole grid when not zoomed, and only the grid steps inside a zoom window', () => {
    expect(sampleSteps(steps, { x: null, xLog: false }).range).toEqual({ start: 0, count: 1001, stride: 10 });
    const z = sampleSteps(steps, { x: [1234.5, 2000.2], xLog: false });
    expect(z.range).toEqual({ start: 1240, count: 77, stride: 10 });
    expect([z.x0, z.x1]).toEqual([1240, 2000]);
  });

  it('keeps two grid steps for a window narrower than the stride', () => {
    const z = sampleSteps(steps, { x: [1231, 1233], xLog: false });
    expect(z.range.count).toBe(2);
    expect(z.x1 - z.x0).toBe(10);
  });

  it('spreads a log axis\'s samples evenly in log(step) on the grid, from the first step above 0', () => {
    const z = sampleSteps(steps, { x: null, xLog: true });
    expect(z.list).not.toBeNull();
    const list = z.list as Float64Array;
    expect(list[0]).toBe(10);
    expect(list[list.length - 1]).toBe(10_000);
    // 1,000 grid steps fit in LOG_SAMPLES: every one is evaluated.
    expect(list.length).toBe(1000);
    for (const s of list) expect(s % 10).toBe(0);
    for (let i = 1; i < list.length; i++) expect(list[i]).toBeGreaterThan(list[i - 1] as number);
    expect(stepAt(z.range, z.list, list.length - 1)).toBe(10_000);
    // Halfway across the plot is the geometric middle (on the grid).
    const xs = z.xs as Float32Array;
    const mid = xs.findIndex((x) => x >= 0.5);
    expect(Math.abs((list[mid] as number) - Math.sqrt(10 * 10_000))).toBeLessThanOrEqual(10);
  });

  it('on a log axis draws each step once, at its own x: the log axis\'s fraction of that step', () => {
    // Stride 1 from 0: up to step ~40 the grid is coarser than 2,048 log-spaced samples, so
    // snapping repeats steps; drawn evenly across the width they made a staircase.
    for (const [sweep, window] of [[{ start: 0, end: 1_000_000, stride: 1 }, null], [{ start: 0, end: 10_000, stride: 10 }, [15, 800]]] as const) {
      const z = sampleSteps(sweep, { x: window, xLog: true });
      const list = z.list as Float64Array;
      const xs = z.xs as Float32Array;
      expect(xs.length).toBe(list.length);
      expect(z.range.count).toBe(list.length);
      expect(list.length).toBeLessThanOrEqual(2048);
      for (let i = 0; i < list.length; i++) {
        const s = list[i] as number;
        expect((s - sweep.start) % sweep.stride).toBe(0);
        expect(xs[i]).toBe(Math.fround(toFraction(s, z.x0, z.x1, true)));
        if (i > 0) expect(s).toBeGreaterThan(list[i - 1] as number);
      }
      expect([xs[0], xs[xs.length - 1]]).toEqual([0, 1]);
    }
    // Every grid step up to 40 is there (the log spacing is finer than the grid there).
    const z = sampleSteps({ start: 0, end: 1_000_000, stride: 1 }, { x: null, xLog: true });
    expect([...(z.list as Float64Array).subarray(0, 40)]).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('on a linear axis keeps evenly spaced samples (no per-sample x)', () => {
    expect(sampleSteps(steps, { x: null, xLog: false }).xs).toBeNull();
  });
});

/**
 * f64 roundoff: each + − × ÷ rounds by at most U relative, and V8's Math.log / Math.exp (fdlibm)
 * are within one ulp. On a log axis the mapping runs through ln(d0), ln(d1) and the exponent
 * t·(ln d1 − ln d0): with L the largest |ln| involved, five roundings there leave at most 5·L·U
 * absolute error in the exponent, which exp turns into that relative error, plus its own U.
 */
const U = 2 ** -53;
const logBound = (L: number): number => (5 * L + 2) * U;
const expectRel = (got: number, want: number, rel: number): void => expect(Math.abs(got - want)).toBeLessThanOrEqual(rel * Math.abs(want));

describe('brush and pan', () => {
  const xd = [0, 1000, false] as const;
  const yd = [0, 1, false] as const;

  it('maps a box to both windows, a flat brush to x only, a thin tall one to y only, and a click to nothing', () => {
    expect(brushWindow(100, 50, 300, 150, 1000, 200, xd, yd)).toEqual({ x: [100, 300], y: [0.25, 0.75] });
    expect(brushWindow(100, 50, 300, 52, 1000, 200, xd, yd)).toEqual({ x: [100, 300], y: null });
    expect(brushWindow(100, 50, 102, 150, 1000, 200, xd, yd)).toEqual({ x: null, y: [0.25, 0.75] });
    expect(brushWindow(100, 50, 102, 52, 1000, 200, xd, yd)).toBeNull();
  });

  it('maps fractions on log axes through log space, and pans by the dragged share of the axis', () => {
    expectRel(fromFraction(0.5, 1, 100, true), 10, logBound(Math.log(100)));
    // (ln 10 − ln 1) / (ln 100 − ln 1): two logs and three roundings, each U relative
    expectRel(toFraction(10, 1, 100, true), 0.5, 5 * U);
    expect(panned(0, 1000, false, 100, 1000)).toEqual([-100, 900]);
    const [a, b] = panned(1, 100, true, 500, 1000);
    expectRel(a, 0.1, logBound(Math.log(100)));
    expectRel(b, 10, logBound(Math.log(100)));
  });
});

describe('reading numbers', () => {
  it('writes small and large values in scientific form, others plainly, without trailing zeros', () => {
    expect(formatSig(0.000024672, 5)).toBe('2.4672e-5');
    expect(formatSig(0.05, 4)).toBe('0.05');
    expect(formatSig(123456, 3)).toBe('1.23e5');
    expect(formatSig(0, 3)).toBe('0');
  });

  it('writes values shown together (a facet\'s lr range) in one form: 1.25e-6–1.25e-2, not 1.25e-6–0.0125', () => {
    expect(formatAlike([1.25e-6, 0.0125], 3)).toEqual(['1.25e-6', '1.25e-2']);
    expect(formatAlike([0.00125, 0.0125], 3)).toEqual(['0.00125', '0.0125']);
    expect(formatAlike([0, 0.5], 3)).toEqual(['0', '0.5']);
    expect(formatAlike([0, 20_000], 3)).toEqual(['0', '2e4']);
  });

  it('uses the fewest digits (at least 3) that tell a value from its neighbours', () => {
    expect(formatDistinct(0.000024672)).toBe('2.47e-5');
    expect(formatDistinct(0.000024672, [0.000024673])).toBe('2.4672e-5');
    expect(formatDistinct(0.1, [0.1])).toBe('0.1');
    // f32 neighbours one ulp apart need all 9 digits.
    const a = Math.fround(0.1);
    const b = Math.fround(a * (1 + 2 ** -23));
    expect(formatDistinct(a, [b])).not.toBe(formatDistinct(b, [a]));
  });
});

describe('rowRuns', () => {
  it('splits the rows the GPU takes into runs around the declined ones', () => {
    expect(rowRuns(6, new Set([2, 3]))).toEqual([[0, 2], [4, 6]]);
    expect(rowRuns(3, new Set([0, 1, 2]))).toEqual([]);
    expect(rowRuns(3, new Set())).toEqual([[0, 3]]);
  });
});

describe('pins in the share link', () => {
  it('round-trip as Keras JSON with name, colour and shown state, and a bad entry is refused naming its field', async () => {
    const { readLinkPins, pinLink } = await import('../../src/app/pin-link.ts');
    const { togglePin, configKey } = await import('../../src/app/pin-model.ts');
    const { buildSchedules } = await import('../../src/app/build.ts');
    const { defaultSweep } = await import('../../src/app/sweep.ts');
    const { schedulesFromJson: schedulesFromKeras } = await import('../../src/app/lib.ts');
    const s = buildSchedules(defaultSweep()).schedules[7]!;
    const pins = togglePin([], s, 'baseline').pins;
    pins[0]!.hidden = true;
    const back = readLinkPins(JSON.parse(JSON.stringify(pinLink(pins))));
    expect(back).toHaveLength(1);
    expect(back[0]).toMatchObject({ name: 'baseline', color: pins[0]!.color.map((c) => Math.round(c * 255) / 255), hidden: true });
    expect(configKey(schedulesFromKeras(back[0]!.keras)[0]!)).toBe(configKey(s));
    expect(readLinkPins(undefined)).toEqual([]);
    expect(() => readLinkPins([{ keras: {}, name: 'x', color: 'red', hidden: false }])).toThrow(/pins\[0\]\.color: must be a colour as #rrggbb, got "red"/);
    expect(() => readLinkPins([{ keras: [1], name: 'x', color: '#000000', hidden: false }])).toThrow(/pins\[0\]\.keras/);
    expect(() => readLinkPins(new Array(9).fill({}))).toThrow(/9 pins; at most 8/);
  });
});

describe('wheel and keyboard zoom', () => {
  it('zooms an axis about a point that stays put, on linear and log axes', () => {
    expect(zoomedAbout(0, 1000, false, 0.25, 0.5)).toEqual([125, 625]);
    expect(zoomedAbout(0, 1000, false, 0.25, 2)).toEqual([-250, 1750]);
    const [a, b] = zoomedAbout(1, 10_000, true, 0.5, 0.5);
    // The middle of a log axis is 100; halving the log span about it gives 10..1000.
    expectRel(a, 10, logBound(Math.log(10_000)));
    expectRel(b, 1000, logBound(Math.log(10_000)));
    const t = toFraction(300, 0, 1000, false);
    const [c, d] = zoomedAbout(0, 1000, false, t, 0.3);
    // linear: about ten roundings of values up to 1000 on an axis 300 wide, read back as a fraction
    expect(Math.abs(toFraction(300, c, d, false) - t)).toBeLessThanOrEqual((10 * 1000 * U) / 300);
  });

  it('turns a wheel delta into a factor: in for up, out for down, a pinch steeper, at most ×2 per event', () => {
    expect(wheelFactor(-100, 0, false)).toBeLessThan(1);
    expect(wheelFactor(100, 0, false)).toBeGreaterThan(1);
    // 2^(0.4) · 2^(−0.4): each power within one ulp, and the product's rounding
    expectRel(wheelFactor(100, 0, false) * wheelFactor(-100, 0, false), 1, 3 * U);
    expect(wheelFactor(10, 0, true)).toBeGreaterThan(wheelFactor(10, 0, false));
    expect(wheelFactor(3, 1, false)).toBe(wheelFactor(48, 0, false));
    expect(wheelFactor(1e6, 0, false)).toBe(2);
    expect(wheelFactor(-1e6, 0, true)).toBe(0.5);
  });

  it('keeps an x window inside the sweep: shifted back in, the whole sweep when as wide, never under the narrowest width', () => {
    expect(clampWindow(-100, 300, 0, 10_000, 20)).toEqual([0, 400]);
    expect(clampWindow(9_900, 10_300, 0, 10_000, 20)).toEqual([9_600, 10_000]);
    expect(clampWindow(-10, 10_010, 0, 10_000, 20)).toBeNull();
    expect(clampWindow(0, 10_000, 0, 10_000, 20)).toBeNull();
    expect(clampWindow(500, 505, 0, 10_000, 20)).toEqual([492.5, 512.5]);
    expect(clampWindow(2_000, 4_000, 0, 10_000, 20)).toEqual([2_000, 4_000]);
  });
});

describe('the crosshair readout', () => {
  const box = { width: 200, height: 60 };

  it('sits right of the line at the top unless that hides the tooltip or the curves it lists', () => {
    expect(placeReadout(box, 300, 800, 400, null, [300])).toEqual({ left: 310, top: 4 });
    // The listed curves cross the line near the top: the bottom.
    expect(placeReadout(box, 300, 800, 400, null, [20, 40])).toEqual({ left: 310, top: 336 });
    // The tooltip is right of the line at the top: left of the line.
    expect(placeReadout(box, 300, 800, 400, { left: 314, top: 0, width: 200, height: 150 }, [300])).toEqual({ left: 90, top: 4 });
    // Near the right edge it stays inside the plot.
    expect(placeReadout(box, 790, 800, 400, null, []).left).toBeLessThanOrEqual(600);
  });
});
