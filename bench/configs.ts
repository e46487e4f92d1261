/**
 * The schedules the suite evaluates and the labels of its shapes. Every kind of the
 * library (SCHEDULE_KINDS) is measured: the Keras six with configs sized to the range here,
 * any other kind with its registry's explorer defaults (registryConfig), so a new kind is
 * benchmarked without an edit here.
 */
import { SCHEDULE_KINDS, scheduleFields, type ExplorerDefault, type ScheduleKind } from '../src/index.ts';

const firstValue = (d: ExplorerDefault): unknown => (d.mode === 'range' ? d.from : d.values[0]);

/** A kind's config from its registry field table: each swept field at its explorer default's first value, the rest at their defaults. */
export function registryConfig(kind: ScheduleKind): Record<string, unknown> {
  return Object.fromEntries(scheduleFields(kind).flatMap((f) => (f.explorer === undefined ? [] : [[f.name, firstValue(f.explorer.sweep)]])));
}

/** Representative config of each kind for n steps: decays end inside the range, restarts and boundaries fall in it. */
export function singleConfig(kind: ScheduleKind, n: number): { config: Record<string, unknown>; edges: number[] } {
  const d = Math.max(1, Math.round(n * 0.9));
  switch (kind) {
    case 'CosineDecay':
      return { config: { initialLearningRate: 0.1, decaySteps: d, alpha: 0 }, edges: [d - 1, d, d + 1] };
    case 'CosineDecayRestarts': {
      const l0 = Math.max(1, Math.floor(n / 64));
      const edges: number[] = [];
      for (let k = 1, b = l0; b < n; k++, b += l0 * 2 ** k) edges.push(b - 1, b, b + 1);
      return { config: { initialLearningRate: 0.1, firstDecaySteps: l0, tMul: 2, mMul: 0.9, alpha: 0.01 }, edges };
    }
    case 'ExponentialDecay':
      return { config: { initialLearningRate: 0.1, decaySteps: Math.max(1, Math.floor(n / 8)), decayRate: 0.5 }, edges: [] };
    case 'PiecewiseConstantDecay': {
      const b = [Math.floor(n / 4), Math.floor(n / 2), Math.floor((3 * n) / 4)];
      return { config: { boundaries: b, values: [0.1, 0.05, 0.01, 0.001] }, edges: b.flatMap((x) => [x - 1, x, x + 1]) };
    }
    case 'PolynomialDecay':
      return { config: { initialLearningRate: 0.1, decaySteps: d, endLearningRate: 1e-4, power: 2 }, edges: [d - 1, d, d + 1] };
    case 'InverseTimeDecay':
      return { config: { initialLearningRate: 0.1, decaySteps: Math.max(1, Math.floor(n / 16)), decayRate: 0.5 }, edges: [] };
    case 'SqrtAnneal':
      return { config: { from: 0.1, to: 0, steps: d }, edges: [d - 1, d, d + 1] };
    case 'InverseSqrt':
      return { config: { value: 0.1, timescale: Math.max(1, Math.floor(n / 16)) }, edges: [] };
    case 'Cyclic': {
      const up = Math.max(1, Math.floor(n / 16));
      return { config: { baseLr: 1e-3, maxLr: 0.1, stepSizeUp: up, mode: 'triangular2' }, edges: [up - 1, up, up + 1, 2 * up] };
    }
    default:
      return { config: registryConfig(kind), edges: [] };
  }
}

/** Row r of a mixed sweep over `steps` steps: kinds in turn, parameters varied by r. */
export function sweepConfig(r: number, steps: number): { kind: ScheduleKind; config: Record<string, unknown> } {
  const kind = SCHEDULE_KINDS[r % SCHEDULE_KINDS.length] as ScheduleKind;
  const scale = 0.5 + ((r * 37) % 100) / 100; // 0.5 … 1.49
  const lr0 = 0.1 * (1 + (r % 7) / 7);
  const n = Math.max(2, Math.round(steps * scale));
  switch (kind) {
    case 'CosineDecay':
      return { kind, config: { initialLearningRate: lr0, decaySteps: n, alpha: (r % 3) * 0.01, warmupTarget: r % 2 ? lr0 * 2 : null, warmupSteps: r % 2 ? Math.floor(n / 10) : 0 } };
    case 'CosineDecayRestarts':
      return { kind, config: { initialLearningRate: lr0, firstDecaySteps: Math.max(1, Math.floor(n / 20)), tMul: r % 2 ? 2 : 1, mMul: 0.9, alpha: 0.01 } };
    case 'ExponentialDecay':
      return { kind, config: { initialLearningRate: lr0, decaySteps: Math.max(1, Math.floor(n / 10)), decayRate: 0.9, staircase: r % 2 === 1 } };
    case 'PiecewiseConstantDecay': {
      const b = [Math.floor(n / 5), Math.floor(n / 3), Math.floor(n / 2)];
      return { kind, config: { boundaries: b, values: [lr0, lr0 / 2, lr0 / 4, lr0 / 8] } };
    }
    case 'PolynomialDecay':
      return { kind, config: { initialLearningRate: lr0, decaySteps: n, endLearningRate: lr0 / 100, power: 1 + (r % 3) * 0.5, cycle: r % 2 === 1 } };
    case 'InverseTimeDecay':
      return { kind, config: { initialLearningRate: lr0, decaySteps: Math.max(1, Math.floor(n / 10)), decayRate: 0.5, staircase: r % 2 === 1 } };
    case 'SqrtAnneal':
      return { kind, config: { from: lr0, to: lr0 / 100, steps: n, reverse: r % 2 === 1 } };
    case 'InverseSqrt':
      return { kind, config: { value: lr0, timescale: Math.max(1, Math.floor(n / 10)) } };
    case 'Cyclic':
      return { kind, config: { baseLr: lr0 / 10, maxLr: lr0, stepSizeUp: Math.max(1, Math.floor(n / 8)), mode: (['triangular', 'triangular2', 'exp_range'] as const)[r % 3], gamma: 0.9999 } };
    default:
      return { kind, config: registryConfig(kind) };
  }
}

export function pow2Label(log2: number): string {
  return `2^${log2}`;
}

export function sweepLabel(m: number, n: number): string {
  const p = (x: number): string => (Number.isInteger(Math.log10(x)) ? `10^${Math.log10(x)}` : String(x));
  return `${m.toLocaleString('en-US')} × ${p(n)}`;
}
