/**
 * Layer 0: the six Keras learning-rate schedules as exact f64 references, with
 * batch evaluation (`fill`) and Keras JSON interop (keras.ts). Pure TS: imports
 * nothing from other src/ layers.
 */
import { CosineDecay } from './cosine-decay.ts';
import { CosineDecayRestarts } from './cosine-decay-restarts.ts';
import { ExponentialDecay } from './exponential-decay.ts';
import { InverseTimeDecay } from './inverse-time-decay.ts';
import { PiecewiseConstantDecay } from './piecewise-constant-decay.ts';
import { PolynomialDecay } from './polynomial-decay.ts';
import { ScheduleConfigError } from './errors.ts';
import { SCHEDULE_KINDS, type ConfigByKind, type ScheduleKind } from './types.ts';

export * from './types.ts';
export { ScheduleConfigError, KerasJsonError, StepError } from './errors.ts';
export { MAX_STEP, checkStep, checkRange, checkStepList, isStepRange, stepCount, forEachStep, stepsToArray } from './steps.ts';
export type { ResolvedStepRange } from './steps.ts';
export type { FillOutput } from './schedule.ts';
export type { RestartPeriod } from './cosine-decay-restarts.ts';
export { serialize, deserialize, deserializeMany, getConfig, fromConfig, KERAS_SCHEDULES_MODULE } from './keras.ts';
export type { Json, Keras3Serialized, LegacySerialized, SerializeOptions } from './keras.ts';
export { MAX_JSON_DEPTH, checkJsonDepth } from './keras.ts';
export { toKerasJson, deserializeOptimizer, kerasOptimizerFields, pythonFloatRepr, KERAS_OPTIMIZER_CLASSES, KERAS_OPTIMIZERS_MODULE } from './keras-json.ts';
export type { KerasOptimizerSpec, KerasOptimizerClass, KerasJsonOptions, KerasFieldType } from './keras-json.ts';
export { CosineDecay, CosineDecayRestarts, ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, PolynomialDecay };

/** Any of the six schedules. */
export type Schedule =
  | CosineDecay
  | CosineDecayRestarts
  | ExponentialDecay
  | PiecewiseConstantDecay
  | PolynomialDecay
  | InverseTimeDecay;

/** The schedule class for each kind. */
export interface ScheduleByKind {
  CosineDecay: CosineDecay;
  CosineDecayRestarts: CosineDecayRestarts;
  ExponentialDecay: ExponentialDecay;
  PiecewiseConstantDecay: PiecewiseConstantDecay;
  PolynomialDecay: PolynomialDecay;
  InverseTimeDecay: InverseTimeDecay;
}

/**
 * Builds a schedule by kind (validating its config).
 * @example createSchedule('ExponentialDecay', { initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 }).at(1000) // 0.096
 * @throws ScheduleConfigError for an unknown kind or an invalid config.
 */
export function createSchedule<K extends ScheduleKind>(kind: K, config: ConfigByKind[K]): ScheduleByKind[K] {
  const make = CONSTRUCTORS[kind] as ((c: ConfigByKind[K]) => ScheduleByKind[K]) | undefined;
  if (make === undefined || !Object.hasOwn(CONSTRUCTORS, kind)) {
    throw new ScheduleConfigError('kind', kind, `must be one of ${SCHEDULE_KINDS.join(', ')}`);
  }
  return make(config);
}

const CONSTRUCTORS: { [K in ScheduleKind]: (c: ConfigByKind[K]) => ScheduleByKind[K] } = {
  CosineDecay: (c) => new CosineDecay(c),
  CosineDecayRestarts: (c) => new CosineDecayRestarts(c),
  ExponentialDecay: (c) => new ExponentialDecay(c),
  PiecewiseConstantDecay: (c) => new PiecewiseConstantDecay(c),
  PolynomialDecay: (c) => new PolynomialDecay(c),
  InverseTimeDecay: (c) => new InverseTimeDecay(c),
};

/** True for any of the six schedule classes. */
export function isSchedule(x: unknown): x is Schedule {
  return (
    x instanceof CosineDecay ||
    x instanceof CosineDecayRestarts ||
    x instanceof ExponentialDecay ||
    x instanceof PiecewiseConstantDecay ||
    x instanceof PolynomialDecay ||
    x instanceof InverseTimeDecay
  );
}
