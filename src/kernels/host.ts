/**
 * What every kind's packer (src/kernels/kinds/<kind>.ts) shares: the generated WGSL
 * constants, the schedule shapes the packers read, the result types, and the host maths
 * (f64, each constant rounded once when written as f32). pack.ts assembles the packers
 * into PACKERS and writes their fields at the reflected offsets.
 */
import type { RestartPeriod } from '../schedules/cosine-decay-restarts.ts';
import type { ConfigByKind, ScheduleKind } from '../schedules/registry.ts';
import type { Resolved } from '../schedules/types.ts';
import { LAYOUTS, WGSL_CONSTS } from './wgsl.generated.ts';

/** The module-scope u32 constants of the WGSL (flags, table rows, PIECEWISE_INLINE_MAX). */
export const C = WGSL_CONSTS;
export const U32_MAX = 0xffffffff;
/** Smallest normal float32, 2^-126: float32 subnormals may be flushed to zero by a WebGPU implementation. */
export const F32_MIN_NORMAL = 2 ** -126;
/** Largest magnitude of a learning rate (or amplitude) the kernels accept: keeps lr·2^(±1/2)·2 finite. */
export const LR_MAX = 2 ** 126;
/** Most restart-table rows packSchedules builds for one schedule's step window. */
export const RESTART_ROWS_MAX = 8192;

/** One period of CosineDecayRestarts, as the schedule class exposes it (docs/design.md, Layer 0). */
export type { RestartPeriod };

/** The exact period API of CosineDecayRestarts. */
export interface RestartPeriods {
  periodIndex(step: number): number;
  period(k: number): RestartPeriod;
}

export type Of<K extends ScheduleKind> = { readonly kind: K; readonly config: Resolved<ConfigByKind[K]> };

/** What the packer reads from a schedule of each kind (the schedule classes of src/schedules satisfy it); CosineDecayRestarts adds its exact period API. */
export type KernelSchedule = { [K in ScheduleKind]: Of<K> & (K extends 'CosineDecayRestarts' ? RestartPeriods : unknown) }[ScheduleKind];

/** Why the GPU formulation cannot promise the bound for a config (the evaluator then uses the CPU). */
export interface GpuUnsupported {
  readonly field: string;
  readonly value: unknown;
  readonly rule: string;
}

/** Inclusive window of steps a packed table must cover. */
export interface StepWindow {
  readonly minStep: number;
  readonly maxStep: number;
}

/** A ScheduleParams member name (reflected by wgsl_reflect). */
export type ParamName = keyof typeof LAYOUTS.ScheduleParams.members;
/** The ScheduleParams members a packer sets (the rest stay 0). */
export type Fields = Partial<Record<ParamName, number | readonly number[]>>;

// ------------------------------------------------------------------------------------------
// What a packer returns: the fields (and table words) or an unsupported reason.

export interface Packed {
  readonly fields: Fields;
  /** Table words (u32) for this schedule; table_off is filled in by the caller. */
  readonly table?: Uint32Array;
}

export type PackResult = Packed | GpuUnsupported;

export function isUnsupported(r: PackResult): r is GpuUnsupported {
  return 'rule' in r;
}

export const f32Bits = (() => {
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  return (x: number): number => {
    f[0] = x;
    return u[0] ?? 0;
  };
})();

/** A kind's packer with its GPU-support rules: the fields for one schedule over a step window, or why the GPU cannot promise the bound. */
export type PackerOf<K extends ScheduleKind> = (s: Extract<KernelSchedule, { readonly kind: K }>, window: StepWindow) => PackResult;

// ------------------------------------------------------------------------------------------
// Host maths (f64, each constant rounded once when written as f32).

/** log2(x) accurate to a few f64 ulps also for x near 1. */
export function log2Precise(x: number): number {
  return x > 0.5 && x < 2 ? Math.log1p(x - 1) / Math.LN2 : Math.log2(x);
}

/** K ≥ 0 as mant·2^-shift, mant in [2^31, 2^32) (relative error ≤ 2^-32); K ≥ 256 clamps, K < 2^-64 is 0. */
export function fixedPoint(K: number): { mant: number; shift: number; flags: number } {
  if (!(K > 0)) return { mant: 0, shift: 32, flags: 0 };
  if (K >= 256) return { mant: 2 ** 31, shift: 23, flags: C.FLAG_K_WIDE };
  if (K < 2 ** -64) return { mant: 0, shift: 32, flags: 0 };
  let e = Math.floor(Math.log2(K));
  while (K < 2 ** e) e--;
  while (K >= 2 ** (e + 1)) e++;
  let shift = 31 - e;
  let mant = Math.round(K * 2 ** shift);
  if (mant >= 2 ** 32) {
    mant = 2 ** 31;
    shift -= 1;
  }
  return { mant, shift, flags: shiftFlags(shift) };
}

/** The flag that tells fixed_exponent (shaders/common.wgsl) the range of k_shift: FLAG_K_WIDE below 32, FLAG_K_NARROW from 64. */
function shiftFlags(shift: number): number {
  return shift < 32 ? C.FLAG_K_WIDE : shift >= 64 ? C.FLAG_K_NARROW : 0;
}

export function splitD(D: number): { dInt: number; dFrac: number } {
  const dInt = Math.min(Math.floor(D), U32_MAX);
  return { dInt, dFrac: D - dInt };
}

export function isU32Int(x: number): boolean {
  return Number.isInteger(x) && x >= 1 && x <= U32_MAX;
}

export function lrOk(x: number): boolean {
  return Number.isFinite(x) && Math.abs(x) <= LR_MAX;
}

export function unsupported(field: string, value: unknown, rule: string): GpuUnsupported {
  return { field, value, rule };
}

/**
 * The exact split of a real anchor step a = hi + lo (a double-double, exact) for WGSL
 * `anchor_dist` (shaders/common.wgsl): b = max(floor(a) + 1, 0), the first u32 step past a;
 * l = a − (b − 1) ∈ [0, 1) (used left of a, b ≥ 1); r = b − a > 0 (right of a). null when a is
 * at or beyond the last u32 step (2^32 − 1) or below −2^100 (its distances would not be u32 +
 * a float32 constant).
 */
export function anchorSplit(hi: number, lo = 0): { b: number; l: number; r: number } | null {
  if (!(hi < U32_MAX) || !(hi > -(2 ** 100))) return null;
  let f = Math.floor(hi);
  if (f === hi && lo < 0) f -= 1;
  const frac = hi - f + lo; // hi − f exact (|hi| < 2^32 here, or hi − f ∈ {0, 1})
  if (f + 1 > U32_MAX) return null;
  const b = Math.max(f + 1, 0);
  return { b, l: frac, r: b - f - 1 + (1 - frac) };
}
