/**
 * CosineDecayRestarts on the GPU: the ScheduleParams fields of shaders/kinds/cosine-decay-restarts.wgsl and the rules
 * for when the kernel keeps the bound of docs/accuracy.md#the-contract (else a reason,
 * and the evaluator uses the CPU). The TS reference is src/schedules/cosine-decay-restarts.ts.
 */
import { C, f32Bits, fixedPoint, isU32Int, log2Precise, lrOk, RESTART_ROWS_MAX, U32_MAX, unsupported, type Fields, type Of, type PackResult, type PackerOf, type RestartPeriods, type StepWindow } from '../host.ts';

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
    const { mant, shift, flags: kFlags } = fixedPoint(K);
    return { fields: { ...base, flags: flags | (mMul === 1 ? 0 : kFlags), d_int: D, amp: lr0 * (1 - alpha), k_mant: mant, k_shift: shift } };
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
  // t_mul = 2 with an integer D: period k starts at D * (2^k - 1), so the kernel finds the row
  // as firstLeadingBit(s / D + 1) - k0 without the search and computes its start (FLAG_DOUBLING),
  // if every row's start is that integer (checked) and s / D + 1 does not wrap in u32 within
  // the window (then k <= 31).
  let doubling = tMul === 2 && isU32Int(D) && D >= 1 && Math.floor(window.maxStep / D) < U32_MAX;
  // With doubling, and if every row's last step is its start + D·2^k − 1 (not clamped), its extra
  // is 1 and its f32(1 / length) is f32(1 / D)·2^-k, the kernel computes those three words from
  // D and k (FLAG_DOUBLING_INTS) and reads only the amplitude and peak of the row.
  let ints = doubling;
  const invD = Math.fround(1 / D);
  for (let k = k0; k <= k1; k++) {
    const p = s.period(k);
    if (p.firstStep !== D * (2 ** k - 1) || p.startOffset !== 0) doubling = false;
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
    if (last !== p.firstStep + D * 2 ** k - 1 || f32Bits(extra) !== f32Bits(1) || table[o + C.ROW_INV_LEN] !== f32Bits(invD * 2 ** -k)) ints = false;
  }
  ints &&= doubling;
  const linear = tMul === 1;
  return {
    fields: {
      ...base,
      flags: C.FLAG_TABLE | (linear ? C.FLAG_EST_LINEAR : 0) | (doubling ? C.FLAG_DOUBLING : 0) | (ints ? C.FLAG_DOUBLING_INTS : 0),
      ...(doubling ? { d_int: D } : {}),
      table_rows: rows,
      k0,
      est_mul: linear ? 1 / D : (tMul - 1) / D,
      est_div: linear ? 0 : 1 / Math.log2(tMul),
    },
    table,
  };
}

/** The packer of CosineDecayRestarts (PACKERS in pack.ts). */
export const packCosineDecayRestarts: PackerOf<'CosineDecayRestarts'> = (s, window) => packRestarts(s, window);
