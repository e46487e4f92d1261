/**
 * webgpu-lr-schedules: Keras learning-rate schedules evaluated exactly (f64
 * reference) and in bulk (WGSL compute shaders, with a CPU fallback), verified
 * against the accuracy bound of docs/accuracy.md. The one public entry for browsers and
 * Node; `src/node.ts` adds Node-only helpers.
 */

export * from './schedules/index.ts';
export * from './api/index.ts';
export * from './dialects/index.ts';
/** Unchecked helpers over validated steps (the one steps module, beside the checks schedules/index.ts exports). */
export { stepAt, stepReader } from './schedules/steps.ts';
export { verify, formatFailures, sampleIndices, VerificationError } from './verify/verify.ts';
export type { VerifyReport, VerifyFailure, VerifyOptions } from './verify/verify.ts';
export { toleranceK, acceptanceInterval, accepts, boundText, boundsText, EPS_F32, ABS_SLACK } from './verify/tolerance.ts';
export type { KindBound, VerifiableSchedule } from './verify/tolerance.ts';
export { ulpF32, ulpDistance, nextUpF32, nextDownF32, floorF32, ceilF32, f32Bits, f32FromBits } from './verify/ulp.ts';
export { GpuUnavailableError, acquireDevice, getGpu } from './gpu/device.ts';
export type { AcquiredDevice } from './gpu/device.ts';
export { ShaderCompileError, GpuDeviceLostError, GpuOutOfMemoryError, GpuValidationError } from './gpu/errors.ts';
export type { GpuLimitOverrides, GpuRunStats } from './gpu/gpu-backend.ts';
export { planChunks, ChunkPlanError } from './gpu/chunk-planner.ts';
export type { Chunk, ChunkPlanInput, PlannerLimits } from './gpu/chunk-planner.ts';
export {
  EVALUATE_WGSL,
  SCHEDULES_WGSL,
  NO_TABLE_WGSL,
  SEQUENCE_WGSL,
  packSequence,
  WORKGROUP_SIZE,
  packScheduleParams,
  gpuSupport,
  GpuUnsupportedError,
} from './kernels/index.ts';
export type { GpuUnsupported, StepWindow, InlineSequence, PackedSequence } from './kernels/index.ts';
