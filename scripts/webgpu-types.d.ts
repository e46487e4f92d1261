/**
 * The WebGPU types this package's declarations use, taken from the compilation's own
 * globals: TypeScript >= 6 with lib "DOM" has them, and so has any version with
 * `@webgpu/types` in compilerOptions.types. Without either (TypeScript 5.9 with DOM,
 * or no DOM at all) each becomes an opaque placeholder, so the package still
 * compiles, and its message says how to get the real types.
 */
type Globals = typeof globalThis;
/** The instance type of a global WebGPU class, when this compilation declares it. */
type WebGPUClass<Name extends string, Placeholder> = Globals extends { readonly [K in Name]: { prototype: infer T } } ? T : Placeholder;
/** Stands for a WebGPU type this compilation does not declare. */
interface NoWebGPUTypes<Name extends string> {
  readonly 'webgpu-lr-schedules: no WebGPU types': `${Name}: add "@webgpu/types" to compilerOptions.types (or use TypeScript >= 6 with lib "DOM")`;
}
export type GPU = WebGPUClass<'GPU', NoWebGPUTypes<'GPU'> & { requestAdapter(options?: object): Promise<unknown> }>;
export type GPUAdapter = WebGPUClass<'GPUAdapter', NoWebGPUTypes<'GPUAdapter'>>;
export type GPUDevice = WebGPUClass<'GPUDevice', NoWebGPUTypes<'GPUDevice'>>;
export type GPUBuffer = WebGPUClass<'GPUBuffer', NoWebGPUTypes<'GPUBuffer'>>;
export type GPUBindGroupLayout = WebGPUClass<'GPUBindGroupLayout', NoWebGPUTypes<'GPUBindGroupLayout'>>;
export type GPUComputePipeline = WebGPUClass<'GPUComputePipeline', NoWebGPUTypes<'GPUComputePipeline'>>;
export type GPUSupportedLimits = WebGPUClass<'GPUSupportedLimits', NoWebGPUTypes<'GPUSupportedLimits'>>;
export type GPUDeviceLostInfo = WebGPUClass<'GPUDeviceLostInfo', NoWebGPUTypes<'GPUDeviceLostInfo'>>;
/** The WebGPU enum (spec: "low-power" | "high-performance"); assignable to the real one. */
export type GPUPowerPreference = 'low-power' | 'high-performance';
/** The WebGPU flags type (spec: unsigned long). */
export type GPUBufferUsageFlags = number;
