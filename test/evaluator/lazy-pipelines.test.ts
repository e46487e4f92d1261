/**
 * Pipelines are compiled only when a call needs them (src/gpu/pipeline-cache.ts):
 * createEvaluator checks the WGSL and compiles nothing; a call compiles the one entry
 * point and schedule kind (and, when its rows share them, flags) it runs, once per device.
 */
import { describe, expect, it } from 'vitest';
import { CosineDecay, ExponentialDecay, acquireDevice, createEvaluator } from '../../src/index.ts';
import { FLAGS_OVERRIDE, KIND_CODES, KIND_OVERRIDE } from '../../src/kernels/wgsl.generated.ts';

/** A proxy of a real device that records every compute pipeline it is asked to compile. */
function countingDevice(real: GPUDevice): { device: GPUDevice; compiled: string[] } {
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

/** The constants of a part of one kind whose rows share flags word 0 (no warmup, no staircase, …). */
const kindOf = (code: number): string => JSON.stringify({ [KIND_OVERRIDE]: code, [FLAGS_OVERRIDE]: 0 });

describe('pipelines compiled on first use', () => {
  it('createEvaluator compiles no pipeline; a range call compiles eval_range of its one kind, once', async () => {
    const { device: real } = await acquireDevice();
    const { device, compiled } = countingDevice(real);
    const ev = await createEvaluator({ backend: 'webgpu', device });
    expect(compiled).toEqual([]);
    const cosine = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100 });
    const a = await ev.evaluate(cosine, { start: 0, count: 64 });
    expect(a.backend).toBe('webgpu');
    expect(compiled).toEqual([`eval_range ${kindOf(KIND_CODES.CosineDecay)}`]);
    // The same kind again, and a sweep of that kind: nothing new.
    await ev.sweep([cosine, new CosineDecay({ initialLearningRate: 0.2, decaySteps: 50 })], { start: 0, count: 32 });
    expect(compiled).toHaveLength(1);
    // Another kind, then a step list: one pipeline each.
    const expo = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    await ev.evaluate(expo, { start: 0, count: 16 });
    await ev.evaluate(expo, Uint32Array.of(0, 5, 70));
    expect(compiled).toEqual([
      `eval_range ${kindOf(KIND_CODES.CosineDecay)}`,
      `eval_range ${kindOf(KIND_CODES.ExponentialDecay)}`,
      `eval_list ${kindOf(KIND_CODES.ExponentialDecay)}`,
    ]);
    // A mixed sweep runs kind group by kind group: kinds compiled already are reused.
    await ev.sweep([cosine, expo, cosine], { start: 0, count: 8 });
    expect(compiled).toHaveLength(3);
    ev.destroy();
    real.destroy();
  });
});
