/**
 * Output of the CLI: JSON or CSV text, written to stdout or atomically to a file
 * (a temp file in the same folder, renamed into place only when complete, so a
 * failed run never creates or touches the output file).
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The output formats. */
export type OutputFormat = 'json' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['json', 'csv'];

/** The eval result as text. JSON numbers and CSV values print the shortest round-tripping decimal of each f64. */
export function formatEval(
  format: OutputFormat,
  r: { backend: string; device: string; steps: ArrayLike<number>; values: ArrayLike<number> },
): string {
  if (format === 'json') {
    return `${JSON.stringify({ backend: r.backend, device: r.device, steps: Array.from(r.steps), values: Array.from(r.values) })}\n`;
  }
  const lines = ['step,value'];
  for (let i = 0; i < r.steps.length; i++) lines.push(`${r.steps[i]},${r.values[i]}`);
  return `${lines.join('\n')}\n`;
}

/** Writes `text` to `path` atomically (temp file + rename). */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
