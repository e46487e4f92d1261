/** The CSV export's text, pure: quoted cells and blob parts of bounded size. */
import type { StepRange } from './lib.ts';

/**
 * An f32 value as the fewest significant digits (1 to 9) that read back, rounded to f32, as
 * the same value: `0.1` for f32(0.1), where `String` writes the double, 0.10000000149011612.
 * If p digits read back, so do p + 1 (the nearest (p+1)-digit decimal is at least as near as
 * the p-digit one, which is also a (p+1)-digit one), so a binary search over 1 … 9 finds the least. -0 stays -0; NaN, ±Infinity as String.
 */
export function f32Text(v: number): string {
  const f = Math.fround(v);
  if (!Number.isFinite(f) || f === 0) return Object.is(f, -0) ? '-0' : String(f);
  let lo = 1;
  let hi = 9;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Math.fround(Number(f.toPrecision(mid))) === f) hi = mid;
    else lo = mid + 1;
  }
  // Number + String: the p digits without toPrecision's trailing zeros or `e+` form (1e-7, 100).
  return String(Number(f.toPrecision(lo)));
}

/**
 * The pins' column names: each pin's name, and where two pins share one (names are the user's
 * text), each of those followed by its place in the pinned table (`baseline (pin 1)`,
 * `baseline (pin 3)`), so every column still names one curve. A name that is already another
 * column's (a pin named `x (pin 2)` beside two named `x`) gets its place too: two names with
 * different places appended never end alike, so each round leaves fewer names without one.
 */
export function pinColumnNames(names: readonly string[]): string[] {
  const count = (list: readonly string[]): Map<string, number> => {
    const seen = new Map<string, number>();
    for (const n of list) seen.set(n, (seen.get(n) ?? 0) + 1);
    return seen;
  };
  const first = count(names);
  const placed = names.map((n) => (first.get(n) ?? 0) > 1);
  for (;;) {
    const out = names.map((n, i) => (placed[i] ? `${n} (pin ${i + 1})` : n));
    const seen = count(out);
    let more = false;
    out.forEach((n, i) => {
      if (!placed[i] && (seen.get(n) ?? 0) > 1) placed[i] = more = true;
    });
    if (!more) return out;
  }
}

/** A CSV cell: quoted, and a leading = + - @ (or tab/CR) neutralised so a spreadsheet never runs user text as a formula. */
export function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** Values per blob part at most (but at least one line): each part is written in one go, so this bounds a part's time (~0.1 s). */
const PART_VALUES = 131_072;

/**
 * The CSV of `rows` (indices into `values`, rows × range.count f32 row-major; the steps are the
 * range's, or `list`'s when given): a header line of `header` cells (already csvCell'd after
 * the first), then one line per step, each value in the fewest digits that read back as the
 * same f32 (f32Text). Yielded as blob parts of up to 256 lines and about PART_VALUES values,
 * so a 10,000-curve CSV never becomes one giant string, and a caller can pause between them.
 */
export function* csvChunks(header: readonly string[], rows: readonly number[], values: ArrayLike<number>, range: StepRange, list: ArrayLike<number> | null = null): Generator<string> {
  const n = range.count;
  const lines = Math.max(1, Math.min(256, Math.floor(PART_VALUES / Math.max(1, rows.length))));
  yield header.join(',') + '\n';
  let chunk: string[] = [];
  for (let c = 0; c < n; c++) {
    const cells = [String(list ? list[c] : range.start + c * range.stride)];
    for (const r of rows) cells.push(f32Text(values[r * n + c] ?? Number.NaN));
    chunk.push(cells.join(','));
    if (chunk.length === lines || c === n - 1) {
      yield chunk.join('\n') + '\n';
      chunk = [];
    }
  }
}

/** csvChunks as one list of blob parts. */
export function csvParts(header: readonly string[], rows: readonly number[], values: ArrayLike<number>, range: StepRange, list: ArrayLike<number> | null = null): string[] {
  return [...csvChunks(header, rows, values, range, list)];
}

/**
 * csvChunks with `pause()` awaited after each part: the page's thread handles input and
 * draws between them (writing 10^7 values takes seconds), instead of freezing until the last.
 */
export async function csvPartsPaced(
  header: readonly string[],
  rows: readonly number[],
  values: ArrayLike<number>,
  range: StepRange,
  list: ArrayLike<number> | null = null,
  pause: () => Promise<void> = () => new Promise((resolve) => setTimeout(resolve, 0)),
): Promise<string[]> {
  const parts: string[] = [];
  for (const part of csvChunks(header, rows, values, range, list)) {
    parts.push(part);
    await pause();
  }
  return parts;
}
