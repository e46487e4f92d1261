/** The CLI's I/O, injectable for tests. */
import { readFileSync } from 'node:fs';
import { CliUsageError } from './errors.ts';

export interface CliIo {
  /** Reads a file, or stdin for '-'. */
  readInput(pathOrDash: string): Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** The process's real I/O. */
export const processIo: CliIo = {
  async readInput(p) {
    if (p === '-') return readStdin();
    try {
      return readFileSync(p, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      throw new CliUsageError(`--config = ${JSON.stringify(p)}: cannot read (${code || (e as Error).message})`);
    }
  },
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
};
