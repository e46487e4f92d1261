/**
 * Issue F.1, quick profile (runs in CI): property-based tests with fast-check over
 * random valid configs of every kind and steps dense near their edges up to 2^32 − 1.
 * The long profile is this file under FUZZ_PROFILE=long: `npm run fuzz` (vitest run
 * test/fuzz matches this file by name; test/fuzz/** itself holds only the shared
 * generators and properties and is excluded from the default run).
 * Replay a failure with FUZZ_SEED=<seed printed by fast-check>.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvaluator, type Evaluator } from '../src/index.ts';
import { fuzzProfile, fuzzSeed } from './fuzz/arbitraries.ts';
import { evaluatorProperty, newCounts, referenceProperty, roundTripProperty } from './fuzz/properties.ts';
import { requireDevice } from './helpers/gpu.ts';

const profile = fuzzProfile();
const seed = fuzzSeed();
const TIMEOUT = profile.name === 'long' ? 3_600_000 : 120_000;

describe(`fuzz (${profile.name} profile)`, () => {
  let gpu: Evaluator;
  let auto: Evaluator;
  let cpu: Evaluator;
  beforeAll(async () => {
    const { device } = await requireDevice();
    gpu = await createEvaluator({ backend: 'webgpu', device });
    auto = await createEvaluator({ backend: 'auto', device });
    cpu = await createEvaluator({ backend: 'cpu' });
  });
  afterAll(() => {
    gpu?.destroy();
    auto?.destroy();
    cpu?.destroy();
  });

  it('GPU, CPU and fallback outputs lie inside the intervals of docs/accuracy.md', async () => {
    const t0 = performance.now();
    const counts = newCounts();
    // Rounds of `profile.batches` batches until the GPU has verified minGpuPairs pairs (batch sizes are random).
    for (let round = 0; counts.gpuPairs < profile.minGpuPairs && round < 20; round++) {
      await evaluatorProperty(profile, { gpu, auto, cpu }, counts, seed.seed === undefined ? {} : { seed: seed.seed + round });
    }
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(`[fuzz ${profile.name}] ${secs} s, ${counts.gpuPairs + counts.cpuPairs + counts.fallbackPairs} (config, step) pairs verified: ${JSON.stringify(counts)}`);
    expect(counts.gpuPairs).toBeGreaterThanOrEqual(profile.minGpuPairs);
    expect(counts.cpuPairs).toBeGreaterThan(0);
  }, TIMEOUT);

  it("the f64 reference keeps its own invariants (fill = at, f32 fill = fround(at), monotone, exact ends, warmup continuity, restart peaks)", () => {
    const pairs = referenceProperty(profile.invariantRuns, seed);
    console.log(`[fuzz ${profile.name}] reference invariants: ${profile.invariantRuns} configs, ${pairs} (config, step) pairs`);
    expect(pairs).toBeGreaterThan(profile.invariantRuns);
  }, TIMEOUT);

  it('serialize/deserialize round trip (keras3 and tf-keras-legacy, object and JSON text, inside an optimizer config)', () => {
    const runs = profile.invariantRuns * 2;
    expect(roundTripProperty(runs, seed)).toBe(runs);
  }, TIMEOUT);
});
