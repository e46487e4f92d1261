/**
 * The fuzz properties, shared by the quick profile (CI) and the long one (`npm run
 * fuzz`). Every float is judged by src/verify (the acceptance intervals of docs/accuracy.md#the-contract);
 * every failure message carries the configs and the seed so it can be replayed with
 * FUZZ_SEED.
 */
import fc from 'fast-check';
import {
  formatFailures,
  isKerasKind,
  sampleIndices,
  ulpDistance,
  gpuSupport,
  verify,
  type CosineDecayRestarts,
  type Evaluator,
  type Schedule,
  type StepRange,
  type Steps,
} from '../../src/index.ts';
import { stepAt } from '../../src/schedules/steps.ts';
import { deserialize, serialize, type Json } from '../../src/schedules/keras.ts';
import { U32_MAX, anyConfig, batchSteps, build, configEdges, describeConfigs, namedConfig, randomStep, type AnyConfig, type FuzzProfile } from './arbitraries.ts';

/** Counters a profile reports. */
export interface FuzzCounts {
  batches: number;
  configs: number;
  /** (config, step) pairs verified on the GPU (backend 'webgpu' reported). */
  gpuPairs: number;
  /** Pairs verified from the CPU evaluator (backend 'cpu'). */
  cpuPairs: number;
  /** Pairs verified from 'auto' requests that fell back to the CPU (a config the GPU does not support for the window). */
  fallbackPairs: number;
  /** Configs gpuSupport() sent to the CPU, by kind. */
  unsupported: Record<string, number>;
  /** Largest error seen on the GPU per kind, in ULP. */
  maxUlpByKind: Record<string, number>;
}

export function newCounts(): FuzzCounts {
  return { batches: 0, configs: 0, gpuPairs: 0, cpuPairs: 0, fallbackPairs: 0, unsupported: {}, maxUlpByKind: {} };
}

function window(steps: Steps): { minStep: number; maxStep: number } {
  if ('count' in steps && !('length' in steps)) {
    const r = steps as StepRange;
    return { minStep: r.start, maxStep: r.start + (r.count - 1) * (r.stride ?? 1) };
  }
  const list = Array.from(steps as ArrayLike<number>);
  return { minStep: list.reduce((a, b) => Math.min(a, b), Infinity), maxStep: list.reduce((a, b) => Math.max(a, b), -Infinity) };
}

/**
 * Runs one sweep and verifies every value row by row (verify 'all', docs/accuracy.md#the-contract),
 * recording each kind's worst error; rethrows with the configs on a violation.
 */
async function checkedSweep(
  ev: Evaluator,
  what: string,
  schedules: readonly Schedule[],
  configs: readonly AnyConfig[],
  steps: Steps,
  maxUlpByKind: Record<string, number>,
): Promise<{ backend: 'webgpu' | 'cpu'; fallbackReason: string | undefined; pairs: number }> {
  let r;
  try {
    r = await ev.sweep(schedules, steps, { verify: 'none' });
  } catch (err) {
    throw new Error(`${what} threw ${String(err)}\nconfigs:\n${describeConfigs(configs)}\nsteps: ${describeSteps(steps)}`, { cause: err });
  }
  const cols = r.cols;
  let pairs = 0;
  const failures: string[] = [];
  schedules.forEach((s, i) => {
    const rep = verify([s], steps, r.values.subarray(i * cols, (i + 1) * cols), { mode: 'all', maxFailures: 5 });
    if (!rep.ok) failures.push(`row ${i}: ${configs[i]!.kind} ${JSON.stringify(configs[i]!.config)}\n${formatFailures(rep)}`);
    pairs += rep.checked;
    // Worst error in ULP where the exact value is a normal float32 (below 2^-126 the
    // absolute 2^-126 of the bound rules, and ULP counts there say nothing): a sample per row.
    const row = r.values.subarray(i * cols, (i + 1) * cols);
    for (const j of sampleIndices(1, cols, 256)) {
      const exact = s.at(stepAt(steps, j));
      if (Math.abs(exact) >= 2 ** -126 && Math.abs(exact) <= 3.4028234663852886e38) {
        maxUlpByKind[s.kind] = Math.max(maxUlpByKind[s.kind] ?? 0, ulpDistance(row[j]!, exact));
      }
    }
  });
  if (failures.length > 0) {
    throw new Error(`${what} (backend ${r.backend}) gave values outside |got − exact| ≤ k·2^-23·|exact| + 2^-126 (k per kind, docs/accuracy.md):\n${failures.join('\n')}\nsteps: ${describeSteps(steps)}`);
  }
  return { backend: r.backend, fallbackReason: r.fallbackReason, pairs };
}

function describeSteps(steps: Steps): string {
  if ('count' in steps && !('length' in steps)) return JSON.stringify(steps);
  const l = steps as ArrayLike<number>;
  return `${l.length} steps: [${Array.prototype.slice.call(l, 0, 40).join(', ')}${l.length > 40 ? ', …' : ''}]`;
}

/**
 * GPU, CPU and 'auto' outputs inside the acceptance intervals for random batches of
 * configs × (edge + random) step lists and a dense range around a random edge.
 * `gpu` must be a backend 'webgpu' evaluator; `auto` a backend 'auto' one; `cpu` a
 * backend 'cpu' one.
 */
export async function evaluatorProperty(
  profile: FuzzProfile,
  evs: { gpu: Evaluator; auto: Evaluator; cpu: Evaluator },
  counts: FuzzCounts,
  seed: { seed?: number },
): Promise<void> {
  const arb = fc.record({
    configs: fc.array(anyConfig, { minLength: 1, maxLength: profile.configsPerBatch }),
    extra: fc.array(randomStep, { minLength: 0, maxLength: profile.randomSteps }),
    denseOf: fc.nat(),
    denseEdge: fc.nat(),
  });
  await fc.assert(
    fc.asyncProperty(arb, async ({ configs, extra, denseOf, denseEdge }) => {
      const schedules = configs.map(build);
      counts.batches++;
      counts.configs += configs.length;
      const list = batchSteps(schedules, extra);
      // A dense contiguous range around one config's edge (eval_range path).
      const edges = configEdges(schedules[denseOf % schedules.length]!);
      const e = edges.length > 0 ? edges[denseEdge % edges.length]! : 0;
      const start = Math.max(0, Math.min(U32_MAX - profile.denseRange + 1, e - Math.floor(profile.denseRange / 2)));
      const dense: StepRange = { start, count: profile.denseRange };
      for (const steps of [list, dense] as const) {
        const w = window(steps);
        const sup: number[] = [];
        const unsup: number[] = [];
        schedules.forEach((s, i) => (gpuSupport(s, w) === null ? sup : unsup).push(i));
        for (const i of unsup) counts.unsupported[schedules[i]!.kind] = (counts.unsupported[schedules[i]!.kind] ?? 0) + 1;
        if (sup.length > 0) {
          const ss = sup.map((i) => schedules[i]!);
          const cs = sup.map((i) => configs[i]!);
          const g = await checkedSweep(evs.gpu, 'GPU sweep', ss, cs, steps, counts.maxUlpByKind);
          if (g.backend !== 'webgpu') throw new Error(`GPU sweep ran on ${g.backend}: ${g.fallbackReason ?? ''}`);
          counts.gpuPairs += g.pairs;
        }
        if (unsup.length > 0) {
          // 'auto' with an unsupported config: the whole request goes to the CPU, and says why.
          const a = await checkedSweep(evs.auto, "'auto' sweep with a GPU-unsupported config", schedules, configs, steps, {});
          if (a.backend !== 'cpu' || a.fallbackReason === undefined) throw new Error(`'auto' with an unsupported config gave backend ${a.backend} without a fallback reason`);
          counts.fallbackPairs += a.pairs;
        }
        const c = await checkedSweep(evs.cpu, 'CPU sweep', schedules, configs, steps, {});
        if (c.backend !== 'cpu') throw new Error(`CPU evaluator reported ${c.backend}`);
        counts.cpuPairs += c.pairs;
      }
    }),
    { numRuns: profile.batches, ...seed, endOnFailure: true },
  );
}

/** Violations of the reference's own invariants for one schedule at `steps` (empty: none). */
export function referenceViolations(s: Schedule, steps: readonly number[]): string[] {
  const bad: string[] = [];
  const at = steps.map((x) => s.at(x));
  const c = s.config as unknown as Record<string, number | boolean | null | readonly number[]>;
  const n = (k: string): number => c[k] as number;
  // fill() == at(): list (f64), list (f32 = fround), and small ranges.
  const f64 = s.fill(steps);
  const f32 = s.fill(steps, new Float32Array(steps.length));
  steps.forEach((x, i) => {
    if (!Object.is(f64[i], at[i])) bad.push(`fill(list)[${i}] = ${f64[i]} ≠ at(${x}) = ${at[i]}`);
    if (!Object.is(f32[i], Math.fround(at[i]!))) bad.push(`Float32 fill(list)[${i}] = ${f32[i]} ≠ fround(at(${x})) = ${Math.fround(at[i]!)}`);
    // Only growth can leave the f64 range (ExponentialDecay with rate > 1, restarts with m_mul > 1): every other kind is bounded by its parameters.
    const growth = s.kind === 'ExponentialDecay' || (s.kind === 'CosineDecayRestarts' && s.config.mMul > 1);
    if (!Number.isFinite(at[i]!) && !Number.isNaN(at[i]!) && !growth) bad.push(`at(${x}) = ${at[i]}: not finite`);
    if (Number.isNaN(at[i]!)) bad.push(`at(${x}) is NaN`);
  });
  for (const x of steps.slice(0, 8)) {
    const count = Math.min(5, U32_MAX - x + 1);
    const r = s.fill({ start: x, count, stride: 1 });
    for (let j = 0; j < count; j++) if (!Object.is(r[j], s.at(x + j))) bad.push(`fill(range ${x})[${j}] = ${r[j]} ≠ at(${x + j}) = ${s.at(x + j)}`);
  }
  // Exact value at step 0.
  const lr0 = n('initialLearningRate');
  // (Exact for every alpha: the reference returns the start value itself at fraction 0, since
  // fl(1 − α) + α need not be 1 for alpha outside [0, 1].)
  // CosineDecay with a warmup target and warmup_steps 0 decays from the target (docs/semantics.md#cosinedecay).
  const v0 = s.kind === 'CosineDecay' && c.warmupTarget !== null && n('warmupSteps') === 0 ? (c.warmupTarget as number) : lr0;
  if (isKerasKind(s.kind) && s.kind !== 'PiecewiseConstantDecay' && !Object.is(s.at(0), v0) && !(s.at(0) === 0 && v0 === 0)) {
    bad.push(`at(0) = ${s.at(0)} ≠ ${v0} (initial_learning_rate, or warmup_target when warmup_steps = 0)`);
  }
  // Monotonicity, with the reference's 1e-12 relative slack.
  const sorted = [...new Set(steps)].sort((a, b) => a - b);
  const mono = (lo: number, hi: number, dir: 1 | -1, what: string): void => {
    const xs = sorted.filter((x) => x >= lo && x <= hi);
    for (let i = 1; i < xs.length; i++) {
      const a = s.at(xs[i - 1]!);
      const b = s.at(xs[i]!);
      const slack = 2e-12 * Math.max(Math.abs(a), Math.abs(b));
      if (dir * (b - a) < -slack) bad.push(`${what}: at(${xs[i - 1]}) = ${a}, at(${xs[i]}) = ${b}`);
    }
  };
  switch (s.kind) {
    case 'Linear':
      // a line: monotone over every step, from/to at its ends
      mono(0, Infinity, n('to') >= n('from') ? 1 : -1, 'linear not monotone');
      {
        // one step past the end (the double steps − offset may round below the real end)
        const past = Math.ceil(n('steps') - n('offset')) + 1;
        if (c.hold && past >= 0 && past <= U32_MAX && !Object.is(s.at(past), n('to'))) bad.push(`held linear at ${past}, past its end, = ${s.at(past)} ≠ to = ${n('to')}`);
      }
      break;
    case 'CosineAnneal': {
      // between its two values at every step (the reference's slack), from at x = 0
      const lo = Math.min(n('from'), n('to'));
      const hi = Math.max(n('from'), n('to'));
      const slack = 2e-12 * Math.max(Math.abs(lo), Math.abs(hi));
      steps.forEach((x, i) => {
        if (!(at[i]! >= lo - slack && at[i]! <= hi + slack)) bad.push(`cosine anneal at(${x}) = ${at[i]} outside [${lo}, ${hi}]`);
      });
      if (n('offset') === 0 && !Object.is(s.at(0), n('from'))) bad.push(`cosine anneal at(0) = ${s.at(0)} ≠ from = ${n('from')}`);
      break;
    }
    case 'Constant':
      steps.forEach((x, i) => {
        if (!Object.is(at[i], n('value'))) bad.push(`constant at(${x}) = ${at[i]} ≠ value = ${n('value')}`);
      });
      break;
    case 'ExponentialDecay': {
      const r = n('decayRate');
      if (lr0 > 0 && r !== 1) mono(0, Infinity, r < 1 ? -1 : 1, 'exponential decay not monotone');
      break;
    }
    case 'InverseTimeDecay':
      if (lr0 > 0) mono(0, Infinity, -1, 'inverse time decay not non-increasing');
      break;
    case 'PolynomialDecay': {
      const end = n('endLearningRate');
      if (!c.cycle) mono(0, Infinity, lr0 >= end ? -1 : 1, 'polynomial decay not monotone');
      const D = n('decaySteps');
      if (!c.cycle && Number.isInteger(D) && D <= U32_MAX && n('power') > 0 && !Object.is(s.at(D), end)) bad.push(`polynomial at(D = ${D}) = ${s.at(D)} ≠ end = ${end}`);
      if (c.cycle && Number.isInteger(D) && 2 * D <= U32_MAX && n('power') > 0 && !Object.is(s.at(2 * D), end)) bad.push(`cycle polynomial at(2D) = ${s.at(2 * D)} ≠ end = ${end}`);
      break;
    }
    case 'CosineDecay': {
      const D = n('decaySteps');
      const wt = c.warmupTarget as number | null;
      const W = wt === null ? 0 : n('warmupSteps');
      const from = wt ?? lr0;
      const alpha = n('alpha');
      if (from >= 0 && alpha <= 1) mono(W, Infinity, -1, 'cosine decay not non-increasing after warmup');
      if (W > 0 && wt !== null) mono(0, Math.ceil(W) - 1, wt >= lr0 ? 1 : -1, 'warmup not monotone');
      if (W > 0 && wt !== null && Number.isInteger(W) && W <= U32_MAX) {
        if (!Object.is(s.at(W), wt) && !(s.at(W) === 0 && wt === 0)) bad.push(`at(W = ${W}) = ${s.at(W)} ≠ warmupTarget = ${wt} (decay must start at the target)`);
        const jump = Math.abs(s.at(W) - s.at(W - 1));
        const step = Math.abs(wt - lr0) / W;
        if (jump > step * (1 + 1e-9) + 1e-12 * Math.abs(wt) + 1e-300) bad.push(`warmup discontinuity at W = ${W}: |at(W) − at(W−1)| = ${jump} > |wt − lr0|/W = ${step}`);
      }
      if (alpha === 0 && Number.isInteger(W + D) && W + D <= U32_MAX && s.at(W + D) !== 0) bad.push(`α = 0: at(W + D = ${W + D}) = ${s.at(W + D)} ≠ 0`);
      break;
    }
    case 'CosineDecayRestarts': {
      const r = s as CosineDecayRestarts;
      const D = n('firstDecaySteps');
      const t = n('tMul');
      const m = n('mMul');
      const alpha = n('alpha');
      const kMax = Math.min(r.periodIndex(U32_MAX), 10);
      for (let k = 0; k <= kMax; k++) {
        const p = r.period(k);
        if (p.firstStep > U32_MAX) break;
        // A period shorter than one step may hold no integer step (firstStep = nextFirstStep).
        const holds = p.firstStep < p.nextFirstStep;
        if (holds && r.periodIndex(p.firstStep) !== k) bad.push(`periodIndex(firstStep of period ${k} = ${p.firstStep}) = ${r.periodIndex(p.firstStep)}`);
        if (p.firstStep > 0 && !(r.periodIndex(p.firstStep - 1) < k)) bad.push(`periodIndex(${p.firstStep - 1}) = ${r.periodIndex(p.firstStep - 1)}, expected < ${k}`);
        // Restart peaks at exact boundaries (integer D and t_mul: B_k is an integer).
        if (holds && Number.isInteger(D) && Number.isInteger(t) && p.startOffset === 0 && m === 1 && s.at(p.firstStep) !== lr0) {
          bad.push(`restart ${k} at exact boundary ${p.firstStep}: at = ${s.at(p.firstStep)} ≠ lr0 = ${lr0}`);
        }
        if (holds && lr0 > 0 && alpha <= 1 && m > 0) mono(p.firstStep, p.nextFirstStep - 1, -1, `restart period ${k} not non-increasing`);
      }
      break;
    }
    case 'PiecewiseConstantDecay': {
      const bs = s.config.boundaries;
      const vs = s.config.values;
      steps.forEach((x, i) => {
        let j = 0;
        while (j < bs.length && x > bs[j]!) j++;
        if (!Object.is(at[i], vs[j])) bad.push(`piecewise at(${x}) = ${at[i]} ≠ values[${j}] = ${vs[j]} (inclusive upper boundary)`);
      });
      break;
    }
  }
  return bad;
}

/** The reference's invariants over random configs and their edges (CPU only). Returns (config, step) pairs checked. */
export function referenceProperty(runs: number, seed: { seed?: number }): number {
  let pairs = 0;
  fc.assert(
    fc.property(anyConfig, fc.array(randomStep, { maxLength: 32 }), (cfg, extra) => {
      const s = build(cfg);
      const steps = [...new Set([...configEdges(s), ...extra, 0, 1, 2 ** 24, U32_MAX])];
      pairs += steps.length;
      const bad = referenceViolations(s, steps);
      if (bad.length > 0) throw new Error(`${cfg.kind} ${JSON.stringify(cfg.config)}:\n${bad.slice(0, 20).join('\n')}`);
    }),
    { numRuns: runs, ...seed, endOnFailure: true },
  );
  return pairs;
}

/** `Object.is` equality of JSON-like data (so -0 ≠ 0 and NaN = NaN); the first difference's path, or null. */
function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) ? null : `${path}: ${String(a)} ≠ ${String(b)}`;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: length ${a.length} ≠ ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.join('\u0000') !== kb.join('\u0000')) return `${path}: keys ${JSON.stringify(ka)} ≠ ${JSON.stringify(kb)}`;
    for (const k of ka) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d !== null) return d;
    }
    return null;
  }
  return Object.is(a, b) ? null : `${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
}

/**
 * JSON text has no negative zero (JSON.stringify(-0) is "0"; Python's json.dumps writes
 * "-0.0", which JSON.parse reads back as -0). What a config becomes through JSON text:
 * every -0 as 0. Used only for the paths that go through JSON.stringify.
 */
function throughJsonText(x: unknown): unknown {
  if (typeof x === 'number') return Object.is(x, -0) ? 0 : x;
  if (Array.isArray(x)) return x.map(throughJsonText);
  if (typeof x === 'object' && x !== null) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, throughJsonText(v)]));
  return x;
}

/**
 * The serialize/deserialize round trip over random valid configs of all six kinds with
 * random names, in both formats ('keras3', 'tf-keras-legacy'):
 * - deserialize(serialize(s)) has s's kind and config (Object.is on every number);
 * - serialize of that equals serialize(s) (the round trip is a fixed point);
 * - through JSON text: deserialize(JSON.stringify(serialize(s))) and
 *   deserialize(JSON.parse(JSON.stringify(serialize(s)))) give s's config (with -0 read
 *   as 0, see throughJsonText), and the text survives parse/stringify unchanged;
 * - embedded as learning_rate of a Keras 3 optimizer config (keras3 form) and of a
 *   tf.keras optimizer config (legacy form), as object and as text.
 * Returns the number of configs checked.
 */
export function roundTripProperty(runs: number, seed: { seed?: number }): number {
  let configs = 0;
  fc.assert(
    fc.property(namedConfig, (cfg) => {
      configs++;
      const s = build(cfg);
      const problems: string[] = [];
      const same = (what: string, got: Schedule, want: unknown): void => {
        if (got.kind !== s.kind) problems.push(`${what}: kind ${got.kind} ≠ ${s.kind}`);
        const d = firstDifference(got.config, want);
        if (d !== null) problems.push(`${what}: config${d}`);
      };
      for (const format of ['keras3', 'tf-keras-legacy'] as const) {
        const ser = serialize(s, { format });
        same(`${format} object`, deserialize(ser), s.config);
        const again = firstDifference(serialize(deserialize(ser), { format }), ser);
        if (again !== null) problems.push(`${format} serialize∘deserialize∘serialize ≠ serialize: ${again}`);
        const text = JSON.stringify(ser);
        const viaText = throughJsonText(s.config);
        same(`${format} text`, deserialize(text), viaText);
        same(`${format} JSON.parse(text)`, deserialize(JSON.parse(text) as Json), viaText);
        const text2 = JSON.stringify(JSON.parse(text));
        if (text2 !== text) problems.push(`${format}: JSON text changed by parse/stringify:\n${text}\n${text2}`);
        const optimizer =
          format === 'keras3'
            ? { module: 'keras.optimizers', class_name: 'Adam', config: { name: 'adam', learning_rate: ser as unknown as Json, beta_1: 0.9 }, registered_name: null }
            : { class_name: 'Adam', config: { name: 'Adam', learning_rate: ser as unknown as Json, beta_1: 0.9 } };
        same(`${format} in an optimizer (object)`, deserialize(optimizer), s.config);
        same(`${format} in an optimizer (text)`, deserialize(JSON.stringify(optimizer)), viaText);
      }
      if (problems.length > 0) throw new Error(`${cfg.kind} ${JSON.stringify(cfg.config)}:\n${problems.join('\n')}`);
    }),
    { numRuns: runs, ...seed, endOnFailure: true },
  );
  return configs;
}
