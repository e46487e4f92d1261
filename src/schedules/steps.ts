/**
 * Steps: validation and iteration (docs/semantics.md#steps). The one steps module:
 * the step types, their validation (the schedules' at/fill, the evaluator's input
 * snapshot) and the unchecked helpers over steps already validated (verify, the CPU
 * backend, the evaluator's stream chunks, the CLI's output) all live here.
 *
 * A step is an integer 0 … 2^53 (= Number.MAX_SAFE_INTEGER + 1, the largest
 * integer up to which every integer is an f64). Anything else (negative,
 * fractional, NaN, ±∞, above 2^53, not a number) is a {@link StepError} naming the
 * step; nothing is clamped.
 */
import { StepError } from './errors.ts';
import type { StepList, StepRange, Steps } from './types.ts';

export type { StepList, StepRange, Steps } from './types.ts';

/** The largest step the f64 reference accepts: 2^53 = 9007199254740992. */
export const MAX_STEP = 2 ** 53;

/** A validated range: stride filled in. */
export interface ResolvedStepRange {
  readonly start: number;
  readonly count: number;
  readonly stride: number;
}

/**
 * Checks one step and returns it. `field` names it in the error (`step`, `steps[3]`).
 * @example checkStep(10) // 10
 * @example checkStep(-1) // throws StepError "step = -1: must be ≥ 0"
 */
export function checkStep(step: unknown, field = 'step'): number {
  if (typeof step !== 'number') throw new StepError(field, step, 'must be a number (an integer 0 … 2^53)');
  if (Number.isNaN(step)) throw new StepError(field, step, 'must be an integer 0 … 2^53, not NaN');
  if (step < 0) throw new StepError(field, step, 'must be ≥ 0');
  if (step > MAX_STEP) throw new StepError(field, step, 'must be ≤ 2^53 (9007199254740992)');
  if (!Number.isInteger(step)) throw new StepError(field, step, 'must be an integer');
  return step;
}

/**
 * True when `steps` is a {@link StepRange} (`{ start, count, stride? }`) rather than a
 * list (anything array-like, with a `length`). The one shape test: every caller, checked
 * or not, tells a range from a list by it (any value is accepted, so input validation can
 * ask it of untyped input first).
 * @example isStepRange({ start: 0, count: 10 }) // true
 * @example isStepRange([0, 1, 2]) // false
 */
export function isStepRange(steps: unknown): steps is StepRange {
  return (
    typeof steps === 'object' &&
    steps !== null &&
    !('length' in steps) &&
    'start' in steps &&
    'count' in steps
  );
}

function checkRangeInt(field: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > MAX_STEP) {
    throw new StepError(field, v, `must be an integer ≥ ${min} and ≤ 2^53`);
  }
  return v;
}

/**
 * Validates a range: `start` ≥ 0, `count` ≥ 0 and `stride` ≥ 1 integers, and the
 * last step `start + (count − 1)·stride` ≤ 2^53 (checked exactly).
 * @example checkRange({ start: 0, count: 3 }) // { start: 0, count: 3, stride: 1 }: steps 0, 1, 2
 */
export function checkRange(range: StepRange): ResolvedStepRange {
  const start = checkRangeInt('range.start', range.start, 0);
  const count = checkRangeInt('range.count', range.count, 0);
  const stride = checkRangeInt('range.stride', range.stride ?? 1, 1);
  // exactly when the double estimate is far from the limit (no BigInt for every slice of a fill)
  if (count > 0 && !(start + (count - 1) * stride < 2 ** 52)) {
    const last = BigInt(start) + BigInt(count - 1) * BigInt(stride);
    if (last > BigInt(MAX_STEP)) {
      throw new StepError('range.count', count, `makes the last step start + (count − 1)·stride = ${last} exceed 2^53`);
    }
  }
  return { start, count, stride };
}

/** True for typed arrays whose elements are always valid steps (unsigned integers < 2^53). */
function isUnsignedIntArray(list: StepList): boolean {
  return list instanceof Uint32Array || list instanceof Uint16Array || list instanceof Uint8Array;
}

/**
 * Validates every step of a list (naming `steps[i]` in the error) and returns its length.
 * Unsigned integer typed arrays are valid by construction and are not scanned.
 */
export function checkStepList(list: StepList): number {
  const n = list.length;
  if (!Number.isInteger(n) || n < 0) throw new StepError('steps.length', n, 'must be a non-negative integer');
  if (isUnsignedIntArray(list)) return n;
  for (let i = 0; i < n; i++) {
    const s = list[i];
    // fast path: the common valid case costs three comparisons
    if (typeof s === 'number' && s >= 0 && s <= MAX_STEP && Number.isInteger(s)) continue;
    checkStep(s, `steps[${i}]`);
  }
  return n;
}

/**
 * Validates `steps` (range or list) and returns the number of steps.
 * @example stepCount({ start: 5, count: 4, stride: 10 }) // 4 (steps 5, 15, 25, 35)
 * @example stepCount([0, 1.5]) // throws StepError "steps[1] = 1.5: must be an integer"
 */
export function stepCount(steps: Steps): number {
  return isStepRange(steps) ? checkRange(steps).count : checkStepList(steps);
}

/**
 * Validates `steps` and calls `fn(step, i)` for each, in order, without allocating
 * per element.
 * @example forEachStep({ start: 0, count: 3, stride: 2 }, (s, i) => console.log(i, s)) // 0 0, 1 2, 2 4
 */
export function forEachStep(steps: Steps, fn: (step: number, index: number) => void): void {
  if (isStepRange(steps)) {
    const { start, count, stride } = checkRange(steps);
    for (let i = 0; i < count; i++) fn(start + i * stride, i);
  } else {
    const n = checkStepList(steps);
    for (let i = 0; i < n; i++) fn(steps[i] as number, i);
  }
}

/**
 * Materialises validated steps as a Float64Array (for output formats that print the steps).
 * @example stepsToArray({ start: 0, count: 3, stride: 10 }) // Float64Array [0, 10, 20]
 */
export function stepsToArray(steps: Steps): Float64Array {
  const out = new Float64Array(stepCount(steps));
  forEachStep(steps, (s, i) => {
    out[i] = s;
  });
  return out;
}

/**
 * The number of steps already validated (no check): `count` of a range, `length` of a list.
 * @example stepsLength({ start: 5, count: 4, stride: 10 }) // 4
 */
export function stepsLength(steps: Steps): number {
  return isStepRange(steps) ? steps.count : steps.length;
}

/**
 * The step at column `col` of steps already validated (no check): `start + col · stride`
 * for a range, `steps[col]` for a list.
 * @example stepAt({ start: 5, count: 4, stride: 10 }, 2) // 25
 */
export function stepAt(steps: Steps, col: number): number {
  if (isStepRange(steps)) return steps.start + col * (steps.stride ?? 1);
  return steps[col]!;
}

/**
 * {@link stepAt} as a function of the column, with the range-or-list test done once
 * (for loops over many columns; nothing is materialised).
 * @example stepReader({ start: 0, count: 3, stride: 2 })(2) // 4
 */
export function stepReader(steps: Steps): (col: number) => number {
  if (isStepRange(steps)) {
    const start = steps.start;
    const stride = steps.stride ?? 1;
    return (col) => start + col * stride;
  }
  return (col) => steps[col] as number;
}

/**
 * Columns [c0, c0 + n) of steps already validated: a range, or a view (subarray) or copy
 * of the list (the list itself when it is the whole of it).
 * @example sliceSteps({ start: 4, count: 100, stride: 3 }, 10, 5) // { start: 34, count: 5, stride: 3 }
 */
export function sliceSteps(steps: Steps, c0: number, n: number): Steps {
  if (isStepRange(steps)) {
    const stride = steps.stride ?? 1;
    return { start: steps.start + c0 * stride, count: n, stride };
  }
  if (c0 === 0 && n === steps.length) return steps;
  const sub = (steps as { subarray?: (a: number, b: number) => StepList }).subarray;
  if (typeof sub === 'function') return sub.call(steps, c0, c0 + n);
  return Array.prototype.slice.call(steps, c0, c0 + n) as number[];
}
