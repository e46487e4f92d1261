/**
 * The TS side of the WGSL byte contract: ScheduleParams rows, restart / piecewise
 * tables and the Job uniform, packed with byte offsets taken ONLY from the layouts
 * that wgsl_reflect computed at generation time (wgsl.generated.ts). Every
 * parameter-only constant is computed here in f64 and rounded once to f32.
 */
import type { RestartPeriod } from '../schedules/cosine-decay-restarts.ts';
import type { ConfigByKind, ScheduleKind } from '../schedules/registry.ts';
import type { Resolved } from '../schedules/types.ts';
import { KIND_CODES as GENERATED_KIND_CODES, LAYOUTS, WGSL_CONSTS } from './wgsl.generated.ts';

const C = WGSL_CONSTS;
const U32_MAX = 0xffffffff;
/** Smallest normal float32, 2^-126: float32 subnormals may be flushed to zero by a WebGPU implementation. */
const F32_MIN_NORMAL = 2 ** -126;
/** Largest magnitude of a learning rate (or amplitude) the kernels accept: keeps lr·2^(±1/2)·2 finite. */
const LR_MAX = 2 ** 126;
/** Most restart-table rows packSchedules builds for one schedule's step window. */
export const RESTART_ROWS_MAX = 8192;

/** One period of CosineDecayRestarts, as the schedule class exposes it (docs/design.md, Layer 0). */
export type { RestartPeriod };

/** The exact period API of CosineDecayRestarts. */
export interface RestartPeriods {
  periodIndex(step: number): number;
  period(k: number): RestartPeriod;
}

type Of<K extends ScheduleKind> = { readonly kind: K; readonly config: Resolved<ConfigByKind[K]> };

/** What the packer reads from a schedule of each kind (the schedule classes of src/schedules satisfy it); CosineDecayRestarts adds its exact period API. */
export type KernelSchedule = { [K in ScheduleKind]: Of<K> & (K extends 'CosineDecayRestarts' ? RestartPeriods : unknown) }[ScheduleKind];

/** Why the GPU formulation cannot promise the bound for a config (the evaluator then uses the CPU). */
export interface GpuUnsupported {
  readonly field: string;
  readonly value: unknown;
  readonly rule: string;
}

/** Thrown by packSchedules / packScheduleParams for a config (or window) the GPU does not support. */
export class GpuUnsupportedError extends Error {
  override readonly name = 'GpuUnsupportedError';
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly rule: string,
    readonly scheduleIndex?: number,
  ) {
    super(
      `${scheduleIndex === undefined ? '' : `schedule #${scheduleIndex}: `}${field} = ${String(value)}: ${rule}`,
    );
  }
}

/** Inclusive window of steps a packed table must cover. */
export interface StepWindow {
  readonly minStep: number;
  readonly maxStep: number;
}

const FULL_WINDOW: StepWindow = { minStep: 0, maxStep: U32_MAX };

/** Kind code (WGSL `KIND_*` constant, generated from SCHEDULE_KINDS) of a schedule kind. */
export const KIND_CODES: Readonly<Record<ScheduleKind, number>> = GENERATED_KIND_CODES;

// ------------------------------------------------------------------------------------------
// Field writing by reflected layout.

type ParamName = keyof typeof LAYOUTS.ScheduleParams.members;
type JobName = keyof typeof LAYOUTS.Job.members;
type Fields = Partial<Record<ParamName, number | readonly number[]>>;

function writeMember(view: DataView, at: number, m: { offset: number; size: number; type: string }, v: number | readonly number[], name: string): void {
  const vals = typeof v === 'number' ? [v] : v;
  const isVec = m.type.startsWith('vec');
  const lanes = isVec ? m.size / 4 : 1;
  if (vals.length !== lanes) throw new Error(`pack: ${name} needs ${lanes} value(s), got ${vals.length}`);
  const float = m.type.includes('f32') || m.type.endsWith('f');
  vals.forEach((x, i) => {
    const o = at + m.offset + 4 * i;
    if (float) view.setFloat32(o, x, true);
    else {
      if (!Number.isInteger(x) || x < 0 || x > U32_MAX) throw new Error(`pack: ${name} = ${x} is not a u32`);
      view.setUint32(o, x, true);
    }
  });
}

function writeParams(view: DataView, at: number, fields: Fields): void {
  const members = LAYOUTS.ScheduleParams.members;
  for (const name of Object.keys(fields) as ParamName[]) {
    const v = fields[name];
    if (v === undefined) continue;
    writeMember(view, at, members[name], v, name);
  }
}

// ------------------------------------------------------------------------------------------
// Host maths (f64, each constant rounded once when written as f32).

/** log2(x) accurate to a few f64 ulps also for x near 1. */
function log2Precise(x: number): number {
  return x > 0.5 && x < 2 ? Math.log1p(x - 1) / Math.LN2 : Math.log2(x);
}

/** K ≥ 0 as mant·2^-shift, mant in [2^31, 2^32) (relative error ≤ 2^-32); K ≥ 256 clamps, K < 2^-64 is 0. */
export function fixedPoint(K: number): { mant: number; shift: number } {
  if (!(K > 0)) return { mant: 0, shift: 32 };
  if (K >= 256) return { mant: 2 ** 31, shift: 23 };
  if (K < 2 ** -64) return { mant: 0, shift: 32 };
  let e = Math.floor(Math.log2(K));
  while (K < 2 ** e) e--;
  while (K >= 2 ** (e + 1)) e++;
  let shift = 31 - e;
  let mant = Math.round(K * 2 ** shift);
  if (mant >= 2 ** 32) {
    mant = 2 ** 31;
    shift -= 1;
  }
  return { mant, shift };
}

function splitD(D: number): { dInt: number; dFrac: number } {
  const dInt = Math.min(Math.floor(D), U32_MAX);
  return { dInt, dFrac: D - dInt };
}

function isU32Int(x: number): boolean {
  return Number.isInteger(x) && x >= 1 && x <= U32_MAX;
}

function lrOk(x: number): boolean {
  return Number.isFinite(x) && Math.abs(x) <= LR_MAX;
}

function unsupported(field: string, value: unknown, rule: string): GpuUnsupported {
  return { field, value, rule };
}

function checkWindow(w: StepWindow): void {
  if (!Number.isInteger(w.minStep) || !Number.isInteger(w.maxStep) || w.minStep < 0 || w.maxStep > U32_MAX || w.minStep > w.maxStep) {
    throw new RangeError(`packSchedules: window [${w.minStep}, ${w.maxStep}] must be integers with 0 ≤ minStep ≤ maxStep ≤ 2^32 − 1`);
  }
}

// ------------------------------------------------------------------------------------------
// Per-kind packing. Each returns the fields (and table words) or an unsupported reason.

interface Packed {
  readonly fields: Fields;
  /** Table words (u32) for this schedule; table_off is filled in by the caller. */
  readonly table?: Uint32Array;
}

type PackResult = Packed | GpuUnsupported;

function isUnsupported(r: PackResult): r is GpuUnsupported {
  return 'rule' in r;
}

const f32Bits = (() => {
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  return (x: number): number => {
    f[0] = x;
    return u[0] ?? 0;
  };
})();

function packCosine(c: Resolved<ConfigByKind['CosineDecay']>): PackResult {
  const { initialLearningRate: lr0, decaySteps: D, alpha, warmupTarget, warmupSteps } = c;
  if (!(alpha >= 0 && alpha <= 2)) return unsupported('alpha', alpha, 'GPU CosineDecay needs 0 ≤ alpha ≤ 2 (otherwise lr_from·((1−α)·g + α) cancels near a zero crossing and no relative bound holds)');
  if (!lrOk(lr0)) return unsupported('initialLearningRate', lr0, `GPU needs |lr| ≤ 2^126`);
  const warm = warmupTarget !== null && warmupSteps > 0;
  const lrFrom = warmupTarget ?? lr0;
  if (!lrOk(lrFrom)) return unsupported('warmupTarget', warmupTarget, `GPU needs |lr| ≤ 2^126`);
  const { dInt, dFrac } = splitD(D);
  let flags = dFrac > 0 ? C.FLAG_D_FRAC : 0;
  const fields: Fields = {
    kind: C.KIND_COSINE_DECAY,
    d_int: dInt,
    d_frac: dFrac,
    inv_d: 1 / D,
    amp: lrFrom * (1 - alpha),
    base: lrFrom * alpha,
    peak: lrFrom,
  };
  if (warm) {
    if (!Number.isInteger(warmupSteps) || warmupSteps > U32_MAX) {
      return unsupported('warmupSteps', warmupSteps, 'GPU CosineDecay warmup needs an integer warmup_steps ≤ 2^32 − 1 (a fractional W makes s − W inexact)');
    }
    if (lr0 * lrFrom < 0) {
      return unsupported('warmupTarget', warmupTarget, 'GPU warmup needs initial_learning_rate and warmup_target of one sign (the two warmup terms would cancel)');
    }
    flags |= C.FLAG_WARMUP;
    Object.assign(fields, { w_int: warmupSteps, warm_init: lr0, warm_target: lrFrom, inv_w: 1 / warmupSteps });
  }
  fields.flags = flags;
  return { fields };
}

function packRestarts(s: Of<'CosineDecayRestarts'> & RestartPeriods, window: StepWindow): PackResult {
  const { initialLearningRate: lr0, firstDecaySteps: D, tMul, mMul, alpha } = s.config;
  if (!lrOk(lr0)) return unsupported('initialLearningRate', lr0, 'GPU needs |lr| ≤ 2^126');
  if (!(alpha >= 0 && (alpha <= 1 || (alpha <= 2 && mMul <= 1)))) {
    return unsupported('alpha', alpha, 'GPU CosineDecayRestarts needs 0 ≤ alpha ≤ 1 (or ≤ 2 with m_mul ≤ 1): otherwise the peak and floor terms cancel');
  }
  const base: Fields = { kind: C.KIND_COSINE_DECAY_RESTARTS, base: lr0 * alpha, peak: lr0, inv_d: 1 / D };
  if (tMul === 1 && isU32Int(D)) {
    // Exact integer path: k = s / D, rem = s % D; m_mul^k by the fixed-point exponent.
    const growth = mMul > 1;
    let flags = mMul === 1 ? C.FLAG_M_ONE : 0;
    if (growth) {
      const kMax = Math.floor(window.maxStep / D);
      if (Math.log2(Math.abs(lr0 * (1 - alpha)) || 1) + kMax * log2Precise(mMul) > 126) {
        return unsupported('mMul', mMul, `GPU: lr0·(1−α)·m_mul^k overflows float32 within steps ≤ ${window.maxStep} (the CPU computes it)`);
      }
      flags |= C.FLAG_GROWTH;
    }
    const K = mMul === 0 ? Infinity : Math.abs(log2Precise(mMul));
    const { mant, shift } = fixedPoint(K);
    return { fields: { ...base, flags, d_int: D, amp: lr0 * (1 - alpha), k_mant: mant, k_shift: shift } };
  }
  // Exact period table for the window (t_mul ≠ 1, or t_mul = 1 with a fractional or huge D).
  if (typeof s.periodIndex !== 'function' || typeof s.period !== 'function') {
    return unsupported('tMul', tMul, 'the schedule object lacks the exact period API (periodIndex/period) the GPU restart table is built from');
  }
  const k0 = s.periodIndex(window.minStep);
  const k1 = s.periodIndex(window.maxStep);
  const rows = k1 - k0 + 1;
  if (k1 > 2 ** 53 || rows > RESTART_ROWS_MAX) {
    return unsupported('tMul', tMul, `GPU restart table for steps [${window.minStep}, ${window.maxStep}] needs ${rows} periods, more than ${RESTART_ROWS_MAX} (t_mul too close to 1 for this window, or first_decay_steps too small): narrow the window or use the CPU`);
  }
  const table = new Uint32Array(rows * C.ROW_WORDS);
  for (let k = k0; k <= k1; k++) {
    const p = s.period(k);
    if (!(p.length >= 2 ** -100)) {
      // 1/L_k would leave the float32 range (only a first_decay_steps below ~2^-100 gets here)
      return unsupported('firstDecaySteps', D, `GPU restart table: period ${k} is shorter than 2^-100 steps (1/length overflows float32; the CPU computes it)`);
    }
    const last = Math.min(p.nextFirstStep - 1, U32_MAX);
    const extra = p.endOffset + (p.nextFirstStep - 1 - last);
    const amp = lr0 * (1 - alpha) * p.peak;
    const peak = lr0 * ((1 - alpha) * p.peak + alpha);
    if (!lrOk(amp) || !lrOk(peak)) return unsupported('mMul', mMul, `GPU: the restart peak of period ${k} overflows float32 (the CPU computes it)`);
    const o = (k - k0) * C.ROW_WORDS;
    table[o + C.ROW_START] = p.firstStep;
    table[o + C.ROW_LAST] = last;
    table[o + C.ROW_EXTRA] = f32Bits(extra);
    table[o + C.ROW_DELTA] = f32Bits(p.startOffset);
    table[o + C.ROW_INV_LEN] = f32Bits(1 / p.length);
    table[o + C.ROW_AMP] = f32Bits(amp);
    table[o + C.ROW_PEAK] = f32Bits(peak);
  }
  const linear = tMul === 1;
  return {
    fields: {
      ...base,
      flags: C.FLAG_TABLE | (linear ? C.FLAG_EST_LINEAR : 0),
      table_rows: rows,
      k0,
      est_mul: linear ? 1 / D : (tMul - 1) / D,
      est_div: linear ? 0 : 1 / Math.log2(tMul),
    },
    table,
  };
}

function packExponential(c: Resolved<ConfigByKind['ExponentialDecay']>, window: StepWindow): PackResult {
  const { initialLearningRate: lr0, decaySteps: D, decayRate: rate, staircase } = c;
  if (!lrOk(lr0)) return unsupported('initialLearningRate', lr0, 'GPU needs |lr| ≤ 2^126');
  if (staircase && !isU32Int(D)) {
    return unsupported('decaySteps', D, 'GPU staircase ExponentialDecay needs an integer decay_steps ≤ 2^32 − 1 (floor(s/D) in exact u32)');
  }
  const L = log2Precise(rate);
  const growth = L > 0;
  // Growth multiplies f32(lr0) by up to 2^126: a float32-subnormal lr0 (which WebGPU may flush to 0) would be amplified.
  if (growth && lr0 !== 0 && Math.abs(lr0) < F32_MIN_NORMAL) {
    return unsupported('initialLearningRate', lr0, 'GPU growing ExponentialDecay (decay_rate > 1) needs |initial_learning_rate| ≥ 2^-126 or 0 (a float32 subnormal may be flushed to zero, then multiplied up)');
  }
  if (growth) {
    const tMax = staircase ? Math.floor(window.maxStep / D) : window.maxStep / D;
    if (Math.log2(Math.abs(lr0) || 1) + tMax * L > 126) {
      return unsupported('decayRate', rate, `GPU: growth (decay_rate > 1) overflows float32 within steps ≤ ${window.maxStep} (the CPU computes it)`);
    }
  }
  const { mant, shift } = fixedPoint(staircase ? Math.abs(L) : Math.abs(L) / D);
  return {
    fields: {
      kind: C.KIND_EXPONENTIAL_DECAY,
      flags: (staircase ? C.FLAG_STAIRCASE : 0) | (growth ? C.FLAG_GROWTH : 0),
      d_int: staircase ? D : 1,
      amp: lr0,
      peak: lr0,
      k_mant: mant,
      k_shift: shift,
    },
  };
}

function packPiecewise(c: Resolved<ConfigByKind['PiecewiseConstantDecay']>): PackResult {
  const { boundaries, values } = c;
  for (const v of values) {
    if (!Number.isFinite(Math.fround(v))) return unsupported('values', v, 'GPU needs every value finite in float32');
    // the GPU must return exactly fround(value): a float32 subnormal may be flushed to zero by WebGPU
    const f = Math.abs(Math.fround(v));
    if (f !== 0 && f < F32_MIN_NORMAL) return unsupported('values', v, 'GPU needs every value 0 or of magnitude ≥ 2^-126 in float32 (WebGPU may flush float32 subnormals to zero, and the value must be exact)');
  }
  // Fold boundaries no u32 step can be at or below (b < 0) or above (floor(b) ≥ 2^32 − 1).
  let lo = 0;
  while (lo < boundaries.length && (boundaries[lo] ?? 0) < 0) lo++;
  let hi = lo;
  while (hi < boundaries.length && Math.floor(boundaries[hi] ?? 0) < U32_MAX) hi++;
  const b = boundaries.slice(lo, hi).map((x) => Math.floor(x));
  const v = values.slice(lo, hi + 1);
  if (b.length <= C.PIECEWISE_INLINE_MAX) {
    const bp = [...b, ...Array<number>(8 - b.length).fill(U32_MAX)];
    const last = v[v.length - 1] ?? 0;
    const vp = [...v, ...Array<number>(12 - v.length).fill(last)];
    return {
      fields: {
        kind: C.KIND_PIECEWISE_CONSTANT_DECAY,
        flags: 0,
        bounds_lo: bp.slice(0, 4),
        bounds_hi: bp.slice(4, 8),
        values_a: vp.slice(0, 4),
        values_b: vp.slice(4, 8),
        values_c: vp.slice(8, 12),
      },
    };
  }
  const table = new Uint32Array(2 * b.length + 1);
  b.forEach((x, i) => (table[i] = x));
  v.forEach((x, i) => (table[b.length + i] = f32Bits(x)));
  return { fields: { kind: C.KIND_PIECEWISE_CONSTANT_DECAY, flags: C.FLAG_TABLE, table_rows: b.length }, table };
}

function packPolynomial(c: Resolved<ConfigByKind['PolynomialDecay']>): PackResult {
  const { initialLearningRate: lr0, decaySteps: D, endLearningRate: end, power, cycle } = c;
  if (!lrOk(lr0)) return unsupported('initialLearningRate', lr0, 'GPU needs |lr| ≤ 2^126');
  if (!(lr0 * end >= 0 && Math.abs(end) <= 2 * Math.abs(lr0))) {
    return unsupported('endLearningRate', end, 'GPU PolynomialDecay needs end_learning_rate of the sign of initial_learning_rate and |end| ≤ 2·|initial| (otherwise (lr0 − end)·y + end cancels)');
  }
  if (power > 1024) return unsupported('power', power, 'GPU PolynomialDecay supports power ≤ 1024');
  if (cycle && !isU32Int(D)) {
    return unsupported('decaySteps', D, 'GPU PolynomialDecay with cycle needs an integer decay_steps ≤ 2^32 − 1 (ceil(s/D) in exact u32)');
  }
  const { dInt, dFrac } = splitD(D);
  let flags = (cycle ? C.FLAG_CYCLE : 0) | (dFrac > 0 && !cycle ? C.FLAG_D_FRAC : 0);
  if (power === 1) flags |= C.FLAG_POW_ONE;
  // D ≥ 2^96 (no cycle: cycle needs D ≤ 2^32 − 1): 1/D would be near or below the float32
  // normal range (flushed to 0 at D ≳ 2^126, every value then end). Every u32 step has
  // s/D ≤ 2^-64, so the exact value is lr0 − (lr0 − end)·(1 − (1 − s/D)^power), within
  // power·2^-64·|lr0 − end| ≤ 2^-52·|lr0| of lr0 (power ≤ 1024, |end| ≤ 2|lr0|): the
  // kernel's constant path (FLAG_POW_ZERO returns f32(lr0)) is within the bound.
  if (power === 0 || D >= 2 ** 96) flags |= C.FLAG_POW_ZERO;
  let q = 0;
  let m = 0;
  if (power > 0) {
    q = Math.min(24, Math.max(0, 11 - Math.floor(Math.log2(power))));
    m = Math.floor(power * 2 ** q);
  }
  return {
    fields: {
      kind: C.KIND_POLYNOMIAL_DECAY,
      flags,
      d_int: dInt,
      d_frac: dFrac,
      inv_d: 1 / D,
      amp: lr0 - end,
      base: end,
      peak: lr0,
      pow_p: power,
      pow_m: m,
      pow_q: q,
      pow_lo: power - m * 2 ** -q,
    },
  };
}

function packInverseTime(c: Resolved<ConfigByKind['InverseTimeDecay']>, window: StepWindow): PackResult {
  const { initialLearningRate: lr0, decaySteps: D, decayRate: rate, staircase } = c;
  if (!lrOk(lr0)) return unsupported('initialLearningRate', lr0, 'GPU needs |lr| ≤ 2^126');
  if (staircase && !isU32Int(D)) {
    return unsupported('decaySteps', D, 'GPU staircase InverseTimeDecay needs an integer decay_steps ≤ 2^32 − 1 (floor(s/D) in exact u32)');
  }
  const r = staircase ? rate : rate / D;
  // x = f32(step)·f32(r) (staircase: f32(floor(s/D))·f32(rate)) at every step of the window,
  // the smallest included: f32(r) must be finite (step 0 would give 0·∞ = NaN) and x ≤ 2^100
  // (1 + x and lr0/(1 + x) stay in range). An f32(r) below 2^-126 (flushed or not) only
  // changes x by < 2^32·2^-126, far below one rounding of 1 + x.
  const tMax = staircase ? Math.floor(window.maxStep / D) : window.maxStep;
  if (!(r <= 2 ** 100) || r * tMax > 2 ** 100) {
    return unsupported('decayRate', rate, `GPU InverseTimeDecay needs decay_rate${staircase ? '' : '/decay_steps'} ≤ 2^100 and decay_rate·floor(step/decay_steps) ≤ 2^100 for steps ≤ ${window.maxStep} (float32 range)`);
  }
  return {
    fields: {
      kind: C.KIND_INVERSE_TIME_DECAY,
      flags: staircase ? C.FLAG_STAIRCASE : 0,
      d_int: staircase ? D : 1,
      amp: lr0,
      peak: lr0,
      rate: r,
    },
  };
}

type PackerOf<K extends ScheduleKind> = (s: Extract<KernelSchedule, { readonly kind: K }>, window: StepWindow) => PackResult;

/** The packer of each kind (with its GPU-support rules); the compiler checks that every kind has one. */
export const PACKERS: { readonly [K in ScheduleKind]: PackerOf<K> } = {
  CosineDecay: (s) => packCosine(s.config),
  CosineDecayRestarts: (s, window) => packRestarts(s, window),
  ExponentialDecay: (s, window) => packExponential(s.config, window),
  PiecewiseConstantDecay: (s) => packPiecewise(s.config),
  PolynomialDecay: (s) => packPolynomial(s.config),
  InverseTimeDecay: (s, window) => packInverseTime(s.config, window),
};

function packOne(s: KernelSchedule, window: StepWindow): PackResult {
  return (PACKERS[s.kind] as (s: KernelSchedule, window: StepWindow) => PackResult)(s, window);
}

// ------------------------------------------------------------------------------------------
// Public API.

/**
 * `null` when the GPU kernels give the bound of docs/accuracy.md#the-contract for this schedule over the
 * window (default: every u32 step), else why not ({ field, value, rule }): the evaluator
 * then computes this schedule on the CPU. Restart tables larger than RESTART_ROWS_MAX are
 * reported too.
 */
export function gpuSupport(schedule: KernelSchedule, window: StepWindow = FULL_WINDOW): GpuUnsupported | null {
  checkWindow(window);
  const r = packOne(schedule, window);
  return isUnsupported(r) ? r : null;
}

export interface PackedSchedules {
  /** `rows` ScheduleParams structs (binding 1). */
  readonly params: ArrayBuffer;
  /** Restart / piecewise tables as u32 words (binding 2), at least 4 bytes. */
  readonly tables: ArrayBuffer;
  /** Number of ScheduleParams rows (= schedules.length). */
  readonly rows: number;
}

/**
 * Packs schedules for eval_range / eval_list. Tables are built for steps in
 * [minStep, maxStep] only; the kernels must only be asked for steps in that window.
 * Throws GpuUnsupportedError (field, value, rule, scheduleIndex) for a config the GPU
 * does not support (check gpuSupport first).
 */
export function packSchedules(schedules: readonly KernelSchedule[], window: StepWindow): PackedSchedules {
  checkWindow(window);
  const stride = LAYOUTS.ScheduleParams.size;
  const params = new ArrayBuffer(Math.max(1, schedules.length) * stride);
  const view = new DataView(params);
  const tables: Uint32Array[] = [];
  let words = 0;
  schedules.forEach((s, i) => {
    const r = packOne(s, window);
    if (isUnsupported(r)) throw new GpuUnsupportedError(r.field, r.value, r.rule, i);
    const fields: Fields = { ...r.fields };
    if (r.table) {
      fields.table_off = words;
      tables.push(r.table);
      words += r.table.length;
    }
    writeParams(view, i * stride, fields);
  });
  const out = new Uint32Array(Math.max(1, words));
  let o = 0;
  for (const t of tables) {
    out.set(t, o);
    o += t.length;
  }
  return { params, tables: out.buffer, rows: schedules.length };
}

/**
 * One ScheduleParams struct (LAYOUTS.ScheduleParams.size bytes) for a user's own kernel
 * that includes SCHEDULES_WGSL and calls e.g. `cosine_decay(params, step)`. Configs that
 * need a table (CosineDecayRestarts other than t_mul = 1 with integer D; more than 8
 * piecewise boundaries) throw: use packSchedules([s], window) and bind its tables behind
 * `lr_table`.
 */
export function packScheduleParams(schedule: KernelSchedule): ArrayBuffer {
  const r = packOne(schedule, FULL_WINDOW);
  if (isUnsupported(r)) throw new GpuUnsupportedError(r.field, r.value, r.rule);
  if (r.table) {
    throw new GpuUnsupportedError('kind', schedule.kind, 'this config needs a table (restart periods / long piecewise list): use packSchedules([schedule], window) and bind its tables behind lr_table');
  }
  const buf = new ArrayBuffer(LAYOUTS.ScheduleParams.size);
  writeParams(new DataView(buf), 0, r.fields);
  return buf;
}

/** The Job uniform of evaluate.wgsl (camelCase of its members). */
export interface JobParams {
  readonly row0: number;
  readonly col0: number;
  readonly cols: number;
  readonly count: number;
  readonly start: number;
  readonly stride: number;
  readonly groupsX: number;
  readonly outOffset: number;
}

const JOB_NAMES: Readonly<Record<keyof JobParams, JobName>> = {
  row0: 'row0',
  col0: 'col0',
  cols: 'cols',
  count: 'count',
  start: 'start',
  stride: 'stride',
  groupsX: 'groups_x',
  outOffset: 'out_offset',
};

/** The Job uniform's bytes (LAYOUTS.Job.size), every member a u32. */
export function packJob(job: JobParams): ArrayBuffer {
  const buf = new ArrayBuffer(LAYOUTS.Job.size);
  const view = new DataView(buf);
  for (const key of Object.keys(JOB_NAMES) as (keyof JobParams)[]) {
    const name = JOB_NAMES[key];
    writeMember(view, 0, LAYOUTS.Job.members[name], job[key], name);
  }
  return buf;
}
