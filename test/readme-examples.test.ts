/**
 * The README's examples are tests. Every ```ts block of README.md runs as pasted in a
 * fresh Node project that installed the packed package plus `webgpu` (what
 * `npm install webgpu-lr-schedules webgpu` gives a user), saved as `example.mts` and run
 * with `npx tsx` (the repository's tsx); it must exit 0
 * well under a minute and print what its comments say: each `console.log(…); // text`
 * line claims one line of output, `text` minus a trailing "(explanation)", where `…`
 * stands for anything. The ```sh block of the "Command line" section runs from the
 * repository (`npm run -s cli -- …`) and must exit 0.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConsumer, REPO, type Consumer } from './helpers/packed.ts';

const run = promisify(execFile);
const README = readFileSync(join(REPO, 'README.md'), 'utf8');

/** The fenced blocks of a markdown text with the given info string, with the line each starts on. */
function blocks(text: string, lang: string): { code: string; line: number }[] {
  const out: { code: string; line: number }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```' + lang) continue;
    const start = i + 1;
    let j = start;
    while (j < lines.length && lines[j] !== '```') j++;
    out.push({ code: lines.slice(start, j).join('\n') + '\n', line: start + 1 });
    i = j;
  }
  return out;
}

/** What the `// comment` of each console.log line says it prints, as a whole-line pattern. */
function claimedOutput(code: string): { source: string; pattern: RegExp }[] {
  const claims: { source: string; pattern: RegExp }[] = [];
  for (const line of code.split('\n')) {
    if (!/^\s*console\.log\(/.test(line)) continue;
    const m = /\);\s*\/\/ (.*)$/.exec(line);
    if (!m) throw new Error(`README console.log line without a comment saying what it prints: ${line.trim()}`);
    const claim = m[1]!.replace(/\s+\([^()]*\)$/, '').trim();
    const re = claim
      .split('…')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*?');
    claims.push({ source: claim, pattern: new RegExp(`^${re}$`) });
  }
  return claims;
}

const TS_BLOCKS = blocks(README, 'ts');
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');
/** "Well under a minute" per block; the slowest (2^24 streamed steps) takes a few seconds on SwiftShader. */
const BLOCK_TIMEOUT_MS = 50_000;

describe('README.md examples', () => {
  let consumer: Consumer | undefined;
  beforeAll(async () => {
    // npm's own default for a new project is CommonJS: the blocks must not rely on "type": "module".
    consumer = await makeConsumer({ deps: ['webgpu', 'typescript'], packageJson: { type: 'commonjs' } });
  }, 400_000);
  afterAll(() => consumer?.remove());

  it('has the TypeScript blocks this test runs, each claiming its output', () => {
    expect(TS_BLOCKS.length).toBeGreaterThanOrEqual(4);
    for (const b of TS_BLOCKS) {
      expect(b.code, `README.md:${b.line}`).toContain("from 'webgpu-lr-schedules'");
      expect(claimedOutput(b.code).length, `README.md:${b.line}: no console.log claims`).toBeGreaterThan(0);
    }
  });

  it.each(TS_BLOCKS.map((b, i) => [i + 1, b] as const))('block %i runs as pasted in a fresh project and prints what it says', async (i, block) => {
    const c = consumer!;
    const file = `example-${i}.mts`; // as the README says: .mts, an ES module whatever the project's type
    c.write(file, block.code);
    const { stdout } = await c.exec(TSX, [file], { timeoutMs: BLOCK_TIMEOUT_MS });
    const printed = stdout.split('\n').filter((l) => l !== '');
    const claims = claimedOutput(block.code);
    expect(printed, `README.md:${block.line}: one line per console.log`).toHaveLength(claims.length);
    claims.forEach((claim, k) => expect(printed[k], `README.md:${block.line}: claims "${claim.source}"`).toMatch(claim.pattern));
  }, BLOCK_TIMEOUT_MS + 10_000);

  it('every block type-checks as strict TypeScript (skipLibCheck off) against the installed package', async () => {
    // A TypeScript user pastes the same blocks into a strict project: they must compile too.
    const c = consumer!;
    TS_BLOCKS.forEach((b, i) => c.write(`typed/example-${i + 1}.mts`, b.code));
    c.write(
      'tsconfig.json',
      JSON.stringify({
        compilerOptions: { strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, skipLibCheck: false, noEmit: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2023', 'dom'], types: [] },
        include: ['typed/*.mts'],
      }),
    );
    const tsc = join(c.dir, 'node_modules', 'typescript', 'bin', 'tsc');
    await expect(c.exec(process.execPath, [tsc, '-p', 'tsconfig.json'], { timeoutMs: 120_000 }).then((r) => r.stdout)).resolves.toBe('');
  }, 130_000);
});

describe('README.md command line examples', () => {
  const section = README.slice(README.indexOf('## Command line'), README.indexOf('\n## ', README.indexOf('## Command line') + 1));
  const commands = blocks(section, 'sh')
    .flatMap((b) => b.code.replace(/\\\n\s*/g, ' ').split('\n'))
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'readme-cli-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('names only files of the repository', () => {
    expect(commands.length).toBeGreaterThanOrEqual(4);
    for (const cmd of commands) {
      for (const m of cmd.matchAll(/--config (\S+)/g)) if (m[1] !== '-') expect(statSync(join(REPO, m[1]!)).isFile(), m[1]).toBe(true);
    }
  });

  it.each(commands)('%s: exit 0', async (cmd) => {
    // `--out lr.f32` would write into the checkout: the same command, writing to a temp dir.
    const line = cmd.replace(/--out (\S+)/, (_, f: string) => `--out ${join(out, f)}`);
    const { stdout } = await run('bash', ['-c', line], { cwd: REPO, timeout: 120_000, maxBuffer: 64 << 20 });
    if (/ eval .*--format json/.test(cmd)) {
      const j = JSON.parse(stdout) as { steps: number[]; values: number[] };
      expect(j.steps).toEqual([0, 250, 500, 750, 1000]);
      // float32 backends return the exact ends rounded once: lr0 at step 0, 0 at the end (α = 0)
      expect(j.values[0]).toBe(Math.fround(0.1));
      expect(j.values[4]).toBe(0);
    }
    if (/ sweep .*--out lr\.f32/.test(cmd)) {
      const configs = JSON.parse(readFileSync(join(REPO, /--config (\S+)/.exec(cmd)![1]!), 'utf8')) as unknown[];
      expect(statSync(join(out, 'lr.f32')).size).toBe(configs.length * 1000 * 4);
    }
    if (/ verify /.test(cmd)) expect(stdout).toMatch(/^verify: OK: 0 of 1000000 checked values outside \|got − exact\| ≤ 20·2\^-23·\|exact\| \+ 2\^-126/);
    if (/--help/.test(cmd)) expect(stdout).toContain('verify');
  }, 130_000);
});
