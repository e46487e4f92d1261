/** Pure helpers of the exports. */

/** A CSV cell: quoted, and a leading = + - @ (or tab/CR) neutralised so a spreadsheet never runs user text as a formula. */
export function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}
