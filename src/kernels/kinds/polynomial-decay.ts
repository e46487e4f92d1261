/**
 * PolynomialDecay on the GPU: the ScheduleParams fields of shaders/kinds/polynomial-decay.wgsl and the rules
 * for when the kernel keeps the bound of docs/accuracy.md#the-contract (else a reason,
 * and the evaluator uses the CPU). The TS reference is src/schedules/polynomial-decay.ts.
 */
import type { ConfigByKind } from '../../schedules/registry.ts';
import type { Resolved } from '../../schedules/types.ts';
import { C, isU32Int, lrOk, splitD, unsupported, type PackResult, type PackerOf } from '../host.ts';

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
  // An integer power 2 … 8 is p products (pow_m >> pow_q = p below), cheaper than the log/exp
  // power function and within the same bound (shaders/kinds/polynomial-decay.wgsl).
  if (Number.isInteger(power) && power >= 2 && power <= 8) flags |= C.FLAG_POW_INT;
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

/** The packer of PolynomialDecay (PACKERS in pack.ts). */
export const packPolynomialDecay: PackerOf<'PolynomialDecay'> = (s) => packPolynomial(s.config);
