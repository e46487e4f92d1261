/**
 * Constant on the GPU: the ScheduleParams fields of shaders/kinds/constant.wgsl and the rules
 * for when the kernel keeps the bound of docs/accuracy.md#the-contract (exactly Math.fround
 * of the value; else a reason, and the evaluator uses the CPU). The TS reference is
 * src/schedules/constant.ts.
 */
import type { ConfigByKind } from '../../schedules/registry.ts';
import type { Resolved } from '../../schedules/types.ts';
import { C, F32_MIN_NORMAL, unsupported, type PackResult, type PackerOf } from '../host.ts';

function packConst(c: Resolved<ConfigByKind['Constant']>): PackResult {
  const { value } = c;
  const f = Math.fround(value);
  if (!Number.isFinite(f)) return unsupported('value', value, 'GPU needs a value finite in float32 (|value| < 2^128; the CPU computes it)');
  // the GPU must return exactly fround(value): a float32 subnormal may be flushed to zero by WebGPU
  if (f !== 0 && Math.abs(f) < F32_MIN_NORMAL) {
    return unsupported('value', value, 'GPU needs a value 0 or of magnitude ≥ 2^-126 in float32 (WebGPU may flush float32 subnormals to zero, and the value must be exact)');
  }
  return { fields: { kind: C.KIND_CONSTANT, flags: 0, peak: value } };
}

/** The packer of Constant (PACKERS, generated from the registry). */
export const packConstant: PackerOf<'Constant'> = (s) => packConst(s.config);
