/**
 * CosineDecay's WebAssembly SIMD loops (src/schedules/wasm/cosine.wat) and their JS fallback (and every module of gen-wasm.ts current):
 * the committed module is what `npm run gen` assembles now; this engine runs the WebAssembly
 * path (so the tests below exercise it); on both paths a range fill (f32 and f64 out) equals
 * at() bit for bit over many configs and the edges (step 0, the warmup boundary, the decay's
 * end, α 0 and 1, starts near 2^53, strides, rows across the module's chunks); and the values
 * meet the contract against the independent oracle: f64 within 1e-12, f32 the rounding of a
 * double within 1e-12 of the exact value.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { WASM_MODULES, generateWasm } from '../../scripts/gen-wasm.ts';
import { createSchedule, type Schedule } from '../../src/index.ts';
import { cosineWasmAvailable } from '../../src/schedules/wasm/cosine-run.ts';
import { setWasmLoops } from '../../src/schedules/wasm/load.ts';
import { COS_BIG, COS_SMALL, cosQ, sinQ } from '../../src/schedules/wasm/quarter-trig.ts';
import * as B from '../oracle/bigfloat.ts';
import { expectOracleContractOver, fillSameOnBothPaths, itFillsAsAtOnBothPaths } from '../helpers/cpu-contract.ts';
import { mulberry32, pick, type Rand } from '../helpers/random.ts';

afterEach(() => {
  setWasmLoops(true);
});

/** A CosineDecay config sized for steps around n: integer or fractional D, warmup or not, α at and inside [0, 1] (and outside, which stays in JS). */
function randomCosine(r: Rand, n: number): Record<string, unknown> {
  const D = r() < 0.8 ? Math.max(1, Math.round(n * (0.05 + r()))) : n * (0.05 + r()) + 0.37;
  const warm = r() < 0.5;
  const W = r() < 0.8 ? Math.max(1, Math.round(n * r() * 0.3)) : n * r() * 0.3 + 0.5;
  return {
    initialLearningRate: pick(r, [0.1, 1, 3e-4, -0.5, 0, 1e-30, 1e300]) * (0.5 + r()),
    decaySteps: D,
    alpha: pick(r, [0, 0, 1, 0.01, 0.5, 0.999, -1, 1.5]),
    warmupTarget: warm ? pick(r, [0.1, 1, -0.2, 0]) : null,
    warmupSteps: warm ? W : 0,
  };
}

/** The ranges that reach each edge of a config: step 0, around W, around W + D (the end), far past it, near 2^53, strided, across chunks. */
function edgeRanges(c: Record<string, unknown>, r: Rand): [number, number, number][] {
  const D = c.decaySteps as number;
  const W = c.warmupTarget === null ? 0 : (c.warmupSteps as number);
  const end = Math.floor(W + D);
  const near = (x: number): [number, number, number] => [Math.max(0, Math.floor(x) - 40), 81, 1];
  return [[0, Math.min(3000, end + 50), 1], near(W), near(W + D / 2), near(end), [end + 5, 40, 1], [2 ** 53 - 300, 300, 1], [Math.floor(r() * end), 700, pick(r, [2, 3, 97])], [0, 8192 * 2 + 37, 1]];
}

describe('CosineDecay on WebAssembly SIMD', () => {
  it('commits the modules that `npm run gen` assembles from src/schedules/wasm/*.wat now (cosine, restarts, poly)', async () => {
    for (const m of WASM_MODULES) expect(readFileSync(m.out, 'utf8')).toBe(await generateWasm(m));
  });

  it('runs the WebAssembly path on this engine, so that the tests below exercise it', () => {
    expect(cosineWasmAvailable()).toBe(true);
  });

  itFillsAsAtOnBothPaths({ wasm: 0xc05, js: 0x15 }, 60, 60 * 18_000, (r) => {
    const cfg = randomCosine(r, pick(r, [20, 1000, 5000, 40_000]));
    return { s: createSchedule('CosineDecay', cfg as never) as Schedule, cfg, ranges: edgeRanges(cfg, r) };
  });

  it('gives the same bits on both paths for the benchmark job (a): warmup 0 → 0.1 over 2^16 steps, decay over 2^20 − 2^17', () => {
    const s = createSchedule('CosineDecay', { initialLearningRate: 0, decaySteps: 2 ** 20 - 2 ** 17, warmupTarget: 0.1, warmupSteps: 2 ** 16, alpha: 0 });
    const a = fillSameOnBothPaths(s, 2 ** 20);
    expect(a[0]).toBe(0);
    expect(a[2 ** 16]).toBe(Math.fround(0.1));
    expect(a[2 ** 20 - 2 ** 17 + 2 ** 16]).toBe(0);
  });

  it('meets the contract against the oracle at the edges and at random steps: f64 within 1e-12, f32 the rounding of such a double', () => {
    expectOracleContractOver(0x0dd, 40, 81, 40 * 400, (r) => {
      const cfg = { ...randomCosine(r, pick(r, [20, 1000, 40_000])), alpha: pick(r, [0, 1, 0.01, 0.5]) };
      return { s: createSchedule('CosineDecay', cfg as never) as Schedule, cfg, ranges: edgeRanges(cfg, r) };
    });
  });
});

describe('the quarter-wave kernels sinQ, cosQ', () => {
  it('are within 1 ulp of sin and cos (oracle, 400 bits) on [0, π/4], their branch points included', () => {
    const r = mulberry32(7);
    const xs = [0, 2 ** -1074, 1e-300, 2 ** -27, 2 ** -26, COS_SMALL, COS_SMALL * (1 - 2 ** -53), 0.5, 0.5 * (1 - 2 ** -53), COS_BIG, COS_BIG * (1 - 2 ** -53), Math.PI / 4];
    for (let i = 0; i < 2000; i++) xs.push((Math.PI / 4) * r() * (r() < 0.2 ? r() ** 8 : 1));
    for (const x of xs) {
      // the oracle gives cos, sin of π/2·f: f = 2x/π
      const { c, s } = B.cosSinHalfPi(B.div(B.ldexp(B.fromNumber(x), 1), B.PI));
      for (const [got, ex] of [[sinQ(x), s], [cosQ(x), c]] as const) {
        const e = B.toNumber(ex);
        const ulp = 2 ** Math.max(-1074, Math.floor(Math.log2(Math.abs(e) || 2 ** -1074)) - 52);
        const err = Math.abs(B.toNumber(B.sub(B.fromNumber(got), ex)));
        if (!(err < ulp)) throw new Error(`x = ${x}: got ${got}, exact ≈ ${e} (${err / ulp} ulp)`);
      }
    }
  });
});
