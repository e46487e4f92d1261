/**
 * CosineDecay on the GPU: the ScheduleParams fields of shaders/kinds/cosine-decay.wgsl and the rules
 * for when the kernel keeps the bound of docs/accuracy.md#the-contract (else a reason,
 * and the evaluator uses the CPU). The TS reference is src/schedules/cosine-decay.ts.
 */
import type { ConfigByKind } from '../../schedules/registry.ts';
import type { Resolved } from '../../schedules/types.ts';
import { C, lrOk, splitD, U32_MAX, unsupported, type Fields, type PackResult, type PackerOf } from '../host.ts';

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

/** The packer of CosineDecay (PACKERS in pack.ts). */
export const packCosineDecay: PackerOf<'CosineDecay'> = (s) => packCosine(s.config);
