/**
 * The PyTorch dialect (docs/dialects.md#pytorch): `fromPyTorch` reads
 * `{"module": "torch.optim.lr_scheduler", "class_name": NAME, "config": {keyword arguments},
 * "lr": BASE_LR}` into the library's kinds; `toPyTorch` (pytorch-write.ts) writes it back.
 * The value at step t is `optimizer.param_groups[0]["lr"]` after t calls of
 * `optimizer.step(); scheduler.step()` on SGD(lr = BASE_LR), computed as torch's closed
 * form in exact arithmetic (docs/dialects.md#pytorch-drift says where torch's recursive
 * float64 updates drift from it, and by how much).
 */
import { ScheduleConfigError } from '../schedules/errors.ts';
import { powBase, powInt } from '../schedules/exp-kernel.ts';
import type { Json } from '../schedules/keras.ts';
import { createSchedule, type Schedule, type ScheduleKind } from '../schedules/registry.ts';
import { Sequence, type AnySchedule, type SequencePieceInput } from '../schedules/sequence.ts';
import { DialectError, finiteAt, freezeJson, isObject, readJsonInput, withSource } from './common.ts';
import { LR_UNUSED, PYTORCH_MODULE, PYTORCH_SCHEDULERS, isPyTorchScheduler, normaliseKeywords, type PyTorchScheduler } from './pytorch-spec.ts';

export { PYTORCH_MODULE, PYTORCH_SCHEDULERS, isPyTorchScheduler } from './pytorch-spec.ts';
export type { PyTorchScheduler } from './pytorch-spec.ts';

/** The PyTorch form (normalised: every keyword present, torch's defaults filled in, in torch's order). */
export interface PyTorchJson {
  module: typeof PYTORCH_MODULE;
  class_name: PyTorchScheduler;
  config: { [key: string]: Json };
  /** SGD's lr, the base rate; absent only for OneCycleLR and CyclicLR, whose own keywords set the rates. */
  lr?: number;
  [key: string]: Json | undefined;
}

const ROOT = 'pytorch';

/** True when a parsed JSON value is meant as the PyTorch form (its module, or a torch scheduler name as class_name). */
export function looksLikePyTorch(v: unknown): boolean {
  return isObject(v) && (v.module === PYTORCH_MODULE || (v.module === undefined && isPyTorchScheduler(v.class_name)));
}

/**
 * Reads a PyTorch scheduler (JSON text or a parsed value) into a registry kind or a
 * Sequence of them, holding its normalised form as its source (docs/dialects.md#pytorch).
 * Errors are {@link DialectError}s naming the path (`pytorch.config.T_max`), the value,
 * the rule and the fix.
 * @example fromPyTorch({ module: 'torch.optim.lr_scheduler', class_name: 'StepLR', config: { step_size: 30 }, lr: 0.05 }).at(30) // 0.005000000000000001
 */
export function fromPyTorch(json: unknown): AnySchedule {
  const v = readJsonInput(json);
  const form = normaliseForm(v, ROOT, true);
  return build(form, ROOT);
}

/** Checks the outer keys and every keyword; returns the normalised form (children of a SequentialLR without lr). */
export function normaliseForm(v: unknown, at: string, top: boolean): PyTorchJson {
  if (!isObject(v)) throw new DialectError(at, v, 'must be a JSON object {"module": "torch.optim.lr_scheduler", "class_name", "config", "lr"}');
  const allowed = top ? ['module', 'class_name', 'config', 'lr'] : ['module', 'class_name', 'config'];
  for (const k of Object.keys(v)) {
    if (!allowed.includes(k)) {
      const why = !top && k === 'lr' ? 'a scheduler inside SequentialLR shares the sequence\'s optimizer: give "lr" once, on the SequentialLR' : `unknown key (known: ${allowed.join(', ')})`;
      throw new DialectError(`${at}.${k}`, v[k], why);
    }
  }
  if (v.module !== PYTORCH_MODULE) throw new DialectError(`${at}.module`, v.module, `must be "${PYTORCH_MODULE}"`);
  const name = v.class_name;
  if (!isPyTorchScheduler(name)) {
    throw new DialectError(`${at}.class_name`, name, `unknown PyTorch scheduler (known: ${PYTORCH_SCHEDULERS.join(', ')})`);
  }
  if (!('config' in v)) throw new DialectError(`${at}.config`, undefined, `missing key: add "config", the ${name} keyword arguments ({} for the defaults)`);
  const config = normaliseKeywords(name, v.config, `${at}.config`);
  if (name === 'SequentialLR') sequentialChildren(config, `${at}.config`);
  if (name === 'OneCycleLR') oneCycleTotal(config, `${at}.config`);
  const form: PyTorchJson = { module: PYTORCH_MODULE, class_name: name, config };
  if (top) {
    if (v.lr === undefined) {
      if (!LR_UNUSED.includes(name)) throw new DialectError(`${at}.lr`, undefined, 'missing key: add "lr", the base learning rate (SGD(lr = ...))');
    } else {
      const lr = finiteAt(`${at}.lr`, v.lr, 'the base learning rate, a number ≥ 0');
      if (!(lr >= 0)) throw new DialectError(`${at}.lr`, v.lr, 'must be ≥ 0 (torch\'s SGD refuses a negative learning rate)');
      form.lr = lr === 0 ? 0 : lr;
    }
  }
  return freezeJson(form as unknown as Json) as unknown as PyTorchJson;
}

function sequentialChildren(config: Record<string, Json>, at: string): void {
  const list = config.schedulers;
  if (!Array.isArray(list) || list.length === 0) throw new DialectError(`${at}.schedulers`, list, 'must be a non-empty list of schedulers of the same form (without "lr")');
  const ms = config.milestones as number[];
  if (ms.length !== list.length - 1) {
    throw new DialectError(`${at}.milestones`, ms, `must have one milestone fewer than schedulers (${list.length} schedulers, ${ms.length} milestones), as torch checks`);
  }
  config.schedulers = list.map((c, i) => {
    const here = `${at}.schedulers[${i}]`;
    const child = normaliseForm(c, here, false);
    const n = child.class_name;
    if (n === 'SequentialLR') throw new DialectError(`${here}.class_name`, n, 'a SequentialLR inside a SequentialLR fails in torch at its milestone (NotImplementedError): list its schedulers in the outer one');
    if (n === 'OneCycleLR') throw new DialectError(`${here}.class_name`, n, "OneCycleLR sets the optimizer's initial_lr itself, which changes the base of the other schedulers in torch: use it alone");
    if (n === 'CyclicLR' && i === 0) throw new DialectError(`${here}.class_name`, n, 'a CyclicLR first in a SequentialLR makes torch take its base_lr as every scheduler\'s base: put another scheduler first, or use CyclicLR alone');
    return child as unknown as Json;
  });
}

function oneCycleTotal(config: Record<string, Json>, at: string): void {
  const { total_steps: T, epochs: E, steps_per_epoch: S } = config;
  if (T === null && (E === null || S === null)) {
    throw new DialectError(`${at}.total_steps`, null, 'missing: give total_steps, or both epochs and steps_per_epoch (as torch requires)');
  }
  if (T !== null && E !== null && S !== null && (E as number) * (S as number) !== T) {
    throw new DialectError(`${at}.total_steps`, T, `must equal epochs·steps_per_epoch = ${(E as number) * (S as number)} when all three are given (torch silently uses total_steps): drop one`);
  }
}

/** A registry kind (the primitives are built by name, so the dialect reads whichever kinds the registry has). */
function kind(name: string, config: Record<string, unknown>, at: string): Schedule {
  try {
    return createSchedule(name as ScheduleKind, config as never);
  } catch (e) {
    if (e instanceof ScheduleConfigError && !(e instanceof DialectError)) throw new DialectError(at, e.value, `${e.message} (in the ${name} it maps to)`);
    throw e;
  }
}

const n = (c: Record<string, Json>, k: string): number => c[k] as number;

/**
 * The k-th MultiStepLR level lr·gamma^k (gamma > 0): gamma^k by powInt (binary powering in
 * double-double, within u + 7(k − 1)u², u = 2^-53, whatever the engine's Math.pow), then one
 * product, as ExponentialDecay's staircase (StepLR) forms lr·gamma^q. toPyTorch's MultiStepLR
 * check takes this function, so it accepts exactly the values this reader builds.
 */
export function multiStepLevel(lr: number, gamma: number, k: number): number {
  return k === 0 ? lr : lr * powInt(powBase(gamma), k);
}

/** Builds the schedule of a normalised form; `lrOf` is the base rate (a SequentialLR's for its children). */
function build(form: PyTorchJson, at: string, lrOf?: number): AnySchedule {
  const c = form.config;
  const lr = lrOf ?? form.lr ?? 0;
  const here = `${at}.config`;
  const source = { dialect: 'pytorch' as const, name: form.class_name, config: form as unknown as Json };
  const tag = (s: Schedule): Schedule => (lrOf === undefined ? withSource(s, source) : s);
  switch (form.class_name) {
    case 'StepLR':
      return tag(kind('ExponentialDecay', { initialLearningRate: lr, decaySteps: n(c, 'step_size'), decayRate: n(c, 'gamma'), staircase: true }, here));
    case 'ExponentialLR':
      return tag(kind('ExponentialDecay', { initialLearningRate: lr, decaySteps: 1, decayRate: n(c, 'gamma'), staircase: false }, here));
    case 'MultiStepLR': {
      // torch multiplies by gamma^(times m occurs) at each milestone m: step s has lr·gamma^#{m ≤ s};
      // Keras's boundary b means "steps ≤ b", so milestone m is boundary m − 1
      const ms = c.milestones as number[];
      const boundaries: number[] = [];
      const values = [lr];
      for (let i = 0; i < ms.length; i++) {
        const m = ms[i] as number;
        if (ms[i + 1] === m) continue;
        boundaries.push(m - 1);
        values.push(multiStepLevel(lr, n(c, 'gamma'), i + 1));
      }
      return tag(kind('PiecewiseConstantDecay', { boundaries, values }, here));
    }
    case 'ConstantLR':
      return tag(kind('PiecewiseConstantDecay', { boundaries: [n(c, 'total_iters') - 1], values: [lr * n(c, 'factor'), lr] }, here));
    case 'LinearLR':
      return tag(kind('Linear', { from: lr * n(c, 'start_factor'), to: lr * n(c, 'end_factor'), steps: n(c, 'total_iters') }, here));
    case 'PolynomialLR':
      return tag(kind('PolynomialDecay', { initialLearningRate: lr, decaySteps: n(c, 'total_iters'), endLearningRate: 0, power: n(c, 'power'), cycle: false }, here));
    case 'CosineAnnealingLR':
      // torch's recursion follows the periodic closed form: it rises again past T_max
      return tag(kind('CosineAnneal', { from: lr, to: n(c, 'eta_min'), period: n(c, 'T_max'), hold: false }, here));
    case 'CosineAnnealingWarmRestarts': {
      const eta = n(c, 'eta_min');
      if (lr === 0 && eta !== 0) throw new DialectError(`${at}.lr`, lr, 'must be > 0 when eta_min ≠ 0 (the restarts are built as a fraction eta_min/lr of the base rate)');
      return tag(kind('CosineDecayRestarts', { initialLearningRate: lr, firstDecaySteps: n(c, 'T_0'), tMul: n(c, 'T_mult'), mMul: 1, alpha: lr === 0 ? 0 : eta / lr }, here));
    }
    case 'CyclicLR':
      return tag(
        kind(
          'Cyclic',
          { baseLr: n(c, 'base_lr'), maxLr: n(c, 'max_lr'), stepSizeUp: n(c, 'step_size_up'), stepSizeDown: c.step_size_down === null ? n(c, 'step_size_up') : n(c, 'step_size_down'), mode: c.mode, gamma: n(c, 'gamma') },
          here,
        ),
      );
    case 'OneCycleLR':
      return new Sequence({ ...oneCyclePieces(c, here), source });
    case 'SequentialLR': {
      const ms = c.milestones as number[];
      const pieces: SequencePieceInput[] = (c.schedulers as unknown as PyTorchJson[]).map((child, i) => ({
        begin: i === 0 ? 0 : (ms[i - 1] as number),
        schedule: build(child, `${here}.schedulers[${i}]`, lr) as Schedule,
      }));
      return new Sequence({ pieces, source });
    }
  }
}

/**
 * OneCycleLR's phases as Sequence pieces. torch's phase ends are the doubles
 * pct_start·T − 1, (2·pct_start·T − 2 with three_phase), T − 1; step s takes the first
 * phase whose end is ≥ s (the last phase: every later step up to T), at
 * pct = (s − start)/(end − start), start = the previous phase's end (0 for the first).
 * A piece begins at the first integer step its phase serves; offset = begin − start.
 */
function oneCyclePieces(c: Record<string, Json>, at: string): { pieces: SequencePieceInput[]; lastStep: number } {
  const T = c.total_steps !== null ? n(c, 'total_steps') : n(c, 'epochs') * n(c, 'steps_per_epoch');
  const pct = n(c, 'pct_start');
  const maxLr = n(c, 'max_lr');
  const init = maxLr / n(c, 'div_factor');
  const minLr = init / n(c, 'final_div_factor');
  const phases: [end: number, from: number, to: number][] = c.three_phase
    ? [
        [pct * T - 1, init, maxLr],
        [2 * pct * T - 2, maxLr, init],
        [T - 1, init, minLr],
      ]
    : [
        [pct * T - 1, init, maxLr],
        [T - 1, maxLr, minLr],
      ];
  const cos = c.anneal_strategy === 'cos';
  const pieces: SequencePieceInput[] = [];
  let served = -Infinity; // the largest end of the phases before
  let start = 0;
  phases.forEach(([end, from, to], i) => {
    const last = i === phases.length - 1;
    const first = served === -Infinity ? 0 : Math.max(0, Math.floor(served) + 1);
    if (first <= (last ? T : end)) {
      const length = end - start;
      if (!(length > 0)) {
        throw new DialectError(
          `${at}.pct_start`,
          pct,
          i === 0
            ? `makes the first phase end at pct_start·total_steps − 1 = ${end}, a phase of length 0 that torch divides by at step 0: choose pct_start·total_steps ≠ 1`
            : `makes phase ${i + 1} of ${phases.length} (from step ${start} to ${end}) of length ${length} ≤ 0, which torch divides by at step ${first}: choose a smaller pct_start`,
        );
      }
      const shape = { from, to, offset: first - start, hold: !last };
      pieces.push({ begin: first, schedule: cos ? kind('CosineAnneal', { ...shape, period: length }, at) : kind('Linear', { ...shape, steps: length }, at) });
    }
    served = Math.max(served, end);
    start = end;
  });
  return { pieces, lastStep: T };
}
