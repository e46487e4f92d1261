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

/**
 * Row r of a mixed sweep over `steps` steps: the kinds in turn (row r has kind r % 12), parameters
 * varied by row (kindRowConfig).
 */
export function sweepConfig(r: number, steps: number): { kind: ScheduleKind; config: Record<string, unknown> } {
  const kind = SCHEDULE_KINDS[r % SCHEDULE_KINDS.length] as ScheduleKind;
  return { kind, config: kindRowConfig(kind, r, Math.floor(r / SCHEDULE_KINDS.length), steps) };
}

/**
 * The config of a mixed sweep's row r (over `steps` steps), the q-th row of its kind. Scale and
 * initial value follow r; the kind's variants follow q, so a kind's rows take every variant in
 * turn (q % 2, q % 3, or both for 6 rows: warmup or not × α 0, 0.01, 0.02; cycle or not × power
 * 1, 1.5, 2; t_mul 1 or 2; staircase or not; …), whatever the number of kinds mixed.
 */
export function kindRowConfig(kind: ScheduleKind, r: number, q: number, steps: number): Record<string, unknown> {
  const scale = 0.5 + ((r * 37) % 100) / 100; // 0.5 … 1.49
  const lr0 = 0.1 * (1 + (r % 7) / 7);
  const n = Math.max(2, Math.round(steps * scale));
  const odd = q % 2 === 1;
  const third = Math.floor(q / 2) % 3; // with odd: the 6 pairs in q = 0 … 5
  switch (kind) {
    case 'CosineDecay':
      return { initialLearningRate: lr0, decaySteps: n, alpha: third * 0.01, warmupTarget: odd ? lr0 * 2 : null, warmupSteps: odd ? Math.floor(n / 10) : 0 };
    case 'CosineDecayRestarts':
      return { initialLearningRate: lr0, firstDecaySteps: Math.max(1, Math.floor(n / 20)), tMul: odd ? 2 : 1, mMul: 0.9, alpha: 0.01 };
    case 'ExponentialDecay':
      return { initialLearningRate: lr0, decaySteps: Math.max(1, Math.floor(n / 10)), decayRate: 0.9, staircase: odd };
    case 'PiecewiseConstantDecay':
      return { boundaries: [Math.floor(n / 5), Math.floor(n / 3), Math.floor(n / 2)], values: [lr0, lr0 / 2, lr0 / 4, lr0 / 8] };
    case 'PolynomialDecay':
      return { initialLearningRate: lr0, decaySteps: n, endLearningRate: lr0 / 100, power: 1 + third * 0.5, cycle: odd };
    case 'InverseTimeDecay':
      return { initialLearningRate: lr0, decaySteps: Math.max(1, Math.floor(n / 10)), decayRate: 0.5, staircase: odd };
    case 'Constant':
      return { value: lr0 };
    case 'Linear': // a warmup (0 → lr0) or a decay (lr0 → lr0 / 100)
      return odd ? { from: 0, to: lr0, steps: Math.max(1, Math.floor(n / 10)) } : { from: lr0, to: lr0 / 100, steps: n };
    case 'CosineAnneal': // held with exponent 1 or 2, or periodic (exponent 1)
      return { from: lr0, to: lr0 / 100, period: Math.max(1, Math.floor(n / 4)), hold: q % 3 !== 1, exponent: q % 3 === 2 ? 2 : 1 };
    case 'SqrtAnneal':
      return { from: lr0, to: lr0 / 100, steps: n, reverse: odd };
    case 'InverseSqrt':
      return { value: lr0, timescale: Math.max(1, Math.floor(n / 10)) };
    case 'Cyclic':
      return { baseLr: lr0 / 10, maxLr: lr0, stepSizeUp: Math.max(1, Math.floor(n / 8)), mode: (['triangular', 'triangular2', 'exp_range'] as const)[q % 3], gamma: 0.9999 };
    default:
      return registryConfig(kind);
  }
}

export function pow2Label(log2: number): string {
  return `2^${log2}`;
}

export function sweepLabel(m: number, n: number): string {
  const p = (x: number): string => (Number.isInteger(Math.log10(x)) ? `10^${Math.log10(x)}` : String(x));
  return `${m.toLocaleString('en-US')} × ${p(n)}`;
}
