/**
 * A minimal local dispatcher for the Layer 1 kernels (tests and bench only): one
 * pipeline per entry point, explicit bind group layout (bindings 0-4 of
 * docs/design.md), one 1D dispatch, one readback. Independent of src/gpu on purpose.
 */
import { EVALUATE_WGSL, WORKGROUP_SIZE, packJob, packSchedules, type KernelSchedule } from '../../src/kernels/index.ts';
import { readBuffer, submitDispatch, withErrorScopes } from './gpu.ts';

const pipelines = new WeakMap<GPUDevice, Map<string, { pipeline: GPUComputePipeline; layout: GPUBindGroupLayout }>>();

export function kernelPipeline(device: GPUDevice, entry: 'eval_range' | 'eval_list', code = EVALUATE_WGSL, constants?: Readonly<Record<string, number>>) {
  let byKey = pipelines.get(device);
  if (!byKey) pipelines.set(device, (byKey = new Map()));
  const key = `${entry}\n${JSON.stringify(constants ?? {})}\n${code}`;
  const hit = byKey.get(key);
  if (hit) return hit;
  const entries: GPUBindGroupLayoutEntry[] = [
    { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
    { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
    { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
    { binding: 3, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
    { binding: 4, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
  ];
  const layout = device.createBindGroupLayout({ entries });
  const module = device.createShaderModule({ code });
  const pipeline = device.createComputePipeline({
    layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    compute: { module, entryPoint: entry, ...(constants ? { constants: { ...constants } } : {}) },
  });
  const made = { pipeline, layout };
  byKey.set(key, made);
  return made;
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
  let minStep = 0xffffffff;
  let maxStep = 0;
  for (const s of steps) {
    if (s < minStep) minStep = s;
    if (s > maxStep) maxStep = s;
  }
  const packed = packSchedules(schedules, { minStep, maxStep });
  const total = schedules.length * steps.length;
  return withErrorScopes(device, async () => {
    const { pipeline, layout } = kernelPipeline(device, 'eval_list', EVALUATE_WGSL, constants);
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
