/**
 * Configuration types of the six Keras schedules: Keras's argument names in
 * camelCase, Keras 3's defaults. snake_case appears only in Keras JSON (keras.ts).
 */

// The kind list (ScheduleKind, SCHEDULE_KINDS, ConfigByKind) is derived from registry.ts.

/** keras.optimizers.schedules.CosineDecay(initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay", warmup_target=None, warmup_steps=0) */
export interface CosineDecayConfig {
  initialLearningRate: number;
  decaySteps: number;
  alpha?: number;
  name?: string | null;
  warmupTarget?: number | null;
  warmupSteps?: number;
}

/** keras.optimizers.schedules.CosineDecayRestarts(initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0, name="SGDRDecay") */
export interface CosineDecayRestartsConfig {
  initialLearningRate: number;
  firstDecaySteps: number;
  tMul?: number;
  mMul?: number;
  alpha?: number;
  name?: string | null;
}

/** keras.optimizers.schedules.ExponentialDecay(initial_learning_rate, decay_steps, decay_rate, staircase=False, name="ExponentialDecay") */
export interface ExponentialDecayConfig {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase?: boolean;
  name?: string | null;
}

/** keras.optimizers.schedules.PiecewiseConstantDecay(boundaries, values, name="PiecewiseConstant") */
export interface PiecewiseConstantDecayConfig {
  boundaries: readonly number[];
  values: readonly number[];
  name?: string | null;
}

/** keras.optimizers.schedules.PolynomialDecay(initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0, cycle=False, name="PolynomialDecay") */
export interface PolynomialDecayConfig {
  initialLearningRate: number;
  decaySteps: number;
  endLearningRate?: number;
  power?: number;
  cycle?: boolean;
  name?: string | null;
}

/** keras.optimizers.schedules.InverseTimeDecay(initial_learning_rate, decay_steps, decay_rate, staircase=False, name="InverseTimeDecay") */
export interface InverseTimeDecayConfig {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase?: boolean;
  name?: string | null;
}

/** A config with every default filled in (what a constructed schedule holds). */
export type Resolved<C> = { readonly [K in keyof C]-?: Exclude<C[K], undefined> };

/** A range of integer steps: start, start + stride, …, count values. stride defaults to 1. */
export interface StepRange {
  readonly start: number;
  readonly count: number;
  readonly stride?: number;
}

/** An explicit list of integer steps (Uint32Array, Float64Array, number[]...). */
export type StepList = ArrayLike<number>;

/** Steps to evaluate: a range or a list. */
export type Steps = StepRange | StepList;
