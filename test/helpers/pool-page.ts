/**
 * The page of test/cpu-pool.browser.test.ts (built by vite.config.ts, served by vite preview):
 * a CPU evaluator with 4 Web Workers against the one-thread evaluator on a mixed sweep of every
 * kind with Sequences, one long row and a step list, then an abort mid-call; writes
 * { isolated, shared, cases: [{ name, cpuThreads, mismatches }], abort } into #out.
 */
import { sweepConfig } from '../../bench/configs.ts';
import { CosineDecay, PolynomialDecay, Sequence, createEvaluator, createSchedule, type EvaluatorInput, type ScheduleKind, type Steps } from '../../src/index.ts';

const out = document.querySelector<HTMLPreElement>('#out')!;
try {
  const one = await createEvaluator({ backend: 'cpu' });
  const many = await createEvaluator({ backend: 'cpu', threads: 4 });
  const seq = new Sequence({
    pieces: [
      { begin: 0, schedule: new PolynomialDecay({ initialLearningRate: 0, decaySteps: 100, endLearningRate: 0.1 }) },
      { begin: 100, schedule: new CosineDecay({ initialLearningRate: 0.1, decaySteps: 900 }) },
    ],
  });
  const mixed: EvaluatorInput[] = Array.from({ length: 300 }, (_, r) => (r % 40 === 9 ? seq : createSchedule(sweepConfig(r, 1000).kind as ScheduleKind, sweepConfig(r, 1000).config as never)));
  const cases: { name: string; schedules: EvaluatorInput[]; steps: Steps }[] = [
    { name: 'mixed sweep with Sequences', schedules: mixed, steps: { start: 0, count: 1000 } },
    { name: 'one long row', schedules: [new CosineDecay({ initialLearningRate: 0, decaySteps: 400_000, warmupTarget: 0.1, warmupSteps: 30_000 })], steps: { start: 0, count: 500_000 } },
    { name: 'step list', schedules: mixed.slice(0, 120), steps: Array.from({ length: 900 }, (_, i) => (i * 7919) % 100_000) },
  ];
  const results = [];
  for (const c of cases) {
    const want = await one.sweep(c.schedules, c.steps);
    const got = await many.sweep(c.schedules, c.steps);
    let mismatches = 0;
    for (let i = 0; i < want.values.length; i++) if (!Object.is(got.values[i], want.values[i])) mismatches++;
    results.push({ name: c.name, values: got.values.length, cpuThreads: got.cpuThreads ?? 1, mismatches });
  }
  const ctl = new AbortController();
  const reason = new Error('stop');
  const abort = await many.sweep(mixed, { start: 0, count: 3000 }, { signal: ctl.signal, onProgress: (d, t) => d < t && ctl.abort(reason) }).then(
    () => 'resolved',
    (e: unknown) => (e === reason ? 'rejected with the reason' : `rejected: ${String(e)}`),
  );
  many.destroy();
  one.destroy();
  out.textContent = JSON.stringify({ isolated: crossOriginIsolated, shared: typeof SharedArrayBuffer === 'function', cases: results, abort });
} catch (err) {
  out.textContent = 'error: ' + String((err as Error).stack ?? err);
}
document.body.dataset['done'] = '1';
