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

export * from './types.ts';
// the registry and its derived tables, with the classes of the primitives beyond Keras (registry.ts re-exports them)
export * from './registry.ts';
export { FieldError, ScheduleConfigError, KerasJsonError, StepError, formatValue } from './errors.ts';
export { MAX_STEP, checkStep, checkRange, checkStepList, isStepRange, stepCount, forEachStep, stepsToArray } from './steps.ts';
export type { ResolvedStepRange } from './steps.ts';
export type { FillOutput } from './schedule.ts';
export { Sequence, isSequence, cosineDecaySequence } from './sequence.ts';
export type { AnySchedule, SequenceConfig, SequencePiece, SequencePieceInput, ResolvedSequenceConfig, ScheduleSource } from './sequence.ts';
export type { RestartPeriod } from './cosine-decay-restarts.ts';
export { serialize, deserialize, deserializeMany, getConfig, fromConfig, KERAS_SCHEDULES_MODULE } from './keras.ts';
export type { Json, Keras3Serialized, LegacySerialized, SerializeOptions } from './keras.ts';
export { MAX_JSON_DEPTH, checkJsonDepth } from './keras.ts';
export { toKerasJson, deserializeOptimizer, kerasOptimizerFields, pythonFloatRepr, KERAS_OPTIMIZER_CLASSES, KERAS_OPTIMIZERS_MODULE } from './keras-json.ts';
export type { KerasOptimizerSpec, KerasOptimizerClass, KerasJsonOptions, KerasFieldType } from './keras-json.ts';
export { CosineDecay, CosineDecayRestarts, ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, PolynomialDecay };
