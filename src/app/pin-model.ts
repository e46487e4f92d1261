/**
 * Pins, the unit of comparison: a pin is a schedule's config (kind + every resolved config
 * value, `name` aside), never a row number, so it survives every sweep edit and paste. Pure
 * (no DOM): keys, toggling, colours, and where each pin's curve is among a sweep's rows.
 */
import { formatDistinct } from './fmt.ts';
import { scheduleConfig, scheduleIdentity, scheduleKind, type Schedule } from './lib.ts';
import { specValues, sweptFields, type ParamSpec, type Scalar, type SweepDef } from './sweep.ts';
import { PIN_COLORS } from './view.ts';

export type Rgb = readonly [number, number, number];

export interface Pin {
  /** configKey of the schedule: what identifies the pin across sweeps. */
  readonly key: string;
  readonly schedule: Schedule;
  /** Shown in the table, the crosshair, the legends and the CSV header (user text: textContent only). */
  name: string;
  color: Rgb;
  hidden: boolean;
}

/** Kind and config (every value, `name` aside) as one string: equal keys are the same schedule. */
export function configKey(s: Schedule): string {
  const { name, params: c } = scheduleIdentity(s);
  const entries = Object.keys(c).filter((k) => k !== 'name').sort().map((k) => [k, c[k]]);
  return `${name}${JSON.stringify(entries)}`;
}

/** The first pin colour no pin uses (the palette repeats when every colour is taken). */
export function freeColor(pins: readonly Pin[]): Rgb {
  const used = new Set(pins.map((p) => p.color.join(',')));
  return PIN_COLORS.find((c) => !used.has(c.join(','))) ?? (PIN_COLORS[pins.length % PIN_COLORS.length] as Rgb);
}

/** Pins `s` or unpins it (same config); `full` when it is not pinned and `max` pins are taken (nothing changes). */
export function togglePin(pins: readonly Pin[], s: Schedule, name: string, max = PIN_COLORS.length): { pins: Pin[]; full: boolean } {
  const key = configKey(s);
  if (pins.some((p) => p.key === key)) return { pins: pins.filter((p) => p.key !== key), full: false };
  if (pins.length >= max) return { pins: [...pins], full: true };
  return { pins: [...pins, { key, schedule: s, name, color: freeColor(pins), hidden: false }], full: false };
}

/**
 * Where each pin's curve is: its row among `schedules` when the sweep holds the same config,
 * else -1 (the caller appends the pin's own schedule as an extra row). `keys` is the rows' configKeys.
 */
export function pinRowsIn(pins: readonly Pin[], keys: readonly string[]): number[] {
  const at = new Map<string, number>();
  keys.forEach((k, i) => {
    if (!at.has(k)) at.set(k, i);
  });
  return pins.map((p) => at.get(p.key) ?? -1);
}

/** A pin that is drawn, with its row among the rows on screen. */
export interface ShownPin {
  readonly pin: Pin;
  readonly row: number;
}

/**
 * The pins drawn: those not hidden, in pin order, each with its row (`pinRow`: configKey →
 * row of the sweep on screen); a pin without a row there is left out. The plot, picking, the
 * crosshair and the image exports all read this one list.
 */
export function shownPins(pins: readonly Pin[], pinRow: ReadonlyMap<string, number>): ShownPin[] {
  return pins.flatMap((pin) => {
    const row = pinRow.get(pin.key);
    return pin.hidden || row === undefined ? [] : [{ pin, row }];
  });
}

/** `#rrggbb` of a 0–1 RGB. */
export function hexColor(c: Rgb): string {
  return `#${c.map((v) => Math.round(Math.min(1, Math.max(0, v)) * 255).toString(16).padStart(2, '0')).join('')}`;
}

/** 0–1 RGB of `#rrggbb`, or null when the text is not one. */
export function parseHex(text: string): Rgb | null {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(text);
  if (!m) return null;
  return [parseInt(m[1] as string, 16) / 255, parseInt(m[2] as string, 16) / 255, parseInt(m[3] as string, 16) / 255];
}

/** What a default pin name is read against: the sweep's kind and its swept fields (in the sweep's order) with their values. */
export interface NameContext {
  readonly kind: string;
  readonly fields: readonly { readonly key: string; readonly values: readonly Scalar[] }[];
}

/** The name context of a sweep definition. */
export function nameContext(def: SweepDef): NameContext {
  return { kind: def.kind, fields: sweptFields(def).map((key) => ({ key, values: specValues(def.params[key] as ParamSpec) })) };
}

/** The values just below and just above v among `values` (rounding is monotone, so these two decide). */
function nearest(v: number, values: readonly Scalar[]): number[] {
  let lo = -Infinity;
  let hi = Infinity;
  for (const n of values) {
    if (typeof n !== 'number' || !Number.isFinite(n)) continue;
    if (n < v && n > lo) lo = n;
    if (n > v && n < hi) hi = n;
  }
  return [lo, hi].filter(Number.isFinite);
}

/** A config value in the short number format (fmt.ts), with the digits that tell it from its neighbours. */
function nameValue(v: unknown, values: readonly Scalar[] = []): string {
  if (typeof v === 'number') return formatDistinct(v, nearest(v, values));
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'number' ? formatDistinct(x) : String(x))).join(', ')}]`;
  if (v === null) return 'none';
  return typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
}

/**
 * A pin's default name, leading with what tells it apart: a sweep row of the sweep's kind is
 * its swept values in the sweep's order (`alpha=0.2, warmupTarget=0.00829`; the kind alone when
 * nothing is swept); any other (pasted, or another kind) is `kind (k=v, …)` of its whole config
 * (`name` only where it differs from the kind). Given once: sweep edits keep it.
 */
export function defaultPinName(s: Schedule, ctx: NameContext, inSweep: boolean): string {
  const kind = scheduleKind(s);
  const config = scheduleConfig(s);
  const swept = new Map(ctx.fields.map((f) => [f.key, f.values]));
  if (inSweep && kind === ctx.kind) {
    const params = ctx.fields.filter((f) => f.key in config).map((f) => `${f.key}=${nameValue(config[f.key], f.values)}`);
    return params.length > 0 ? params.join(', ') : kind;
  }
  const params = Object.entries(config)
    .filter(([k, v]) => k !== 'name' || v !== kind)
    .map(([k, v]) => `${k}=${nameValue(v, swept.get(k))}`);
  return `${kind}${params.length > 0 ? ` (${params.join(', ')})` : ''}`;
}
