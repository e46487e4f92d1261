/**
 * The sweep form: one row per parameter (single value, list, or linear/log range
 * with a count), the step range, and a live count of the product. It reads back a
 * SweepDef or a SweepError naming the field.
 */
import { clear, el } from './dom.ts';
import {
  FIELDS,
  KINDS,
  SweepError,
  defaultParams,
  specCount,
  stepRange,
  type FieldInfo,
  type Kind,
  type ParamSpec,
  type SweepDef,
} from './sweep.ts';
import { formatList, formatNumber, parseList, parseNumber } from './sweep-text.ts';

interface Row {
  readonly field: FieldInfo;
  readonly mode: HTMLSelectElement;
  readonly text: HTMLInputElement;
  readonly from: HTMLInputElement;
  readonly to: HTMLInputElement;
  readonly count: HTMLInputElement;
  readonly spacing: HTMLSelectElement;
  readonly badge: HTMLElement;
  readonly tr: HTMLElement;
  /** A choice field's boxes, one per choice (checked: swept); empty for other fields. */
  readonly picks: readonly HTMLInputElement[];
}

export class SweepForm {
  readonly kind: HTMLSelectElement;
  private rows: Row[] = [];
  private readonly tbody: HTMLElement;
  /** The parameter-name column: as wide as the class's longest name (explorer.css caps it; a longer name wraps at its word joins). */
  private readonly nameCol: HTMLElement;
  readonly start: HTMLInputElement;
  readonly end: HTMLInputElement;
  readonly stride: HTMLInputElement;
  readonly samples: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly onChange: () => void,
  ) {
    this.kind = el('select', { id: 'kind', 'aria-label': 'schedule class' });
    for (const k of KINDS) this.kind.append(el('option', { value: k, text: k }));
    this.kind.addEventListener('change', () => {
      this.setParams(this.kind.value as Kind, defaultParams(this.kind.value as Kind));
      this.onChange();
    });
    this.tbody = el('tbody');
    this.nameCol = el('col', { className: 'c-name' });
    const table = el('table', { className: 'params' },
      el('colgroup', {}, this.nameCol, el('col', { className: 'c-mode' }), el('col'), el('col', { className: 'c-n' })),
      el('thead', {}, el('tr', {}, el('th', { text: 'parameter' }), el('th', { text: 'as' }), el('th', { text: 'values' }), el('th', { text: 'n' }))),
      this.tbody);
    const num = (id: string, label: string): HTMLInputElement => el('input', { id, type: 'text', inputmode: 'numeric', 'aria-label': label, size: 7 });
    this.start = num('step-start', 'first step');
    this.end = num('step-end', 'last step');
    this.stride = num('step-stride', 'step stride');
    this.samples = el('span', { className: 'muted', id: 'step-samples' });
    for (const i of [this.start, this.end, this.stride]) i.addEventListener('input', () => this.onChange());
    root.append(
      el('label', { className: 'kind' }, el('span', { text: 'Schedule class' }), this.kind),
      table,
      el('div', { className: 'steps' },
        el('span', { text: 'Steps' }), this.start, el('span', { text: 'to' }), this.end, el('span', { text: 'every' }), this.stride, this.samples),
    );
  }

  set(def: SweepDef): void {
    this.setParams(def.kind, def.params);
    this.start.value = String(def.steps.start);
    this.end.value = String(def.steps.end);
    this.stride.value = String(def.steps.stride);
    for (const r of this.rows) {
      try {
        this.readRow(r);
      } catch {
        /* shown when the user edits */
      }
    }
    this.showSamples(def);
  }

  private setParams(kind: Kind, params: Readonly<Record<string, ParamSpec>>): void {
    this.kind.value = kind;
    clear(this.tbody);
    this.nameCol.style.setProperty('--name-chars', String(Math.max(...FIELDS[kind].map((f) => f.key.length))));
    this.rows = FIELDS[kind].map((f) => this.makeRow(f, params[f.key] ?? { mode: 'single', values: [0] }));
  }

  private makeRow(field: FieldInfo, spec: ParamSpec): Row {
    const mode = el('select', { 'aria-label': `${field.key} mode`, 'data-field': field.key });
    mode.append(el('option', { value: 'single', text: 'value' }), el('option', { value: 'list', text: 'list' }));
    if (field.type === 'number' || field.type === 'nullableNumber') mode.append(el('option', { value: 'range', text: 'range' }));
    const text = el('input', { type: 'text', 'aria-label': `${field.key} values`, className: 'values', spellcheck: 'false' });
    const from = el('input', { type: 'text', 'aria-label': `${field.key} from`, size: 6 });
    const to = el('input', { type: 'text', 'aria-label': `${field.key} to`, size: 6 });
    const count = el('input', { type: 'text', inputmode: 'numeric', 'aria-label': `${field.key} count`, className: 'count' });
    const spacing = el('select', { 'aria-label': `${field.key} spacing` });
    spacing.append(el('option', { value: 'log', text: 'log' }), el('option', { value: 'linear', text: 'lin' }));
    const badge = el('td', { className: 'badge' });
    const rangeBox = el('span', { className: 'range' }, from, el('span', { text: '→' }), to, el('span', { text: '×' }), count, spacing);
    // A choice field: one box per choice, the checked ones are its values (one: a single value, more: a list).
    const picks = (field.type === 'choice' ? (field.choices ?? []) : []).map((c) => el('input', { type: 'checkbox', value: c, 'aria-label': `${field.key} ${c}`, 'data-choice': c }));
    const pickBox = el('span', { className: 'choices' }, ...picks.map((p) => el('label', {}, p, el('span', { text: p.value }))));
    const valueCell = el('td', {}, text, rangeBox, ...(picks.length > 0 ? [pickBox] : []));
    if (picks.length > 0) {
      mode.hidden = true;
      text.hidden = true;
    }
    const tr = el('tr', { 'data-field': field.key }, el('td', { className: 'pname', title: `${field.key}: ${field.hint}` }, ...nameParts(field.key)), el('td', {}, mode), valueCell, badge);
    const row: Row = { field, mode, text, from, to, count, spacing, badge, tr, picks };
    this.fill(row, spec);
    mode.addEventListener('change', () => {
      this.switchMode(row);
      this.onChange();
    });
    for (const i of [text, from, to, count, spacing, ...picks]) i.addEventListener('input', () => this.onChange());
    this.tbody.append(tr);
    return row;
  }

  private fill(row: Row, spec: ParamSpec): void {
    row.mode.value = spec.mode;
    if (row.picks.length > 0) {
      const on = new Set(spec.mode === 'range' ? [] : spec.values);
      for (const p of row.picks) p.checked = on.has(p.value);
      (row.from.parentElement as HTMLElement).hidden = true;
      return;
    }
    if (spec.mode === 'range') {
      row.from.value = formatNumber(spec.from);
      row.to.value = formatNumber(spec.to);
      row.count.value = String(spec.count);
      row.spacing.value = spec.spacing;
      row.text.value = formatList(row.field.type, [spec.from, spec.to]);
    } else {
      row.text.value = formatList(row.field.type, spec.values);
    }
    this.showMode(row);
  }

  private showMode(row: Row): void {
    const range = row.mode.value === 'range';
    row.text.hidden = range;
    (row.from.parentElement as HTMLElement).hidden = !range;
    row.text.placeholder = row.mode.value === 'list' ? 'a, b, c' : 'value';
  }

  private switchMode(row: Row): void {
    const m = row.mode.value;
    if (m === 'range') {
      let vals: number[] = [];
      try {
        vals = parseList(row.field.type, row.text.value, row.field.key).filter((v): v is number => typeof v === 'number');
      } catch {
        /* keep defaults */
      }
      const a = vals[0] ?? 1e-3;
      const b = vals.length > 1 ? (vals[vals.length - 1] as number) : a * 10 || 1;
      row.from.value = formatNumber(a);
      row.to.value = formatNumber(b);
      row.count.value = '5';
      row.spacing.value = a > 0 && b > 0 ? 'log' : 'linear';
    } else if (row.text.hidden) {
      row.text.value = m === 'single' ? row.from.value : `${row.from.value}, ${row.to.value}`;
    } else if (m === 'single') {
      row.text.value = row.text.value.split(row.field.type === 'numberList' ? ';' : ',')[0]?.trim() ?? '';
    }
    this.showMode(row);
  }

  /** The definition the form shows; throws SweepError naming the field that is wrong. */
  read(base: SweepDef): SweepDef {
    for (const r of this.rows) r.tr.classList.remove('bad');
    const params: Record<string, ParamSpec> = {};
    for (const r of this.rows) {
      try {
        params[r.field.key] = this.readRow(r);
      } catch (e) {
        r.tr.classList.add('bad');
        throw e;
      }
    }
    const steps = {
      start: parseNumber(this.start.value, 'steps.start'),
      end: parseNumber(this.end.value, 'steps.end'),
      stride: parseNumber(this.stride.value, 'steps.stride'),
    };
    const kind = this.kind.value as Kind;
    return { ...base, kind, params, steps };
  }

  private readRow(r: Row): ParamSpec {
    const key = r.field.key;
    let spec: ParamSpec;
    const m = r.mode.value;
    if (r.picks.length > 0) {
      const values = r.picks.filter((p) => p.checked).map((p) => p.value);
      if (values.length === 0) throw new SweepError(key, `tick at least one of ${r.picks.map((p) => p.value).join(', ')}`);
      spec = { mode: values.length === 1 ? 'single' : 'list', values };
    } else if (m === 'range') {
      const count = Number(r.count.value);
      if (!Number.isInteger(count) || count < 1) throw new SweepError(key, `count must be a positive integer, got "${r.count.value}"`);
      spec = { mode: 'range', from: parseNumber(r.from.value, key), to: parseNumber(r.to.value, key), count, spacing: r.spacing.value === 'log' ? 'log' : 'linear' };
    } else {
      const values = parseList(r.field.type, r.text.value, key);
      if (m === 'single' && values.length !== 1) throw new SweepError(key, 'one value; switch to "list" for several');
      spec = { mode: m === 'single' ? 'single' : 'list', values };
    }
    r.badge.textContent = specCount(spec) > 1 ? `×${specCount(spec)}` : '';
    return spec;
  }

  showSamples(def: SweepDef): void {
    const n = stepRange(def.steps).count;
    this.samples.textContent = Number.isFinite(n) && n > 0 ? `→ ${n.toLocaleString('en-US')} samples` : '';
  }
}

/** A parameter name with a break opportunity at each of its word joins (`initial|Learning|Rate`, `final_|div_|factor`), so a name wider than its column wraps whole instead of being cut. */
export function nameParts(key: string): (string | HTMLElement)[] {
  return key.split(/(?<=[a-z0-9])(?=[A-Z])|(?<=_)(?=[^_])/).flatMap((w, i) => (i === 0 ? [w] : [el('wbr'), w]));
}
