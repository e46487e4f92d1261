/**
 * Row colours, pure: by one config key, continuous (a colour bar) or, when the key takes
 * few values, discrete (one swatch per value, each group hideable); rows of hidden groups
 * and pins the sweep lacks get alpha 0, which the bulk draw skips.
 */
import type { ColorBarSpec } from './axes.ts';
import { scheduleConfig, type Schedule } from './lib.ts';
import { formatScalar } from './sweep-text.ts';
import { mapColor, type Theme } from './theme.ts';

/** At most this many distinct values get a discrete legend (more: a colour bar). */
export const MAX_GROUPS = 12;

export interface Group {
  /** The value as text: the group's identity (hiddenGroups holds these). */
  readonly value: string;
  readonly rgb: readonly [number, number, number];
  readonly rows: number;
  readonly hidden: boolean;
}

export interface RowColors {
  readonly rgba: Float32Array;
  /** A continuous colour bar, or null (discrete groups, or no row has the key). */
  readonly bar: Omit<ColorBarSpec, 'width' | 'height'> | null;
  /** Discrete groups in value order, or null. */
  readonly groups: readonly Group[] | null;
  readonly label: string;
  /** Per row: drawn in the bulk layer (not a hidden group, not a pin outside the sweep). */
  readonly visible: Uint8Array;
  /**
   * Per row: its position t ∈ [0, 1] on the continuous colour map (its colour is
   * mapColor(t)); null when the colours are discrete or a drawn row is grey. The WebGPU
   * bulk draw then blends the curves' t instead of their RGB (gpu-plot.ts).
   */
  readonly t: Float32Array | null;
}

const GREY = [0.6, 0.6, 0.6] as const;

/** The value of config key `key` of a row ('#index': the row number), as a number for the scale. */
function keyValue(s: Schedule, key: string, row: number): { num: number; text: string; bool: boolean } | null {
  if (key === '#index') return { num: row, text: String(row + 1), bool: false };
  const v = scheduleConfig(s)[key];
  if (typeof v === 'number') return { num: v, text: formatScalar(v), bool: false };
  if (typeof v === 'boolean') return { num: v ? 1 : 0, text: String(v), bool: true };
  return null;
}

/**
 * One RGBA per row coloured by `key` over the theme's part of viridis (log when the values
 * span 20× or more); rows without the key grey. `sweepRows`: rows from there on (pins the
 * sweep lacks) are drawn only as highlights.
 */
export function rowColors(schedules: readonly Schedule[], key: string, theme: Theme, hidden: ReadonlySet<string>, sweepRows = schedules.length): RowColors {
  const rows = schedules.length;
  const vals = new Float64Array(rows).fill(Number.NaN);
  const texts: (string | null)[] = new Array<string | null>(rows).fill(null);
  const distinct = new Map<string, number>();
  let isBool = false;
  for (let r = 0; r < sweepRows; r++) {
    const kv = keyValue(schedules[r] as Schedule, key, r);
    if (!kv) continue;
    vals[r] = kv.num;
    texts[r] = kv.text;
    isBool ||= kv.bool;
    if (distinct.size <= MAX_GROUPS) distinct.set(kv.text, kv.num);
  }
  const rgba = new Float32Array(rows * 4);
  const visible = new Uint8Array(rows);
  let mapT: Float32Array | null = new Float32Array(rows);
  const label = key === '#index' ? 'schedule #' : key;
  let v0 = Infinity;
  let v1 = -Infinity;
  for (const v of vals) {
    if (Number.isFinite(v)) {
      v0 = Math.min(v0, v);
      v1 = Math.max(v1, v);
    }
  }
  const discrete = key !== '#index' && distinct.size > 0 && distinct.size <= MAX_GROUPS;
  const log = !isBool && v0 > 0 && v1 / v0 >= 20;
  const t = (v: number): number => (v1 === v0 ? 0.6 : log ? Math.log(v / v0) / Math.log(v1 / v0) : (v - v0) / (v1 - v0));
  let groups: Group[] | null = null;
  const groupRgb = new Map<string, readonly [number, number, number]>();
  if (discrete) {
    const order = [...distinct.entries()].sort((a, b) => a[1] - b[1]);
    order.forEach(([text], i) => groupRgb.set(text, mapColor(order.length === 1 ? 0.6 : i / (order.length - 1), theme)));
    const counts = new Map<string, number>();
    for (const x of texts) if (x !== null) counts.set(x, (counts.get(x) ?? 0) + 1);
    groups = order.map(([text]) => ({ value: text, rgb: groupRgb.get(text) as readonly [number, number, number], rows: counts.get(text) ?? 0, hidden: hidden.has(text) }));
  }
  for (let r = 0; r < rows; r++) {
    const text = texts[r] ?? null;
    const v = vals[r] as number;
    const rgb = r >= sweepRows ? GREY : text === null ? GREY : discrete ? (groupRgb.get(text) ?? GREY) : mapColor(t(v), theme);
    const show = r < sweepRows && !(discrete && text !== null && hidden.has(text));
    visible[r] = show ? 1 : 0;
    rgba.set([rgb[0], rgb[1], rgb[2], show ? 1 : 0], r * 4);
    if (mapT && show) {
      if (discrete || text === null) mapT = null;
      else mapT[r] = Math.min(1, Math.max(0, Number.isFinite(t(v)) ? t(v) : 0));
    }
  }
  const bar = discrete || !Number.isFinite(v0) ? null : { label: `colour: ${label}${log ? ' (log scale)' : ''}`, v0, v1, log };
  return { rgba, bar, groups, label, visible, t: mapT };
}

/**
 * rowColors kept for the latest inputs (the rows, the colour-by key, the theme, the hidden
 * groups, sweepRows): a redraw computes the colours once and the plot, the legend, the
 * small multiples and the image exports all read that one result.
 */
export class RowColorCache {
  private last: { schedules: readonly Schedule[]; theme: Theme; id: string; colors: RowColors } | null = null;

  get(schedules: readonly Schedule[], key: string, theme: Theme, hidden: ReadonlySet<string>, sweepRows = schedules.length): RowColors {
    // The hidden set is edited in place (the legend's clicks), so it is keyed by its contents.
    const id = JSON.stringify([key, sweepRows, [...hidden].sort()]);
    const last = this.last;
    if (last && last.schedules === schedules && last.theme === theme && last.id === id) return last.colors;
    const colors = rowColors(schedules, key, theme, hidden, sweepRows);
    this.last = { schedules, theme, id, colors };
    return colors;
  }
}
