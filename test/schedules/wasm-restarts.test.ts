/**
 * CosineDecayRestarts' WebAssembly SIMD loop (src/schedules/wasm/restarts.wat, driven by
 * restart-run.ts) and its JS fallback: this engine runs the WebAssembly path; on both paths a
 * range fill (f32 and f64 out) equals at() bit for bit over many configs (t_mul 1 and ≠ 1,
 * fractional first_decay_steps, m_mul 1 and ≠ 1, α 0 … 1 and outside, which stays in JS) and
 * every edge (step 0, each restart boundary ± 1, period middles, steps near 2^32 − 1 and 2^53,
 * strides, rows across the module's chunks); against the independent oracle, f64 within 1e-12
 * and f32 the rounding of such a double. (The module's bytes are checked current by
 * wasm-kernels.test.ts, which checks every module of scripts/gen-wasm.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSchedule, type Schedule } from '../../src/index.ts';
import type { CosineDecayRestarts } from '../../src/schedules/cosine-decay-restarts.ts';
import { setWasmLoops } from '../../src/schedules/wasm/load.ts';
import { restartsWasmAvailable } from '../../src/schedules/wasm/restart-run.ts';
import { expectOracleContractOver, fillSameOnBothPaths, itFillsAsAtOnBothPaths } from '../helpers/cpu-contract.ts';
import { pick, type Rand } from '../helpers/random.ts';

afterEach(() => {
  setWasmLoops(true);
});

/** A CosineDecayRestarts config with periods of about n/20 … n steps. */
function randomRestarts(r: Rand, n: number, alphas: readonly number[] = [0, 0.01, 0.5, 1, -0.5, 1.2]): Record<string, unknown> {
  const D = Math.max(1, Math.round(n * (0.05 + r()))) + (r() < 0.25 ? pick(r, [0.25, 0.5, 0.7]) : 0);
  return {
    initialLearningRate: pick(r, [0.1, 1, 3e-4, -0.5, 1e-30, 1e300]) * (0.5 + r()),
    firstDecaySteps: D,
    tMul: pick(r, [1, 1, 2, 1.5, 3, 1.01]),
    mMul: pick(r, [1, 0.9, 0.5, 1.1, 0]),
    alpha: pick(r, alphas),
  };
}

/** Ranges at every edge: from step 0, around the first restart boundaries and period middles, near 2^32 − 1 and 2^53, strided, across chunks. */
function edgeRanges(s: CosineDecayRestarts, r: Rand): [number, number, number][] {
  const near = (x: number): [number, number, number] => [Math.max(0, Math.floor(x) - 40), 81, 1];
  const ranges: [number, number, number][] = [[0, 3000, 1], [0, 8192 * 2 + 37, 1], [2 ** 32 - 2000, 2100, 1], [2 ** 53 - 3000, 3000, 1], [Math.floor(r() * 3000), 700, pick(r, [2, 3, 97])]];
  for (let k = 1; k <= 4; k++) {
    const p = s.period(k);
    if (p.firstStep > 2 ** 40) break;
    ranges.push(near(p.firstStep), near(p.firstStep + p.length / 2));
  }
  const big = s.period(s.periodIndex(2 ** 32 - 1));
  ranges.push(near(big.firstStep), near(big.nextFirstStep));
  return ranges;
}

describe('CosineDecayRestarts on WebAssembly SIMD', () => {
  it('runs the WebAssembly path on this engine, so that the tests below exercise it', () => {
    expect(restartsWasmAvailable()).toBe(true);
  });

  itFillsAsAtOnBothPaths({ wasm: 0x7e5, js: 0x7e6 }, 50, 50 * 28_000, (r) => {
    const cfg = randomRestarts(r, pick(r, [20, 300, 2000, 40_000]));
    const s = createSchedule('CosineDecayRestarts', cfg as never) as CosineDecayRestarts;
    // the last range again: the memoised periods (and their links) must not change a bit
    return { s: s as unknown as Schedule, cfg, ranges: [...edgeRanges(s, r), [0, 3000, 1]] };
  });

  it('gives the same bits on both paths for the rows of benchmark job (c): t_mul 1 and 2, m_mul 0.9, α 0.01', () => {
    for (const [tMul, D] of [[1, 25], [1, 74], [2, 26], [2, 61]] as const) {
      const s = createSchedule('CosineDecayRestarts', { initialLearningRate: 0.15, firstDecaySteps: D, tMul, mMul: 0.9, alpha: 0.01 });
      const a = fillSameOnBothPaths(s, 20_000);
      expect(a[0]).toBe(Math.fround(0.15));
      expect(a[D]).toBe(Math.fround(0.15 * 0.99 * 0.9 + 0.15 * 0.01));
    }
  });

  it('meets the contract against the oracle at the edges: f64 within 1e-12, f32 the rounding of such a double', () => {
    expectOracleContractOver(0x0de, 30, 41, 30 * 300, (r) => {
      const cfg = randomRestarts(r, pick(r, [20, 300, 2000]), [0, 0.01, 0.5, 1]);
      const s = createSchedule('CosineDecayRestarts', cfg as never) as CosineDecayRestarts;
      return { s: s as unknown as Schedule, cfg, ranges: edgeRanges(s, r) };
    });
  });
});
