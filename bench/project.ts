/**
 * The project as the suite sees it, through the public entry only (src/index.ts):
 * schedules by kind and evaluators (the GPU one on the
 * bench's device, and the CPU fallback). Shared by the Node runner and the page.
 */
import { createEvaluator, createSchedule, type AcquiredDevice, type ConfigByKind, type Evaluator, type Schedule, type ScheduleKind } from '../src/index.ts';
import type { BenchEvaluator, BenchSchedule, EvalResult, ProjectApi, Range } from './types.ts';

const real = new WeakMap<BenchSchedule, Schedule>();

function unwrap(s: BenchSchedule): Schedule {
  const r = real.get(s);
  if (!r) throw new Error('bench: schedule not made by project.schedule()');
  return r;
}

function result(r: { values: Float32Array; backend: string; fallbackReason?: string }): EvalResult {
  return { values: r.values, backend: r.backend, fallbackReason: r.fallbackReason };
}

/** Wraps an Evaluator; buffer calls throw if the values did not come from the GPU (a fallback would time the CPU). */
function wrap(ev: Evaluator): BenchEvaluator {
  const gpuOnly = (): void => {
    const rep = ev.lastBufferReport;
    if (rep && rep.backend !== 'webgpu') throw new Error(`evaluateToBuffer ran on ${rep.backend}: ${rep.fallbackReason ?? 'no reason given'}`);
  };
  return {
    backend: ev.backend,
    evaluate: async (s, range: Range) => result(await ev.evaluate(unwrap(s), range)),
    sweep: async (ss, range: Range) => result(await ev.sweep(ss.map(unwrap), range)),
    async evaluateToBuffer(s, range, buffer) {
      await ev.evaluateToBuffer(unwrap(s), range, { buffer, offset: 0 });
      gpuOnly();
    },
    async sweepToBuffer(ss, range, buffer) {
      await ev.sweepToBuffer(ss.map(unwrap), range, { buffer, offset: 0 });
      gpuOnly();
    },
    destroy: () => ev.destroy(),
  };
}

export const project: ProjectApi = {
  schedule(kind: ScheduleKind, config: Record<string, unknown>): BenchSchedule {
    const s = createSchedule(kind, config as unknown as ConfigByKind[typeof kind]) as Schedule;
    real.set(s, s);
    return s;
  },
  async evaluator(backend, device) {
    if (backend === 'webgpu') {
      if (!device) throw new Error('bench: the GPU evaluator needs the bench device');
      return wrap(await createEvaluator({ backend: 'webgpu', device }));
    }
    return wrap(await createEvaluator({ backend: 'cpu' }));
  },
};

/**
 * The adapter as a report records it (both runners): names, features and whether it is
 * a CPU emulation; `extra` (the Node runner's limits) stands before `emulated`.
 */
export function adapterRecord(acquired: AcquiredDevice, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const info = acquired.adapter.info;
  return {
    available: true,
    name: acquired.adapterName,
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    features: [...acquired.device.features].sort(),
    ...extra,
    emulated: /swiftshader|llvmpipe|lavapipe/i.test(`${info.architecture} ${info.description}`) ? 'CPU emulation' : 'no',
  };
}
