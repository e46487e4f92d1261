/**
 * Manual memory run (issue F.5): streams 2^32 steps (or STEPS=2^k) of one schedule
 * through the evaluator, verifying a sample of every chunk against the f64 reference
 * (docs/accuracy.md#the-contract), and prints steps done, elapsed time and peak RSS
 * (process.resourceUsage().maxRSS). Usage: `npx tsx bench/stream-2e32.ts [log2Steps] [log2Chunk]`
 * (defaults 32 and 22). Too slow for CI on SwiftShader; CI streams 2^22 steps
 * (test/evaluator/memory.test.ts).
 */
import { CosineDecay, createEvaluator, verify } from '../src/index.ts';

const log2Steps = Number(process.argv[2] ?? 32);
const log2Chunk = Number(process.argv[3] ?? 22);
const total = Math.min(2 ** log2Steps, 2 ** 32);
const chunkSteps = 2 ** log2Chunk;
const MiB = 2 ** 20;
const rssMiB = (): number => process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB

const ev = await createEvaluator({ backend: 'auto' });
const s = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 2 ** 32 - 1, alpha: 0.001, warmupTarget: 1, warmupSteps: 2 ** 20 });
console.log(`stream ${total} steps (2^${Math.log2(total)}) in chunks of 2^${log2Chunk} on ${ev.backend} (${ev.adapter}); RSS at start ${(process.memoryUsage().rss / MiB).toFixed(0)} MiB`);
const t0 = performance.now();
let done = 0;
let checked = 0;
let worst = 0;
let lastPrint = t0;
for await (const chunk of ev.stream(s, { start: 0, count: total }, { chunkSteps })) {
  const rep = verify([s], { start: chunk.step, count: chunk.values.length }, chunk.values, { mode: 'sample', sampleSize: 256 });
  if (!rep.ok) {
    console.error(`chunk at step ${chunk.step}: ${rep.failedCount} values outside the bound`);
    process.exit(1);
  }
  checked += rep.checked;
  worst = Math.max(worst, rep.maxUlp);
  done += chunk.values.length;
  const now = performance.now();
  if (now - lastPrint > 10_000) {
    lastPrint = now;
    console.log(`  ${done} steps (${((100 * done) / total).toFixed(1)} %), ${((now - t0) / 1000).toFixed(0)} s, peak RSS ${rssMiB().toFixed(0)} MiB`);
  }
}
const secs = (performance.now() - t0) / 1000;
console.log(`done: ${done} steps in ${secs.toFixed(1)} s (${(done / secs / 1e6).toFixed(1)} M steps/s), ${checked} values verified (max ${worst.toFixed(2)} ULP), peak RSS (maxRSS) ${rssMiB().toFixed(0)} MiB, backend ${ev.backend}`);
ev.destroy();
