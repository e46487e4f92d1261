/**
 * `toPyTorch` (docs/dialects.md#conversions): a schedule read from PyTorch is written
 * back as its normalised form; a schedule of another dialect is written as the torch
 * scheduler with the same values where one exists, else a DialectError says why not.
 */
import type { Json } from '../schedules/keras.ts';
import type { Schedule } from '../schedules/registry.ts';
import type { AnySchedule } from '../schedules/sequence.ts';
import { DialectError, copyJson, sourceOf } from './common.ts';
import { PYTORCH_MODULE, multiStepLevel, type PyTorchJson } from './pytorch.ts';
import type { PyTorchScheduler } from './pytorch-spec.ts';

const AT = 'toPyTorch';

interface Written {
  class_name: PyTorchScheduler;
  config: { [key: string]: Json };
  lr: number;
}

/**
 * The PyTorch form of a schedule: the normalised form it was read from (lossless), or,
 * for a schedule of another dialect, the torch scheduler with the same values
 * (docs/dialects.md#conversions); a DialectError naming the field that PyTorch cannot express.
 * @example toPyTorch(new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.9 }))
 *   // { module: 'torch.optim.lr_scheduler', class_name: 'ExponentialLR', config: { gamma: 0.9 }, lr: 0.1 }
 */
export function toPyTorch(s: AnySchedule): PyTorchJson {
  const src = sourceOf(s);
  if (src?.dialect === 'pytorch') return copyJson(src.config as Json) as unknown as PyTorchJson;
  const w = s.kind === 'Sequence' ? sequential(s) : convert(s, undefined, AT);
  return { module: PYTORCH_MODULE, class_name: w.class_name, config: w.config, lr: w.lr };
}

function sequential(s: Extract<AnySchedule, { kind: 'Sequence' }>): Written {
  if (s.lastStep !== null) throw new DialectError(`${AT}.lastStep`, s.lastStep, 'PyTorch has no scheduler that stops at a last step other than OneCycleLR (written only from its own PyTorch form)');
  const children: Json[] = [];
  let lr: number | undefined;
  s.pieces.forEach((p, i) => {
    const at = `${AT}.pieces[${i}]`;
    if (p.scale !== 1 || p.shift !== 0) throw new DialectError(`${at}.scale`, [p.scale, p.shift], 'SequentialLR has no scale or shift of a scheduler: only pieces with scale 1 and shift 0 convert');
    const w = convert(p.schedule, lr, `${at}.schedule`);
    lr = w.lr;
    children.push({ module: PYTORCH_MODULE, class_name: w.class_name, config: w.config });
  });
  return { class_name: 'SequentialLR', config: { schedulers: children, milestones: s.pieces.slice(1).map((p) => p.begin) }, lr: lr as number };
}

const isStepCount = (x: number): boolean => Number.isInteger(x) && x >= 1;

/** One registry kind as a torch scheduler; `lr` when the base rate is fixed (a SequentialLR's later children). */
function convert(s: Schedule, lr: number | undefined, at: string): Written {
  const c = s.config as unknown as Record<string, number | boolean | readonly number[] | string | null>;
  const num = (k: string): number => c[k] as number;
  const no = (field: string, rule: string): never => {
    throw new DialectError(`${at}.${field}`, c[field], `${rule}, so PyTorch cannot express this ${s.kind} exactly`);
  };
  const base = (v: number, field: string): number => {
    if (lr !== undefined && v !== lr) no(field, `must equal the sequence's base rate ${lr} (every scheduler of a SequentialLR starts from the optimizer's lr)`);
    if (!(v >= 0)) no(field, "must be ≥ 0 (torch's SGD refuses a negative learning rate)");
    return v;
  };
  switch (s.kind as string) {
    case 'ExponentialDecay': {
      const D = num('decaySteps');
      const gamma = num('decayRate');
      if (D === 1) return { class_name: 'ExponentialLR', config: { gamma }, lr: base(num('initialLearningRate'), 'initialLearningRate') };
      if (c.staircase !== true) no('staircase', 'must be true when decaySteps ≠ 1 (ExponentialLR decays every step, StepLR in whole periods)');
      if (!isStepCount(D)) no('decaySteps', 'must be an integer ≥ 1 (StepLR step_size)');
      return { class_name: 'StepLR', config: { step_size: D, gamma }, lr: base(num('initialLearningRate'), 'initialLearningRate') };
    }
    case 'PiecewiseConstantDecay':
      return multiStep(c.boundaries as readonly number[], c.values as readonly number[], lr, no, base);
    case 'PolynomialDecay': {
      if (c.cycle === true) no('cycle', 'must be false (PolynomialLR does not cycle)');
      if (num('endLearningRate') !== 0) no('endLearningRate', 'must be 0 (PolynomialLR decays to 0)');
      if (!isStepCount(num('decaySteps'))) no('decaySteps', 'must be an integer ≥ 1 (PolynomialLR total_iters)');
      return { class_name: 'PolynomialLR', config: { total_iters: num('decaySteps'), power: num('power') }, lr: base(num('initialLearningRate'), 'initialLearningRate') };
    }
    case 'CosineDecayRestarts': {
      if (num('mMul') !== 1) no('mMul', 'must be 1 (CosineAnnealingWarmRestarts restarts at the same peak)');
      if (!isStepCount(num('firstDecaySteps'))) no('firstDecaySteps', 'must be an integer ≥ 1 (T_0)');
      if (!isStepCount(num('tMul'))) no('tMul', 'must be an integer ≥ 1 (T_mult)');
      const lr0 = base(num('initialLearningRate'), 'initialLearningRate');
      const eta = lr0 * num('alpha');
      if (lr0 !== 0 && eta / lr0 !== num('alpha')) no('alpha', `must be a fraction whose product with initialLearningRate divides back exactly (eta_min = ${eta})`);
      return { class_name: 'CosineAnnealingWarmRestarts', config: { T_0: num('firstDecaySteps'), T_mult: num('tMul'), eta_min: eta }, lr: lr0 };
    }
    case 'CosineAnneal': {
      if (c.hold !== false) no('hold', 'must be false (CosineAnnealingLR rises again past T_max)');
      if (num('offset') !== 0) no('offset', 'must be 0');
      if (num('exponent') !== 1) no('exponent', 'must be 1');
      if (!isStepCount(num('period'))) no('period', 'must be an integer ≥ 1 (T_max)');
      return { class_name: 'CosineAnnealingLR', config: { T_max: num('period'), eta_min: num('to') }, lr: base(num('from'), 'from') };
    }
    case 'Linear': {
      if (num('offset') !== 0) no('offset', 'must be 0');
      if (c.hold !== true) no('hold', 'must be true (LinearLR holds end_factor after total_iters)');
      if (!isStepCount(num('steps'))) no('steps', 'must be an integer ≥ 1 (LinearLR total_iters)');
      const from = num('from');
      const to = num('to');
      const r = lr ?? Math.max(from, to);
      const sf = from / r;
      const ef = to / r;
      if (!(r > 0 && sf > 0 && sf <= 1 && ef >= 0 && ef <= 1)) no('from', `must be > 0 with 0 ≤ to and both ≤ the base rate ${r} (LinearLR start_factor in (0, 1], end_factor in [0, 1])`);
      if (r * sf !== from || r * ef !== to) no('from', `must be base rate × factor exactly (from/${r} and to/${r} do not multiply back)`);
      return { class_name: 'LinearLR', config: { start_factor: sf, end_factor: ef, total_iters: num('steps') }, lr: r };
    }
    case 'Constant': {
      const v = base(num('value'), 'value');
      return { class_name: 'MultiStepLR', config: { milestones: [], gamma: 0.1 }, lr: v };
    }
    case 'Cyclic': {
      if (lr !== undefined) return { class_name: 'CyclicLR', config: cyclic(c), lr };
      return { class_name: 'CyclicLR', config: cyclic(c), lr: num('baseLr') };
    }
    default:
      throw new DialectError(at, s.kind, `PyTorch has no scheduler for ${s.kind} (docs/dialects.md#conversions lists what converts)`);
  }
}

function cyclic(c: Record<string, unknown>): { [key: string]: Json } {
  return {
    base_lr: c.baseLr as number,
    max_lr: c.maxLr as number,
    step_size_up: c.stepSizeUp as number,
    step_size_down: c.stepSizeDown as number,
    mode: c.mode as string,
    gamma: c.gamma as number,
    scale_fn: null,
    scale_mode: 'cycle',
    cycle_momentum: false,
    base_momentum: 0.8,
    max_momentum: 0.9,
  };
}

/** values[i] = lr·gamma^i at integer boundaries ≥ 0: MultiStepLR with milestones boundary + 1 (ConstantLR's shape included). */
function multiStep(
  boundaries: readonly number[],
  values: readonly number[],
  lr: number | undefined,
  no: (field: string, rule: string) => never,
  base: (v: number, field: string) => number,
): Written {
  const v0 = base(values[0] as number, 'values');
  for (const b of boundaries) if (!(Number.isInteger(b) && b >= 0)) no('boundaries', 'must be integers ≥ 0 (a MultiStepLR milestone is boundary + 1)');
  if (boundaries.length === 0) return { class_name: 'MultiStepLR', config: { milestones: [], gamma: 0.1 }, lr: lr ?? v0 };
  const gamma = (values[1] as number) / v0;
  // before the levels: multiStepLevel takes gamma > 0 (a sign change or a zero fails this rule whatever the levels)
  if (!(gamma > 0)) no('values', 'must keep one sign and no zero (MultiStepLR gamma > 0)');
  // the reader's own levels (multiStepLevel), so the check accepts exactly what fromPyTorch gives back
  values.forEach((v, i) => {
    const want = multiStepLevel(v0, gamma, i);
    if (want !== v) no('values', `must be lr·gamma^i exactly (MultiStepLR): with lr = ${v0}, gamma = ${gamma}, values[${i}] would be ${want}`);
  });
  return { class_name: 'MultiStepLR', config: { milestones: boundaries.map((b) => b + 1), gamma }, lr: lr ?? v0 };
}
