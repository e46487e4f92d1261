/**
 * The package as a user gets it: `packedTarball()` builds the library and `npm pack`s
 * it, and `makeConsumer()` makes a fresh project in a temp dir that installs that
 * tarball. Tests of the package (contents, types, a Vite app, README examples in a
 * fresh Node project) run against this, never against the checkout's sources.
 *
 * The build runs in a private staging copy of the package's inputs (so it neither
 * reads half-saved files twice nor writes the checkout's dist/), at most once per
 * content: the tarball is cached under node_modules/.cache/ keyed by a hash of the
 * staged inputs, and a lock directory makes several vitest worker processes that ask
 * at once wait for the one that builds.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root. */
export const REPO = resolve(import.meta.dirname, '..', '..');

/** What the library build and `npm pack` read; everything else cannot change the tarball. */
const INPUTS = ['package.json', 'package-lock.json', 'README.md', 'LICENSE', 'tsconfig.json', 'tsconfig.build.json', 'vite.lib.config.ts', 'src', 'shaders', 'bin', 'scripts/build-types.mjs', 'scripts/webgpu-types.d.ts', 'scripts/clean-lib.mjs'];
/** Parts of src/ that are not in the package (the explorer pages are built for the repo only). */
const EXCLUDED = new Set(['src/app']);

const CACHE = join(REPO, 'node_modules', '.cache', 'webgpu-lr-schedules-pack');
/** A lock older than this whose owner is gone is taken over. */
const STALE_LOCK_MS = 5 * 60_000;
const BUILD_TIMEOUT_MS = 5 * 60_000;

function listFiles(root: string, rel: string, out: string[]): void {
  if (EXCLUDED.has(rel)) return;
  const abs = join(root, rel);
  if (!existsSync(abs)) return;
  if (statSync(abs).isDirectory()) {
    for (const name of readdirSync(abs).sort()) listFiles(root, `${rel}/${name}`, out);
  } else {
    out.push(rel);
  }
}

/** Copies the inputs into `dir` and returns the hash of exactly what was copied. */
function stageInputs(dir: string): string {
  const files: string[] = [];
  for (const input of INPUTS) listFiles(REPO, input, files);
  const hash = createHash('sha256');
  for (const rel of files) {
    const content = readFileSync(join(REPO, rel));
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
    hash.update(`${rel}\0${content.length}\0`).update(content);
  }
  return hash.digest('hex').slice(0, 20);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock directory, waiting while another live process holds it. */
async function withLock<T>(lock: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + BUILD_TIMEOUT_MS + 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // The owner has made the directory but not yet written its pid.
      }
      const age = Date.now() - (existsSync(lock) ? statSync(lock).mtimeMs : Date.now());
      if ((Number.isInteger(owner) && !pidAlive(owner)) || age > STALE_LOCK_MS) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`packedTarball: gave up waiting for the build lock ${lock} (held by pid ${owner})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function buildTarball(stage: string, outDir: string): Promise<string> {
  symlinkSync(join(REPO, 'node_modules'), join(stage, 'node_modules'), 'dir');
  const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  try {
    await run('npm', ['run', '-s', 'build:lib'], { cwd: stage, env, timeout: BUILD_TIMEOUT_MS, maxBuffer: 64 << 20 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`packedTarball: \`npm run build:lib\` failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
  mkdirSync(outDir, { recursive: true });
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: stage, env, timeout: 60_000, maxBuffer: 64 << 20 });
  const [info] = JSON.parse(stdout) as [{ filename: string }];
  return join(outDir, info.filename);
}

/** Tarballs of other contents, older than this, are removed after a build (the cache stays small). */
const PRUNE_AFTER_MS = 60 * 60_000;

function pruneCache(keep: string): void {
  for (const name of readdirSync(CACHE)) {
    const p = join(CACHE, name);
    if (p === keep || name.endsWith('.lock')) continue;
    try {
      if (Date.now() - statSync(p).mtimeMs > PRUNE_AFTER_MS) rmSync(p, { recursive: true, force: true });
    } catch {
      // Another process pruned it first.
    }
  }
}

let memo: Promise<string> | undefined;

/**
 * The absolute path of `webgpu-lr-schedules-<version>.tgz` built from the checkout's
 * current inputs; built at most once per content, whatever the number of callers.
 */
export function packedTarball(): Promise<string> {
  memo ??= (async () => {
    mkdirSync(CACHE, { recursive: true });
    const stage = mkdtempSync(join(tmpdir(), 'lr-pack-stage-'));
    try {
      const key = stageInputs(stage);
      const outDir = join(CACHE, key);
      const find = (): string | undefined => {
        if (!existsSync(outDir)) return undefined;
        const tgz = readdirSync(outDir).find((f) => f.endsWith('.tgz'));
        return tgz === undefined ? undefined : join(outDir, tgz);
      };
      const cached = find();
      if (cached !== undefined) return cached;
      return await withLock(`${outDir}.lock`, async () => {
        const again = find();
        if (again !== undefined) return again;
        // Build into a scratch dir and rename, so a reader never sees half a tarball.
        const scratch = `${outDir}.tmp-${process.pid}`;
        rmSync(scratch, { recursive: true, force: true });
        const tgz = await buildTarball(stage, scratch);
        rmSync(outDir, { recursive: true, force: true });
        cpSync(scratch, outDir, { recursive: true });
        rmSync(scratch, { recursive: true, force: true });
        pruneCache(outDir);
        return join(outDir, relative(scratch, tgz));
      });
    } finally {
      rmSync(stage, { recursive: true, force: true });
    }
  })();
  memo.catch(() => {
    memo = undefined;
  });
  return memo;
}

export interface Consumer {
  /** The project directory (a fresh temp dir). */
  readonly dir: string;
  /** Runs a command in the project; resolves with its output, rejects with it on a non-zero exit. */
  exec(command: string, args: readonly string[], options?: { timeoutMs?: number; env?: NodeJS.ProcessEnv }): Promise<{ stdout: string; stderr: string }>;
  /** Writes a file (parents created) relative to the project. */
  write(rel: string, content: string): void;
  /** Removes the project. */
  remove(): void;
}

export interface ConsumerOptions {
  /**
   * Packages the project depends on besides the tarball (`vite`, `webgpu`,
   * `@webgpu/types`, `typescript`, ...). They are linked from this repository's
   * node_modules (the exact versions `npm ci` installed), so no network is needed;
   * an alias such as `typescript-7` may be linked under another name with
   * `{ name: 'typescript', from: 'typescript-7' }`.
   */
  readonly deps?: readonly (string | { readonly name: string; readonly from: string })[];
  /** Extra package.json fields (scripts, ...). */
  readonly packageJson?: Record<string, unknown>;
  /** Files to write, relative to the project. */
  readonly files?: Readonly<Record<string, string>>;
}

function execIn(dir: string, command: string, args: readonly string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: dir, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise({ stdout, stderr });
      else reject(Object.assign(new Error(`\`${command} ${args.join(' ')}\` in ${dir} exited with ${code ?? signal}\n${stdout}\n${stderr}`), { stdout, stderr }));
    });
  });
}

/** node_modules/.bin entries for a linked package, as npm would make them. */
function linkBins(dir: string, name: string, source: string): void {
  const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const bins = typeof manifest.bin === 'string' ? { [name.split('/').pop() ?? name]: manifest.bin } : (manifest.bin ?? {});
  const binDir = join(dir, 'node_modules', '.bin');
  mkdirSync(binDir, { recursive: true });
  for (const [bin, target] of Object.entries(bins)) {
    rmSync(join(binDir, bin), { force: true });
    symlinkSync(join(source, target), join(binDir, bin));
  }
}

/**
 * A fresh project in a temp dir (`"type": "module"`) with the packed tarball
 * installed by `npm install --offline` (a tarball needs no registry) and `deps`
 * linked in afterwards. Call `remove()` when done.
 */
export async function makeConsumer(options: ConsumerOptions = {}): Promise<Consumer> {
  const tarball = await packedTarball();
  const dir = mkdtempSync(join(tmpdir(), 'lr-consumer-'));
  const write = (rel: string, content: string): void => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  };
  write('package.json', `${JSON.stringify({ name: 'lr-consumer', private: true, version: '0.0.0', type: 'module', ...options.packageJson }, null, 2)}\n`);
  const exec: Consumer['exec'] = (command, args, o) => execIn(dir, command, args, o);
  try {
    await exec('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', tarball], { timeoutMs: 120_000 });
    for (const dep of options.deps ?? []) {
      const { name, from } = typeof dep === 'string' ? { name: dep, from: dep } : dep;
      const source = join(REPO, 'node_modules', from);
      if (!existsSync(source)) throw new Error(`makeConsumer: ${from} is not installed in ${REPO}/node_modules (run npm ci)`);
      mkdirSync(dirname(join(dir, 'node_modules', name)), { recursive: true });
      symlinkSync(source, join(dir, 'node_modules', name), 'dir');
      linkBins(dir, name, source);
    }
    for (const [rel, content] of Object.entries(options.files ?? {})) write(rel, content);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, exec, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A `vite` (or `vite preview`) server of a consumer app. */
export interface Served {
  readonly url: string;
  /** Everything it printed so far. */
  output(): string;
  /** Stops it; resolves when the process has exited. */
  stop(): Promise<void>;
}

/** Starts `vite …args` in the consumer app `dir` on a free 127.0.0.1 port and waits for its URL (60 s at most). */
export async function serveVite(dir: string, args: readonly string[]): Promise<Served> {
  const child: ChildProcess = spawn(process.execPath, ['node_modules/vite/bin/vite.js', ...args, '--host', '127.0.0.1', '--port', '0', '--strictPort'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vite ${args.join(' ')} printed no URL in 60 s:\n${output}`)), 60_000);
    const onData = (d: Buffer): void => {
      output += d.toString('utf8');
      const m = /Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`vite ${args.join(' ')} exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
