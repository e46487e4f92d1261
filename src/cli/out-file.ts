/**
 * `--out PATH` that never loses data:
 * - a missing path or a regular file: written atomically, a temp file in the same
 *   folder renamed over the path only when complete (and synced); an existing file's
 *   mode (permission bits) is kept;
 * - a symlink (a chain of them, dangling or not) is followed: the temp goes next to the
 *   final target and is renamed over it, so the link stays a link;
 * - a FIFO, a character or block device (`/dev/null`, a terminal) is written in place,
 *   opened for writing, never replaced; a Unix socket is connected to and written;
 * - a directory is refused;
 * - on any failure (a write error such as ENOSPC, a bad result) the temp file is
 *   removed; with signal handling on (the real process), SIGINT / SIGTERM during the
 *   write remove it and exit 130 / 143.
 */
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { constants, rmSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { createConnection } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { CliUsageError } from './errors.ts';

/** The part of node:fs/promises --out uses (tests wrap `open` to fail mid-write). */
export interface OutFs {
  open(path: string, flags: string | number, mode?: number): Promise<fsp.FileHandle>;
}

const defaultFs: OutFs = { open: (p, f, m) => fsp.open(p, f, m) };

/** An open --out destination. */
export interface OutTarget {
  write(bytes: Uint8Array): Promise<void>;
  /** Completes the output (sync + rename for a temp file). */
  commit(): Promise<void>;
  /** Undoes it: closes and removes the temp file (idempotent, never throws). */
  abort(): Promise<void>;
}

/** Symlink hops followed before giving up (Linux's own limit, MAXSYMLINKS, is 40). */
const MAX_LINKS = 40;

export function cannotWrite(out: string, e: unknown): CliUsageError {
  if (e instanceof CliUsageError) return e;
  return new CliUsageError(`--out = ${JSON.stringify(out)}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
}

/** Follows symlinks from `out`: the final path and its lstat (undefined when nothing is there). */
async function resolveLinks(out: string): Promise<{ path: string; st: Stats | undefined }> {
  let p = out;
  for (let hop = 0; hop <= MAX_LINKS; hop++) {
    let st: Stats;
    try {
      st = await fsp.lstat(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { path: p, st: undefined };
      throw e;
    }
    if (!st.isSymbolicLink()) return { path: p, st };
    p = resolve(dirname(p), await fsp.readlink(p));
  }
  throw new CliUsageError(`--out = ${JSON.stringify(out)}: more than ${MAX_LINKS} symbolic links in a chain (ELOOP)`);
}

async function writeAll(fh: fsp.FileHandle, bytes: Uint8Array): Promise<void> {
  for (let off = 0; off < bytes.length; ) {
    const { bytesWritten } = await fh.write(bytes, off, bytes.length - off);
    off += bytesWritten;
  }
}

function inPlace(fh: fsp.FileHandle): OutTarget {
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await fh.close();
  };
  return {
    write: (b) => writeAll(fh, b),
    commit: close,
    abort: () => close().catch(() => undefined),
  };
}

function socketTarget(path: string): Promise<OutTarget> {
  return new Promise((res, rej) => {
    const s = createConnection({ path });
    s.once('error', rej);
    s.once('connect', () => {
      s.off('error', rej);
      let failed: Error | undefined;
      s.on('error', (e) => void (failed = e));
      res({
        async write(b) {
          if (failed) throw failed;
          if (!s.write(b)) await new Promise<void>((r, j) => {
            s.once('drain', r);
            s.once('error', j);
          });
        },
        commit: () =>
          new Promise<void>((r, j) => {
            if (failed) {
              j(failed);
              return;
            }
            s.once('error', j);
            s.end(() => r());
          }),
        abort: () => {
          s.destroy();
          return Promise.resolve();
        },
      });
    });
  });
}

/**
 * Opens `out` for writing as described in the module comment. Errors are
 * {@link CliUsageError}s naming --out. `onTemp` gets the temp file's synchronous
 * cleanup before the file is created, so a signal handler can remove it even while
 * this call is still under way.
 */
export async function openOut(out: string, fs: OutFs = defaultFs, onTemp?: (removeSync: () => void) => void): Promise<OutTarget> {
  try {
    const { path, st } = await resolveLinks(out);
    if (st !== undefined && st.isDirectory()) throw new CliUsageError(`--out = ${JSON.stringify(out)}: is a directory; give a file name`);
    if (st !== undefined && st.isSocket()) return await socketTarget(path);
    if (st !== undefined && !st.isFile()) {
      // FIFO or device: written where it is (O_WRONLY: no create, no truncate, no rename).
      return inPlace(await fs.open(path, constants.O_WRONLY));
    }
    const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const mode = st === undefined ? 0o666 : st.mode & 0o7777;
    let state: 'open' | 'closed' | 'done' = 'open';
    const removeSync = (): void => {
      if (state !== 'done') rmSync(tmp, { force: true });
    };
    onTemp?.(removeSync);
    const fh = await fs.open(tmp, 'wx', mode);
    try {
      // open()'s mode is masked by the umask: set the old file's bits exactly.
      if (st !== undefined) await fh.chmod(mode);
    } catch (e) {
      await fh.close().catch(() => undefined);
      removeSync();
      throw e;
    }
    return {
      write: (b) => writeAll(fh, b),
      async commit() {
        await fh.datasync();
        state = 'closed';
        await fh.close();
        await fsp.rename(tmp, path);
        state = 'done';
      },
      async abort() {
        if (state === 'open') {
          state = 'closed';
          await fh.close().catch(() => undefined);
        }
        removeSync();
      },
    };
  } catch (e) {
    throw cannotWrite(out, e);
  }
}
