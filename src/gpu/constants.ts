/**
 * WebGPU flag values from the specification. Used instead of the globals
 * (GPUBufferUsage, …) because in Node those exist only after the `webgpu` package is
 * loaded, and modules must be importable before that.
 */

/** GPUBufferUsage flags. */
export const BufferUsage = {
  MAP_READ: 0x0001,
  MAP_WRITE: 0x0002,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

/** GPUMapMode.READ. */
export const MAP_READ = 0x0001;

/** GPUShaderStage.COMPUTE. */
export const STAGE_COMPUTE = 0x4;
