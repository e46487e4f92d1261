/**
 * Inline Sequences: a user's own kernel concatenates SCHEDULES_WGSL and SEQUENCE_WGSL,
 * binds packSequence(seq).params as `lr_sequence` (and its tables behind lr_table) and
 * calls lr_at(step); it compiles, and every value is within the Sequence's per-piece
 * bound (docs/accuracy.md#sequences) on both sides of every boundary; past lastStep it is NaN.
 */
import { expect, test } from 'vitest';
import { CosineDecay, CosineDecayRestarts, ExponentialDecay, GpuUnsupportedError, PiecewiseConstantDecay, PolynomialDecay, SCHEDULES_WGSL, SEQUENCE_WGSL, Sequence, packSequence, verify } from '../src/index.ts';
import { readBuffer, requireDevice, submitDispatch, withErrorScopes } from './helpers/gpu.ts';

const USER_KERNEL = `${SCHEDULES_WGSL}
${SEQUENCE_WGSL}
@group(0) @binding(0) var<uniform> lr_sequence: LrSequence;
@group(0) @binding(1) var<storage, read> lr_tables: array<u32>;
@group(0) @binding(2) var<storage, read> steps: array<u32>;
@group(0) @binding(3) var<storage, read_write> lr: array<f32>;
fn lr_table(i: u32) -> u32 { return lr_tables[i]; }

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x >= arrayLength(&lr)) { return; }
  lr[gid.x] = lr_at(steps[gid.x]);   // the user's training step would use it as its learning rate
}
`;

async function run(device: GPUDevice, seq: Sequence, steps: Uint32Array): Promise<Float32Array> {
  const packed = packSequence(seq, { minStep: 0, maxStep: Math.max(...steps) });
  return withErrorScopes(device, async () => {
    const module = device.createShaderModule({ code: USER_KERNEL });
    const info = await module.getCompilationInfo();
    expect(info.messages.filter((m) => m.type === 'error').map((m) => m.message)).toEqual([]);
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const make = (bytes: ArrayBufferLike, usage: number): GPUBuffer => {
      const b = device.createBuffer({ size: Math.max(16, bytes.byteLength), usage: usage | GPUBufferUsage.COPY_DST });
      device.queue.writeBuffer(b, 0, bytes as ArrayBuffer);
      return b;
    };
    const out = device.createBuffer({ size: steps.length * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const bind = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [make(packed.params, GPUBufferUsage.UNIFORM), make(packed.tables, GPUBufferUsage.STORAGE), make(steps.buffer, GPUBufferUsage.STORAGE), out].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    submitDispatch(device, pipeline, bind, Math.ceil(steps.length / 64));
    return new Float32Array(await readBuffer(device, out, steps.length * 4));
  });
}

test('lr_at(step) of a Sequence in a user kernel matches the reference within the per-piece bound across every boundary', async () => {
  const { device } = await requireDevice();
  const seq = new Sequence({
    pieces: [
      { begin: 0, schedule: new PolynomialDecay({ initialLearningRate: 0.05, decaySteps: 100, endLearningRate: 0.1, power: 1 }) },
      { begin: 100, schedule: new CosineDecay({ initialLearningRate: 0.1, decaySteps: 900, alpha: 0.1 }) },
      { begin: 1000, schedule: new CosineDecayRestarts({ initialLearningRate: 0.05, firstDecaySteps: 7.5, tMul: 1.5 }), scale: 0.5, shift: 1e-4 },
      { begin: 3000, schedule: new PiecewiseConstantDecay({ boundaries: [3, 10], values: [1, 0.5, 0.25] }), scale: 0.01 },
      { begin: 3100, schedule: new ExponentialDecay({ initialLearningRate: 0.001, decaySteps: 10, decayRate: 0.9 }) },
    ],
    lastStep: 5000,
  });
  const steps = Uint32Array.from({ length: 5001 }, (_, i) => i);
  const values = await run(device, seq, steps);
  const report = verify([seq], steps, values);
  expect(report.failedCount).toBe(0);
  expect(report.checked).toBe(5001);
  // an identity piece's begin gives its schedule's step-0 value exactly rounded
  expect(values[100]).toBe(Math.fround(0.1));
  const past = await run(device, seq, Uint32Array.of(5000, 5001, 4_000_000_000));
  expect(past[0]).toBe(values[5000]); // lastStep itself is served
  expect(Number.isNaN(past[1]!)).toBe(true);
  expect(Number.isNaN(past[2]!)).toBe(true);
});

test('packSequence refuses more pieces than the inline table holds and pieces the GPU declines, naming the piece', () => {
  const cos = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 10 });
  const nine = new Sequence({ pieces: Array.from({ length: 9 }, (_, i) => ({ begin: 10 * i, schedule: cos })) });
  expect(() => packSequence(nine)).toThrow(GpuUnsupportedError);
  expect(() => packSequence(nine)).toThrow(/^Sequence\.pieces\.length = 9: the inline form \(lr_at\) holds at most 8 pieces/);
  const wide = new Sequence({ pieces: [{ begin: 0, schedule: cos }, { begin: 5, schedule: new CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, alpha: 5 }) }] });
  expect(() => packSequence(wide)).toThrow(/^Sequence\.pieces\[1\] \(CosineDecay\)\.alpha = 5:/);
});
