/**
 * The tests' seeded PRNG: the benchmarks' mulberry32 (bench/check.ts), re-exported so that
 * tests take it from test/helpers/ like every other helper. Its one definition stays in
 * bench/, because the benchmarks sample with it and bench/ must not import test/.
 */
export { mulberry32 } from '../../bench/check.ts';
