/**
 * Child process of test/schedules/restarts-oracle.test.ts: evaluates CosineDecayRestarts
 * configs (stdin: JSON { cases: [{ config, steps }] }) with the reference at(), fill()
 * (list and ranges around each step, Float64Array), the CPU backend (Float32Array) and
 * gpuSupport, and writes JSON results to stdout. It runs in its own process so that the
 * parent's hard timeout turns a hang into a failed test instead of a hung suite.
 * Numbers travel as strings (String(x) round-trips every double, NaN and ±Infinity too).
 */
import { readFileSync } from 'node:fs';
import { cpuEvaluate } from '../../src/cpu/index.ts';
import { gpuSupport } from '../../src/kernels/index.ts';
import { CosineDecayRestarts } from '../../src/schedules/cosine-decay-restarts.ts';

interface Job {
  readonly config: { lr0: number; D: number; t: number; m: number; alpha: number };
  readonly steps: readonly number[];
}

const U32_MAX = 0xffffffff;
const str = (x: number): string => (Object.is(x, -0) ? '-0' : String(x));

async function main(): Promise<void> {
  const { cases } = JSON.parse(readFileSync(0, 'utf8')) as { cases: Job[] };
  const out: unknown[] = [];
  for (const { config: c, steps } of cases) {
    let s: CosineDecayRestarts;
    try {
      s = new CosineDecayRestarts({ initialLearningRate: c.lr0, firstDecaySteps: c.D, tMul: c.t, mMul: c.m, alpha: c.alpha });
    } catch (e) {
      out.push({ refused: String(e) });
      continue;
    }
    const at = steps.map((x) => s.at(x));
    // fill: the list, and a 5-step range around every step, must give at() exactly
    const list = s.fill(steps);
    const fillMismatch: string[] = [];
    steps.forEach((x, i) => {
      if (!Object.is(list[i], at[i])) fillMismatch.push(`list step ${x}: ${str(list[i] ?? NaN)} ≠ at ${str(at[i] ?? NaN)}`);
      const start = Math.max(0, Math.min(x - 2, 2 ** 53 - 4));
      const r = new CosineDecayRestarts({ initialLearningRate: c.lr0, firstDecaySteps: c.D, tMul: c.t, mMul: c.m, alpha: c.alpha }).fill({ start, count: 5 });
      for (let j = 0; j < 5; j++) {
        const y = start + j;
        const want = y === x ? at[i] : s.at(y);
        if (!Object.is(r[j], want)) fillMismatch.push(`range step ${y}: ${str(r[j] ?? NaN)} ≠ at ${str(want ?? NaN)}`);
      }
    });
    const f32 = new Float32Array(steps.length);
    await cpuEvaluate([s], steps, f32);
    const u32 = steps.filter((x) => x <= U32_MAX);
    const why = u32.length === 0 ? null : gpuSupport(s, { minStep: u32[0] ?? 0, maxStep: u32[u32.length - 1] ?? 0 });
    const whyFull = gpuSupport(s);
    out.push({
      at: at.map(str),
      cpu: Array.from(f32, str),
      fillMismatch,
      gpu: why === null ? null : `${why.field}: ${why.rule}`,
      gpuFull: whyFull === null ? null : `${whyFull.field}: ${whyFull.rule}`,
      k: steps.map((x) => str(s.periodIndex(x))),
    });
  }
  process.stdout.write(JSON.stringify(out));
}

await main();
