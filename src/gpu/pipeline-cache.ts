/**
 * Compute pipelines per device, compiled once: a WeakMap keyed by the GPUDevice, so a
 * lost or dropped device frees its pipelines. Compilation errors are thrown as
 * ShaderCompileError with line:column from getCompilationInfo(), never hidden.
 */

import { ENTRY_POINTS } from '../kernels/wgsl.generated.ts';
import { STAGE_COMPUTE } from './constants.ts';
import { ShaderCompileError } from './errors.ts';

/** The WGSL program the GPU backend runs: entry points eval_range and eval_list with the bindings of docs/design.md. */
export interface KernelSource {
  /** WGSL source. */
  readonly code: string;
  /** A label for errors and debugging tools. */
  readonly label?: string;
  /**
   * Values of pipeline-overridable constants (WGSL `override`), e.g. the one schedule kind a
   * pipeline is specialised for. Each distinct set is its own pipeline pair.
   */
  readonly constants?: Readonly<Record<string, number>> | undefined;
}

/** The two pipelines of a kernel and their shared bind group layout (bindings 0-4 of docs/design.md). */
export interface KernelPipelines {
  readonly layout: GPUBindGroupLayout;
  readonly range: GPUComputePipeline;
  readonly list: GPUComputePipeline;
}

const cache = new WeakMap<GPUDevice, Map<string, Promise<KernelPipelines>>>();

/** The bind group layout of evaluate.wgsl: 0 uniform Job, 1-3 read-only storage, 4 read-write storage. */
export function createEvaluateLayout(device: GPUDevice): GPUBindGroupLayout {
  const ro: GPUBufferBindingLayout = { type: 'read-only-storage' };
  return device.createBindGroupLayout({
    label: 'lr-schedules evaluate',
    entries: [
      { binding: 0, visibility: STAGE_COMPUTE, buffer: { type: 'uniform' } },
      { binding: 1, visibility: STAGE_COMPUTE, buffer: ro },
      { binding: 2, visibility: STAGE_COMPUTE, buffer: ro },
      { binding: 3, visibility: STAGE_COMPUTE, buffer: ro },
      { binding: 4, visibility: STAGE_COMPUTE, buffer: { type: 'storage' } },
    ],
  });
}

async function compile(device: GPUDevice, source: KernelSource): Promise<KernelPipelines> {
  const label = source.label ?? 'evaluate.wgsl';
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label, code: source.code });
  const [info, scopeError] = await Promise.all([module.getCompilationInfo(), device.popErrorScope()]);
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length > 0) {
    throw new ShaderCompileError(label, errors.map((m) => ({ line: m.lineNum, column: m.linePos, message: m.message })));
  }
  if (scopeError) throw new ShaderCompileError(label, [{ line: 0, column: 0, message: scopeError.message }]);
  const layout = createEvaluateLayout(device);
  const pipelineLayout = device.createPipelineLayout({ label, bindGroupLayouts: [layout] });
  const make = (entryPoint: string): Promise<GPUComputePipeline> =>
    device.createComputePipelineAsync({ label: `${label} ${entryPoint}`, layout: pipelineLayout, compute: { module, entryPoint, ...(source.constants ? { constants: { ...source.constants } } : {}) } }).catch((err: unknown) => {
      throw new ShaderCompileError(label, [{ line: 0, column: 0, message: `entry point ${entryPoint}: ${(err as Error).message}` }]);
    });
  const [range, list] = await Promise.all([make(ENTRY_POINTS.range), make(ENTRY_POINTS.list)]);
  return { layout, range, list };
}

/**
 * The pipelines of `source` on `device`, compiled on first use and cached per device,
 * source text and override constants. A failed compilation is not cached (the next call reports it again).
 */
export function getPipelines(device: GPUDevice, source: KernelSource): Promise<KernelPipelines> {
  let perDevice = cache.get(device);
  if (!perDevice) cache.set(device, (perDevice = new Map()));
  const key = source.constants ? `${source.code}\u0000${JSON.stringify(source.constants)}` : source.code;
  let p = perDevice.get(key);
  if (!p) {
    p = compile(device, source);
    perDevice.set(key, p);
    p.catch(() => perDevice.delete(key));
  }
  return p;
}
