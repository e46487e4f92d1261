import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CosineDecay, createEvaluator } from '../src/index.ts';
import { trainWithLrBuffer } from '../examples/snippets/lr-buffer.ts';
import { lrFromInlineWgsl } from '../examples/snippets/lr-inline.ts';
import { lrFromInlineSequence, wsd } from '../examples/snippets/lr-sequence-inline.ts';
import { verify } from '../src/verify/index.ts';
import { readBuffer, requireDevice, withErrorScopes } from './helpers/gpu.ts';

/** The config both snippets use (they keep it inline, as a user would). */
const schedule = (): CosineDecay => new CosineDecay({ initialLearningRate: 0.001, warmupTarget: 0.1, warmupSteps: 100, decaySteps: 900 });
const STEPS = 1000;

async function evaluatorTable(device: GPUDevice): Promise<Float32Array> {
  const ev = await createEvaluator({ backend: 'webgpu', device });
  const buffer = await ev.evaluateToBuffer(schedule(), { start: 0, count: STEPS });
  const values = new Float32Array(await readBuffer(device, buffer, STEPS * 4));
  buffer.destroy();
  ev.destroy();
  return values;
}

describe('examples/README.md snippets', () => {
  it('the README shows each snippet file verbatim', () => {
    const readme = readFileSync('examples/README.md', 'utf8');
    for (const file of ['examples/snippets/lr-buffer.ts', 'examples/snippets/lr-inline.ts', 'examples/snippets/lr-sequence-inline.ts']) {
      expect(readme, `${file} is not in examples/README.md as it is on disk`).toContain(readFileSync(file, 'utf8').trim());
    }
  });

  it('inline: a user kernel with SCHEDULES_WGSL concatenated compiles and matches the reference and the evaluator bit for bit', async () => {
    const { device } = await requireDevice();
    const lr = await withErrorScopes(device, () => lrFromInlineWgsl(device, STEPS));
    const report = verify([schedule()], { start: 0, count: STEPS }, lr);
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    const table = await evaluatorTable(device);
    const a = new Uint32Array(lr.buffer);
    const b = new Uint32Array(table.buffer);
    expect(a.findIndex((bits, i) => bits !== b[i])).toBe(-1);
  });

  it('inline Sequence: lr_at(step) in a user kernel is within the per-piece bound and equals the evaluator bit for bit', async () => {
    const { device } = await requireDevice();
    const lr = await withErrorScopes(device, () => lrFromInlineSequence(device, STEPS));
    const report = verify([wsd()], { start: 0, count: STEPS }, lr);
    expect(report.failures).toEqual([]);
    const ev = await createEvaluator({ backend: 'webgpu', device });
    const table = (await ev.evaluate(wsd(), { start: 0, count: STEPS })).values;
    ev.destroy();
    const a = new Uint32Array(lr.buffer);
    const b = new Uint32Array(table.buffer);
    expect(a.findIndex((bits, i) => bits !== b[i])).toBe(-1);
  });

  it('buffer: SGD reading lr[step] from the evaluator buffer lands where the lr sequence says', async () => {
    const { device } = await requireDevice();
    const w = await withErrorScopes(device, () => trainWithLrBuffer(device));
    // w_{s+1} − 1 = (1 − a lr[s]) (w_s − 1) from w_0 = 0, a = (i + 1) / 256: w = 1 − Π(1 − a lr[s]),
    // here in f64 from the evaluator's values. 1000 f32 updates drift by well under 1e-5; reading
    // lr[0] at every step would leave w[0] ≈ 0.004 instead of ≈ 0.18.
    const table = await evaluatorTable(device);
    w.forEach((wi, i) => {
      const a = (i + 1) / 256;
      let prod = 1;
      for (const lr of table) prod *= 1 - a * lr;
      expect(Math.abs(wi - (1 - prod)), `w[${i}]`).toBeLessThan(1e-5);
    });
    expect(w[0]).toBeGreaterThan(0.1);
    expect(w[0]).toBeLessThan(0.9);
  });
});
