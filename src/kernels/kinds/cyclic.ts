/**
 * Cyclic on the GPU: the ScheduleParams fields of shaders/kinds/cyclic.wgsl and the rules
 * for when the kernel keeps the bound of docs/accuracy.md#the-contract (else a reason,
 * and the evaluator uses the CPU). The TS reference is src/schedules/cyclic.ts.
 */
import { C, F32_MIN_NORMAL, U32_MAX, fixedPoint, isU32Int, log2Precise, lrOk, unsupported, type PackerOf } from '../host.ts';

/** The packer of Cyclic (PACKERS in pack.ts). */
export const packCyclic: PackerOf<'Cyclic'> = (s, window) => {
  const { baseLr: base, maxLr: max, stepSizeUp: up, mode, gamma } = s.config;
  const down = s.config.stepSizeDown ?? up;
  if (!lrOk(base)) return unsupported('baseLr', base, 'GPU needs |baseLr| ≤ 2^126');
  if (!lrOk(max)) return unsupported('maxLr', max, 'GPU needs |maxLr| ≤ 2^126');
  if (!isU32Int(up)) return unsupported('stepSizeUp', up, 'GPU Cyclic needs an integer stepSizeUp (the cycle position in exact u32)');
  if (!isU32Int(down)) return unsupported('stepSizeDown', down, 'GPU Cyclic needs an integer stepSizeDown (the cycle position in exact u32)');
  if (up + down > U32_MAX) return unsupported('stepSizeDown', down, 'GPU Cyclic needs stepSizeUp + stepSizeDown ≤ 2^32 − 1');
  const falling = Math.abs(max) < Math.abs(base);
  const amp = falling ? base - max : max - base;
  const expRange = mode === 'exp_range' && gamma !== 1;
  let flags = (mode === 'triangular2' ? C.FLAG_TRIANGULAR2 : 0) | (expRange ? C.FLAG_EXP_RANGE : 0) | (falling ? C.FLAG_FALLING : 0);
  const L = expRange ? log2Precise(gamma) : 0;
  if (L > 0) {
    // gamma > 1 (only rising: the class refuses it falling): amp·s·gamma^step grows
    if (Math.abs(amp) < F32_MIN_NORMAL) return unsupported('maxLr', max, 'GPU growing exp_range (gamma > 1) needs |maxLr − baseLr| ≥ 2^-126 (a float32 subnormal may be flushed, then multiplied up)');
    if (Math.log2(Math.abs(amp)) + window.maxStep * L > 125) {
      return unsupported('gamma', gamma, `GPU: exp_range growth (gamma > 1) overflows float32 within steps ≤ ${window.maxStep} (the CPU computes it)`);
    }
    flags |= C.FLAG_GROWTH;
  }
  const { mant, shift, flags: kFlags } = fixedPoint(Math.abs(L));
  return {
    fields: {
      kind: C.KIND_CYCLIC,
      flags: flags | (expRange ? kFlags : 0),
      d_int: up + down,
      w_int: up,
      inv_d: 1 / up,
      inv_w: 1 / down,
      amp,
      base,
      peak: max,
      k_mant: mant,
      k_shift: shift,
      rate: -L,
    },
  };
};
