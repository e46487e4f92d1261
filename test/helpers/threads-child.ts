/**
 * Child process of test/evaluator/threads.test.ts: one sweep on a CPU evaluator with 2
 * threads, compared with the one-thread evaluator; argv[2] 'destroy' destroys the evaluator
 * after, 'keep' leaves it (its idle workers must not keep the process alive). Prints
 * { mode, cpuThreads, same } and ends by itself.
 */
import { createEvaluator, createSchedule } from '../../src/index.ts';

const mode = process.argv[2];
const schedules = Array.from({ length: 100 }, (_, r) => createSchedule('CosineDecay', { initialLearningRate: 0.1, decaySteps: 500 + r, alpha: 0.01 }));
const ev = await createEvaluator({ backend: 'cpu', threads: 2 });
const one = await createEvaluator({ backend: 'cpu' });
const got = await ev.sweep(schedules, { start: 0, count: 1000 });
const want = await one.sweep(schedules, { start: 0, count: 1000 });
const same = got.values.every((v, i) => Object.is(v, want.values[i]));
if (mode === 'destroy') ev.destroy();
process.stdout.write(JSON.stringify({ mode, cpuThreads: got.cpuThreads, same }) + '\n');
