/**
 * InverseSqrt on the GPU: the ScheduleParams fields of shaders/kinds/inverse-sqrt.wgsl and the rules
 * for when the kernel keeps the bound of docs/accuracy.md#the-contract (else a reason,
 * and the evaluator uses the CPU). The TS reference is src/schedules/inverse-sqrt.ts.
 */
import { C, lrOk, unsupported, type PackerOf } from '../host.ts';

/** The packer of InverseSqrt (PACKERS in pack.ts). */
export const packInverseSqrt: PackerOf<'InverseSqrt'> = (s) => {
  const { value, timescale: ts } = s.config;
  if (!lrOk(value)) return unsupported('value', value, 'GPU needs |value| ≤ 2^126');
  // f32(s) + ts and inverseSqrt of it in range; a timescale below 2^-126 (flushed or not) moves
  // s + ts (s ≥ 1) by less than 2^-126 relative
  if (ts > 2 ** 126) return unsupported('timescale', ts, 'GPU InverseSqrt needs timescale ≤ 2^126 (float32 range)');
  const amp = value * Math.sqrt(ts);
  if (!lrOk(amp)) return unsupported('timescale', ts, `GPU InverseSqrt needs |value|·sqrt(timescale) ≤ 2^126 (here ${amp})`);
  return { fields: { kind: C.KIND_INVERSE_SQRT, amp, peak: value, rate: ts } };
};
