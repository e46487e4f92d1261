/**
 * Issue F.1, quick profile (runs in CI): property-based tests with fast-check over
 * random valid configs of every kind and steps dense near their edges up to 2^32 − 1.
 * The long profile is this file under FUZZ_PROFILE=long: `npm run fuzz` (vitest run
 * test/fuzz matches this file by name; test/fuzz/** itself holds only the shared
 * generators and properties and is excluded from the default run).
 * Replay a failure with FUZZ_SEED=<seed printed by fast-check>.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvaluator, type Evaluator } from '../src/index.ts';
import { fuzzProfile, fuzzSeed } from './fuzz/arbitraries.ts';
import { edgeProperty, mergeReports, summarize, totalPairs, type EdgeProfile, type EdgeReport } from './fuzz/edge-property.ts';
import { evaluatorProperty, newCounts, referenceProperty, roundTripProperty } from './fuzz/properties.ts';
import { requireDevice } from './helpers/gpu.ts';

const profile = fuzzProfile();
const seed = fuzzSeed();
const TIMEOUT = profile.name === 'long' ? 3_600_000 : 120_000;
/** The edge fuzz (issue L.8): quick in CI; the long profile runs rounds until ≥ 10^6 (config, step) pairs are judged. */
const EDGE: EdgeProfile & { minPairs: number } =
  profile.name === 'long'
    ? { batches: 100, configsPerBatch: 16, randomSteps: 64, dense: 48, configLimitMs: 6000, minPairs: 1_000_000 }
    : { batches: 4, configsPerBatch: 12, randomSteps: 32, dense: 16, configLimitMs: 6000, minPairs: 4_000 };

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

  it('edge parameters over the whole double range: every backend within its bound of the BigInt oracle, or refused/declined by name; no NaN, no hang', async () => {
    const t0 = performance.now();
    const reports: EdgeReport[] = [];
    let pairs = 0;
    for (let round = 0; pairs < EDGE.minPairs && round < 200; round++) {
      const r = await edgeProperty(EDGE, { gpu, auto, cpu }, (seed.seed ?? 0x5eed) + round);
      reports.push(r);
      pairs += totalPairs(r);
    }
    const failures = reports.flatMap((r) => r.failures);
    const nan = reports.reduce((n, r) => n + Object.values(r.stats).reduce((m, kinds) => m + Object.values(kinds).reduce((k, st) => k + st.nan, 0), 0), 0);
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(`[fuzz ${profile.name}] edges: ${secs} s, ${reports.length} round(s), ${pairs} (config, step) pairs judged, ${failures.length} failure(s), ${nan} NaN`);
    console.log(summarize(mergeReports(reports)).join('\n'));
    if (failures.length > 0) console.log(failures.slice(0, 40).map((f) => f.text).join('\n'));
    // FUZZ_EDGE_FAILURES=<file>: every failure, grouped by kind, for triage
    const dump = process.env.FUZZ_EDGE_FAILURES;
    if (dump !== undefined && dump !== '') {
      const byKind = new Map<string, string[]>();
      for (const f of failures) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f.text]);
      writeFileSync(dump, [...byKind].map(([k, v]) => `=== ${k} (${v.length})\n${v.join('\n')}`).join('\n'));
    }
    expect(pairs).toBeGreaterThanOrEqual(EDGE.minPairs);
    expect(failures.map((f) => f.text).slice(0, 20)).toEqual([]);
    expect(nan).toBe(0);
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
