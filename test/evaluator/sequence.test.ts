/**
 * Sequences through the evaluator (docs/design.md, "Sequences on the GPU"): on WebGPU
 * (SwiftShader here) each piece's segment runs on its kind's specialised eval_segments
 * pipeline; every value is judged by verify() 'all' with the Sequence's per-piece bound
 * (docs/accuracy.md#sequences), and the CPU backend gives Sequence.fill's values bit for bit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CosineDecay,
  CosineDecayRestarts,
  ExponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  Sequence,
  StepError,
  EvaluatorInputError,
  GpuUnsupportedError,
  createEvaluator,
  cosineDecaySequence,
  verify,
  type Evaluator,
} from '../../src/index.ts';
import { readBuffer, requireDevice } from '../helpers/gpu.ts';

const warm = new PolynomialDecay({ initialLearningRate: 0.06, decaySteps: 100, endLearningRate: 0.1, power: 2 });
const cos = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 900, alpha: 0.1 });
const restarts = new CosineDecayRestarts({ initialLearningRate: 0.05, firstDecaySteps: 7.5, tMul: 1.5 });
const pw = new PiecewiseConstantDecay({ boundaries: [3, 10], values: [1, 0.5, 0.25] });
const exp = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 });

const three = new Sequence({
  pieces: [
    { begin: 0, schedule: warm },
    { begin: 100, schedule: cos },
    { begin: 1000, schedule: restarts, scale: 0.5, shift: 1e-4 },
  ],
});
const withPw = new Sequence({ pieces: [{ begin: 0, schedule: pw }, { begin: 7, schedule: exp, scale: 3 }, { begin: 20, schedule: pw, scale: 0.1 }] });

let gpu: Evaluator;
let cpu: Evaluator;
beforeAll(async () => {
  const { device } = await requireDevice();
  gpu = await createEvaluator({ backend: 'webgpu', device });
  cpu = await createEvaluator({ backend: 'cpu' });
});
afterAll(() => {
  gpu.destroy();
  cpu.destroy();
});

describe('Sequences on the GPU', () => {
  it('a range over every boundary runs on the GPU within the per-piece bound, and the CPU gives fill() bit for bit', async () => {
    const steps = { start: 0, count: 3000 };
    const r = await gpu.evaluate(three, steps, { verify: 'all' });
    expect(r.backend).toBe('webgpu');
    expect(r.fallbackReason).toBeUndefined();
    expect(r.verification!.ok).toBe(true);
    const c = await cpu.evaluate(three, steps);
    expect(Array.from(c.values)).toEqual(Array.from(three.fill(steps, new Float32Array(3000))));
    // an identity piece's values are its schedule's GPU values at the local step
    const alone = await gpu.evaluate(cos, { start: 0, count: 900 });
    expect(Array.from(r.values.subarray(100, 1000))).toEqual(Array.from(alone.values));
  });

  it('strides and lists crossing boundaries, steps on every boundary, and a mixed sweep of Sequences and primitives', async () => {
    const list = Uint32Array.from([1000, 0, 99, 100, 101, 999, 1001, 5, 12345, 100, 7, 6, 19, 20, 21, 4_000_000_000]);
    for (const steps of [{ start: 1, count: 500, stride: 7 }, { start: 95, count: 3, stride: 905 }, list] as const) {
      const r = await gpu.sweep([three, exp, withPw, cos, three], steps, { verify: 'all' });
      expect(r.backend).toBe('webgpu');
      expect(r.verification!.ok).toBe(true);
      expect(r.rows).toBe(5);
    }
  });

  it("a piece the GPU declines runs on the CPU with the reason under 'auto', the rest of the row on the GPU", async () => {
    const wide = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100, alpha: 5 }); // alpha outside [0, 2]: CPU only
    const s = new Sequence({ pieces: [{ begin: 0, schedule: cos }, { begin: 50, schedule: wide }, { begin: 80, schedule: exp }] });
    const auto = await createEvaluator({ backend: 'auto', device: (await requireDevice()).device });
    try {
      for (const steps of [{ start: 0, count: 200 }, Uint32Array.from([199, 60, 0, 50, 79, 80, 49])] as const) {
        const r = await auto.sweep([exp, s], steps, { verify: 'all' });
        expect([r.backend, r.verification!.ok]).toEqual(['webgpu', true]);
        expect(r.fallbackReason).toMatch(/^schedule #1 \(Sequence\) pieces\[1\] \(CosineDecay\): alpha = 5/);
        const cols = r.cols;
        const col = steps instanceof Uint32Array ? 1 : 60;
        expect(r.values[cols + col]).toBe(Math.fround(s.at(60))); // the CPU's value: the reference rounded once
      }
      const { device } = await requireDevice();
      const buffer = device.createBuffer({ size: 4 * 400, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
      await auto.sweepToBuffer([exp, s], { start: 0, count: 200 }, { buffer, verify: 'all' });
      expect(auto.lastBufferReport!.verification!.ok).toBe(true);
      expect(auto.lastBufferReport!.fallbackReason).toMatch(/pieces\[1\]/);
      buffer.destroy();
    } finally {
      auto.destroy();
    }
  });

  it("under backend 'webgpu' a declined piece is a GpuUnsupportedError naming the schedule and the piece", async () => {
    const wide = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100, alpha: 5 });
    const s = new Sequence({ pieces: [{ begin: 0, schedule: cos }, { begin: 50, schedule: wide }] });
    await expect(gpu.sweep([exp, s], { start: 0, count: 100 })).rejects.toThrow(GpuUnsupportedError);
    await expect(gpu.sweep([exp, s], { start: 0, count: 100 })).rejects.toThrow(/^schedule #1: Sequence\.pieces\[1\] = "CosineDecay": alpha = 5/);
  });

  it('steps past lastStep are refused at the call with a StepError naming the step and the limit', async () => {
    const s = new Sequence({ pieces: [{ begin: 0, schedule: cos }], lastStep: 99 });
    await expect(gpu.evaluate(s, { start: 0, count: 101 })).rejects.toThrow(StepError);
    await expect(gpu.evaluate(s, { start: 0, count: 101 })).rejects.toThrow(/^range\.count = 101: makes the last step 100, which is past the lastStep = 99 of schedules\[0\]/);
    await expect(cpu.sweep([cos, s], [5, 99, 100])).rejects.toThrow(/^steps\[2\] = 100: is past the lastStep = 99 of schedules\[1\]/);
    expect((await gpu.evaluate(s, { start: 0, count: 100 }, { verify: 'all' })).verification!.ok).toBe(true);
  });

  it('into a GPU buffer at an offset, with verify', async () => {
    const { device } = await requireDevice();
    const buffer = device.createBuffer({ size: 4 * (2 * 1200 + 3), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    await gpu.sweepToBuffer([exp, three], { start: 0, count: 1200 }, { buffer, offset: 12, verify: 'all' });
    expect(gpu.lastBufferReport!.verification!.ok).toBe(true);
    const got = new Float32Array(await readBuffer(device, buffer, 4 * 2 * 1200, 12));
    const want = await gpu.sweep([exp, three], { start: 0, count: 1200 });
    expect(Array.from(got)).toEqual(Array.from(want.values));
    const noDst = device.createBuffer({ size: 4 * 1200, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    await expect(gpu.evaluateToBuffer(three, { start: 0, count: 1200 }, { buffer: noDst })).rejects.toThrow(EvaluatorInputError);
    buffer.destroy();
    noDst.destroy();
  });

  it('stream() yields chunks of a Sequence across its boundaries, and an abort rejects with the signal\'s reason', async () => {
    let at = 0;
    for await (const chunk of gpu.stream(three, { start: 0, count: 2500 }, { chunkSteps: 333, verify: 'all' })) {
      expect(chunk.start).toBe(at);
      expect(chunk.backend).toBe('webgpu');
      at += chunk.values.length;
    }
    expect(at).toBe(2500);
    const ctl = new AbortController();
    ctl.abort();
    await expect(gpu.sweep([three, exp], { start: 0, count: 10_000 }, { signal: ctl.signal })).rejects.toThrow(/abort/i);
    await expect(cpu.evaluate(three, { start: 0, count: 10_000 }, { signal: ctl.signal })).rejects.toThrow(/abort/i);
    const late = new AbortController();
    const p = gpu.sweep(Array.from({ length: 64 }, () => three), { start: 0, count: 50_000 }, { signal: late.signal });
    late.abort();
    await expect(p).rejects.toThrow(/abort/i);
    expect((await gpu.evaluate(three, { start: 0, count: 100 }, { verify: 'all' })).verification!.ok).toBe(true); // usable afterwards
  });

  it('tiles: a lowered binding limit splits rows and column windows, still within the bound', async () => {
    const { device } = await requireDevice();
    const small = await createEvaluator({ backend: 'webgpu', device, limits: { maxStorageBufferBindingSize: 4096, readbackBatchBytes: 4096 } });
    try {
      const r = await small.sweep([three, withPw, three], { start: 0, count: 2500 }, { verify: 'all' });
      expect(r.backend).toBe('webgpu');
      expect(r.verification!.ok).toBe(true);
      expect(r.gpuStats!.submits).toBeGreaterThan(3);
      const l = await small.sweep([withPw, three], Uint32Array.from({ length: 3000 }, (_, i) => (i * 7919) % 3001), { verify: 'all' });
      expect(l.verification!.ok).toBe(true);
      expect([r.fallbackReason, l.fallbackReason, l.backend]).toEqual([undefined, undefined, 'webgpu']);
    } finally {
      small.destroy();
    }
  });
});

describe("Keras's CosineDecay with warmup as a Sequence on the GPU", () => {
  it('stays within CosineDecay\'s own bound (k = 20) against CosineDecay itself, the warmup end included', async () => {
    const configs = [
      { initialLearningRate: 0, decaySteps: 900, warmupTarget: 0.1, warmupSteps: 100 },
      { initialLearningRate: 1e-4, decaySteps: 50_000.5, alpha: 0.05, warmupTarget: 3e-3, warmupSteps: 2000 },
      { initialLearningRate: 0.02, decaySteps: 7, alpha: 1.5, warmupTarget: 0.01, warmupSteps: 1 },
    ];
    for (const c of configs) {
      const cd = new CosineDecay(c);
      const seq = cosineDecaySequence(cd);
      for (const steps of [{ start: 0, count: c.warmupSteps + Math.ceil(c.decaySteps) + 50 }, Uint32Array.of(c.warmupSteps - 1, c.warmupSteps, c.warmupSteps + 1, 0, 4_000_000_000)]) {
        const r = await gpu.evaluate(seq, steps);
        expect(r.backend).toBe('webgpu');
        const report = verify([cd], steps, r.values); // judged as the CosineDecay it is, by k = 20
        expect(report.failedCount).toBe(0);
      }
    }
  });
});

describe('verify() of a Sequence', () => {
  it('judges each value by its piece: an identity piece by its kind, a PiecewiseConstantDecay piece exactly', () => {
    const s = new Sequence({ pieces: [{ begin: 0, schedule: pw }, { begin: 10, schedule: new InverseTimeDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 1 }) }] });
    const steps = { start: 0, count: 20 };
    const exact = s.fill(steps, new Float32Array(20));
    expect(verify([s], steps, exact).ok).toBe(true);
    const off = exact.slice();
    off[2] = Math.fround(off[2]! * (1 + 2 ** -23)); // one ulp off in the exact piece
    const r = verify([s], steps, off);
    expect(r.failedCount).toBe(1);
    expect(r.failures[0]!.step).toBe(2);
    const near = exact.slice();
    near[15] = exact[15]! * (1 + 9 * 2 ** -23); // within InverseTimeDecay's k = 10
    expect(verify([s], steps, near).ok).toBe(true);
    expect(r.bounds.map((b) => b.kind)).toEqual(['Sequence piece 0 (PiecewiseConstantDecay)', 'Sequence piece 1 (InverseTimeDecay)']);
  });
});
