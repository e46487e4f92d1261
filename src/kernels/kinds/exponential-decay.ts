/**
 * ExponentialDecay on the GPU: the ScheduleParams fields of shaders/kinds/exponential-decay.wgsl and the rules
 * for when the kernel keeps the bound of docs/accuracy.md#the-contract (else a reason,
 * and the evaluator uses the CPU). The TS reference is src/schedules/exponential-decay.ts.
 */
import type { ConfigByKind } from '../../schedules/registry.ts';
import type { Resolved } from '../../schedules/types.ts';
import { C, F32_MIN_NORMAL, fixedPoint, isU32Int, log2Precise, lrOk, unsupported, type PackResult, type PackerOf, type StepWindow } from '../host.ts';

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
  const { mant, shift, flags: kFlags } = fixedPoint(staircase ? Math.abs(L) : Math.abs(L) / D);
  return {
    fields: {
      kind: C.KIND_EXPONENTIAL_DECAY,
      flags: (staircase ? C.FLAG_STAIRCASE : 0) | (growth ? C.FLAG_GROWTH : 0) | kFlags,
      d_int: staircase ? D : 1,
      amp: lr0,
      peak: lr0,
      k_mant: mant,
      k_shift: shift,
    },
  };
}

/** The packer of ExponentialDecay (PACKERS in pack.ts). */
export const packExponentialDecay: PackerOf<'ExponentialDecay'> = (s, window) => packExponential(s.config, window);
