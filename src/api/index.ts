/** Layer 3: the evaluator (createEvaluator) and its errors. */
export * from './types.ts';
export * from './evaluator.ts';
export * from './errors.ts';
