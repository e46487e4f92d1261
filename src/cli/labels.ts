/**
 * Names for the schedules of a sweep (the sweep CSV's header, the plot's legend): the
 * class and the swept parameters, i.e. the config fields whose values differ between
 * the sweep's schedules of that class, e.g. `CosineDecay(warmup_target=0.001,warmup_steps=500)`.
 * A class that appears once is named by the class alone. `name` counts only where it
 * tells otherwise equal schedules apart; schedules still equal get `#index`.
 */
import { describeSchedule, type AnySchedule, type Json } from '../index.ts';

/** A field value in a label: numbers as the shortest round-trip decimal, anything else as JSON. */
export const fieldText = (v: Json | undefined): string => (typeof v === 'number' ? String(v) : JSON.stringify(v ?? null));

/** The fields (in config order, `name` excluded) that differ among `configs`. */
export function sweptFields(configs: readonly Record<string, Json>[], withName = false): string[] {
  const keys: string[] = [];
  for (const c of configs) for (const k of Object.keys(c)) if (!keys.includes(k) && (withName || k !== 'name')) keys.push(k);
  return keys.filter((k) => {
    const first = fieldText(configs[0]?.[k]);
    return configs.some((c) => fieldText(c[k]) !== first);
  });
}

/** One label per schedule, unique. */
export function scheduleLabels(schedules: readonly AnySchedule[]): string[] {
  const described = schedules.map(describeSchedule);
  const classes = described.map((d) => d.name);
  const configs = described.map((d) => d.params);
  const labels = new Array<string>(schedules.length);
  const byClass = new Map<string, number[]>();
  classes.forEach((c, i) => {
    const list = byClass.get(c);
    if (list === undefined) byClass.set(c, [i]);
    else list.push(i);
  });
  for (const [cls, idx] of byClass) {
    const group = idx.map((i) => configs[i] as Record<string, Json>);
    let fields = sweptFields(group);
    const text = (i: number, fs: readonly string[]): string =>
      fs.length === 0 ? cls : `${cls}(${fs.map((f) => `${f}=${fieldText((configs[i] as Record<string, Json>)[f])}`).join(',')})`;
    const distinct = new Set(idx.map((i) => text(i, fields))).size;
    if (distinct < idx.length) {
      const withName = sweptFields(group, true);
      if (withName.includes('name')) fields = withName;
    }
    for (const i of idx) labels[i] = text(i, fields);
  }
  const count = new Map<string, number>();
  for (const l of labels) count.set(l, (count.get(l) ?? 0) + 1);
  return labels.map((l, i) => ((count.get(l) ?? 0) > 1 ? `${l} #${i}` : l));
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or LF; quotes doubled. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
