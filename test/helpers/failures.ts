/** The first 60 failure lines of a check, and how many there were in all beyond them ('' when none failed). */
export function report(failures: string[]): string {
  return failures.slice(0, 60).join('\n') + (failures.length > 60 ? `\n… ${failures.length} failures in all` : '');
}
