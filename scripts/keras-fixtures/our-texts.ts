/**
 * Prints (stdout, JSON) our toKerasJson texts of random valid configs of all six kinds
 * (both forms) and of every Keras 3 optimizer with a random schedule and random config
 * values, for scripts/keras-fixtures/generate.py to load into real Keras and write again.
 * Seeded: the same list every run. `npx tsx scripts/keras-fixtures/our-texts.ts`
 */
import fc from 'fast-check';
import { KERAS_OPTIMIZER_CLASSES, toKerasJson, type Json, type KerasOptimizerSpec } from '../../src/index.ts';
import { kerasOptimizerFields } from '../../src/schedules/keras-json.ts';
import { build, namedConfig } from '../../test/fuzz/arbitraries.ts';

const SEED = 20261201;
const out: { what: 'schedule' | 'optimizer'; form: 'keras3' | 'legacy'; text: string }[] = [];
const configs = fc.sample(namedConfig, { seed: SEED, numRuns: 400 });
for (const c of configs) {
  const s = build(c);
  out.push({ what: 'schedule', form: 'keras3', text: toKerasJson(s) });
  out.push({ what: 'schedule', form: 'legacy', text: toKerasJson(s, { format: 'tf-keras-legacy' }) });
}
// random float / bool / int values for each optimizer's keys
const floatArb = fc.oneof(fc.constantFrom(0, 1, 2, 0.5, 1e-7, 1e-5, 0.999, 100), fc.double({ min: 1e-6, max: 0.99, noNaN: true }));
const rng = fc.sample(fc.tuple(floatArb, fc.boolean(), fc.integer({ min: 1, max: 1000 })), { seed: SEED + 1, numRuns: 4000 });
let r = 0;
KERAS_OPTIMIZER_CLASSES.forEach((className, i) => {
  for (let j = 0; j < 6; j++) {
    const config: Record<string, Json> = {};
    for (const [key, type] of kerasOptimizerFields(className)) {
      const [f, b, n] = rng[r++ % rng.length] ?? [0.5, true, 1];
      if (key === 'learning_rate' || key === 'global_clipnorm' || key === 'clipvalue' || (j + key.length) % 3 === 0) continue; // keep some defaults
      if (key === 'name') config[key] = `${className.toLowerCase()}_${j}`;
      else if (type === 'bool') config[key] = b;
      else if (type === 'int' || type === 'int?') config[key] = n + 1; // gradient_accumulation_steps ≥ 2
      else if (type === 'list[str]') config[key] = ['dense', `layer_${n}`];
      else if (key === 'learning_rate_power') config[key] = -f;
      else if (key === 'ema_momentum' || key === 'momentum' || key === 'beta_1') config[key] = f > 1 || f === 0 ? 0.5 : f; // Keras: [0, 1], Lion (0, 1]
      else config[key] = f;
    }
    const cfg = configs[(i * 6 + j) % configs.length];
    if (cfg === undefined) continue;
    const spec: KerasOptimizerSpec = { className, learningRate: build(cfg), config };
    out.push({ what: 'optimizer', form: 'keras3', text: toKerasJson(spec) });
  }
});
process.stdout.write(JSON.stringify(out));
