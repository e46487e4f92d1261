/**
 * Every PyTorch scheduler of the fixtures evaluated through the public evaluator on WebGPU
 * (SwiftShader here) and on the CPU backend, at the fixture steps and a dense range, each
 * value judged by verify against the f32 bound of its kind (docs/accuracy.md#the-contract).
 * The max relative error per scheduler and backend is printed at the end.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createEvaluator, fromPyTorch, PYTORCH_SCHEDULERS, type AnySchedule, type Json } from '../../src/index.ts';
import { requireDevice } from '../helpers/gpu.ts';
import { expectGpuRan, type GpuDecline } from './fixture-checks.ts';

interface Case {
  id: string;
  json: { class_name: string; config: Record<string, Json> };
  steps: number[];
  torch: (number | string)[];
}
const FIX = JSON.parse(readFileSync(new URL('../fixtures/dialects/pytorch.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** The fixture's valid steps and every step 0 … min(last, 4000). */
function stepsOf(c: Case): Uint32Array {
  const valid = c.steps.filter((_, i) => typeof c.torch[i] === 'number');
  const last = Math.max(...valid);
  const all = new Set(valid);
  for (let t = 0; t <= Math.min(last, 4000); t++) all.add(t);
  return Uint32Array.from([...all].sort((a, b) => a - b));
}

/** The configs the GPU declines, by the documented rules of their kinds' packers (docs/accuracy.md); every other one runs on WebGPU alone. */
const DECLINED: Readonly<Record<string, GpuDecline>> = {
  'onecycle-linear': { backend: 'webgpu', rule: /pieces\[1\] \(Linear\): hold = false: GPU Linear without hold/ },
  'onecycle-three-linear': { backend: 'webgpu', rule: /pieces\[2\] \(Linear\): hold = false: GPU Linear without hold/ },
  'onecycle-three-fraction': { backend: 'webgpu', rule: /pieces\[2\] \(Linear\): hold = false: GPU Linear without hold/ },
  'onecycle-fraction': { backend: 'webgpu', rule: /pieces\[1\] \(CosineAnneal\): period = 24\.79: GPU CosineAnneal without hold needs an integer period/ },
  // its one piece declined: every value from the CPU
  'onecycle-tiny-warmup': { backend: 'cpu', rule: /pieces\[0\] \(CosineAnneal\): period = 2\.1: GPU CosineAnneal without hold needs an integer period/ },
  'cyclic-fractional': { backend: 'cpu', rule: /stepSizeUp = 2\.5: GPU Cyclic needs an integer stepSizeUp/ },
};

it('the declined configs listed are fixture configs', () => {
  expect(Object.keys(DECLINED).filter((id) => !FIX.cases.some((c) => c.id === id))).toEqual([]);
});

it('a config whose every piece the GPU declines reports the CPU as its backend, by evaluate and by evaluateToBuffer', async () => {
  const { device } = await requireDevice();
  const ev = await createEvaluator({ backend: 'auto', device });
  try {
    const s = fromPyTorch(FIX.cases.find((c) => c.id === 'onecycle-tiny-warmup')!.json);
    const steps = { start: 0, count: 4 };
    const r = await ev.evaluate(s, steps);
    expect([r.backend, r.gpuStats?.dispatches]).toEqual(['cpu', 0]);
    expect(r.fallbackReason).toMatch(/pieces\[0\] \(CosineAnneal\)/);
    const buffer = await ev.evaluateToBuffer(s, steps);
    expect(ev.lastBufferReport?.backend).toBe('cpu');
    buffer.destroy();
  } finally {
    ev.destroy();
  }
});

const summary = new Map<string, { values: number; maxRel: number; backends: Set<string> }>();
function note(key: string, s: AnySchedule, steps: Uint32Array, values: Float32Array, backend: string): void {
  const e = summary.get(key) ?? { values: 0, maxRel: 0, backends: new Set<string>() };
  steps.forEach((t, i) => {
    const x = s.at(t);
    // relative error where the exact value is a normal float32 (below, the bound's 2^-126 term)
    if (Math.abs(x) >= 2 ** -126) e.maxRel = Math.max(e.maxRel, Math.abs((values[i] as number) - x) / Math.abs(x));
  });
  e.values += steps.length;
  e.backends.add(backend);
  summary.set(key, e);
}

afterAll(() => {
  const lines = [...summary].map(([k, e]) => `  ${k.padEnd(40)} ${String(e.values).padStart(6)} values, max rel ${e.maxRel.toExponential(2)} (${[...e.backends].join(', ')})`);
  console.log(['PyTorch schedulers, float32 backends vs the f64 reference:', ...lines].join('\n'));
});

describe.each(PYTORCH_SCHEDULERS)('PyTorch %s on the float32 backends', (name) => {
  const cases = FIX.cases.filter((c) => c.json.class_name === name);
  it('every fixture config on WebGPU and the CPU is within the f32 bound of its kind at every step', async () => {
    const { device } = await requireDevice();
    const gpu = await createEvaluator({ backend: 'auto', device });
    const cpu = await createEvaluator({ backend: 'cpu' });
    try {
      for (const c of cases) {
        const s = fromPyTorch(c.json);
        const steps = stepsOf(c);
        for (const [label, ev] of [['gpu', gpu], ['cpu', cpu]] as const) {
          const r = await ev.evaluate(s, steps, { verify: 'all' });
          expect(r.verification?.ok, `${c.id} on ${label}`).toBe(true);
          if (label === 'gpu') expectGpuRan(r, c.id, DECLINED);
          note(`${name} ${label === 'gpu' ? 'auto(webgpu)' : 'cpu'}`, s, steps, r.values, r.backend);
        }
      }
    } finally {
      gpu.destroy();
      cpu.destroy();
    }
  });
});
