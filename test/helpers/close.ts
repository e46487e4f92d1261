import { expect } from 'vitest';
import type { Schedule } from '../../src/schedules/index.ts';

/** The f64 reference bound (docs/accuracy.md#the-contract): relative 1e-12; an exact 0 must be exactly 0. */
export const REL = 1e-12;

/** `got` is within the reference bound of `want`. */
export function close(got: number, want: number): void {
  if (want === 0) expect(got).toBe(0);
  else if (Math.abs(got - want) > REL * Math.abs(want)) {
    throw new Error(`got ${got}, want ${want} (rel err ${Math.abs(got - want) / Math.abs(want)})`);
  }
}

/** `s.at(steps[i])` is within the reference bound of `want[i]`, for every i. */
export function vec(s: Schedule, steps: number[], want: number[]): void {
  steps.forEach((st, i) => close(s.at(st), want[i] as number));
}
