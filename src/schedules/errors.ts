/**
 * Errors of the schedule layer. Every error names the offending field, the value
 * and the rule it broke (docs/semantics.md#validation), both as properties and in
 * the message, e.g. `CosineDecay.decaySteps = -5: must be > 0`.
 */

/**
 * Formats a value for an error message, the one formatter of every error and reason
 * text: strings quoted (JSON), numbers as JS prints them (NaN, -0, Infinity), other data as
 * JSON cut at `maxChars` characters, and a list of more than 8 items as its head and
 * its length (a pasted list can hold 10^5 items).
 *
 * @example formatValue(-0) // '-0'
 * @example formatValue(Array(20).fill(1)) // '[1,1,1,1,1,1,1,1, ... (20 items)]'
 */
export function formatValue(value: unknown, maxChars = 120): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  try {
    if (Array.isArray(value) && value.length > 8) {
      const head = JSON.stringify(value.slice(0, 8)).slice(1, -1);
      return `[${head.length > 48 ? `${head.slice(0, 45)}...` : head}, ... (${value.length} items)]`;
    }
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > maxChars ? `${text.slice(0, maxChars - 3)}...` : text;
  } catch {
    return String(value);
  }
}

/**
 * The one error base of the library: a value given for a field broke a rule. `field`
 * names it (`CosineDecay.decaySteps`, `steps[3]`, `chunkSteps`…), `value` is what was
 * found there, `rule` says what it must be, and so how to fix it; the message is
 * `field = value: rule` with the value written by formatValue. Every field-naming
 * error (ScheduleConfigError, StepError, EvaluatorInputError, GpuUnsupportedError,
 * ChunkPlanError, GpuLimitError…) extends it, so `err instanceof FieldError` catches
 * them all. A RangeError, as a value outside what a field accepts is one.
 *
 * @example new FieldError('chunkSteps', 0, 'must be an integer ≥ 1').message
 *   // 'chunkSteps = 0: must be an integer ≥ 1'
 */
export class FieldError extends RangeError {
  override name = 'FieldError';
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly rule: string,
    /** A message other than `field = value: rule` (a prefix, a unit after the value). */
    message?: string,
  ) {
    super(message ?? `${field} = ${formatValue(value)}: ${rule}`);
  }
}

/**
 * A schedule config broke a rule: thrown by the constructors and by keras.ts.
 * `field` is `Class.camelCaseField` (e.g. `CosineDecay.decaySteps`) for constructor
 * checks, or the JSON path/key for Keras JSON problems.
 *
 * @example new ScheduleConfigError('CosineDecay.decaySteps', -5, 'must be > 0').message
 *   // 'CosineDecay.decaySteps = -5: must be > 0'
 */
export class ScheduleConfigError extends FieldError {
  override name = 'ScheduleConfigError';
}

/**
 * A problem in Keras JSON (keras.ts): malformed JSON, an unknown class, an unknown
 * or missing key, a wrong type. `field` is the JSON path of the key
 * (e.g. `config.decay_steps`), `value` what was found there.
 */
export class KerasJsonError extends ScheduleConfigError {
  override name = 'KerasJsonError';
}

/**
 * A step (or a step range, or the output array of `fill`) broke a rule:
 * steps are integers 0 … 2^53 (docs/semantics.md#steps). `field` is `step`,
 * `steps[3]`, `range.count`, `out.length`…
 *
 * @example new StepError('steps[3]', 1.5, 'must be an integer').message
 *   // 'steps[3] = 1.5: must be an integer'
 */
export class StepError extends FieldError {
  override name = 'StepError';
}
