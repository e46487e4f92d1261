/**
 * Issue F.1, long profile: `npm run fuzz` (FUZZ_PROFILE=long). Excluded from the
 * default run by vite.config.ts; the quick profile (test/fuzz-quick.test.ts) runs the
 * same properties in CI. The long profile must verify ≥ 10^6 (config, step) pairs on
 * the GPU; it prints the counts at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvaluator, type Evaluator } from '../../src/index.ts';
import { requireDevice } from '../helpers/gpu.ts';
import { fuzzProfile, fuzzSeed } from './arbitraries.ts';
import { evaluatorProperty, newCounts, referenceProperty } from './properties.ts';

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
    const t0 = performance.now();
    const counts = newCounts();
    // Rounds of `profile.batches` batches until the GPU has verified minGpuPairs pairs (batch sizes are random).
    for (let round = 0; counts.gpuPairs < profile.minGpuPairs && round < 20; round++) {
      await evaluatorProperty(profile, { gpu, auto, cpu }, counts, seed.seed === undefined ? {} : { seed: seed.seed + round });
    }
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(`[fuzz ${profile.name}] ${s} s, ${counts.gpuPairs + counts.cpuPairs + counts.fallbackPairs} pairs verified: ${JSON.stringify(counts)}`);
    expect(counts.gpuPairs).toBeGreaterThanOrEqual(profile.minGpuPairs);
  }, 3_600_000);

  it('the f64 reference keeps its own invariants', () => {
    const pairs = referenceProperty(profile.invariantRuns, seed);
    console.log(`[fuzz ${profile.name}] reference invariants: ${profile.invariantRuns} configs, ${pairs} (config, step) pairs`);
    expect(pairs).toBeGreaterThan(profile.invariantRuns);
  }, 3_600_000);
});
