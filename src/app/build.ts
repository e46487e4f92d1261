/**
 * From a sweep definition to schedule objects, one row at a time: the page and the
 * preflight worker (preflight-worker.ts) build rows with the same code, so the
 * worker's check covers exactly what the page will then do.
 */
import { buildSchedule, scheduleConfig, scheduleKind, schedulesFromJson, type Schedule } from './lib.ts';
import { SweepError, expandSweep, shownValue, sweptFields, type SweepConfig, type SweepDef } from './sweep.ts';
import { formatNumber, formatScalar } from './sweep-text.ts';

export type Label = readonly [string, string];

export interface Rows {
  /** Rows in all: the product, then one per pasted item. */
  readonly count: number;
  /** Rows of the product (pasted items follow). */
  readonly product: number;
  /** Builds row `i`; throws SweepError naming the row's config (`sweep`) or pasted item (`extra[k]`). */
  build(i: number): { schedule: Schedule; label: Label[] };
  /** The row's config in words for a message: `CosineDecay(alpha=0.1, ...)`, or a pasted item's `ExponentialDecay(decay_steps=1000, ...)`. */
  describe(i: number): string;
  /** The path of row i in the definition: `sweep row #i` or `extra[k]`. */
  path(i: number): string;
}

/** A config in words for a message, every number in full (shortest round-trip) precision. */
function describeConfig(c: SweepConfig): string {
  return `${c.kind}(${Object.entries(c.config).map(([k, v]) => `${k}=${shownValue(v)}`).join(', ')})`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Pasted Keras JSON in words: `CosineDecayRestarts(initial_learning_rate=0.1, t_mul=1.0000000000000002, ...)`, an optimizer as `Adam(learning_rate=...)`. */
function describeKeras(item: unknown, depth = 0): string {
  if (depth < 3 && isRecord(item)) {
    const cls = item['class_name'];
    const config = isRecord(item['config']) ? item['config'] : typeof cls === 'string' ? null : item;
    const lr = config?.['learning_rate'] ?? config?.['lr'];
    const name = typeof cls === 'string' ? cls : 'optimizer';
    if (config && isRecord(lr)) return `${name}(learning_rate=${describeKeras(lr, depth + 1)})`;
    if (config) {
      const text = `${name}(${Object.entries(config).filter(([k]) => k !== 'name').map(([k, v]) => `${k}=${shownValue(v)}`).join(', ')})`;
      return text.length > 400 ? `${text.slice(0, 397)}...` : text;
    }
  }
  return shownValue(item);
}

function describeError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The rows of a (validated) definition; nothing is built until `build(i)`. */
export function sweepRows(d: SweepDef): Rows {
  const configs = expandSweep(d); // validates (caps included) before anything is built
  const swept = new Set(sweptFields(d));
  const product = configs.length;
  return {
    count: product + d.extra.length,
    product,
    build(i) {
      if (i < product) {
        const c = configs[i] as SweepConfig;
        let schedule: Schedule;
        try {
          schedule = buildSchedule(c.kind, c.config);
        } catch (e) {
          throw new SweepError('sweep', `${describeConfig(c)} is invalid: ${describeError(e)}`);
        }
        const label = Object.entries(c.config).filter(([k]) => swept.has(k) || swept.size === 0).map(([k, v]) => [k, formatScalar(v)] as const);
        return { schedule, label };
      }
      const k = i - product;
      let list: Schedule[];
      try {
        list = schedulesFromJson(d.extra[k]);
      } catch (e) {
        throw new SweepError(`extra[${k}]`, describeError(e));
      }
      // validateSweep allows only objects here, and one object is one schedule.
      const schedule = list[0];
      if (list.length !== 1 || !schedule) throw new SweepError(`extra[${k}]`, `gave ${list.length} schedules; expected one`);
      // `name` is the title already (the kind): listed only where it says something else.
      const kind = scheduleKind(schedule);
      const label = Object.entries(scheduleConfig(schedule)).filter(([key, v]) => key !== 'name' || v !== kind).map(([key, v]) => [key, typeof v === 'number' ? formatNumber(v) : JSON.stringify(v)] as const);
      return { schedule, label };
    },
    describe(i) {
      if (i < product) return describeConfig(configs[i] as SweepConfig);
      return describeKeras(d.extra[i - product]);
    },
    path(i) {
      return i < product ? `sweep row #${i + 1}` : `extra[${i - product}]`;
    },
  };
}

/** Every row of a definition, built. */
/** A sweep's rows and their labels, as built from `def` (apply may reuse it for that same def). */
export interface BuiltSweep {
  readonly def: SweepDef;
  readonly schedules: readonly Schedule[];
  readonly labels: readonly Label[][];
}

export function buildSchedules(d: SweepDef): { schedules: Schedule[]; labels: Label[][] } {
  const rows = sweepRows(d);
  const schedules: Schedule[] = [];
  const labels: Label[][] = [];
  for (let i = 0; i < rows.count; i++) {
    const r = rows.build(i);
    schedules.push(r.schedule);
    labels.push(r.label);
  }
  return { schedules, labels };
}

/** The rows whose values the page checks against the exact reference after each sweep (a few, spread evenly). */
export function verifyPicks(rows: number, samples: number): number[] {
  const n = Math.min(rows, samples > 100_000 ? 2 : 8);
  return [...new Set(Array.from({ length: n }, (_, i) => Math.floor(((i + 0.5) * rows) / n)))];
}
