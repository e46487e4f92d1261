/** The CSV export's text, pure: quoted cells and blob parts of bounded size. */
import type { StepRange } from './lib.ts';

/** A CSV cell: quoted, and a leading = + - @ (or tab/CR) neutralised so a spreadsheet never runs user text as a formula. */
export function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/**
 * The CSV of `rows` (indices into `values`, rows × range.count f32 row-major; the steps are the
 * range's, or `list`'s when given): a header line
 * of `header` cells (already csvCell'd after the first), then one line per step. Returned as
 * blob parts of 256 lines each, so a 10,000-curve CSV never becomes one giant string.
 */
export function csvParts(header: readonly string[], rows: readonly number[], values: ArrayLike<number>, range: StepRange, list: ArrayLike<number> | null = null): string[] {
  const n = range.count;
  const parts: string[] = [header.join(',') + '\n'];
  let chunk: string[] = [];
  for (let c = 0; c < n; c++) {
    const cells = [String(list ? list[c] : range.start + c * range.stride)];
    for (const r of rows) cells.push(String(values[r * n + c]));
    chunk.push(cells.join(','));
    if (chunk.length === 256 || c === n - 1) {
      parts.push(chunk.join('\n') + '\n');
      chunk = [];
    }
  }
  return parts;
}
