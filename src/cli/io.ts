/**
 * The CLI's I/O, injectable for tests. Configs are read in chunks up to a byte limit
 * (never a whole /dev/zero into memory), stdin included.
 */
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { CliUsageError } from './errors.ts';
import type { OutFs } from './out-file.ts';

export interface CliIo {
  /**
   * Reads a file, or stdin for '-': at most `maxBytes` bytes, else a {@link CliUsageError}
   * (see {@link tooLarge}). Bytes are decoded by the caller (strict UTF-8); a string is
   * taken as already decoded (tests).
   */
  readInput(pathOrDash: string, maxBytes: number): Promise<Uint8Array | string>;
  /** Writes text or bytes to stdout; a returned promise resolves when more may be written (backpressure). */
  stdout(chunk: string | Uint8Array): void | Promise<void>;
  stderr(text: string): void;
  /** True when stdout is a terminal: binary output (--format f32) is refused there. */
  readonly stdoutIsTTY?: boolean;
  /**
   * True for the real process: while an --out file is being written, SIGINT and SIGTERM
   * remove the temp file and exit 130 / 143. Off in process-local tests.
   */
  readonly handleSignals?: boolean;
  /** How --out files are opened (tests wrap it to fail mid-write); default node:fs/promises. */
  readonly outFs?: OutFs;
}

/** The bytes of one read (1 MiB). */
const CHUNK = 1 << 20;

/** Human size: bytes and MiB. */
export const bytesText = (n: number): string => `${n} bytes${n >= 1 << 20 ? ` (${+(n / 2 ** 20).toFixed(1)} MiB)` : ''}`;

/** The error of a config over the limit; `size` when known (a regular file), else "more than". */
export function tooLarge(p: string, maxBytes: number, size?: number): CliUsageError {
  const got = size === undefined ? `more than ${maxBytes} bytes` : bytesText(size);
  return new CliUsageError(
    `--config = ${JSON.stringify(p)}: ${got}, over the limit of ${bytesText(maxBytes)} a config may have; raise it with --max-config-bytes N`,
  );
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

async function readStdin(maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const c = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += c.length;
    if (total > maxBytes) {
      process.stdin.destroy();
      throw tooLarge('-', maxBytes);
    }
    chunks.push(c);
  }
  return concat(chunks, total);
}

async function readFileBounded(p: string, maxBytes: number): Promise<Uint8Array> {
  const cannot = (e: unknown): CliUsageError =>
    new CliUsageError(`--config = ${JSON.stringify(p)}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  let fh;
  try {
    fh = await open(p, 'r');
  } catch (e) {
    throw cannot(e);
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new CliUsageError(`--config = ${JSON.stringify(p)}: is a directory, not a config file`);
    if (st.isFile() && st.size > maxBytes) throw tooLarge(p, maxBytes, st.size);
    // Devices, FIFOs and files growing while read: chunk by chunk, stopping one byte past the limit.
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      let n: number;
      try {
        ({ bytesRead: n } = await fh.read(buf, 0, buf.length, null));
      } catch (e) {
        throw cannot(e);
      }
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooLarge(p, maxBytes);
      chunks.push(buf.subarray(0, n));
    }
    return concat(chunks, total);
  } finally {
    await fh.close();
  }
}

/** The process's real I/O. */
export const processIo: CliIo = {
  readInput: (p, maxBytes) => (p === '-' ? readStdin(maxBytes) : readFileBounded(p, maxBytes)),
  async stdout(chunk) {
    if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
  },
  stderr: (t) => void process.stderr.write(t),
  get stdoutIsTTY() {
    return process.stdout.isTTY === true;
  },
  handleSignals: true,
};
