/**
 * InverseTimeDecay on the GPU: the ScheduleParams fields of shaders/kinds/inverse-time-decay.wgsl and the rules
 * for when the kernel keeps the bound of docs/accuracy.md#the-contract (else a reason,
 * and the evaluator uses the CPU). The TS reference is src/schedules/inverse-time-decay.ts.
 */
import type { ConfigByKind } from '../../schedules/registry.ts';
import type { Resolved } from '../../schedules/types.ts';
import { C, isU32Int, lrOk, unsupported, type PackResult, type PackerOf, type StepWindow } from '../host.ts';

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

/** The packer of InverseTimeDecay (PACKERS in pack.ts). */
export const packInverseTimeDecay: PackerOf<'InverseTimeDecay'> = (s, window) => packInverseTime(s.config, window);
