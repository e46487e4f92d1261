/** A proxy of a real device that records every compute pipeline it is asked to compile. */
export function countingDevice(real: GPUDevice): { device: GPUDevice; compiled: string[] } {
  const compiled: string[] = [];
  const record = (d: GPUComputePipelineDescriptor): void => {
    const constants = d.compute.constants ? JSON.stringify(d.compute.constants) : 'generic';
    compiled.push(`${d.compute.entryPoint ?? '?'} ${constants}`);
  };
  const device = new Proxy(real, {
    get(target, key) {
      if (key === 'createComputePipelineAsync') {
        return (d: GPUComputePipelineDescriptor) => (record(d), target.createComputePipelineAsync(d));
      }
      if (key === 'createComputePipeline') return (d: GPUComputePipelineDescriptor) => (record(d), target.createComputePipeline(d));
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { device, compiled };
}
