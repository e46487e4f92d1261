/**
 * Numbers for reading: scientific form outside [1e-3, 1e4) (`2.4672e-5`, never
 * `0.0000246720`), with the fewest significant digits (at least 3, at most 9) that tell
 * the value apart from its neighbours (the other values listed next to it).
 */

/** v with p significant digits: plain in [1e-3, 1e4), else mantissa e exponent; trailing zeros dropped. */
export function formatSig(v: number, p: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e4) {
    const t = v.toPrecision(p);
    return t.includes('e') ? String(Number(t)) : t.includes('.') ? t.replace(/\.?0+$/, '') : t;
  }
  const [m = '', e = '0'] = v.toExponential(p - 1).split('e');
  const mant = m.includes('.') ? m.replace(/\.?0+$/, '') : m;
  return `${mant}e${Number(e)}`;
}

/** v as mantissa e exponent with p significant digits, trailing zeros and `+` dropped (`2e-3`, `1e0`, `1.5e4`). */
export function formatSci(v: number, p: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const [m = '', e = '0'] = v.toExponential(p - 1).split('e');
  return `${m.includes('.') ? m.replace(/\.?0+$/, '') : m}e${Number(e)}`;
}

/** Whether formatSig writes v plainly (0, or |v| in [1e-3, 1e4)). */
export function isPlain(v: number): boolean {
  const a = Math.abs(v);
  return v === 0 || (a >= 1e-3 && a < 1e4);
}

/** Values shown together (a range's ends, an axis's ticks) in one form: plain when formatSig writes each plainly, else all as formatSci. */
export function formatAlike(values: readonly number[], p: number): string[] {
  const sci = !values.every(isPlain);
  return values.map((v) => (sci ? formatSci(v, p) : formatSig(v, p)));
}

/** The shortest form (3 to 9 significant digits) of v that differs from every neighbour's at the same digits. */
export function formatDistinct(v: number, neighbours: readonly number[] = []): string {
  const others = neighbours.filter((n) => Number.isFinite(n) && n !== v);
  for (let p = 3; p < 9; p++) {
    const s = formatSig(v, p);
    if (others.every((n) => formatSig(n, p) !== s)) return s;
  }
  return formatSig(v, 9);
}

const PLURAL = new Intl.PluralRules('en-US');

/** A count and its noun, in English: `1 schedule`, `1,000 schedules`, `1 step` (the noun's plural adds an s). */
export function counted(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${PLURAL.select(n) === 'one' ? noun : `${noun}s`}`;
}
