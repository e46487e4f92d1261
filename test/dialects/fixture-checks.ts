/**
 * What the Hugging Face and Optax dialect tests share: the fixture case shape
 * (scripts/dialect-fixtures/*.py) and the comparisons of the reference with the real
 * framework's float64 values and with the 60-digit closed form.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { RunReport } from '../../src/api/types.ts';
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
  /** Hugging Face: the warmup in steps (warmup_ratio resolved as transformers resolves it). */
  warmup?: number;
  training_args_json?: string;
}

/** The reference bound of the accuracy contract (docs/accuracy.md): 1e-12 relative; exactly 0 where the closed form is 0 (but see cosineZeroBound). */
export const REFERENCE_REL = 1e-12;
/** The dialect contract's bound between the reference and the framework's float64 values. */
export const FRAMEWORK_REL = 1e-9;

const rel = (got: number, want: number): number => (got === want ? 0 : Math.abs(got - want) / Math.abs(want));

/** The odd part of a positive double's significand: x = a·2^k with a an odd integer. */
function oddPart(x: number): number {
  let a = x;
  while (!Number.isInteger(a)) a *= 2;
  while (a % 2 === 0) a /= 2;
  return a;
}

/**
 * The one place the reference may miss a zero of the closed form (docs/dialects.md, Hugging
 * Face): a periodic cosine phase (`cosine`, `cosine_with_min_lr`, WSD's cosine decay) of period
 * P = D/(2·num_cycles) that is not a double. The reference is the exact schedule of the period
 * P̃ = P(1 + δ), |δ| ≤ u = 2^-53 (its reduction modulo P̃ is exact), so at an odd x = (t − start)/P
 * its x is off by x·|δ|/(1 + δ) ≤ x·u and its value is |amplitude|·sin²(π/2·x·u) at most:
 * |amplitude|·(π·x·u/2)², with the reference's own 1e-12 on top. Returns that bound at step t,
 * or undefined where the reference must give the closed form's zero exactly.
 */
export function cosineZeroBound(c: DialectCase, t: number): number | undefined {
  const inp = c.input;
  const kw = (inp['lr_scheduler_kwargs'] ?? {}) as Record<string, unknown>;
  const lr = inp['learning_rate'] as number;
  const W = c.warmup ?? 0;
  const nc = (kw['num_cycles'] as number | undefined) ?? 0.5;
  let phase: { start: number; end: number; D: number; amplitude: number } | undefined;
  if (c.name === 'cosine') phase = { start: W, end: Infinity, D: (inp['max_steps'] as number) - W, amplitude: lr };
  if (c.name === 'cosine_with_min_lr') {
    const min = (kw['min_lr'] as number | undefined) ?? lr * (kw['min_lr_rate'] as number);
    phase = { start: W, end: Infinity, D: (inp['max_steps'] as number) - W, amplitude: lr - min };
  }
  if (c.name === 'warmup_stable_decay' && (kw['decay_type'] ?? 'cosine') === 'cosine') {
    const D = kw['num_decay_steps'] as number;
    const start = W + ((kw['num_stable_steps'] as number | undefined) ?? (inp['max_steps'] as number) - W - D);
    phase = { start, end: start + D, D, amplitude: lr * (1 - ((kw['min_lr_ratio'] as number | undefined) ?? 0)) };
  }
  if (phase === undefined || t < phase.start || t > phase.end || phase.D % oddPart(2 * nc) === 0) return undefined;
  const x = ((t - phase.start) * 2 * nc) / phase.D;
  return Math.abs(phase.amplitude) * ((Math.PI * x * 2 ** -53) / 2) ** 2 * (1 + REFERENCE_REL);
}

export interface CaseReport {
  maxRelExact: number;
  maxRelFramework: number;
  drifted: number;
  flipped: number;
  /** Steps where the reference gave a nonzero within cosineZeroBound of a zero of the closed form. */
  cosineZeros: number;
}

/**
 * Checks the reference values `ref` (at the case's steps) against the closed form (≤ 1e-12
 * relative, exactly 0 where it is 0 except within cosineZeroBound where that applies) and against
 * the framework (≤ 1e-9 relative, exactly 0 where it is 0 unless it is the closed form's zero
 * itself; or, where the case documents a drift, the framework within its derived drift bound of
 * the closed form, or a documented restart flip).
 */
export function checkCase(c: DialectCase, ref: ArrayLike<number>): CaseReport {
  const out: CaseReport = { maxRelExact: 0, maxRelFramework: 0, drifted: 0, flipped: 0, cosineZeros: 0 };
  const bad: string[] = [];
  c.steps.forEach((t, i) => {
    const r = ref[i] as number;
    const e = c.exact[i] as number;
    const f = c.framework[i] as number;
    if (e === 0 && r !== 0) {
      const b = cosineZeroBound(c, t);
      if (b !== undefined && Math.abs(r) <= b) out.cosineZeros++;
      else bad.push(`step ${t}: reference ${r} vs closed form 0 (must be 0${b === undefined ? '' : ` or within ${b.toExponential(2)}`})`);
      // the framework's zero is the closed form's here: that check was the one above
      if (f === 0) return;
    } else {
      const re = rel(r, e);
      out.maxRelExact = Math.max(out.maxRelExact, re);
      if (!(re <= REFERENCE_REL)) bad.push(`step ${t}: reference ${r} vs closed form ${e} (rel ${re.toExponential(2)})`);
    }
    const rf = f === 0 ? (r === 0 ? 0 : Infinity) : rel(r, f);
    if (rf <= FRAMEWORK_REL) {
      out.maxRelFramework = Math.max(out.maxRelFramework, rf);
      return;
    }
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

/** A fixture config the GPU formulation declines, whole (`cpu`) or a Sequence's piece (`webgpu`, that piece on the CPU), and the rule its fallbackReason names. */
export type GpuDecline = { readonly backend: 'webgpu' | 'cpu'; readonly rule: RegExp };

/**
 * That the GPU ran a fixture config evaluated with backend 'auto' on a device: every config not
 * in `declined` on WebGPU alone (no fallbackReason), a declined one as listed, naming its rule;
 * and wherever the backend is WebGPU, at least one dispatch.
 */
export function expectGpuRan(r: RunReport, id: string, declined: Readonly<Record<string, GpuDecline>>): void {
  const d = declined[id];
  if (d === undefined) expect([r.backend, r.fallbackReason], id).toEqual(['webgpu', undefined]);
  else {
    expect(r.backend, id).toBe(d.backend);
    expect(r.fallbackReason, id).toMatch(d.rule);
  }
  if (r.backend === 'webgpu') expect(r.gpuStats?.dispatches, id).toBeGreaterThan(0);
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
