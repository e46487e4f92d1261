/**
 * The "done when" runs of the evaluator issue, in Node (not part of CI): a 10,000 × 1,000
 * mixed-kind sweep and a 2^26-step single schedule, both with verification of every
 * value against the f64 reference. Prints backend, adapter, wall times and the reports.
 * Run: `npx tsx bench/done-when.ts` (SwiftShader here: CPU emulation, times are not GPU speed).
 */
import {
  CosineDecay,
  CosineDecayRestarts,
  ExponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  createEvaluator,
  type Schedule,
  type VerifyReport,
} from '../src/index.ts';

function mixed(i: number): Schedule {
  const lr = 1e-4 * 10 ** ((i % 97) / 32);
  switch (i % 6) {
    case 0: return new CosineDecay({ initialLearningRate: lr, decaySteps: 200 + (i % 800), warmupTarget: lr * 10, warmupSteps: i % 200 });
    case 1: return new CosineDecayRestarts({ initialLearningRate: lr, firstDecaySteps: 50 + (i % 300), tMul: 1 + (i % 4) * 0.5, mMul: 0.9 });
    case 2: return new ExponentialDecay({ initialLearningRate: lr, decaySteps: 100 + (i % 400), decayRate: 0.5 + (i % 50) / 100, staircase: i % 12 === 2 });
    case 3: return new PiecewiseConstantDecay({ boundaries: [100, 300 + (i % 200), 700], values: [lr, lr / 2, lr / 10, lr / 100] });
    case 4: return new PolynomialDecay({ initialLearningRate: lr, decaySteps: 500 + (i % 500), power: 0.5 + (i % 5) * 0.5, cycle: i % 10 === 4 });
    default: return new InverseTimeDecay({ initialLearningRate: lr, decaySteps: 10 + (i % 90), decayRate: 0.5 + (i % 3) });
  }
}

function line(name: string, ms: number, r: { backend: string; verification?: VerifyReport | undefined }): string {
  const v = r.verification;
  return `${name}: ${ms.toFixed(0)} ms on ${r.backend}; verified ${v?.checked ?? 0} values, ok=${v?.ok}, max ${v?.maxUlp.toFixed(2)} ULP, failures ${v?.failedCount ?? '?'}`;
}

const ev = await createEvaluator();
console.log(`evaluator: ${ev.backend} (${ev.adapter})`);
const schedules = Array.from({ length: 10_000 }, (_, i) => mixed(i));
let t0 = performance.now();
const sweep = await ev.sweep(schedules, { start: 0, count: 1000 }, { verify: 'all' });
console.log(line('sweep 10,000 × 1,000 (six kinds mixed)', performance.now() - t0, sweep));
const single = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 2 ** 26 - 1000, warmupTarget: 0.5, warmupSteps: 1000, alpha: 0.01 });
t0 = performance.now();
const long = await ev.evaluate(single, { start: 0, count: 2 ** 26 }, { verify: 'all' });
console.log(line('single CosineDecay, 2^26 steps', performance.now() - t0, long));
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
ev.destroy();
process.exit(0);
