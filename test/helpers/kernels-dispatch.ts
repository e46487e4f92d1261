/**
 * A minimal local dispatcher for the Layer 1 kernels (tests and bench only): one
 * pipeline per entry point, explicit bind group layout (bindings 0-4 of
 * docs/design.md, and 5 for the one-row entry points), one 1D dispatch per call (one per
 * row for the one-row entry points), one readback. Independent of src/gpu on purpose.
 */
import { EVALUATE_WGSL, WORKGROUP_SIZE, packJob, packSchedules, type KernelSchedule } from '../../src/kernels/index.ts';
import { readBuffer, submitDispatch, withErrorScopes } from './gpu.ts';

const pipelines = new WeakMap<GPUDevice, Map<string, { pipeline: GPUComputePipeline; layout: GPUBindGroupLayout }>>();

type Entry = 'eval_range' | 'eval_list' | 'eval_range_row' | 'eval_list_row';

export function kernelPipeline(device: GPUDevice, entry: Entry, constants?: Readonly<Record<string, number>>) {
  let byKey = pipelines.get(device);
  if (!byKey) pipelines.set(device, (byKey = new Map()));
  const key = `${entry}\n${JSON.stringify(constants ?? {})}`;
  const hit = byKey.get(key);
  if (hit) return hit;
  const entries: GPUBindGroupLayoutEntry[] = [
    { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
    { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
    { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
    { binding: 3, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
    { binding: 4, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
  ];
  if (entry.endsWith('_row')) entries.push({ binding: 5, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } });
  const layout = device.createBindGroupLayout({ entries });
  const module = device.createShaderModule({ code: EVALUATE_WGSL });
  const pipeline = device.createComputePipeline({
    layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    compute: { module, entryPoint: entry, ...(constants ? { constants: { ...constants } } : {}) },
  });
  const made = { pipeline, layout };
  byKey.set(key, made);
  return made;
}

/** The window [min, max] of `steps`, for packSchedules' tables. */
function stepWindow(steps: Uint32Array): { minStep: number; maxStep: number } {
  let minStep = 0xffffffff;
  let maxStep = 0;
  for (const s of steps) {
    if (s < minStep) minStep = s;
    if (s > maxStep) maxStep = s;
  }
  return { minStep, maxStep };
}

function buffer(device: GPUDevice, data: ArrayBuffer | ArrayBufferView, usage: number): GPUBuffer {
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const size = Math.max(16, Math.ceil(bytes.byteLength / 4) * 4);
  const b = device.createBuffer({ size, usage: usage | GPUBufferUsage.COPY_DST, mappedAtCreation: true });
  new Uint8Array(b.getMappedRange()).set(bytes);
  b.unmap();
  return b;
}

/**
 * Evaluates M schedules × the given u32 steps (eval_list) and returns the M × N
 * row-major Float32Array. The tables are packed for [min(steps), max(steps)]. `constants`
 * (override values, e.g. pipelineConstants()) specialise the pipeline; none: the mixed one.
 */
export async function evalList(device: GPUDevice, schedules: readonly KernelSchedule[], steps: Uint32Array, constants?: Readonly<Record<string, number>>): Promise<Float32Array> {
  const packed = packSchedules(schedules, stepWindow(steps));
  const total = schedules.length * steps.length;
  return withErrorScopes(device, async () => {
    const { pipeline, layout } = kernelPipeline(device, 'eval_list', constants);
    const paramsBuf = buffer(device, packed.params, GPUBufferUsage.STORAGE);
    const tablesBuf = buffer(device, packed.tables, GPUBufferUsage.STORAGE);
    const stepsBuf = buffer(device, steps, GPUBufferUsage.STORAGE);
    const out = device.createBuffer({ size: Math.max(16, total * 4), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const maxGroups = device.limits.maxComputeWorkgroupsPerDimension;
    const jobs: GPUBuffer[] = [];
    // One 1D dispatch (eval_list indexes by global_invocation_id.x alone): ≤ maxGroups·WG elements.
    const groups = Math.ceil(total / WORKGROUP_SIZE);
    if (groups > maxGroups) throw new RangeError(`evalList: ${total} values need ${groups} workgroups, more than one dispatch's ${maxGroups}`);
    const gx = groups;
    const gy = 1;
    const job = buffer(device, packJob({ row0: 0, col0: 0, cols: steps.length, count: total, start: 0, stride: 1, groupsX: gx, outOffset: 0 }), GPUBufferUsage.UNIFORM);
    jobs.push(job);
    const bind = device.createBindGroup({
      layout,
      entries: [job, paramsBuf, tablesBuf, stepsBuf, out].map((b, binding) => ({ binding, resource: { buffer: b } })),
    });
    submitDispatch(device, pipeline, bind, gx, gy);
    const data = new Float32Array(await readBuffer(device, out, total * 4));
    for (const b of [paramsBuf, tablesBuf, stepsBuf, out, ...jobs]) b.destroy();
    return data;
  });
}

/** Steps of a one-row dispatch: a list (eval_list_row) or a range start + i·stride (eval_range_row). */
export type RowSteps = { readonly list: Uint32Array } | { readonly start: number; readonly stride: number; readonly count: number };

/**
 * The one-row entry points: eval_list_row or eval_range_row over each schedule, one dispatch
 * per row, the row's ScheduleParams bound by itself at binding 5 (at a 256-byte aligned offset
 * of one copy of the rows, as the GPU backend binds them). Returns the M × N row-major values.
 */
export async function evalRows(device: GPUDevice, schedules: readonly KernelSchedule[], steps: RowSteps, constants?: Readonly<Record<string, number>>): Promise<Float32Array> {
  const list = 'list' in steps ? steps.list : Uint32Array.from({ length: steps.count }, (_, i) => steps.start + i * steps.stride);
  const packed = packSchedules(schedules, stepWindow(list));
  const n = list.length;
  const rowBytes = packed.params.byteLength / schedules.length;
  const stride = Math.ceil(rowBytes / 256) * 256;
  const padded = new Uint8Array(schedules.length * stride);
  schedules.forEach((_, r) => padded.set(new Uint8Array(packed.params, r * rowBytes, rowBytes), r * stride));
  return withErrorScopes(device, async () => {
    const { pipeline, layout } = kernelPipeline(device, 'list' in steps ? 'eval_list_row' : 'eval_range_row', constants);
    const paramsBuf = buffer(device, packed.params, GPUBufferUsage.STORAGE);
    const rowsBuf = buffer(device, padded, GPUBufferUsage.STORAGE);
    const tablesBuf = buffer(device, packed.tables, GPUBufferUsage.STORAGE);
    const stepsBuf = buffer(device, list, GPUBufferUsage.STORAGE);
    const out = device.createBuffer({ size: Math.max(16, schedules.length * n * 4), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const groups = Math.ceil(n / WORKGROUP_SIZE);
    if (groups > device.limits.maxComputeWorkgroupsPerDimension) throw new RangeError(`evalRows: ${n} values need ${groups} workgroups, more than one dispatch's`);
    const jobs: GPUBuffer[] = [];
    for (let r = 0; r < schedules.length; r++) {
      // out_offset = r·n (the whole output is bound at 0): the one-row kernel never reads row0.
      const range = 'list' in steps ? { start: 0, stride: 0 } : { start: steps.start, stride: steps.stride };
      const job = buffer(device, packJob({ row0: r, col0: 0, cols: 0xffffffff, count: n, ...range, groupsX: groups, outOffset: r * n }), GPUBufferUsage.UNIFORM);
      jobs.push(job);
      const bind = device.createBindGroup({
        layout,
        entries: [
          ...[job, paramsBuf, tablesBuf, stepsBuf, out].map((b, binding) => ({ binding, resource: { buffer: b } })),
          { binding: 5, resource: { buffer: rowsBuf, offset: r * stride, size: rowBytes } },
        ],
      });
      submitDispatch(device, pipeline, bind, groups);
    }
    const data = new Float32Array(await readBuffer(device, out, schedules.length * n * 4));
    for (const b of [paramsBuf, rowsBuf, tablesBuf, stepsBuf, out, ...jobs]) b.destroy();
    return data;
  });
}
