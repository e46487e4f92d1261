/**
 * Dialect families the explorer sweeps like a registry kind: Hugging Face
 * `warmup_stable_decay` and `cosine`, PyTorch `OneCycleLR`, Optax
 * `warmup_cosine_decay_schedule`. Each has a field table in the registry's FieldSpec shape
 * (name, type, default, rule, explorer hint and default sweep), and builds its schedule
 * through the dialect's own reader, so validation and semantics are the dialect's: a
 * family only turns the swept values into that dialect's JSON.
 */
import { fromHuggingFace, fromOptax, fromPyTorch, type AnySchedule, type ExplorerDefault, type ExplorerHint, type FieldSpec } from '../index.ts';

/** A value of a family's config (the explorer's Scalar). */
type Value = number | boolean | null | string | readonly number[];

export interface Family {
  /** The name in the class menu and the share link: `<dialect>.<name>`. */
  readonly kind: FamilyKind;
  readonly fields: readonly FieldSpec[];
  /** The dialect JSON of a config (every field present). */
  json(c: Readonly<Record<string, Value>>): unknown;
  /** Reads that JSON with the dialect's reader. */
  read(json: unknown): AnySchedule;
}

export const FAMILY_KINDS = ['hf.warmup_stable_decay', 'torch.OneCycleLR', 'optax.warmup_cosine_decay_schedule', 'hf.cosine'] as const;
export type FamilyKind = (typeof FAMILY_KINDS)[number];

const single = (...values: Value[]): ExplorerDefault => ({ mode: 'single', values });
const list = (...values: Value[]): ExplorerDefault => ({ mode: 'list', values });
const num = (hint: string, sweep: ExplorerDefault): ExplorerHint => ({ control: 'number', hint, sweep });
const choice = (hint: string, sweep: ExplorerDefault): ExplorerHint => ({ control: 'choice', hint, sweep });
const bool = (hint: string, sweep: ExplorerDefault): ExplorerHint => ({ control: 'boolean', hint, sweep });

const WSD_DECAY_TYPES = ['linear', 'cosine', '1-sqrt'] as const;
const ANNEAL = ['cos', 'linear'] as const;

const n = (c: Readonly<Record<string, Value>>, k: string): number => c[k] as number;

/** A config holding every field of `fields`, in the table's order (a dialect config that is exactly the field table). */
const fieldValues = (c: Readonly<Record<string, Value>>, fields: readonly FieldSpec[]): Record<string, Value | undefined> => Object.fromEntries(fields.map((f) => [f.name, c[f.name]]));

const ONE_CYCLE_FIELDS: readonly FieldSpec[] = [
  { name: 'max_lr', type: 'float', rule: '> 0', explorer: num('the peak rate', list(1e-3, 3e-3, 1e-2)) },
  { name: 'total_steps', type: 'step', rule: '≥ 1', explorer: num('steps of the cycle; torch refuses steps past it', single(10_000)) },
  { name: 'pct_start', type: 'float', default: 0.3, rule: '> 0', explorer: num('fraction of the cycle spent rising (in (0, 1))', list(0.1, 0.3, 0.5)) },
  { name: 'anneal_strategy', type: 'str', default: 'cos', rule: 'choice', choices: ANNEAL, explorer: choice('the shape of each phase', single('cos')) },
  { name: 'div_factor', type: 'float', default: 25, rule: '> 0', explorer: num('initial rate = max_lr / div_factor', single(25)) },
  { name: 'final_div_factor', type: 'float', default: 1e4, rule: '> 0', explorer: num('final rate = initial rate / final_div_factor', single(1e4)) },
  { name: 'three_phase', type: 'bool', default: false, rule: 'boolean', explorer: bool('a third phase back down to the initial rate before the final anneal', single(false)) },
];

const OPTAX_WARMUP_COSINE_FIELDS: readonly FieldSpec[] = [
  { name: 'init_value', type: 'float', rule: 'finite', explorer: num('the rate at step 0', single(0)) },
  { name: 'peak_value', type: 'float', rule: 'finite', explorer: num('the rate at the end of the warmup', list(1e-3, 3e-3)) },
  { name: 'warmup_steps', type: 'step', rule: '≥ 0', explorer: num('linear warmup steps', list(200, 1000)) },
  { name: 'decay_steps', type: 'step', rule: '≥ 1', explorer: num('total steps, warmup included', single(10_000)) },
  { name: 'end_value', type: 'float', default: 0, rule: 'finite', explorer: num('the rate after decay_steps', single(0)) },
  { name: 'exponent', type: 'float', default: 1, rule: '> 0', explorer: num('power of the cosine', single(1)) },
];

/**
 * The decay length of a WSD from its fraction of max_steps: the nearest whole step
 * (transformers takes a step count), so a fraction of 0.1 of 10,000 steps is 1,000.
 */
export function wsdDecaySteps(fraction: number, maxSteps: number): number {
  return Math.round(fraction * maxSteps);
}

const FAMILIES: Readonly<Record<FamilyKind, Family>> = {
  'hf.warmup_stable_decay': {
    kind: 'hf.warmup_stable_decay',
    fields: [
      { name: 'learning_rate', type: 'float', rule: '> 0', explorer: num('the peak (stable) rate', single(1e-3)) },
      { name: 'max_steps', type: 'step', rule: '≥ 1', explorer: num('training steps; the decay ends here', single(10_000)) },
      { name: 'warmup_steps', type: 'step', default: 0, rule: '≥ 0', explorer: num('linear warmup from 0', single(500)) },
      { name: 'decay_fraction', type: 'float', rule: '≥ 0', explorer: num('num_decay_steps / max_steps (rounded to a whole step)', list(0.1, 0.2, 0.3)) },
      { name: 'decay_type', type: 'str', default: 'cosine', rule: 'choice', choices: WSD_DECAY_TYPES, explorer: choice('the shape of the decay', list(...WSD_DECAY_TYPES)) },
      { name: 'min_lr_ratio', type: 'float', default: 0, rule: '≥ 0', explorer: num('the floor, as a fraction of learning_rate (in [0, 1])', single(0)) },
    ],
    json: (c) => ({
      lr_scheduler_type: 'warmup_stable_decay',
      learning_rate: n(c, 'learning_rate'),
      max_steps: n(c, 'max_steps'),
      warmup_steps: n(c, 'warmup_steps'),
      lr_scheduler_kwargs: { num_decay_steps: wsdDecaySteps(n(c, 'decay_fraction'), n(c, 'max_steps')), decay_type: c['decay_type'], min_lr_ratio: n(c, 'min_lr_ratio') },
    }),
    read: fromHuggingFace,
  },
  'torch.OneCycleLR': {
    kind: 'torch.OneCycleLR',
    fields: ONE_CYCLE_FIELDS,
    json: (c) => ({
      module: 'torch.optim.lr_scheduler',
      class_name: 'OneCycleLR',
      config: fieldValues(c, ONE_CYCLE_FIELDS),
    }),
    read: fromPyTorch,
  },
  'optax.warmup_cosine_decay_schedule': {
    kind: 'optax.warmup_cosine_decay_schedule',
    fields: OPTAX_WARMUP_COSINE_FIELDS,
    json: (c) => ({
      module: 'optax',
      function: 'warmup_cosine_decay_schedule',
      config: fieldValues(c, OPTAX_WARMUP_COSINE_FIELDS),
    }),
    read: fromOptax,
  },
  'hf.cosine': {
    kind: 'hf.cosine',
    fields: [
      { name: 'learning_rate', type: 'float', rule: '> 0', explorer: num('the peak rate', list(1e-4, 3e-4, 1e-3)) },
      { name: 'max_steps', type: 'step', rule: '≥ 1', explorer: num('training steps', single(10_000)) },
      { name: 'warmup_steps', type: 'step', default: 0, rule: '≥ 0', explorer: num('linear warmup from 0', single(500)) },
      { name: 'num_cycles', type: 'float', default: 0.5, rule: 'finite', explorer: num('half-periods of the cosine × 2 (0.5: one decay to 0)', single(0.5)) },
    ],
    json: (c) => ({ lr_scheduler_type: 'cosine', learning_rate: n(c, 'learning_rate'), max_steps: n(c, 'max_steps'), warmup_steps: n(c, 'warmup_steps'), lr_scheduler_kwargs: { num_cycles: n(c, 'num_cycles') } }),
    read: fromHuggingFace,
  },
};

export const isFamily = (k: string): k is FamilyKind => (FAMILY_KINDS as readonly string[]).includes(k);

export function family(k: FamilyKind): Family {
  return FAMILIES[k];
}

/** Builds a family's schedule: its dialect JSON, read by the dialect (whose errors name the dialect's key). */
export function buildFamily(k: FamilyKind, config: Readonly<Record<string, Value>>): AnySchedule {
  const f = FAMILIES[k];
  return f.read(f.json(config));
}
