/** Layer 0: float32 ULP helpers, the acceptance intervals of docs/accuracy.md, verify(). */
export * from './ulp.ts';
export * from './tolerance.ts';
export * from './verify.ts';
