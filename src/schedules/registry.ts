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
import { Constant } from './constant.ts';
import { CosineAnneal } from './cosine-anneal.ts';
import { Linear } from './linear.ts';
import { SqrtAnneal } from './sqrt-anneal.ts';
import { InverseSqrt } from './inverse-sqrt.ts';
import { Cyclic } from './cyclic.ts';
import { ScheduleConfigError } from './errors.ts';
import type { FieldSpec } from './fields.ts';

// The primitives beyond Keras's six reach the public API through here (index.ts exports this module).
export * from './constant.ts';
export * from './linear.ts';
export * from './cosine-anneal.ts';
export * from './sqrt-anneal.ts';
export * from './inverse-sqrt.ts';
export * from './cyclic.ts';

export type { ExplorerControl, ExplorerDefault, ExplorerHint, ExplorerValue, FieldRule, FieldSpec, ScheduleFieldType } from './fields.ts';

/** Config keys of a class (constructor argument), as a string union. */
type KeysOf<C> = C extends abstract new (config: infer Cfg) => unknown ? Extract<keyof Cfg, string> : never;

/** A schedule class with its field table (`static fields`, fields.ts). */
type KindClass = (abstract new (config: never) => unknown) & { readonly fields: readonly FieldSpec[] };

/**
 * The schedule formats (dialects) that can write a kind: `keras` for Keras's six classes
 * (Keras JSON, keras.ts); the library's own primitives are written by the dialects that
 * have them (src/dialects), and serialize/toKerasJson refuse them naming those.
 */
export type Dialect = 'keras' | 'pytorch' | 'huggingface' | 'optax';

/** A kind's resolved config (what its schedules hold, and what its tolerance reads). */
type ConfigOf<Cls> = Cls extends abstract new (config: never) => { readonly config: infer R } ? R : never;

/** What a registry line says about its kind besides the class. */
interface KindSpec<Cls, D extends readonly Dialect[]> {
  /**
   * k of the f32 backends' bound `|got − exact| ≤ k·2^-23·|exact| + 2^-126`
   * (docs/accuracy.md#the-contract; 0: exactly Math.fround), derived in the kind's WGSL
   * header (shaders/kinds/<kind>.wgsl); a function of the resolved config where k depends on it.
   */
  readonly k: number | ((config: ConfigOf<Cls>) => number);
  /** The dialects that write it; absent: `['keras']`, a Keras class. */
  readonly dialects?: D;
}

interface KindEntry<Cls, D extends readonly Dialect[]> {
  readonly cls: Cls;
  /** Every config key of the class, in Keras's get_config order (a primitive: its contract's order). */
  readonly fields: readonly FieldSpec<KeysOf<Cls>>[];
  readonly k: KindSpec<Cls, D>['k'];
  readonly dialects: D;
}

/** The config keys of a class that its field table leaves out (never when it has them all). */
type Missing<Cls extends KindClass> = Exclude<KeysOf<Cls>, Cls['fields'][number]['name']>;

/** A Keras class: written as Keras JSON. */
const KERAS = ['keras'] as const;
/** One of the library's primitives (issue H): written by the PyTorch, Hugging Face and Optax dialects. */
const PRIMITIVE = ['pytorch', 'huggingface', 'optax'] as const;

/** An entry; a class whose field table lacks one of its config keys does not compile (the call then asks for a third argument naming the missing keys). */
function entry<Cls extends KindClass, const D extends readonly Dialect[] = typeof KERAS>(
  cls: Cls,
  spec: KindSpec<Cls, D>,
  ..._complete: [Missing<Cls>] extends [never] ? [] : [missingKeys: Missing<Cls>]
): KindEntry<Cls, D> {
  return { cls, fields: cls.fields as readonly FieldSpec<KeysOf<Cls>>[], k: spec.k, dialects: spec.dialects ?? (KERAS as unknown as D) };
}

/** The registry, in the library's order of kinds: one line per kind. */
export const SCHEDULE_REGISTRY = {
  CosineDecay: entry(CosineDecay, { k: 20 }),
  CosineDecayRestarts: entry(CosineDecayRestarts, { k: (c) => (c.tMul === 1 && c.mMul !== 1 ? 24 : 20) }),
  ExponentialDecay: entry(ExponentialDecay, { k: 8 }),
  PiecewiseConstantDecay: entry(PiecewiseConstantDecay, { k: 0 }),
  PolynomialDecay: entry(PolynomialDecay, { k: (c) => 8 + 10 * Math.max(1, c.power) }),
  InverseTimeDecay: entry(InverseTimeDecay, { k: 10 }),
  Constant: entry(Constant, { k: 0, dialects: PRIMITIVE }),
  Linear: entry(Linear, { k: 8, dialects: PRIMITIVE }),
  CosineAnneal: entry(CosineAnneal, { k: (c) => (c.exponent === 1 ? 20 : Math.max(20, Math.ceil(1.3 * (11.44 * c.exponent + 5.9)))), dialects: PRIMITIVE }),
  SqrtAnneal: entry(SqrtAnneal, { k: 16, dialects: ['huggingface'] }),
  InverseSqrt: entry(InverseSqrt, { k: 8, dialects: ['huggingface'] }),
  Cyclic: entry(Cyclic, { k: 16, dialects: ['pytorch'] }),
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

/** The kinds that are Keras classes (Keras JSON holds them): those whose entry lists the `keras` dialect. */
export type KerasKind = { [K in ScheduleKind]: 'keras' extends Registry[K]['dialects'][number] ? K : never }[ScheduleKind];

/** Any of the Keras classes (what Keras JSON reads into). */
export type KerasSchedule = ScheduleByKind[KerasKind];

/** The Keras classes, in the registry's order. */
export const KERAS_KINDS: readonly KerasKind[] = SCHEDULE_KINDS.filter((k): k is KerasKind => (SCHEDULE_REGISTRY[k].dialects as readonly Dialect[]).includes('keras'));

/** True for a string that names a Keras class of the registry. */
export const isKerasKind = (x: unknown): x is KerasKind => (KERAS_KINDS as readonly unknown[]).includes(x);

/** The dialects that write a kind (its registry entry). */
export const kindDialects = (kind: ScheduleKind): readonly Dialect[] => SCHEDULE_REGISTRY[kind].dialects;

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
