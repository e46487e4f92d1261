/** Errors of the GPU backend (layer 2). */
import { FieldError, formatValue } from '../schedules/errors.ts';

/** A WGSL module failed to compile; the message lists every error as `line:column: message`. */
export class ShaderCompileError extends Error {
  override readonly name = 'ShaderCompileError';
  constructor(
    readonly label: string,
    /** Every error message of getCompilationInfo(), with its position. */
    readonly messages: readonly { readonly line: number; readonly column: number; readonly message: string }[],
  ) {
    super(`WGSL module ${label} failed to compile:\n${messages.map((m) => `  ${label}:${m.line}:${m.column}: ${m.message}`).join('\n')}`);
  }
}

/** The device was lost (destroyed, driver reset, …) before or during a call. */
export class GpuDeviceLostError extends Error {
  override readonly name = 'GpuDeviceLostError';
  constructor(
    message: string,
    /** GPUDeviceLostInfo.reason when known ('destroyed' or 'unknown'). */
    readonly reason: string = 'unknown',
  ) {
    super(message);
  }
}

/** The device reported an out-of-memory error for a call's buffers or work. */
export class GpuOutOfMemoryError extends Error {
  override readonly name = 'GpuOutOfMemoryError';
}

/** The device reported a validation error: a bug in this library (never hidden by a fallback). */
export class GpuValidationError extends Error {
  override readonly name = 'GpuValidationError';
}

/**
 * A request needs more than a device limit allows (a table or list larger than one
 * storage binding or one buffer). Not a bug and not the caller's fault: the evaluator
 * runs such a request on the CPU under 'auto' and reports GpuUnsupportedError under 'webgpu'.
 */
export class GpuLimitError extends FieldError {
  override readonly name = 'GpuLimitError';
  declare readonly value: number;
  constructor(
    /** What is too large, e.g. 'restart tables' (bytes). */
    field: string,
    value: number,
    /** The device limit, e.g. 'maxStorageBufferBindingSize'. */
    readonly limit: string,
    readonly limitValue: number,
  ) {
    const rule = `must be ≤ the device's ${limit} = ${limitValue}`;
    super(field, value, rule, `${field} = ${formatValue(value)} bytes: ${rule}`);
  }
}
