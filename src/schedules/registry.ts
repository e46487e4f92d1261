/**
 * The kind registry: one entry per schedule kind, holding its class and its field
 * table. Everything that used to be a hand-kept list of kinds is derived from it:
 * `ScheduleKind`, `SCHEDULE_KINDS`, the `Schedule` union, `ConfigByKind`,
 * `createSchedule`, `isSchedule`, the Keras key tables of keras.ts and keras-json.ts,
 * and the explorer's fields and sweep defaults (src/app/sweep.ts). Adding a kind is a
 * class file and one entry here; the compiler then points at every per-kind table
 * that lacks it (tolerance.ts, kernels/pack.ts), and test/schedules/registry.test.ts
 * checks the rest at run time.
 *
 * The classes validate their own configs (docs/semantics.md#validation); a field's
 * `rule` names the check its constructor applies, and the registry test holds each
 * class to it.
 */
import { CosineDecay } from './cosine-decay.ts';
import { CosineDecayRestarts } from './cosine-decay-restarts.ts';
import { ExponentialDecay } from './exponential-decay.ts';
import { InverseTimeDecay } from './inverse-time-decay.ts';
import { PiecewiseConstantDecay } from './piecewise-constant-decay.ts';
import { PolynomialDecay } from './polynomial-decay.ts';
import { ScheduleConfigError } from './errors.ts';

/**
 * How a field is written in Keras JSON (keras-json.ts): `float` a Python float, `step`
 * a step count (an int when whole), `bool`, a list of either, `str`; `?` adds null.
 */
export type ScheduleFieldType = 'float' | 'float?' | 'step' | 'bool' | 'list[float]' | 'list[step]' | 'str?';

/**
 * The check a constructor applies to a field: `finite` number, `finite?` (or null),
 * `> 0`, `≥ 0`, `≥ 1`, `boolean`, `name` (a string or null), `list` (a list of finite
 * numbers; the kind's class adds the rules that tie its lists together).
 */
export type FieldRule = 'finite' | 'finite?' | '> 0' | '≥ 0' | '≥ 1' | 'boolean' | 'name' | 'list';

/** How the explorer edits a field (src/app/sweep.ts FieldType). */
export type ExplorerControl = 'number' | 'nullableNumber' | 'boolean' | 'numberList';

/** A value a field takes in the explorer. */
export type ExplorerValue = number | boolean | null | readonly number[];

/** The explorer's default spec of a field: one value, a list, or a linear / log range. */
export type ExplorerDefault =
  | { readonly mode: 'single'; readonly values: readonly ExplorerValue[] }
  | { readonly mode: 'list'; readonly values: readonly ExplorerValue[] }
  | { readonly mode: 'range'; readonly from: number; readonly to: number; readonly count: number; readonly spacing: 'linear' | 'log' };

/** The explorer's view of a field: how it is edited, the help next to it, and its default sweep. */
export interface ExplorerHint {
  readonly control: ExplorerControl;
  readonly hint: string;
  readonly sweep: ExplorerDefault;
}

/** One config field of a kind. */
export interface FieldSpec<Name extends string = string> {
  /** camelCase config key. */
  readonly name: Name;
  /** snake_case Keras key. */
  readonly keras: string;
  readonly type: ScheduleFieldType;
  /** Keras's default; absent for a required field. */
  readonly default?: ExplorerValue | string;
  readonly rule: FieldRule;
  /** Absent for a field the explorer does not sweep (`name`). */
  readonly explorer?: ExplorerHint;
}

/** Config keys of a class (constructor argument), as a string union. */
type KeysOf<C> = C extends abstract new (config: infer Cfg) => unknown ? Extract<keyof Cfg, string> : never;

interface KindEntry<Cls> {
  readonly cls: Cls;
  /** Every config key of the class, in Keras's get_config order. */
  readonly fields: readonly FieldSpec<KeysOf<Cls>>[];
}

/** The config keys of a class that a field table leaves out (never when it has them all). */
type Missing<Cls, F extends readonly FieldSpec[]> = Exclude<KeysOf<Cls>, F[number]['name']>;

/** An entry; a field table without one of the class's config keys does not compile (the call then asks for a third argument naming the missing keys). */
function entry<Cls extends abstract new (config: never) => unknown, const F extends readonly FieldSpec<KeysOf<Cls>>[]>(
  cls: Cls,
  fields: F,
  ..._complete: [Missing<Cls, F>] extends [never] ? [] : [missingKeys: Missing<Cls, F>]
): KindEntry<Cls> {
  return { cls, fields };
}

const single = (...values: ExplorerValue[]): ExplorerDefault => ({ mode: 'single', values });
const list = (...values: ExplorerValue[]): ExplorerDefault => ({ mode: 'list', values });
const logRange = (from: number, to: number, count: number): ExplorerDefault => ({ mode: 'range', from, to, count, spacing: 'log' });
const linRange = (from: number, to: number, count: number): ExplorerDefault => ({ mode: 'range', from, to, count, spacing: 'linear' });
const num = (hint: string, sweep: ExplorerDefault): ExplorerHint => ({ control: 'number', hint, sweep });
const bool = (hint: string, sweep: ExplorerDefault): ExplorerHint => ({ control: 'boolean', hint, sweep });

const LR0 = { name: 'initialLearningRate', keras: 'initial_learning_rate', type: 'float', rule: 'finite' } as const;
const NAME = <N extends string>(defaultName: N) => ({ name: 'name', keras: 'name', type: 'str?', default: defaultName, rule: 'name' }) as const;

/** The registry, in the library's order of kinds. */
export const SCHEDULE_REGISTRY = {
  CosineDecay: entry(CosineDecay, [
    { ...LR0, explorer: num('start of warmup (or of decay when no warmup)', single(0)) },
    { name: 'decaySteps', keras: 'decay_steps', type: 'step', rule: '> 0', explorer: num('steps of cosine decay after warmup', single(8000)) },
    { name: 'alpha', keras: 'alpha', type: 'float', default: 0, rule: 'finite', explorer: num('floor as a fraction of the decay start', list(0, 0.01, 0.05, 0.1, 0.2)) },
    NAME('CosineDecay'),
    { name: 'warmupTarget', keras: 'warmup_target', type: 'float?', default: null, rule: 'finite?', explorer: { control: 'nullableNumber', hint: 'peak after warmup; none = no warmup', sweep: logRange(1e-4, 1e-2, 50) } },
    { name: 'warmupSteps', keras: 'warmup_steps', type: 'step', default: 0, rule: '≥ 0', explorer: num('linear warmup length', list(0, 500, 1000, 2000)) },
  ]),
  CosineDecayRestarts: entry(CosineDecayRestarts, [
    { ...LR0, explorer: num('peak of the first period', logRange(1e-3, 1e-1, 20)) },
    { name: 'firstDecaySteps', keras: 'first_decay_steps', type: 'step', rule: '> 0', explorer: num('length of the first period', list(500, 1000, 2000)) },
    { name: 'tMul', keras: 't_mul', type: 'float', default: 2, rule: '≥ 1', explorer: num('period length multiplier (≥ 1)', list(1, 2)) },
    { name: 'mMul', keras: 'm_mul', type: 'float', default: 1, rule: '≥ 0', explorer: num('peak multiplier per restart', list(0.5, 0.8, 1)) },
    { name: 'alpha', keras: 'alpha', type: 'float', default: 0, rule: 'finite', explorer: num('floor as a fraction of initial rate', single(0)) },
    NAME('SGDRDecay'),
  ]),
  ExponentialDecay: entry(ExponentialDecay, [
    { ...LR0, explorer: num('rate at step 0', logRange(1e-3, 1e-1, 20)) },
    { name: 'decaySteps', keras: 'decay_steps', type: 'step', rule: '> 0', explorer: num('steps per decay_rate factor', list(1000, 2000, 5000)) },
    { name: 'decayRate', keras: 'decay_rate', type: 'float', rule: '> 0', explorer: num('factor per decay_steps', linRange(0.5, 0.95, 10)) },
    { name: 'staircase', keras: 'staircase', type: 'bool', default: false, rule: 'boolean', explorer: bool('decay in whole steps', single(false)) },
    NAME('ExponentialDecay'),
  ]),
  PiecewiseConstantDecay: entry(PiecewiseConstantDecay, [
    { name: 'boundaries', keras: 'boundaries', type: 'list[step]', rule: 'list', explorer: { control: 'numberList', hint: 'step boundaries, increasing', sweep: single([3000, 6000, 9000]) } },
    { name: 'values', keras: 'values', type: 'list[float]', rule: 'list', explorer: { control: 'numberList', hint: 'one more value than boundaries', sweep: single([0.1, 0.01, 0.001, 0.0001]) } },
    NAME('PiecewiseConstant'),
  ]),
  PolynomialDecay: entry(PolynomialDecay, [
    { ...LR0, explorer: num('rate at step 0', logRange(1e-3, 1e-1, 20)) },
    { name: 'decaySteps', keras: 'decay_steps', type: 'step', rule: '> 0', explorer: num('steps to reach the end rate', list(2000, 5000, 10000)) },
    { name: 'endLearningRate', keras: 'end_learning_rate', type: 'float', default: 0.0001, rule: 'finite', explorer: num('final rate', single(1e-4)) },
    { name: 'power', keras: 'power', type: 'float', default: 1, rule: '≥ 0', explorer: num('1 = linear', list(0.5, 1, 2, 3)) },
    { name: 'cycle', keras: 'cycle', type: 'bool', default: false, rule: 'boolean', explorer: bool('restart after decay_steps', list(false, true)) },
    NAME('PolynomialDecay'),
  ]),
  InverseTimeDecay: entry(InverseTimeDecay, [
    { ...LR0, explorer: num('rate at step 0', logRange(1e-3, 1e-1, 20)) },
    { name: 'decaySteps', keras: 'decay_steps', type: 'step', rule: '> 0', explorer: num('time scale', list(100, 1000)) },
    { name: 'decayRate', keras: 'decay_rate', type: 'float', rule: '≥ 0', explorer: num('lr / (1 + rate · step / decay_steps)', linRange(0.1, 2, 20)) },
    { name: 'staircase', keras: 'staircase', type: 'bool', default: false, rule: 'boolean', explorer: bool('decay in whole steps', single(false)) },
    NAME('InverseTimeDecay'),
  ]),
} as const;

type Registry = typeof SCHEDULE_REGISTRY;

/** The Keras class name of a schedule kind. */
export type ScheduleKind = keyof Registry;

/** The kinds, in the registry's order. */
export const SCHEDULE_KINDS: readonly ScheduleKind[] = Object.keys(SCHEDULE_REGISTRY) as ScheduleKind[];

/** The schedule class for each kind. */
export type ScheduleByKind = { [K in ScheduleKind]: InstanceType<Registry[K]['cls']> };

/** Config types by kind (the constructor argument of each class). */
export type ConfigByKind = { [K in ScheduleKind]: ConstructorParameters<Registry[K]['cls']>[0] };

/** Any of the schedule classes. */
export type Schedule = ScheduleByKind[ScheduleKind];

/** True for a string that names a schedule kind. */
export const isScheduleKind = (x: unknown): x is ScheduleKind => typeof x === 'string' && Object.hasOwn(SCHEDULE_REGISTRY, x);

/** A table with one entry per kind, in the registry's order. */
export function mapKinds<T>(f: (kind: ScheduleKind) => T): { readonly [K in ScheduleKind]: T } {
  return Object.fromEntries(SCHEDULE_KINDS.map((k) => [k, f(k)])) as Record<ScheduleKind, T>;
}

/** The field table of a kind, in Keras's get_config order. */
export const scheduleFields = (kind: ScheduleKind): readonly FieldSpec[] => SCHEDULE_REGISTRY[kind].fields;

/**
 * Builds a schedule by kind (validating its config).
 * @example createSchedule('ExponentialDecay', { initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 }).at(1000) // 0.096
 * @throws ScheduleConfigError for an unknown kind or an invalid config.
 */
export function createSchedule<K extends ScheduleKind>(kind: K, config: ConfigByKind[K]): ScheduleByKind[K] {
  if (!isScheduleKind(kind)) {
    throw new ScheduleConfigError('kind', kind, `must be one of ${SCHEDULE_KINDS.join(', ')}`);
  }
  const Cls = SCHEDULE_REGISTRY[kind].cls as unknown as new (c: ConfigByKind[K]) => ScheduleByKind[K];
  return new Cls(config);
}

/** True for any of the schedule classes. */
export function isSchedule(x: unknown): x is Schedule {
  return SCHEDULE_KINDS.some((k) => x instanceof SCHEDULE_REGISTRY[k].cls);
}
