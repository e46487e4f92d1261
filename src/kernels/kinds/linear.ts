/**
 * Linear on the GPU: the ScheduleParams fields of shaders/kinds/linear.wgsl and the rules for
 * when the kernel keeps the bound of docs/accuracy.md#the-contract (else a reason, and the
 * evaluator uses the CPU). The TS reference is src/schedules/linear.ts.
 */
import { twoSum, ef } from '../../schedules/exact.ts';
import type { ConfigByKind } from '../../schedules/registry.ts';
import type { Resolved } from '../../schedules/types.ts';
import { C, LR_MAX, anchorSplit, lrOk, unsupported, type PackResult, type PackerOf, type StepWindow } from '../host.ts';

/** Fractions (t − anchor)/steps beyond this would overflow float32 on the way. */
const W_MAX = 2 ** 100;

function packLine(c: Resolved<ConfigByKind['Linear']>, window: StepWindow): PackResult {
  const { from, to, steps, offset, hold } = c;
  if (!lrOk(from)) return unsupported('from', from, 'GPU needs |from| ≤ 2^126');
  if (!lrOk(to)) return unsupported('to', to, 'GPU needs |to| ≤ 2^126');
  if (from * to < 0) return unsupported('to', to, 'GPU Linear needs from and to of one sign, or 0 (the line crosses 0 between them, where no relative bound holds)');
  if (!(steps >= 2 ** -90 && steps <= 2 ** 125)) return unsupported('steps', steps, 'GPU Linear needs 2^-90 ≤ steps ≤ 2^125 (1/steps and the fractions of the line stay in float32)');
  const a0 = anchorSplit(-offset);
  twoSum(steps, -offset);
  const a1hi = ef.hi;
  const a1 = anchorSplit(ef.hi, ef.lo);
  if (a0 === null) return unsupported('offset', offset, 'GPU Linear needs −offset (the step of x = 0) in (−2^100, 2^32 − 1)');
  if (a1 === null) return unsupported('steps', steps, 'GPU Linear needs steps − offset (the step of x = 1) in (−2^100, 2^32 − 1)');
  const amp = to - from;
  if (!hold) {
    // extrapolation: the fractions stay in range, the value in float32, and where it moves
    // towards 0 its amp term stays below a third of the end value (the bound's condition)
    const before = Math.max(0, -offset - window.minStep) / steps; // −x at the window's first step
    const past = Math.max(0, window.maxStep - a1hi) / steps; // x − 1 at its last step
    if (before > W_MAX || past > W_MAX) return unsupported('steps', steps, `GPU Linear without hold needs the line's fractions within 2^100 over steps ${window.minStep} … ${window.maxStep}`);
    if (Math.abs(to) + Math.abs(amp) * past > LR_MAX || Math.abs(from) + Math.abs(amp) * before > LR_MAX) {
      return unsupported('hold', hold, `GPU: the extrapolated line leaves float32 (|v| > 2^126) within steps ${window.minStep} … ${window.maxStep} (the CPU computes it)`);
    }
    if (amp * to < 0 && Math.abs(amp) * past > Math.abs(to) / 3) {
      return unsupported('hold', hold, `GPU Linear without hold: past x = 1 the line falls towards 0 by more than a third of |to| within steps ≤ ${window.maxStep} (near its zero no relative bound holds)`);
    }
    if (amp * from > 0 && Math.abs(amp) * before > Math.abs(from) / 3) {
      return unsupported('hold', hold, `GPU Linear without hold: before x = 0 the line falls towards 0 by more than a third of |from| within steps ≥ ${window.minStep} (near its zero no relative bound holds)`);
    }
  }
  return {
    fields: {
      kind: C.KIND_LINEAR,
      flags: hold ? C.FLAG_HOLD : 0,
      a0_b: a0.b,
      a0_l: a0.l,
      a0_r: a0.r,
      a1_b: a1.b,
      a1_l: a1.l,
      a1_r: a1.r,
      inv_d: 1 / steps,
      peak: from,
      base: to,
      amp,
    },
  };
}

/** The packer of Linear (PACKERS, generated from the registry). */
export const packLinear: PackerOf<'Linear'> = (s, window) => packLine(s.config, window);
