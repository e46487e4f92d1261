/**
 * Issue L.4: `--out` never loses data. Regular files are replaced atomically (temp file
 * + rename in the same folder) keeping their mode; symlinks are followed (the link stays
 * a link); FIFOs, devices and sockets are written in place; a write error mid-way
 * (ENOSPC: real on /dev/full, simulated for a regular file) or a bad result leaves
 * nothing behind; SIGINT / SIGTERM during the write of a large output remove the temp
 * file and exit 130 / 143 (a real child process); `--out -` is stdout.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/io.ts';
import { runCli } from '../src/cli/main.ts';
import type { OutFs } from '../src/cli/out-file.ts';
import { ExponentialDecay, serialize } from '../src/index.ts';

const root = mkdtempSync(join(tmpdir(), 'lr-cli-out-'));
const CONFIG = JSON.stringify(serialize(new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 })));
const ARGS = ['eval', '--config', '-', '--range', '0:30:10', '--backend', 'reference', '--format', 'csv'];
const EXPECTED = `step,value\n0,0.1\n10,0.05\n20,0.025\n`;

let dirCount = 0;
const freshDir = (): string => {
  const d = join(root, `d${dirCount++}`);
  mkdirSync(d);
  return d;
};
const tempsIn = (d: string): string[] => readdirSync(d).filter((f) => f.endsWith('.tmp'));

async function cli(args: readonly string[], opts: { stdin?: string; outFs?: OutFs } = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    readInput: () => Promise.resolve(opts.stdin ?? CONFIG),
    stdout: (t) => void (out += typeof t === 'string' ? t : Buffer.from(t).toString('latin1')),
    stderr: (t) => void (err += t),
    ...(opts.outFs === undefined ? {} : { outFs: opts.outFs }),
  };
  const code = await runCli(args, io);
  return { code, out, err };
}

function expectBad(r: { code: number; out: string; err: string }, msg: RegExp): void {
  expect(r.code, r.err).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(msg);
}

describe('--out: regular files', () => {
  it('a new file: written, no temp left, mode from the umask', async () => {
    const d = freshDir();
    const f = join(d, 'new.csv');
    const r = await cli([...ARGS, '--out', f]);
    expect(r).toEqual({ code: 0, out: '', err: '' });
    expect(readFileSync(f, 'utf8')).toBe(EXPECTED);
    expect(tempsIn(d)).toEqual([]);
    const umask = process.umask();
    expect(statSync(f).mode & 0o777).toBe(0o666 & ~umask);
  });
  it.each([0o600, 0o640, 0o444, 0o755])('an existing file with mode %o keeps it (and its new content replaces the old)', async (mode) => {
    const d = freshDir();
    const f = join(d, 'kept.csv');
    writeFileSync(f, 'old content that is longer than the new one '.repeat(10));
    chmodSync(f, mode);
    const ino = statSync(f).ino;
    const r = await cli([...ARGS, '--out', f]);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(f, 'utf8')).toBe(EXPECTED);
    expect(statSync(f).mode & 0o7777).toBe(mode);
    expect(statSync(f).ino).not.toBe(ino); // replaced by rename, not rewritten in place
    expect(tempsIn(d)).toEqual([]);
  });
  it('a bad config or steps: the existing file is untouched, no temp file', async () => {
    const d = freshDir();
    const f = join(d, 'keep.csv');
    writeFileSync(f, 'previous\n');
    expectBad(await cli([...ARGS, '--out', f], { stdin: '{"class_name": "Nope", "config": {}}' }), /unknown schedule class/);
    expectBad(await cli(['eval', '--config', '-', '--steps', '0,x', '--out', f]), /--steps\[1\]/);
    expect(readFileSync(f, 'utf8')).toBe('previous\n');
    expect(tempsIn(d)).toEqual([]);
  });
  it('a write error mid-write (ENOSPC, simulated): exit 2 naming --out, the old file intact, no temp', async () => {
    const d = freshDir();
    const f = join(d, 'full.json');
    writeFileSync(f, 'previous\n');
    let writes = 0;
    const failing: OutFs = {
      async open(p, flags, mode) {
        const fh = await open(p, flags, mode);
        return new Proxy(fh, {
          get(target, key) {
            if (key === 'write') {
              return async (...a: Parameters<FileHandle['write']>) => {
                if (++writes >= 2) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
                return (target.write as (...x: unknown[]) => unknown).apply(target, a);
              };
            }
            const v: unknown = Reflect.get(target, key);
            return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(target) : v;
          },
        });
      },
    };
    // A sweep large enough for several writes (json: one write per 8192 numbers).
    const r = await cli(['eval', '--config', '-', '--range', '0:100000', '--backend', 'reference', '--out', f], { outFs: failing });
    expectBad(r, new RegExp(`^lr-schedules: --out = ${JSON.stringify(f).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot write \\(ENOSPC\\)`));
    expect(writes).toBeGreaterThanOrEqual(2);
    expect(readFileSync(f, 'utf8')).toBe('previous\n');
    expect(tempsIn(d)).toEqual([]);
  });
  it('a directory is refused; a missing folder is ENOENT; nothing is created', async () => {
    const d = freshDir();
    expectBad(await cli([...ARGS, '--out', d]), /--out = ".*": is a directory/);
    expectBad(await cli([...ARGS, '--out', join(d, 'no', 'such.csv')]), /--out = ".*such\.csv": cannot write \(ENOENT\)/);
    expect(readdirSync(d)).toEqual([]);
  });
});

describe('--out: symlinks are followed', () => {
  it('the link stays a link; its target gets the output (atomically, mode kept)', async () => {
    const d = freshDir();
    const targetDir = freshDir();
    const target = join(targetDir, 'real.csv');
    writeFileSync(target, 'old\n');
    chmodSync(target, 0o600);
    const link = join(d, 'link.csv');
    symlinkSync(target, link);
    const r = await cli([...ARGS, '--out', link]);
    expect(r.code, r.err).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe(EXPECTED);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(tempsIn(d)).toEqual([]);
    expect(tempsIn(targetDir)).toEqual([]);
  });
  it('a relative chain of two links, and a dangling link (its target is created)', async () => {
    const d = freshDir();
    writeFileSync(join(d, 'final.csv'), 'old\n');
    symlinkSync('final.csv', join(d, 'mid.csv'));
    symlinkSync('mid.csv', join(d, 'top.csv'));
    expect((await cli([...ARGS, '--out', join(d, 'top.csv')])).code).toBe(0);
    expect(readFileSync(join(d, 'final.csv'), 'utf8')).toBe(EXPECTED);
    expect(lstatSync(join(d, 'top.csv')).isSymbolicLink() && lstatSync(join(d, 'mid.csv')).isSymbolicLink()).toBe(true);

    symlinkSync('later.csv', join(d, 'dangling.csv'));
    expect((await cli([...ARGS, '--out', join(d, 'dangling.csv')])).code).toBe(0);
    expect(lstatSync(join(d, 'dangling.csv')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(d, 'later.csv'), 'utf8')).toBe(EXPECTED);
    expect(tempsIn(d)).toEqual([]);
  });
  it('a link loop is bad input (exit 2), nothing created', async () => {
    const d = freshDir();
    symlinkSync('b', join(d, 'a'));
    symlinkSync('a', join(d, 'b'));
    expectBad(await cli([...ARGS, '--out', join(d, 'a')]), /--out = ".*": more than 40 symbolic links/);
    expect(readdirSync(d).sort()).toEqual(['a', 'b']);
  });
});

describe('--out: special files are written in place', () => {
  it('a FIFO (mkfifo): a reader gets every byte; it is still a FIFO; no temp file', async () => {
    const d = freshDir();
    const fifo = join(d, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let got = '';
    reader.stdout.on('data', (b: Buffer) => void (got += b.toString()));
    const done = new Promise<number | null>((res) => reader.on('exit', res));
    const r = await cli([...ARGS, '--out', fifo]);
    expect(r.code, r.err).toBe(0);
    expect(await done).toBe(0);
    expect(got).toBe(EXPECTED);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(d)).toEqual(['pipe']);
  });
  it('a FIFO as --out of the real process (it waits for the reader): every byte, still a FIFO', async () => {
    const d = freshDir();
    const fifo = join(d, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const cli = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...ARGS, '--out', fifo], { stdio: ['pipe', 'pipe', 'pipe'] });
    cli.stdin.end(CONFIG);
    let err = '';
    cli.stderr.on('data', (b: Buffer) => void (err += b.toString()));
    const exited = new Promise<number | null>((res) => cli.on('exit', res));
    const reader = spawn('cat', [fifo]);
    let got = '';
    reader.stdout.on('data', (b: Buffer) => void (got += b.toString()));
    const read = new Promise<number | null>((res) => reader.on('exit', res));
    expect(await exited, err).toBe(0);
    expect(await read).toBe(0);
    expect(got).toBe(EXPECTED);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(d)).toEqual(['pipe']);
  });
  it('/dev/null stays the character device', async () => {
    const before = statSync('/dev/null');
    const r = await cli([...ARGS, '--out', '/dev/null']);
    expect(r).toEqual({ code: 0, out: '', err: '' });
    const after = statSync('/dev/null');
    expect(after.isCharacterDevice()).toBe(true);
    expect([after.ino, after.rdev]).toEqual([before.ino, before.rdev]);
    expect(readdirSync('/dev').filter((f) => f.startsWith('.null.'))).toEqual([]);
  });
  it.skipIf(!existsSync('/dev/full'))('/dev/full: the real ENOSPC is exit 2 naming --out, one line', async () => {
    expectBad(await cli([...ARGS, '--out', '/dev/full']), /^lr-schedules: --out = "\/dev\/full": cannot write \(ENOSPC\)\n$/);
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });
  it('a Unix socket: connected to and written; the socket file stays', async () => {
    const d = freshDir();
    const sock = join(d, 'out.sock');
    let got = '';
    const closed = new Promise<void>((res) => {
      const server = createServer((c) => {
        c.on('data', (b: Buffer) => void (got += b.toString()));
        c.on('end', () => {
          server.close();
          res();
        });
      });
      server.listen(sock);
    });
    await new Promise((r) => setTimeout(r, 50));
    const r = await cli([...ARGS, '--out', sock]);
    expect(r.code, r.err).toBe(0);
    await closed;
    expect(got).toBe(EXPECTED);
  });
  it('--out - is stdout: no file named "-"', async () => {
    const d = freshDir();
    // Run from an empty folder (tsx's loader by its file URL): a file named "-" would show up there.
    const tsx = pathToFileURL(join(process.cwd(), 'node_modules/tsx/dist/loader.mjs')).href;
    const p = spawnSync(process.execPath, ['--import', tsx, join(process.cwd(), 'src/cli/main.ts'), ...ARGS, '--out', '-'], { cwd: d, input: CONFIG, encoding: 'utf8' });
    expect(p.status, p.stderr).toBe(0);
    expect(p.stdout).toBe(EXPECTED);
    expect(readdirSync(d)).toEqual([]);
  });
});

describe('--out: SIGINT / SIGTERM mid-write (a real child process)', () => {
  // 16 schedules × 2^20 steps on the CPU: ~2^24 values, seconds of JSON writing.
  const sweep = JSON.stringify(Array.from({ length: 16 }, (_, i) => serialize(new ExponentialDecay({ initialLearningRate: 0.1 + i / 100, decaySteps: 1000, decayRate: 0.5 }))));
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s: exit %i, the temp file removed, the old file intact', async (signal, exitCode) => {
    const d = freshDir();
    const f = join(d, 'big.json');
    writeFileSync(f, 'previous\n');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sweep', '--config', '-', '--range', `0:${2 ** 20}`, '--backend', 'cpu', '--out', f], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end(sweep);
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => void (stderr += b.toString()));
    const exited = new Promise<{ code: number | null; sig: NodeJS.Signals | null }>((res) => child.on('exit', (code, sig) => res({ code, sig })));
    // Wait until the temp file exists and has grown (the write is under way), then signal.
    let seen = '';
    for (let i = 0; i < 6000 && seen === ''; i++) {
      const t = tempsIn(d)[0];
      if (t !== undefined && statSync(join(d, t), { throwIfNoEntry: false })?.size) seen = t;
      else await new Promise((r) => setTimeout(r, 10));
    }
    expect(seen, `no temp file appeared; stderr: ${stderr}`).not.toBe('');
    child.kill(signal);
    const { code, sig } = await exited;
    expect({ code, sig }, stderr).toEqual({ code: exitCode, sig: null });
    expect(tempsIn(d)).toEqual([]);
    expect(readFileSync(f, 'utf8')).toBe('previous\n');
  }, 120_000);
});
