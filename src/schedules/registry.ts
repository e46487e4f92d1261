/**
 * The kind registry: one line per schedule kind, naming its class; the class holds its
 * field table (`static fields`, fields.ts). Everything that used to be a hand-kept list of kinds is derived from it:
 * `ScheduleKind`, `SCHEDULE_KINDS`, the `Schedule` union, `ConfigByKind`,
 * `createSchedule`, `isSchedule`, the Keras key tables of keras.ts and keras-json.ts,
 * and the explorer's fields and sweep defaults (src/app/sweep.ts). Adding a kind is a
 * class file and one entry here; the compiler then points at every per-kind table
 * that lacks it (tolerance.ts, kernels/pack.ts), and test/schedules/registry.test.ts
 * checks the rest at run time.
 *
 * The classes build their configs from their field tables (fields.ts resolveFields:
 * defaults and rules written once), adding only the rules that tie fields together; the
 * registry test holds each class to its table.
 */
import { CosineDecay } from './cosine-decay.ts';
import { CosineDecayRestarts } from './cosine-decay-restarts.ts';
import { ExponentialDecay } from './exponential-decay.ts';
import { InverseTimeDecay } from './inverse-time-decay.ts';
import { PiecewiseConstantDecay } from './piecewise-constant-decay.ts';
import { PolynomialDecay } from './polynomial-decay.ts';
import { ScheduleConfigError } from './errors.ts';
import type { FieldSpec } from './fields.ts';

export type { ExplorerControl, ExplorerDefault, ExplorerHint, ExplorerValue, FieldRule, FieldSpec, ScheduleFieldType } from './fields.ts';

/** Config keys of a class (constructor argument), as a string union. */
type KeysOf<C> = C extends abstract new (config: infer Cfg) => unknown ? Extract<keyof Cfg, string> : never;

/** A schedule class with its field table (`static fields`, fields.ts). */
type KindClass = (abstract new (config: never) => unknown) & { readonly fields: readonly FieldSpec[] };

interface KindEntry<Cls> {
  readonly cls: Cls;
  /** Every config key of the class, in Keras's get_config order. */
  readonly fields: readonly FieldSpec<KeysOf<Cls>>[];
}

/** The config keys of a class that its field table leaves out (never when it has them all). */
type Missing<Cls extends KindClass> = Exclude<KeysOf<Cls>, Cls['fields'][number]['name']>;

/** An entry; a class whose field table lacks one of its config keys does not compile (the call then asks for a second argument naming the missing keys). */
function entry<Cls extends KindClass>(cls: Cls, ..._complete: [Missing<Cls>] extends [never] ? [] : [missingKeys: Missing<Cls>]): KindEntry<Cls> {
  return { cls, fields: cls.fields as readonly FieldSpec<KeysOf<Cls>>[] };
}

/** The registry, in the library's order of kinds: one line per kind. */
export const SCHEDULE_REGISTRY = {
  CosineDecay: entry(CosineDecay),
  CosineDecayRestarts: entry(CosineDecayRestarts),
  ExponentialDecay: entry(ExponentialDecay),
  PiecewiseConstantDecay: entry(PiecewiseConstantDecay),
  PolynomialDecay: entry(PolynomialDecay),
  InverseTimeDecay: entry(InverseTimeDecay),
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
