/**
 * Compute pipelines per device, compiled on first use and cached: WeakMaps keyed by the
 * GPUDevice, so a lost or dropped device frees them. The shader module is created and
 * checked once per device and source text (`checkModule`, cheap: the WGSL is parsed and
 * validated); each pipeline (entry point × override constants) is compiled only when a
 * request needs it (`getPipeline`), since compiling one is the expensive step (0.2-1 s on
 * a software GPU). Compilation errors are thrown as ShaderCompileError with line:column
 * from getCompilationInfo(), never hidden.
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

/**
 * The kernel's entry points: `range` (eval_range, steps start + i·stride) and `list` (eval_list, a
 * step list) over any rows; `rangeRow` and `listRow` the same inside one row whose parameters are
 * bound by themselves at binding 5 (ROW_PARAMS_BINDING); `segments` (Sequence segments).
 */
export type EntryKind = keyof typeof ENTRY_POINTS;

/** One compiled entry point and the bind group layout it was compiled with (bindings 0-4 of docs/design.md, and 5 for `rangeRow` / `listRow`). */
export interface KernelPipeline {
  readonly layout: GPUBindGroupLayout;
  readonly pipeline: GPUComputePipeline;
}

/** Both pipelines of a kernel and their shared bind group layout. */
export interface KernelPipelines {
  readonly layout: GPUBindGroupLayout;
  readonly range: GPUComputePipeline;
  readonly list: GPUComputePipeline;
}

/** The layouts of one kind of entry point: bindings 0-4, or 0-5 for the one-row entry points. */
interface Layouts {
  readonly layout: GPUBindGroupLayout;
  readonly pipelineLayout: GPUPipelineLayout;
}

/** A checked shader module and the layouts its pipelines share. */
interface CheckedModule {
  readonly label: string;
  readonly module: GPUShaderModule;
  readonly all: Layouts;
  readonly oneRow: Layouts;
}

/** The binding of the one-row entry points' parameters (`row_params`, one ScheduleParams, read-only storage). */
export const ROW_PARAMS_BINDING = 5;

/** Whether `entry` is a one-row entry point (its layout has ROW_PARAMS_BINDING). */
export function isOneRowEntry(entry: EntryKind): boolean {
  return entry === 'rangeRow' || entry === 'listRow';
}

const modules = new WeakMap<GPUDevice, Map<string, Promise<CheckedModule>>>();
const pipelines = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

/**
 * The bind group layout of evaluate.wgsl: 0 uniform Job, 1-3 read-only storage, 4 read-write
 * storage; with `oneRow`, also ROW_PARAMS_BINDING, read-only storage (eval_range_row, eval_list_row).
 */
export function createEvaluateLayout(device: GPUDevice, oneRow = false): GPUBindGroupLayout {
  const ro: GPUBufferBindingLayout = { type: 'read-only-storage' };
  return device.createBindGroupLayout({
    label: oneRow ? 'lr-schedules evaluate one row' : 'lr-schedules evaluate',
    entries: [
      { binding: 0, visibility: STAGE_COMPUTE, buffer: { type: 'uniform' } },
      { binding: 1, visibility: STAGE_COMPUTE, buffer: ro },
      { binding: 2, visibility: STAGE_COMPUTE, buffer: ro },
      { binding: 3, visibility: STAGE_COMPUTE, buffer: ro },
      { binding: 4, visibility: STAGE_COMPUTE, buffer: { type: 'storage' } },
      ...(oneRow ? [{ binding: ROW_PARAMS_BINDING, visibility: STAGE_COMPUTE, buffer: ro }] : []),
    ],
  });
}

async function createChecked(device: GPUDevice, source: KernelSource): Promise<CheckedModule> {
  const label = source.label ?? 'evaluate.wgsl';
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label, code: source.code });
  const [info, scopeError] = await Promise.all([module.getCompilationInfo(), device.popErrorScope()]);
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length > 0) {
    throw new ShaderCompileError(label, errors.map((m) => ({ line: m.lineNum, column: m.linePos, message: m.message })));
  }
  if (scopeError) throw new ShaderCompileError(label, [{ line: 0, column: 0, message: scopeError.message }]);
  const layouts = (oneRow: boolean): Layouts => {
    const layout = createEvaluateLayout(device, oneRow);
    return { layout, pipelineLayout: device.createPipelineLayout({ label, bindGroupLayouts: [layout] }) };
  };
  return { label, module, all: layouts(false), oneRow: layouts(true) };
}

/** Looks `key` up in the per-device map of `store`, making it with `make` once; a failure is not cached. */
function cached<T>(store: WeakMap<GPUDevice, Map<string, Promise<T>>>, device: GPUDevice, key: string, make: () => Promise<T>): Promise<T> {
  let perDevice = store.get(device);
  if (!perDevice) store.set(device, (perDevice = new Map()));
  let p = perDevice.get(key);
  if (!p) {
    p = make();
    perDevice.set(key, p);
    const map = perDevice;
    p.catch(() => map.delete(key));
  }
  return p;
}

/**
 * Creates and checks the shader module of `source` once per device and source text, with no
 * pipeline: rejects with ShaderCompileError when the WGSL does not compile.
 */
export async function checkModule(device: GPUDevice, source: KernelSource): Promise<void> {
  await cached(modules, device, source.code, () => createChecked(device, source));
}

/**
 * One entry point of `source` on `device`, compiled on first use and cached per device,
 * source text, override constants and entry point. A failed compilation is not cached (the
 * next call reports it again).
 */
export async function getPipeline(device: GPUDevice, source: KernelSource, entry: EntryKind): Promise<KernelPipeline> {
  const checked = await cached(modules, device, source.code, () => createChecked(device, source));
  const key = `${entry}\u0000${source.constants ? JSON.stringify(source.constants) : ''}\u0000${source.code}`;
  const layouts = isOneRowEntry(entry) ? checked.oneRow : checked.all;
  const pipeline = await cached(pipelines, device, key, () => {
    const entryPoint = ENTRY_POINTS[entry];
    const compute = { module: checked.module, entryPoint, ...(source.constants ? { constants: { ...source.constants } } : {}) };
    return device.createComputePipelineAsync({ label: `${checked.label} ${entryPoint}`, layout: layouts.pipelineLayout, compute }).catch((err: unknown) => {
      throw new ShaderCompileError(checked.label, [{ line: 0, column: 0, message: `entry point ${entryPoint}: ${(err as Error).message}` }]);
    });
  });
  return { layout: layouts.layout, pipeline };
}

/** Both entry points of `source` on `device` (each compiled once, as getPipeline). */
export async function getPipelines(device: GPUDevice, source: KernelSource): Promise<KernelPipelines> {
  const [range, list] = await Promise.all([getPipeline(device, source, 'range'), getPipeline(device, source, 'list')]);
  return { layout: range.layout, range: range.pipeline, list: list.pipeline };
}
