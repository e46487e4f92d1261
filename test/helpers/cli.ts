import { readFileSync } from 'node:fs';
import type { CliIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/main.ts';

/** The CLI run in-process: `stdin` is what `-` reads, files are read from disk, stdout (binary as latin1) and stderr captured. */
export async function cli(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    readInput: (p) => (p === '-' ? Promise.resolve(stdin) : Promise.resolve(readFileSync(p, 'utf8'))),
    stdout: (t) => void (out += typeof t === 'string' ? t : Buffer.from(t).toString('latin1')),
    stderr: (t) => void (err += t),
  };
  const code = await runCli(args, io);
  return { code, out, err };
}
