/**
 * PolynomialDecay's WebAssembly SIMD loop (src/schedules/wasm/poly.wat, driven by poly-run.ts)
 * and its JS fallback: this engine runs the WebAssembly path; on both paths a range fill (f32 and
 * f64 out) equals at() bit for bit over many configs (powers that are multiples of ½ up to 16 and
 * others, which stay in JS; cycle or not; decreasing and increasing; negative lr0) and every edge
 * (step 0, D − 1, D, D + 1, each cycle's end ± 1, horizons near 2^52, steps near 2^32 − 1 and
 * 2^53, strides, rows across the module's chunks); against the independent oracle, f64 within
 * 1e-12 and f32 the rounding of such a double.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSchedule, type Schedule } from '../../src/index.ts';
import { setWasmLoops } from '../../src/schedules/wasm/load.ts';
import { polyWasmAvailable } from '../../src/schedules/wasm/poly-run.ts';
import { expectOracleContractOver, fillSameOnBothPaths, itFillsAsAtOnBothPaths } from '../helpers/cpu-contract.ts';
import { pick, type Rand } from '../helpers/random.ts';

afterEach(() => {
  setWasmLoops(true);
});

function randomPoly(r: Rand, n: number, powers: readonly number[] = [1, 1.5, 2, 0.5, 3, 7.5, 16, 2.25, 17]): Record<string, unknown> {
  const lr0 = pick(r, [0.1, 1, 3e-4, -0.5, 1e-30]) * (0.5 + r());
  return {
    initialLearningRate: lr0,
    decaySteps: Math.max(1, Math.round(n * (0.05 + r()))),
    endLearningRate: pick(r, [lr0 / 100, 0, lr0 * 2, 1e-4]),
    power: pick(r, powers),
    cycle: r() < 0.5,
  };
}

/** Ranges at every edge: from 0, around D and the first cycle ends, horizons near 2^52, near 2^32 − 1 and 2^53, strided, across chunks. */
function edgeRanges(cfg: Record<string, unknown>, r: Rand): [number, number, number][] {
  const D = cfg.decaySteps as number;
  const near = (x: number): [number, number, number] => [Math.max(0, Math.floor(x) - 40), 81, 1];
  const far = Math.floor(2 ** 52 / D) * D; // the cycle whose horizon crosses 2^52
  return [[0, Math.min(3000, 2 * D + 50), 1], [0, 8192 * 2 + 37, 1], near(D), near(2 * D), near(3 * D), near(far), near(far - D), [2 ** 32 - 2000, 2100, 1], [2 ** 53 - 3000, 3000, 1], [Math.floor(r() * 3 * D), 700, pick(r, [2, 3, 97])]];
}

describe('PolynomialDecay on WebAssembly SIMD', () => {
  it('runs the WebAssembly path on this engine, so that the tests below exercise it', () => {
    expect(polyWasmAvailable()).toBe(true);
  });

  itFillsAsAtOnBothPaths({ wasm: 0x9017, js: 0x9018 }, 50, 50 * 23_000, (r) => {
    const cfg = randomPoly(r, pick(r, [20, 300, 2000, 40_000]));
    return { s: createSchedule('PolynomialDecay', cfg as never) as Schedule, cfg, ranges: edgeRanges(cfg, r) };
  });

  it('gives the same bits on both paths for the rows of benchmark job (c): power 1, 1.5, 2, cycle or not', () => {
    for (const power of [1, 1.5, 2]) {
      for (const cycle of [false, true]) {
        const s = createSchedule('PolynomialDecay', { initialLearningRate: 0.12, decaySteps: 640, endLearningRate: 0.0012, power, cycle });
        const a = fillSameOnBothPaths(s, 20_000);
        expect(a[0]).toBe(Math.fround(0.12));
        expect(a[640]).toBe(Math.fround(0.0012));
      }
    }
  });

  it('meets the contract against the oracle at the edges: f64 within 1e-12, f32 the rounding of such a double', () => {
    expectOracleContractOver(0x9019, 30, 41, 30 * 300, (r) => {
      const cfg = randomPoly(r, pick(r, [20, 300, 2000]), [1, 1.5, 2, 0.5, 3, 7.5, 16]);
      return { s: createSchedule('PolynomialDecay', cfg as never) as Schedule, cfg, ranges: edgeRanges(cfg, r) };
    });
  });
});
