/**
 * The evaluator's fallback policy (src/api/fallback.ts) without a GPU: every row of the
 * table in docs/design.md ("Fallback policy"), under each backend choice, with fake causes.
 */
import { describe, expect, it } from 'vitest';
import { EvaluatorDestroyedError } from '../../src/api/errors.ts';
import { decideBackend, type FallbackCause, type FallbackState } from '../../src/api/fallback.ts';
import type { BackendChoice } from '../../src/api/types.ts';
import { GpuDeviceLostError, GpuLimitError, GpuOutOfMemoryError, GpuValidationError } from '../../src/gpu/errors.ts';
import { GpuUnsupportedError } from '../../src/kernels/index.ts';
import { StepError } from '../../src/schedules/errors.ts';
import { thrown } from '../helpers/thrown.ts';

const state = (choice: BackendChoice, over: Partial<FallbackState> = {}): FallbackState => ({
  choice,
  hasGpu: choice !== 'cpu',
  fallbackReason: undefined,
  destroyed: false,
  ...over,
});

const abortError = (): DOMException => new DOMException('The operation was aborted', 'AbortError');

const unsupported: FallbackCause = { kind: 'unsupported', row: 3, scheduleKind: 'PolynomialDecay', field: 'power', value: 1e6, rule: 'must be ≤ 4096 on the GPU' };
const lost: FallbackCause = { kind: 'device-lost', lostReason: 'device lost (destroyed): gone' };
const bigStep: FallbackCause = { kind: 'step-above-u32', maxStep: 2 ** 33 };
const failure = (error: unknown): FallbackCause => ({ kind: 'gpu-failure', error });

describe('the fallback policy', () => {
  it("backend 'cpu' always runs on the CPU and gives no reason, whatever the cause", () => {
    for (const cause of [undefined, unsupported, lost, bigStep, failure(new Error('x'))]) {
      const d = cause === undefined ? decideBackend(state('cpu')) : decideBackend(state('cpu'), cause);
      expect(d).toEqual({ backend: 'cpu', reason: undefined, switchToCpu: false });
    }
  });

  it('with a GPU and no cause the request runs on the GPU (auto and webgpu)', () => {
    expect(decideBackend(state('auto'))).toEqual({ backend: 'webgpu' });
    expect(decideBackend(state('webgpu'))).toEqual({ backend: 'webgpu' });
  });

  it("without a GPU under 'auto' the request runs on the CPU with the evaluator's reason (or 'no WebGPU device')", () => {
    expect(decideBackend(state('auto', { hasGpu: false, fallbackReason: 'no adapter' }))).toEqual({ backend: 'cpu', reason: 'no adapter', switchToCpu: false });
    expect(decideBackend(state('auto', { hasGpu: false }))).toEqual({ backend: 'cpu', reason: 'no WebGPU device', switchToCpu: false });
  });

  it("a device lost before the call: 'auto' runs on the CPU and switches the evaluator to it; 'webgpu' throws GpuDeviceLostError", () => {
    const reason = 'WebGPU device lost (destroyed): gone; this evaluator now runs on the CPU';
    expect(decideBackend(state('auto'), lost)).toEqual({ backend: 'cpu', reason, switchToCpu: true });
    expect(() => decideBackend(state('webgpu'), lost)).toThrow(new GpuDeviceLostError(reason));
  });

  it("a step above 2^32 − 1: 'auto' runs that request on the CPU (no switch); 'webgpu' throws a StepError naming steps", () => {
    const rule = 'GPU steps are u32 (0 … 2^32 − 1); larger steps need the CPU backend';
    expect(decideBackend(state('auto'), bigStep)).toEqual({ backend: 'cpu', reason: `steps = 8589934592: ${rule}`, switchToCpu: false });
    const err = thrown(() => decideBackend(state('webgpu'), bigStep));
    expect(err).toBeInstanceOf(StepError);
    expect(err).toMatchObject({ field: 'steps', value: 2 ** 33, rule });
  });

  it("an unsupported request names schedule, field, value and rule under 'auto'; 'webgpu' throws GpuUnsupportedError with the row", () => {
    expect(decideBackend(state('auto'), unsupported)).toEqual({
      backend: 'cpu',
      reason: 'schedule #3 (PolynomialDecay): power = 1000000: must be ≤ 4096 on the GPU',
      switchToCpu: false,
    });
    const noRow: FallbackCause = { kind: 'unsupported', field: 'steps.length', value: 9, rule: 'must fit' };
    expect(decideBackend(state('auto'), noRow)).toMatchObject({ backend: 'cpu', reason: 'steps.length = 9: must fit' });
    const err = thrown(() => decideBackend(state('webgpu'), unsupported));
    expect(err).toBeInstanceOf(GpuUnsupportedError);
    expect(err).toMatchObject({ field: 'power', value: 1e6, rule: 'must be ≤ 4096 on the GPU', scheduleIndex: 3 });
  });

  it("a GPU run that lost the device: 'auto' redoes the call on the CPU and switches; 'webgpu' rethrows", () => {
    const err = new GpuDeviceLostError('device lost during the call (mapAsync failed: x)');
    expect(decideBackend(state('auto'), failure(err))).toEqual({
      backend: 'cpu',
      reason: 'WebGPU device lost during the call (mapAsync failed: x); this call was redone on the CPU and the evaluator now runs on the CPU',
      switchToCpu: true,
    });
    expect(() => decideBackend(state('webgpu'), failure(err))).toThrow(err);
  });

  it("a GPU out-of-memory error: 'auto' redoes that call on the CPU (no switch); 'webgpu' rethrows", () => {
    const err = new GpuOutOfMemoryError('WebGPU out-of-memory: too big');
    expect(decideBackend(state('auto'), failure(err))).toEqual({ backend: 'cpu', reason: 'WebGPU out-of-memory: too big; this call was redone on the CPU', switchToCpu: false });
    expect(() => decideBackend(state('webgpu'), failure(err))).toThrow(err);
  });

  it("a device limit: 'auto' runs the call on the CPU; 'webgpu' throws GpuUnsupportedError naming the limit", () => {
    const err = new GpuLimitError('restart tables', 4096, 'maxStorageBufferBindingSize', 1024);
    expect(decideBackend(state('auto'), failure(err))).toEqual({ backend: 'cpu', reason: `${err.message}; this call ran on the CPU`, switchToCpu: false });
    const got = thrown(() => decideBackend(state('webgpu'), failure(err)));
    expect(got).toBeInstanceOf(GpuUnsupportedError);
    expect(got).toMatchObject({ field: 'restart tables', value: 4096, rule: "must be ≤ the device's maxStorageBufferBindingSize = 1024 bytes" });
  });

  it('an abort is never a fallback: it is rethrown under every GPU choice', () => {
    for (const choice of ['auto', 'webgpu'] as const) {
      const abort = abortError();
      expect(() => decideBackend(state(choice), failure(abort))).toThrow(abort);
    }
  });

  it('a validation error (a bug) or any other error of the GPU run is rethrown, never hidden by a fallback', () => {
    for (const err of [new GpuValidationError('WebGPU validation error (a bug in webgpu-lr-schedules): x'), new TypeError('boom'), 'a string']) {
      expect(() => decideBackend(state('auto'), failure(err))).toThrow();
      try {
        decideBackend(state('auto'), failure(err));
      } catch (e) {
        expect(e).toBe(err);
      }
    }
  });

  it('a failure of a destroyed evaluator is EvaluatorDestroyedError, whatever the error', () => {
    for (const choice of ['auto', 'webgpu'] as const) {
      for (const err of [new GpuDeviceLostError('gone', 'destroyed'), abortError(), new GpuOutOfMemoryError('x')]) {
        expect(() => decideBackend(state(choice, { destroyed: true }), failure(err))).toThrow(EvaluatorDestroyedError);
      }
    }
  });
});
