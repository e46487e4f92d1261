/**
 * CosineAnneal on the GPU: the ScheduleParams fields of shaders/kinds/cosine-anneal.wgsl and the
 * rules for when the kernel keeps the bound of docs/accuracy.md#the-contract (else a reason, and
 * the evaluator uses the CPU). The TS reference is src/schedules/cosine-anneal.ts.
 */
import { ef, twoSum } from '../../schedules/exact.ts';
import type { ConfigByKind } from '../../schedules/registry.ts';
import type { Resolved } from '../../schedules/types.ts';
import { C, anchorSplit, lrOk, unsupported, type Fields, type PackResult, type PackerOf } from '../host.ts';

function packAnneal(c: Resolved<ConfigByKind['CosineAnneal']>): PackResult {
  const { from, to, period: P, offset, exponent, hold } = c;
  if (!lrOk(from)) return unsupported('from', from, 'GPU needs |from| ≤ 2^126');
  if (!lrOk(to)) return unsupported('to', to, 'GPU needs |to| ≤ 2^126');
  if (from * to < 0) return unsupported('to', to, 'GPU CosineAnneal needs from and to of one sign, or 0 (the curve crosses 0 between them, where no relative bound holds)');
  if (exponent !== 1) {
    if (exponent > 64) return unsupported('exponent', exponent, 'GPU CosineAnneal supports exponent ≤ 64');
    if (!(Math.abs(from) >= Math.abs(to))) {
      return unsupported('exponent', exponent, 'GPU CosineAnneal with exponent ≠ 1 needs |from| ≥ |to| (a decay: to + (from − to)·g^exponent is then a sum of one sign)');
    }
  }
  if (!(P >= 2 ** -90 && P <= 2 ** 125)) return unsupported('period', P, 'GPU CosineAnneal needs 2^-90 ≤ period ≤ 2^125 (1/period in float32)');
  const fields: Fields = { kind: C.KIND_COSINE_ANNEAL, inv_d: 1 / P, peak: from, base: to };
  let flags: number = C.FLAG_POW_ONE;
  if (exponent !== 1) {
    // as PolynomialDecay's power: e = pow_m·2^-pow_q + pow_lo, pow_m < 2^12
    const q = Math.min(24, Math.max(0, 11 - Math.floor(Math.log2(exponent))));
    const m = Math.floor(exponent * 2 ** q);
    Object.assign(fields, { amp: from - to, pow_p: exponent, pow_m: m, pow_q: q, pow_lo: exponent - m * 2 ** -q });
    flags = 0;
  }
  if (hold) {
    const a0 = anchorSplit(-offset);
    twoSum(P, -offset);
    const a1 = anchorSplit(ef.hi, ef.lo);
    if (a0 === null) return unsupported('offset', offset, 'GPU CosineAnneal needs −offset (the step of x = 0) in (−2^100, 2^32 − 1)');
    if (a1 === null) return unsupported('period', P, 'GPU CosineAnneal needs period − offset (the step of x = 1) in (−2^100, 2^32 − 1)');
    return { fields: { ...fields, flags: flags | C.FLAG_HOLD, a0_b: a0.b, a0_l: a0.l, a0_r: a0.r, a1_b: a1.b, a1_l: a1.l, a1_r: a1.r } };
  }
  if (!Number.isInteger(P) || P > 2 ** 30) {
    return unsupported('period', P, 'GPU CosineAnneal without hold needs an integer period ≤ 2^30 (the step is reduced exactly modulo 2·period in u32)');
  }
  if (!Number.isInteger(offset)) return unsupported('offset', offset, 'GPU CosineAnneal without hold needs an integer offset (the step is reduced exactly modulo 2·period in u32)');
  const p2 = 2 * P;
  const o = ((offset % p2) + p2) % p2; // offset mod 2P in [0, 2P), exact for integers
  return { fields: { ...fields, flags, d_int: P, w_int: o } };
}

/** The packer of CosineAnneal (PACKERS, generated from the registry). */
export const packCosineAnneal: PackerOf<'CosineAnneal'> = (s) => packAnneal(s.config);
