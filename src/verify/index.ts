/** Layer 0: float32 ULP helpers, accuracy.md §4 acceptance intervals, verify(). */
export * from './ulp.ts';
export * from './tolerance.ts';
export * from './steps.ts';
export * from './verify.ts';
