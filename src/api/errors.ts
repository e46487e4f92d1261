/** Errors of the evaluator (layer 3). */
import { FieldError } from '../schedules/errors.ts';

/** A call's input is invalid or cannot be served; names the field, the value and the rule. */
export class EvaluatorInputError extends FieldError {
  override readonly name = 'EvaluatorInputError';
}

/** The evaluator was destroyed before or during the call. */
export class EvaluatorDestroyedError extends Error {
  override readonly name = 'EvaluatorDestroyedError';
  constructor(what = 'call') {
    super(`the evaluator was destroyed (evaluator.destroy()); this ${what} cannot run. Create a new evaluator.`);
  }
}
