/**
 * The tests' seeded PRNG: the benchmarks' mulberry32 (bench/check.ts), re-exported so that
 * tests take it from test/helpers/ like every other helper. Its one definition stays in
 * bench/, because the benchmarks sample with it and bench/ must not import test/.
 */
export { mulberry32 } from '../../bench/check.ts';

/** A seeded source of numbers in [0, 1), as mulberry32 returns. */
export type Rand = () => number;

/** One element of `xs`, drawn by `r`. */
export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
