/** The CLI's I/O, injectable for tests. */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { CliUsageError } from './errors.ts';

export interface CliIo {
  /** Reads a file, or stdin for '-'. */
  readInput(pathOrDash: string): Promise<string>;
  /** Writes text or bytes to stdout; a returned promise resolves when more may be written (backpressure). */
  stdout(chunk: string | Uint8Array): void | Promise<void>;
  stderr(text: string): void;
  /** True when stdout is a terminal: binary output (--format f32) is refused there. */
  readonly stdoutIsTTY?: boolean;
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
  async stdout(chunk) {
    if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
  },
  stderr: (t) => void process.stderr.write(t),
  get stdoutIsTTY() {
    return process.stdout.isTTY === true;
  },
};
