/**
 * A kind's field table: for each config field its camelCase name, Keras key, JSON type,
 * default, rule and explorer hint. Each schedule class holds its table as `static fields`
 * and builds its resolved config from it with {@link resolveFields}, so a default or a
 * rule is written once: the registry (registry.ts), the Keras key tables (keras.ts,
 * keras-json.ts) and the explorer's fields and sweep defaults (src/app/sweep.ts) read the
 * same table.
 */
import { ScheduleConfigError } from './errors.ts';
import { atLeastField, boolField, checkKeys, finiteField, nameField, positiveField } from './schedule.ts';
import type { Resolved } from './types.ts';

/**
 * How a field is written in Keras JSON (keras-json.ts): `float` a Python float, `step`
 * a step count (an int when whole), `bool`, a list of either, `str`; `?` adds null.
 * The fields of a kind that is not a Keras class use the same words for the same
 * values (a number, a step count, a boolean).
 */
export type ScheduleFieldType = 'float' | 'float?' | 'step' | 'bool' | 'list[float]' | 'list[step]' | 'str' | 'str?';

/**
 * The check a constructor applies to a field: `finite` number, `finite?` (or null),
 * `> 0`, `> 0?` (or null), `≥ 0`, `≥ 1`, `boolean`, `name` (a string or null), `list` (a list of finite
 * numbers; the kind's class adds the rules that tie its lists together), `choice` (one of
 * the field's `choices`), `finite, one sign` (finite, and of one sign with the kind's other
 * `finite, one sign` fields, 0 going with either: a schedule between values of opposite signs
 * crosses zero, where no relative bound holds).
 */
export type FieldRule = 'finite' | 'finite?' | '> 0' | '> 0?' | '≥ 0' | '≥ 1' | 'boolean' | 'name' | 'list' | 'choice' | 'finite, one sign';

/** How the explorer edits a field (src/app/sweep.ts FieldType); `choice` picks among the field's `choices`. */
export type ExplorerControl = 'number' | 'nullableNumber' | 'boolean' | 'numberList' | 'choice';

/** A value a field takes in the explorer (a string: one of a `choice` field's choices). */
export type ExplorerValue = number | boolean | null | string | readonly number[];

/** The explorer's default spec of a field: one value, a list, or a linear / log range. */
export type ExplorerDefault =
  | { readonly mode: 'single'; readonly values: readonly ExplorerValue[] }
  | { readonly mode: 'list'; readonly values: readonly ExplorerValue[] }
  | { readonly mode: 'range'; readonly from: number; readonly to: number; readonly count: number; readonly spacing: 'linear' | 'log' };

/** The explorer's view of a field: how it is edited, the help next to it, and its default sweep. */
export interface ExplorerHint {
  readonly control: ExplorerControl;
  readonly hint: string;
  readonly sweep: ExplorerDefault;
}

/** One config field of a kind. */
export interface FieldSpec<Name extends string = string> {
  /** camelCase config key. */
  readonly name: Name;
  /** snake_case Keras key; absent in a kind that is not a Keras class (its dialects name the keys). */
  readonly keras?: string;
  readonly type: ScheduleFieldType;
  /** Keras's default; absent for a required field. */
  readonly default?: ExplorerValue | string;
  readonly rule: FieldRule;
  /** The values a `choice` field takes. */
  readonly choices?: readonly string[];
  /** Why the rule holds, appended to its message (e.g. what Keras does otherwise). */
  readonly why?: string;
  /** Absent for a field the explorer does not sweep (`name`). */
  readonly explorer?: ExplorerHint;
}

/** The field table of a config type `C`, in Keras's get_config order. */
export type FieldTable<C> = readonly FieldSpec<Extract<keyof C, string>>[];

// Explorer defaults and hints, for writing field tables.
export const single = (...values: ExplorerValue[]): ExplorerDefault => ({ mode: 'single', values });
export const list = (...values: ExplorerValue[]): ExplorerDefault => ({ mode: 'list', values });
export const logRange = (from: number, to: number, count: number): ExplorerDefault => ({ mode: 'range', from, to, count, spacing: 'log' });
export const linRange = (from: number, to: number, count: number): ExplorerDefault => ({ mode: 'range', from, to, count, spacing: 'linear' });
export const num = (hint: string, sweep: ExplorerDefault): ExplorerHint => ({ control: 'number', hint, sweep });
export const bool = (hint: string, sweep: ExplorerDefault): ExplorerHint => ({ control: 'boolean', hint, sweep });

/** The `initial_learning_rate` field most kinds share (required, finite). */
export const LR0 = { name: 'initialLearningRate', keras: 'initial_learning_rate', type: 'float', rule: 'finite' } as const;
/** The `name` field, with the kind's Keras default name. */
export const NAME = <N extends string>(defaultName: N) => ({ name: 'name', keras: 'name', type: 'str?', default: defaultName, rule: 'name' }) as const;

/** A list of finite numbers (rule `list`), copied. */
function numberList(field: string, v: unknown): number[] {
  if (!Array.isArray(v)) throw new ScheduleConfigError(field, v, 'must be an array of numbers');
  return v.map((x: unknown, i) => {
    if (typeof x !== 'number') throw new ScheduleConfigError(`${field}[${i}]`, x, 'must be a number');
    if (!Number.isFinite(x)) throw new ScheduleConfigError(`${field}[${i}]`, x, 'must be finite (no NaN or ±Infinity)');
    return x;
  });
}

/** Applies a field's rule to a value (a default already filled in). */
function checkRule(cls: string, f: FieldSpec, v: unknown): unknown {
  const why = f.why ?? '';
  switch (f.rule) {
    case 'finite':
      return finiteField(cls, f.name, v);
    case 'finite?':
      return v === null ? null : finiteField(cls, f.name, v);
    case '> 0':
      return positiveField(cls, f.name, v);
    case '> 0?':
      return v === null ? null : positiveField(cls, f.name, v);
    case 'finite, one sign':
      return finiteField(cls, f.name, v);
    case 'choice':
      if (typeof v !== 'string' || !(f.choices ?? []).includes(v)) {
        throw new ScheduleConfigError(`${cls}.${f.name}`, v, `must be one of ${(f.choices ?? []).map((x) => `'${x}'`).join(', ')}`);
      }
      return v;
    case '≥ 0':
      return atLeastField(cls, f.name, v, 0, why);
    case '≥ 1':
      return atLeastField(cls, f.name, v, 1, why);
    case 'boolean':
      return boolField(cls, f.name, v);
    case 'name':
      return nameField(cls, v);
    case 'list':
      return Object.freeze(numberList(`${cls}.${f.name}`, v));
  }
}

/**
 * The resolved config of a class from its field table: unknown keys refused, each
 * default filled in, each field checked against its rule (fields in table order, so the
 * first broken rule is the one reported). Rules that tie fields together stay in the
 * class. Throws ScheduleConfigError naming `cls.field`, the value and the rule.
 */
export function resolveFields<C>(cls: string, fields: FieldTable<C>, config: unknown): Resolved<C> {
  const c = checkKeys(cls, config, fields.map((f) => f.name));
  const out: Record<string, unknown> = {};
  let signed: FieldSpec | undefined;
  for (const f of fields) {
    const raw = c[f.name];
    const v = checkRule(cls, f, raw === undefined && 'default' in f ? f.default : raw);
    out[f.name] = v;
    if (f.rule !== 'finite, one sign' || v === 0) continue;
    const other = signed === undefined ? 0 : (out[signed.name] as number);
    if ((v as number) * other < 0) {
      throw new ScheduleConfigError(
        `${cls}.${f.name}`,
        v,
        `must have the sign of ${signed?.name ?? ''} (${other}) or be 0: a schedule between values of opposite signs crosses zero, where no relative error bound holds; give both values one sign`,
      );
    }
    signed = f;
  }
  return out as Resolved<C>;
}
