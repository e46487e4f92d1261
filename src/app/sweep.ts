/**
 * The sweep definition: pure data and pure functions, no DOM, no GPU.
 *
 * A sweep is one schedule class, a spec per parameter (one value, a list, or a
 * linear/log range with a count), a step range, and any schedules pasted as Keras
 * JSON. `expandSweep` turns it into the cartesian product of configs. The share link
 * is sweep-link.ts; parsing and formatting the form's text is sweep-text.ts.
 */
import { FieldError, SCHEDULE_KINDS, checkJsonDepth, formatValue, scheduleFields, type ExplorerControl, type FieldSpec, type ScheduleKind } from '../index.ts';
import { FAMILY_KINDS, family, isFamily, type FamilyKind } from './families.ts';

/** A schedule class the explorer sweeps: every kind of the library's registry, and the dialect families (families.ts). */
export type Kind = ScheduleKind | FamilyKind;

export const KINDS: readonly Kind[] = [...SCHEDULE_KINDS, ...FAMILY_KINDS];

/** A parameter value as the schedule configs take it (a string: one of a choice field's choices). */
export type Scalar = number | boolean | null | string | readonly number[];

/** How a field's values are typed. */
export type FieldType = ExplorerControl;

export interface FieldInfo {
  readonly key: string;
  readonly type: FieldType;
  /** Short help shown next to the field. */
  readonly hint: string;
  /** The values a `choice` field takes. */
  readonly choices?: readonly string[];
}

/** The field table of a kind: the registry's, or a dialect family's (same FieldSpec shape). */
export function kindFields(kind: Kind): readonly FieldSpec[] {
  return isFamily(kind) ? family(kind).fields : scheduleFields(kind);
}

/** Sweepable fields per kind, in Keras's argument order (camelCase); `name` is left out. From the registry's explorer hints. */
export const FIELDS: Readonly<Record<Kind, readonly FieldInfo[]>> = Object.fromEntries(
  KINDS.map((kind) => [
    kind,
    kindFields(kind).flatMap((f) => (f.explorer === undefined ? [] : [{ key: f.name, type: f.explorer.control, hint: f.explorer.hint, ...(f.choices === undefined ? {} : { choices: f.choices }) }])),
  ]),
) as unknown as Record<Kind, readonly FieldInfo[]>;

export type ParamSpec =
  | { readonly mode: 'single'; readonly values: readonly Scalar[] }
  | { readonly mode: 'list'; readonly values: readonly Scalar[] }
  | {
      readonly mode: 'range';
      readonly from: number;
      readonly to: number;
      readonly count: number;
      readonly spacing: 'linear' | 'log';
    };

export interface StepSpec {
  readonly start: number;
  /** Last step wanted (inclusive if it lies on the stride). */
  readonly end: number;
  readonly stride: number;
}

export interface SweepDef {
  readonly kind: Kind;
  readonly params: Readonly<Record<string, ParamSpec>>;
  readonly steps: StepSpec;
  /** JSON objects pasted by the user (a schedule of any dialect, or a Keras optimizer), kept as parsed JSON. */
  readonly extra: readonly unknown[];
  readonly colorBy: string;
  readonly yScale: 'linear' | 'log';
}

/** One point of the product: the kind and the config values of the swept fields. */
export interface SweepConfig {
  readonly kind: Kind;
  readonly config: Readonly<Record<string, Scalar>>;
}

/**
 * An invalid sweep definition; names the field and says what is wrong (`rule`, which
 * quotes the offending value where there is one, so `value` is not kept apart:
 * undefined). A FieldError like every field-naming error of the library.
 */
export class SweepError extends FieldError {
  override readonly name = 'SweepError';
  constructor(field: string, message: string) {
    super(field, undefined, message, `${field}: ${message}`);
  }
}

/** Largest number of schedules the explorer will build (a guard against typos like count 1e6). */
export const MAX_SCHEDULES = 100_000;
/** Largest number of sampled steps per schedule: steps 0 to 1,000,000 every 1, both ends included. */
export const MAX_STEPS = 1_000_001;

/** The smallest stride that brings start–end within `count` samples. */
function strideFor(steps: StepSpec, count: number): number {
  return Math.max(1, Math.ceil((steps.end - steps.start) / Math.max(1, count - 1)));
}
/** Largest schedules × steps (2^25 f32 = 128 MiB, WebGPU's default storage binding size). */
export const MAX_VALUES = 2 ** 25;
/** Longest `#sweep=` link read, in characters (Chromium's URL limit, 2 MB). */
export const MAX_LINK_CHARS = 2 * 1024 * 1024;

/** A value as an error message shows it: the library's formatValue, cut at 80 characters ('nothing' for a missing value). */
export function shownValue(v: unknown): string {
  return v === undefined ? 'nothing' : formatValue(v, 80);
}

/**
 * Each pasted item (`extra[i]`) must be one JSON object, a serialized schedule or an
 * optimizer config, so the flattened schedule count is `extra.length` and the caps hold
 * before any schedule is built. A list inside the list is not a Keras JSON form.
 */
export function checkExtraItems(extra: readonly unknown[], path: (i: number) => string = (i) => `extra[${i}]`): void {
  extra.forEach((item, i) => {
    // Nesting ≤ 64 before anything walks, clones or posts the item (10^5-deep JSON overflowed postMessage's structured clone).
    checkJsonDepth(item);
    if (typeof item === 'object' && item !== null && !Array.isArray(item)) return;
    const what = Array.isArray(item) ? 'a list inside the list' : item === null ? 'null' : `a ${typeof item}`;
    throw new SweepError(path(i), `${shownValue(item)} is ${what}: each item must be one Keras JSON object (a serialized schedule or an optimizer config); paste one object or a flat list of them`);
  });
}

export function defaultSweep(): SweepDef {
  return {
    kind: 'CosineDecay',
    params: defaultParams('CosineDecay'),
    steps: { start: 0, end: 10_000, stride: 10 },
    extra: [],
    colorBy: 'warmupTarget',
    yScale: 'log',
  };
}

/** Default spec of each field when the user switches kind: the registry's explorer defaults, as fresh copies. */
export function defaultParams(kind: Kind): Record<string, ParamSpec> {
  return Object.fromEntries(kindFields(kind).flatMap((f) => (f.explorer === undefined ? [] : [[f.name, structuredClone(f.explorer.sweep) as ParamSpec]])));
}

/** The values a spec stands for, in order. */
export function specValues(spec: ParamSpec): Scalar[] {
  if (spec.mode !== 'range') return [...spec.values];
  const { from, to, count, spacing } = spec;
  if (count === 1) return [from];
  const out: number[] = [];
  if (spacing === 'log') {
    const a = Math.log(from);
    const b = Math.log(to);
    for (let i = 0; i < count; i++) out.push(i === 0 ? from : i === count - 1 ? to : Math.exp(a + ((b - a) * i) / (count - 1)));
  } else {
    for (let i = 0; i < count; i++) out.push(i === count - 1 ? to : from + ((to - from) * i) / (count - 1));
  }
  // Tidy binary noise (0.1 + 0.2) without changing values: round to 12 significant digits.
  return out.map((v) => Number(v.toPrecision(12)));
}

/** Number of values a spec stands for (without building them). */
export function specCount(spec: ParamSpec): number {
  return spec.mode === 'range' ? spec.count : spec.values.length;
}

/** Fields of the kind whose spec has more than one value (the ones worth colouring by). */
export function sweptFields(def: SweepDef): string[] {
  return FIELDS[def.kind].filter((f) => {
    const s = def.params[f.key];
    return s !== undefined && specCount(s) > 1;
  }).map((f) => f.key);
}

/** Number of schedules of the product (not counting pasted ones). */
export function productCount(def: SweepDef): number {
  let n = 1;
  for (const f of FIELDS[def.kind]) {
    const s = def.params[f.key];
    if (s) n *= specCount(s);
  }
  return n;
}

export function totalCount(def: SweepDef): number {
  return productCount(def) + def.extra.length;
}

/** The step range the evaluator takes: start, count, stride. */
export function stepRange(steps: StepSpec): { start: number; count: number; stride: number } {
  return { start: steps.start, count: Math.floor((steps.end - steps.start) / steps.stride) + 1, stride: steps.stride };
}

/** Checks a definition; throws SweepError naming the first bad field. */
export function validateSweep(def: SweepDef): void {
  if (!KINDS.includes(def.kind)) throw new SweepError('kind', `unknown schedule class "${String(def.kind)}"`);
  const fields = FIELDS[def.kind];
  for (const key of Object.keys(def.params)) {
    if (!fields.some((f) => f.key === key)) throw new SweepError(key, `not a parameter of ${def.kind}`);
  }
  for (const f of fields) {
    const s = def.params[f.key];
    if (!s) continue;
    validateSpec(f, s);
  }
  const { start, end, stride } = def.steps;
  for (const [k, v] of [['start', start], ['end', end], ['stride', stride]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new SweepError(`steps.${k}`, `must be a non-negative integer, got ${v}`);
  }
  if (stride < 1) throw new SweepError('steps.stride', 'must be at least 1');
  if (end < start) throw new SweepError('steps.end', `must be ≥ start (${start}), got ${end}`);
  if (end > 2 ** 32 - 1) throw new SweepError('steps.end', 'must be below 2^32 (the GPU takes u32 steps)');
  const count = stepRange(def.steps).count;
  if (count > MAX_STEPS) {
    const f = (n: number): string => n.toLocaleString('en-US');
    throw new SweepError(
      'steps',
      `steps ${f(start)}–${f(end)} every ${f(stride)} are ${f(count)} samples per schedule; at most ${f(MAX_STEPS)}: set the stride to ${f(strideFor(def.steps, MAX_STEPS))} or more, or narrow the range to ${f((MAX_STEPS - 1) * stride)} steps`,
    );
  }
  if (!Array.isArray(def.extra)) throw new SweepError('extra', `${shownValue(def.extra)} must be a list of Keras JSON objects`);
  const total = totalCount(def);
  if (total > MAX_SCHEDULES) {
    throw new SweepError('sweep', `${total.toLocaleString('en-US')} schedules (${productCount(def).toLocaleString('en-US')} swept + ${def.extra.length.toLocaleString('en-US')} pasted); at most ${MAX_SCHEDULES.toLocaleString('en-US')}`);
  }
  checkExtraItems(def.extra);
  if (total < 1) throw new SweepError('sweep', 'no schedules: every parameter needs at least one value');
  if (total * count > MAX_VALUES) {
    const f = (n: number): string => n.toLocaleString('en-US');
    const fit = Math.floor(MAX_VALUES / total);
    const fix = fit >= 2 ? `set the stride to ${f(strideFor(def.steps, fit))} or more (${f(fit)} samples each), or sweep at most ${f(Math.floor(MAX_VALUES / count))} schedules` : `sweep at most ${f(Math.floor(MAX_VALUES / count))} schedules`;
    throw new SweepError('sweep', `${f(total)} schedules × ${f(count)} steps = ${f(total * count)} values; at most ${f(MAX_VALUES)}: ${fix}`);
  }
  if (def.yScale !== 'linear' && def.yScale !== 'log') throw new SweepError('yScale', 'must be "linear" or "log"');
}

function validateSpec(f: FieldInfo, s: ParamSpec): void {
  if (s.mode === 'range') {
    if (f.type === 'boolean' || f.type === 'numberList' || f.type === 'choice') throw new SweepError(f.key, 'cannot be a range');
    if (!Number.isFinite(s.from) || !Number.isFinite(s.to)) throw new SweepError(f.key, `range ends must be finite numbers, got from ${shownValue(s.from)}, to ${shownValue(s.to)}`);
    if (!Number.isInteger(s.count) || s.count < 1) throw new SweepError(f.key, `range count must be a positive integer, got ${shownValue(s.count)}`);
    if (s.spacing !== 'linear' && s.spacing !== 'log') throw new SweepError(f.key, `spacing must be linear or log, got ${shownValue(s.spacing)}`);
    if (s.spacing === 'log' && (s.from <= 0 || s.to <= 0)) throw new SweepError(f.key, `a log range needs both ends > 0, got from ${s.from}, to ${s.to}`);
    return;
  }
  if (s.mode !== 'single' && s.mode !== 'list') throw new SweepError(f.key, `mode must be single, list or range, got ${shownValue((s as { mode: unknown }).mode)}`);
  if (!Array.isArray(s.values) || s.values.length === 0) throw new SweepError(f.key, `needs at least one value, got ${shownValue(s.values)}`);
  if (s.mode === 'single' && s.values.length !== 1) throw new SweepError(f.key, `a single value, not a list: got ${shownValue(s.values)}`);
  for (const v of s.values) {
    if (f.type === 'choice' && !(f.choices ?? []).includes(v as string)) throw new SweepError(f.key, `${JSON.stringify(v)} is not one of ${(f.choices ?? []).join(', ')}`);
    if (!valueFits(f.type, v)) throw new SweepError(f.key, `${JSON.stringify(v)} is not ${typeWords(f.type)}`);
  }
}

function valueFits(type: FieldType, v: unknown): boolean {
  switch (type) {
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'nullableNumber':
      return v === null || (typeof v === 'number' && Number.isFinite(v));
    case 'boolean':
      return typeof v === 'boolean';
    case 'numberList':
      return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
    case 'choice':
      return typeof v === 'string';
  }
}

function typeWords(type: FieldType): string {
  return { number: 'a finite number', nullableNumber: 'a finite number or none', boolean: 'true or false', numberList: 'a list of numbers', choice: 'one of the choices' }[type];
}

/** The cartesian product in row-major order (the last field varies fastest). */
export function expandSweep(def: SweepDef): SweepConfig[] {
  validateSweep(def);
  const fields = FIELDS[def.kind].filter((f) => def.params[f.key] !== undefined);
  const lists = fields.map((f) => specValues(def.params[f.key] as ParamSpec));
  const n = productCount(def);
  const out: SweepConfig[] = new Array<SweepConfig>(n);
  const idx = new Array<number>(fields.length).fill(0);
  for (let i = 0; i < n; i++) {
    const config: Record<string, Scalar> = {};
    for (let j = 0; j < fields.length; j++) config[(fields[j] as FieldInfo).key] = (lists[j] as Scalar[])[idx[j] as number] as Scalar;
    out[i] = { kind: def.kind, config };
    for (let j = fields.length - 1; j >= 0; j--) {
      idx[j] = (idx[j] as number) + 1;
      if ((idx[j] as number) < (lists[j] as Scalar[]).length) break;
      idx[j] = 0;
    }
  }
  return out;
}
