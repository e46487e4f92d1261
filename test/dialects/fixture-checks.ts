/**
 * What the Hugging Face and Optax dialect tests share: the fixture case shape
 * (scripts/dialect-fixtures/*.py) and the comparisons of the reference with the real
 * framework's float64 values and with the 60-digit closed form.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { DialectError } from '../../src/dialects/common.ts';
import { thrown } from '../helpers/thrown.ts';

/** One case of test/fixtures/dialects/{huggingface,optax}.json. */
export interface DialectCase {
  id: string;
  name: string;
  input: Record<string, unknown>;
  steps: number[];
  /** The framework's float64 values at the steps. */
  framework: number[];
  /** The mpmath closed form, rounded once to float64. */
  exact: number[];
  /** |framework − exact| bound where the framework's own float64 arithmetic cancels (null elsewhere). */
  drift_bound: (number | null)[] | null;
  /** Steps where transformers' `% 1.0` misses a restart (Hugging Face cosine_with_restarts). */
  flip?: number[];
  training_args_json?: string;
}

/** The reference bound of the accuracy contract (docs/accuracy.md): 1e-12 relative (of the case's largest value where the value is 0). */
export const REFERENCE_REL = 1e-12;
/** The dialect contract's bound between the reference and the framework's float64 values. */
export const FRAMEWORK_REL = 1e-9;

const rel = (got: number, want: number): number => (got === want ? 0 : Math.abs(got - want) / Math.abs(want));

export interface CaseReport {
  maxRelExact: number;
  maxRelFramework: number;
  drifted: number;
  flipped: number;
}

/**
 * Checks the reference values `ref` (at the case's steps) against the closed form (≤ 1e-12
 * relative, exactly 0 where it is 0) and against the framework (≤ 1e-9 relative, or, where the
 * case documents a drift, the framework within its derived drift bound of the closed form, or a
 * documented restart flip).
 */
export function checkCase(c: DialectCase, ref: ArrayLike<number>): CaseReport {
  const out: CaseReport = { maxRelExact: 0, maxRelFramework: 0, drifted: 0, flipped: 0 };
  const bad: string[] = [];
  const scale = Math.max(...c.exact.map(Math.abs));
  c.steps.forEach((t, i) => {
    const r = ref[i] as number;
    const e = c.exact[i] as number;
    const f = c.framework[i] as number;
    // a zero of the closed form: 1e-12 of the schedule's scale (a cosine zero inside a period
    // that is not a double, such as D/3, comes out as ~lr·(u·x)², docs/dialects.md); else relative
    const re = e === 0 ? (r === 0 ? 0 : Math.abs(r) / scale) : rel(r, e);
    out.maxRelExact = Math.max(out.maxRelExact, re);
    if (!(re <= REFERENCE_REL)) bad.push(`step ${t}: reference ${r} vs closed form ${e} (rel ${re.toExponential(2)})`);
    const rf = f === 0 ? (r === 0 ? 0 : Math.abs(r)) : rel(r, f);
    out.maxRelFramework = Math.max(out.maxRelFramework, rf);
    if (rf <= FRAMEWORK_REL) return;
    const d = c.drift_bound?.[i] ?? null;
    if (c.flip?.includes(t)) {
      out.flipped++;
      return;
    }
    if (d !== null && Math.abs(f - e) <= d) {
      out.drifted++;
      return;
    }
    bad.push(`step ${t}: reference ${r} vs framework ${f} (rel ${rf.toExponential(2)}; drift bound ${d})`);
  });
  expect(bad, c.id).toEqual([]);
  return out;
}

/** test/fixtures/dialects/<name>.json: the generator's versions and the cases. */
export function dialectFixture(name: 'huggingface' | 'optax'): { versions: Record<string, unknown>; cases: DialectCase[] } {
  return JSON.parse(readFileSync(new URL(`../fixtures/dialects/${name}.json`, import.meta.url), 'utf8')) as { versions: Record<string, unknown>; cases: DialectCase[] };
}

/** A schedule's f64 values at the steps, as a plain array. */
export const valuesAt = (s: { fill(steps: number[]): Float64Array }, steps: number[]): number[] => Array.from(s.fill(steps));

/** A bad input: what it is, the input, the field its DialectError names, and its message's rule. */
export type BadDialectInput = [what: string, input: unknown, field: string, rule: RegExp];

/** One test per bad input: `read` throws a DialectError naming the field, with the rule in its message. */
export function itRefuses(read: (input: unknown) => unknown, cases: readonly BadDialectInput[]): void {
  for (const [what, input, field, rule] of cases) {
    it(`${what} is a DialectError naming ${field}`, () => {
      const err = thrown(() => read(input));
      expect(err).toBeInstanceOf(DialectError);
      expect((err as DialectError).field).toBe(field);
      expect((err as DialectError).message).toMatch(rule);
    });
  }
}
