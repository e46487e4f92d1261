/**
 * Issue F.1, quick profile (runs in CI): property-based tests with fast-check over
 * random valid configs of every kind and steps dense near their edges up to 2^32 − 1.
 * The long profile is test/fuzz/fuzz.test.ts (`npm run fuzz`), same generators.
 * Replay a failure with FUZZ_SEED=<seed printed by fast-check>.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvaluator, type Evaluator } from '../src/index.ts';
import { fuzzProfile, fuzzSeed } from './fuzz/arbitraries.ts';
import { evaluatorProperty, newCounts, referenceProperty } from './fuzz/properties.ts';
import { requireDevice } from './helpers/gpu.ts';

const profile = fuzzProfile();
const seed = fuzzSeed();

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

  it('GPU, CPU and fallback outputs lie inside the accuracy.md §4 intervals', async () => {
    const counts = newCounts();
    // Rounds of `profile.batches` batches until the GPU has verified minGpuPairs pairs (batch sizes are random).
    for (let round = 0; counts.gpuPairs < profile.minGpuPairs && round < 20; round++) {
      await evaluatorProperty(profile, { gpu, auto, cpu }, counts, seed.seed === undefined ? {} : { seed: seed.seed + round });
    }
    console.log(`[fuzz ${profile.name}] ${JSON.stringify(counts)}`);
    expect(counts.gpuPairs).toBeGreaterThanOrEqual(profile.minGpuPairs);
    expect(counts.cpuPairs).toBeGreaterThan(0);
  });

  it("the f64 reference keeps its own invariants (fill = at, f32 fill = fround(at), monotone, exact ends, warmup continuity, restart peaks)", () => {
    const pairs = referenceProperty(profile.invariantRuns, seed);
    console.log(`[fuzz ${profile.name}] reference invariants: ${profile.invariantRuns} configs, ${pairs} (config, step) pairs`);
    expect(pairs).toBeGreaterThan(profile.invariantRuns);
  });
});
