/**
 * SqrtAnneal on the GPU: the ScheduleParams fields of shaders/kinds/sqrt-anneal.wgsl and the rules
 * for when the kernel keeps the bound of docs/accuracy.md#the-contract (else a reason,
 * and the evaluator uses the CPU). The TS reference is src/schedules/sqrt-anneal.ts.
 */
import { C, lrOk, splitD, unsupported, type PackerOf } from '../host.ts';

/** The packer of SqrtAnneal (PACKERS in pack.ts). */
export const packSqrtAnneal: PackerOf<'SqrtAnneal'> = (s) => {
  const { from, to, steps: D, reverse } = s.config;
  if (!lrOk(from)) return unsupported('from', from, 'GPU needs |from| ≤ 2^126');
  if (!lrOk(to)) return unsupported('to', to, 'GPU needs |to| ≤ 2^126');
  // x = s·(1/D) ≥ 1/D must be a normal float32 (a subnormal may be flushed to zero)
  if (D > 2 ** 100) return unsupported('steps', D, 'GPU SqrtAnneal needs steps ≤ 2^100 (1/steps a normal float32)');
  const { dInt, dFrac } = splitD(D);
  return {
    fields: {
      kind: C.KIND_SQRT_ANNEAL,
      flags: (dFrac > 0 ? C.FLAG_D_FRAC : 0) | (reverse ? C.FLAG_REVERSE : 0),
      d_int: dInt,
      d_frac: dFrac,
      // steps < 1: every step ≥ 1 is past the end and 1/steps is never read
      inv_d: D >= 1 ? 1 / D : 0,
      peak: from,
      base: to,
    },
  };
};
