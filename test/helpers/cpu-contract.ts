/**
 * How the CPU path's tests judge a fill (docs/accuracy.md): the fast loops (JS and WebAssembly)
 * give at()'s doubles bit for bit (f64 out) and their one rounding (f32 out); against the oracle,
 * an f64 value is within 1e-12 (judgeReference) and an f32 value is the rounding of some double
 * within 1e-12 of the exact value.
 */
import { expect, it } from 'vitest';
import type { Schedule } from '../../src/index.ts';
import { setWasmLoops } from '../../src/schedules/wasm/load.ts';
import * as B from '../oracle/bigfloat.ts';
import type { BF } from '../oracle/bigfloat.ts';
import { judgeReference, oracle } from '../oracle/schedules.ts';
import { mulberry32, type Rand } from './random.ts';

/** Every value of a range fill (f64 and f32 out) is at() (Object.is), resp. fround(at()); throws on the first that is not; returns the number of values. */
export function expectSameAsAt(s: Schedule, start: number, count: number, stride: number): number {
  const f64 = s.fill({ start, count, stride }, new Float64Array(count));
  const f32 = s.fill({ start, count, stride }, new Float32Array(count));
  for (let i = 0; i < count; i++) {
    const st = start + i * stride;
    const v = s.at(st);
    if (!Object.is(f64[i], v) || !Object.is(f32[i], Math.fround(v))) {
      throw new Error(`${s.kind} ${JSON.stringify(s.config)} step ${st}: fill ${f64[i]} / ${f32[i]}, at ${v}`);
    }
  }
  return count;
}

/** Why the f32 value `got` is not the rounding of a double within 1e-12 of `exact` (null: it is): between fround of the interval's ends (fround is monotone). */
export function judgeF32(exact: BF, got: number): string | null {
  const lo = B.toNumber(B.sub(exact, B.div(B.abs(exact), B.fromNumber(1e12))));
  const hi = B.toNumber(B.add(exact, B.div(B.abs(exact), B.fromNumber(1e12))));
  return got >= Math.fround(lo) && got <= Math.fround(hi) ? null : `f32 ${got}, exact ≈ ${B.toNumber(exact)}`;
}

/** Float32 ULPs of `got` from the exact value (0 where got is its rounding; exact values below 2^-126 left out, as verify does). */
export function ulpF32Off(exact: BF, got: number): number {
  const e = B.toNumber(exact);
  if (got === Math.fround(e) || !(Math.abs(e) >= 2 ** -126)) return 0;
  return Math.abs(got - e) / 2 ** (Math.floor(Math.log2(Math.abs(e))) - 23);
}

/**
 * A range fill (f64 and f32 out) of `s` (config `cfg`) against the oracle at steps start + i·stride:
 * throws on the first value outside the contract; returns the values checked (steps the oracle
 * declines are skipped) and the max f32 ULP.
 */
export function checkAgainstOracle(s: Schedule, cfg: Record<string, unknown>, start: number, count: number, stride: number): { checked: number; maxUlp: number } {
  const d64 = s.fill({ start, count, stride }, new Float64Array(count));
  const d32 = s.fill({ start, count, stride }, new Float32Array(count));
  let checked = 0;
  let maxUlp = 0;
  for (let i = 0; i < count; i++) {
    const st = start + i * stride;
    const exact = oracle(s.kind, cfg, st);
    if (exact === null) continue;
    const why = judgeReference(exact, d64[i] as number) ?? judgeF32(exact, d32[i] as number);
    if (why !== null) throw new Error(`${s.kind} ${JSON.stringify(cfg)} step ${st}: ${why}`);
    maxUlp = Math.max(maxUlp, ulpF32Off(exact, d32[i] as number));
    checked++;
  }
  return { checked, maxUlp };
}

/** The f32 fill of steps 0 … count − 1 on the WebAssembly loops, after checking that the JS fallback writes the same bits. */
export function fillSameOnBothPaths(s: Schedule, count: number): Float32Array {
  setWasmLoops(true);
  const a = s.fill({ start: 0, count }, new Float32Array(count));
  setWasmLoops(false);
  const b = s.fill({ start: 0, count }, new Float32Array(count));
  setWasmLoops(true);
  expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer)), `${s.kind} ${JSON.stringify(s.config)}: WebAssembly and JS fills differ`).toBe(true);
  return a;
}

/** A random case of a kind's fast-loop tests: a schedule, its config and the ranges [start, count, stride] that reach its edges. */
export interface FillCase {
  s: Schedule;
  cfg: Record<string, unknown>;
  ranges: readonly (readonly [number, number, number])[];
}

/**
 * The tests (one on the WebAssembly loops, one on the JS fallback) that a kind's range fills are
 * at() bit for bit: `configs` cases drawn by `draw` from mulberry32(seeds.wasm resp. seeds.js),
 * every range of each through expectSameAsAt, more than `minChecked` values in all.
 */
export function itFillsAsAtOnBothPaths(seeds: { wasm: number; js: number }, configs: number, minChecked: number, draw: (r: Rand) => FillCase): void {
  for (const wasm of [true, false]) {
    it(`fills every range exactly as at() (${wasm ? 'WebAssembly' : 'JS fallback'}): many configs, every edge, f32 and f64`, () => {
      setWasmLoops(wasm);
      const r = mulberry32(wasm ? seeds.wasm : seeds.js);
      let checked = 0;
      for (let c = 0; c < configs; c++) {
        const { s, ranges } = draw(r);
        for (const [start, count, stride] of ranges) checked += expectSameAsAt(s, start, count, stride);
      }
      expect(checked).toBeGreaterThan(minChecked);
    });
  }
}

/**
 * `configs` cases drawn by `draw` from mulberry32(seed) against the oracle (checkAgainstOracle,
 * each range cut to its first `maxCount` steps): more than `minChecked` values checked, each f32
 * value within the rounding of a double within 1e-12 (0.5 ulp + 1e-12·2^24 ulp).
 */
export function expectOracleContractOver(seed: number, configs: number, maxCount: number, minChecked: number, draw: (r: Rand) => FillCase): void {
  const r = mulberry32(seed);
  let checked = 0;
  let maxUlp = 0;
  for (let c = 0; c < configs; c++) {
    const { s, cfg, ranges } = draw(r);
    for (const [start, count, stride] of ranges) {
      const got = checkAgainstOracle(s, cfg, start, Math.min(count, maxCount), stride);
      checked += got.checked;
      maxUlp = Math.max(maxUlp, got.maxUlp);
    }
  }
  expect(checked).toBeGreaterThan(minChecked);
  expect(maxUlp).toBeLessThanOrEqual(0.5 + 1e-12 * 2 ** 24);
}
