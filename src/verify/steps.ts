/**
 * Small helpers over `Steps` (a StepRange or a StepList) used by verify, the CPU
 * backend and the evaluator: how many steps, the step at a column.
 */

/** A range of integer steps: start, start + stride, … (count values); the same shape as schedules' StepRange. */
export interface StepRange {
  readonly start: number;
  readonly count: number;
  readonly stride?: number;
}

/** An explicit list of steps (Uint32Array, Float64Array, number[], …). */
export type StepList = ArrayLike<number>;

/** A range or a list (structurally the same type as schedules' Steps; verify/ is layer 0 and imports nothing). */
export type Steps = StepRange | StepList;

/** True for `{ start, count, stride? }`, false for an array-like list of steps. */
export function isStepRange(steps: Steps): steps is StepRange {
  return !('length' in steps) && typeof (steps as StepRange).count === 'number';
}

/** The number of steps: `count` of a range, `length` of a list. */
export function stepCount(steps: Steps): number {
  return isStepRange(steps) ? steps.count : steps.length;
}

/** The step at column `col`: `start + col · stride` for a range, `steps[col]` for a list. */
export function stepAt(steps: Steps, col: number): number {
  if (isStepRange(steps)) return steps.start + col * (steps.stride ?? 1);
  return steps[col]!;
}
