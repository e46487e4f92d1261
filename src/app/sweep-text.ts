/** Text <-> values of the sweep form and labels: strict parsing that names the field, and short number formats. */
import { SweepError, type FieldType, type Scalar } from './sweep.ts';

/** Parses one token of user text for a field ("1e-3", "none", "true", "[1, 2]"). */
export function parseScalar(type: FieldType, text: string, field: string): Scalar {
  const t = text.trim();
  if (type === 'boolean') {
    if (/^(true|yes|1)$/i.test(t)) return true;
    if (/^(false|no|0)$/i.test(t)) return false;
    throw new SweepError(field, `"${t}" is not true or false`);
  }
  if (type === 'numberList') {
    const inner = t.replace(/^\[/, '').replace(/\]$/, '');
    const parts = inner.split(/[\s,]+/).filter((p) => p !== '');
    return parts.map((p) => parseNumber(p, field));
  }
  if (type === 'nullableNumber' && /^(none|null)$/i.test(t)) return null;
  if (type === 'choice') return t;
  return parseNumber(t, field);
}

export function parseNumber(text: string, field: string): number {
  const t = text.trim().replace(/_/g, '');
  // Number() accepts '' and '0x10'; be strict: decimal or scientific notation only.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) throw new SweepError(field, `"${text.trim()}" is not a number`);
  const v = Number(t);
  if (!Number.isFinite(v)) throw new SweepError(field, `"${text.trim()}" is not finite`);
  return v;
}

/** Parses a comma/space separated list for a field (a numberList field takes one list per `;`). */
export function parseList(type: FieldType, text: string, field: string): Scalar[] {
  const parts = type === 'numberList' ? text.split(';') : text.split(/[\s,;]+/);
  const out = parts.filter((p) => p.trim() !== '').map((p) => parseScalar(type, p, field));
  if (out.length === 0) throw new SweepError(field, 'needs at least one value');
  return out;
}

export function formatScalar(v: Scalar): string {
  if (v === null) return 'none';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return v;
  return `[${v.map(formatNumber).join(', ')}]`;
}

export function formatNumber(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e6) return String(Number(v.toPrecision(6)));
  return Number(v.toPrecision(6)).toExponential();
}

export function formatList(type: FieldType, values: readonly Scalar[]): string {
  return values.map(formatScalar).join(type === 'numberList' ? '; ' : ', ');
}
