/**
 * The evaluator's fallback policy, pure: (choice, state, cause) → run on the GPU, run on
 * the CPU with a reason, or throw. No GPU, no I/O: test/evaluator/fallback.test.ts checks
 * every row with fake causes. The table (docs/design.md, "Fallback policy"):
 *
 * - backend 'cpu': always the CPU, no reason;
 * - no GPU (none at creation, or the evaluator switched to the CPU after a device loss):
 *   the CPU, with the evaluator's reason;
 * - device lost before the call: the CPU, and the evaluator switches to it for good;
 * - a request the GPU cannot take (a step above 2^32 − 1; the packer's GPU-support rule;
 *   a table or list over a device limit): that request on the CPU, naming
 *   schedule, field, value and rule; later requests try the GPU;
 * - a failure of the GPU run: out-of-memory or a device limit → that call redone on the
 *   CPU; device loss → redone on the CPU, and the evaluator switches to it; an abort, a
 *   validation error (a bug) or anything else is thrown;
 * - under backend 'webgpu' every one of these is an error instead; a destroyed evaluator
 *   always throws EvaluatorDestroyedError.
 */

import { GpuDeviceLostError, GpuLimitError, GpuOutOfMemoryError } from '../gpu/errors.ts';
import { GpuUnsupportedError } from '../kernels/index.ts';
import { StepError, formatValue } from '../schedules/errors.ts';
import { EvaluatorDestroyedError } from './errors.ts';
import type { BackendChoice } from './types.ts';

/** What the policy knows of the evaluator when it decides. */
export interface FallbackState {
  readonly choice: BackendChoice;
  /** Whether the evaluator has a usable GPU backend now (false: none at creation, or switched to the CPU). */
  readonly hasGpu: boolean;
  /** The evaluator's own fallback reason (why it runs on the CPU as a whole), if any. */
  readonly fallbackReason: string | undefined;
  readonly destroyed: boolean;
}

/** Why a request might not run on the GPU. */
export type FallbackCause =
  /** The device reported a loss before the call (GpuBackend.lostReason). */
  | { readonly kind: 'device-lost'; readonly lostReason: string }
  /** The largest step exceeds the GPU's u32 steps. */
  | { readonly kind: 'step-above-u32'; readonly maxStep: number }
  /** The GPU formulation or a device limit cannot take the request; `row` names the schedule (of kind `scheduleKind`). */
  | {
      readonly kind: 'unsupported';
      readonly row?: number | undefined;
      readonly scheduleKind?: string | undefined;
      readonly field: string;
      readonly value: unknown;
      readonly rule: string;
    }
  /** The GPU run failed with `error`. */
  | { readonly kind: 'gpu-failure'; readonly error: unknown };

/** Run on the CPU, with the reason (none when the CPU was chosen), and whether the evaluator now stays on the CPU. */
export interface CpuDecision {
  readonly backend: 'cpu';
  readonly reason: string | undefined;
  readonly switchToCpu: boolean;
}

/** The decision: the GPU, or the CPU with a reason. */
export type FallbackDecision = { readonly backend: 'webgpu' } | CpuDecision;

const U32_RULE = 'GPU steps are u32 (0 … 2^32 − 1); larger steps need the CPU backend';

function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

const cpu = (reason: string | undefined, switchToCpu = false): CpuDecision => ({ backend: 'cpu', reason, switchToCpu });

/**
 * Where a request runs, given the evaluator's state and (if any) why the GPU might not
 * take it: without a cause the GPU when there is one; with a cause always the CPU, or a
 * throw of what the caller must see instead of a fallback.
 * @example decideBackend({ choice: 'auto', hasGpu: true, fallbackReason: undefined, destroyed: false }, { kind: 'step-above-u32', maxStep: 2 ** 33 })
 *   // { backend: 'cpu', reason: 'steps = 8589934592: GPU steps are u32 …', switchToCpu: false }
 */
export function decideBackend(state: FallbackState): FallbackDecision;
export function decideBackend(state: FallbackState, cause: FallbackCause): CpuDecision;
export function decideBackend(state: FallbackState, cause?: FallbackCause): FallbackDecision {
  if (state.choice === 'cpu') return cpu(undefined);
  if (cause?.kind === 'gpu-failure') return afterFailure(state, cause.error);
  if (!state.hasGpu) return cpu(state.fallbackReason ?? 'no WebGPU device');
  if (cause === undefined) return { backend: 'webgpu' };
  const strict = state.choice === 'webgpu';
  switch (cause.kind) {
    case 'device-lost': {
      const reason = `WebGPU ${cause.lostReason}; this evaluator now runs on the CPU`;
      if (strict) throw new GpuDeviceLostError(reason);
      return cpu(reason, true);
    }
    case 'step-above-u32':
      if (strict) throw new StepError('steps', cause.maxStep, U32_RULE);
      return cpu(`steps = ${cause.maxStep}: ${U32_RULE}`);
    case 'unsupported': {
      const { row, scheduleKind, field, value, rule } = cause;
      if (strict) throw new GpuUnsupportedError(field, value, rule, row);
      return cpu(`${row === undefined ? '' : `schedule #${row} (${scheduleKind}): `}${field} = ${formatValue(value)}: ${rule}`);
    }
  }
}

/** A failed GPU run: redo it on the CPU (auto) with the reason, or throw. */
function afterFailure(state: FallbackState, err: unknown): CpuDecision {
  if (state.destroyed) throw new EvaluatorDestroyedError();
  if (isAbortError(err) || state.choice !== 'auto') {
    if (err instanceof GpuLimitError) throw new GpuUnsupportedError(err.field, err.value, `must be ≤ the device's ${err.limit} = ${err.limitValue} bytes`);
    throw err;
  }
  if (err instanceof GpuDeviceLostError) {
    return cpu(`WebGPU ${err.message}; this call was redone on the CPU and the evaluator now runs on the CPU`, true);
  }
  if (err instanceof GpuOutOfMemoryError) return cpu(`${err.message}; this call was redone on the CPU`);
  if (err instanceof GpuLimitError) return cpu(`${err.message}; this call ran on the CPU`);
  throw err;
}
