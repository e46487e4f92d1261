/**
 * Issue F.2, the bad-input catalog through the CLI (`lr-schedules eval`): every JSON
 * config case (as --config) and every step case the flags can express must exit 2 with
 * one stderr line naming the field and the rule, print nothing on stdout and write no
 * --out file. In-process through runCli (injected I/O) for the whole catalog, and as a
 * real process (`npx tsx src/cli/main.ts`) for a representative subset; the CLI-only
 * cases (CLI_BAD_INPUTS: config size, UTF-8, nesting, special files, flags) as real
 * processes, each also listed in docs/bad-inputs.md.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { BAD_INPUTS, CLI_BAD_INPUTS, kerasJson, type CliCase, type JsonCase, type StepsCase } from '../fixtures/bad-inputs.ts';

const GOOD = kerasJson('ExponentialDecay', { initial_learning_rate: 0.1, decay_steps: 100, decay_rate: 0.5 });
// eval takes one schedule: a JSON list is refused as such (its own message), so list cases are library-only.
const jsonCases = BAD_INPUTS.filter((c): c is JsonCase => c.surface === 'json' && !c.text.trimStart().startsWith('['));
const stepCases = BAD_INPUTS.filter((c): c is StepsCase => c.surface === 'steps' && c.cli !== undefined);

async function run(configText: string, stepFlags: readonly string[], out: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    readInput: () => Promise.resolve(configText),
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
  };
  const code = await runCli(['eval', '--config', 'config.json', ...stepFlags, '--out', out], io);
  return { code, stdout, stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'lr-bad-cli-'));

describe(`bad-input catalog through the CLI (${jsonCases.length} config + ${stepCases.length} step cases)`, () => {
  it.each(jsonCases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const out = join(tmp, `${c.id.replace(/\W+/g, '_')}.json`);
    const r = await run(c.text, ['--steps', '0,1,2'], out);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(c.expect.field);
    expect(r.stderr).toMatch(c.expect.rule);
  });

  it.each(stepCases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const out = join(tmp, `${c.id.replace(/\W+/g, '_')}.json`);
    const r = await run(GOOD, c.cli!, out);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    // The CLI names the flag's element or the range part; the value and a rule follow.
    expect(r.stderr).toMatch(/lr-schedules: .+ = .+: .+/);
  });

  it('a real process: exit 2, nothing on stdout, an existing --out file left untouched', () => {
    const subset = [jsonCases.find((c) => c.id === 'json:malformed')!, jsonCases.find((c) => c.id === 'json:boundaries-unsorted')!, jsonCases.find((c) => c.id === 'json:ExponentialDecay.decay_steps=null')!];
    for (const c of subset) {
      const cfg = join(tmp, 'cfg.json');
      writeFileSync(cfg, c.text);
      const out = join(tmp, 'kept.json');
      writeFileSync(out, 'previous sweep\n');
      const r = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'eval', '--config', cfg, '--range', '0:10', '--out', out], { encoding: 'utf8' });
      expect(r.status, `${c.id}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(c.expect.field);
      expect(existsSync(out) && (spawnSync('cat', [out], { encoding: 'utf8' }).stdout === 'previous sweep\n')).toBe(true);
    }
    const r = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'eval', '--config', '-', '--steps', '0,-1'], { encoding: 'utf8', input: GOOD });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/-1/);
  });
});

describe(`CLI-only bad input (${CLI_BAD_INPUTS.length} cases, real processes): size, UTF-8, nesting, special files, flags`, () => {
  const doc = readFileSync('docs/bad-inputs.md', 'utf8');
  it.each(CLI_BAD_INPUTS.map((c) => [c.id, c] as const))('%s', (_id, c: CliCase) => {
    const d = mkdtempSync(join(tmp, 'case-'));
    for (const [name, v] of Object.entries(c.files ?? {})) {
      const p = join(d, name);
      if (typeof v === 'string' || v instanceof Uint8Array) writeFileSync(p, v);
      else if ('size' in v) writeFileSync(p, ' '.repeat(v.size));
      else symlinkSync(v.symlink, p);
    }
    const out = join(d, 'out.json');
    const args = c.args.map((a) => a.replaceAll('{out}', out).replaceAll('{dir}', d));
    const zero = typeof c.stdin === 'object' ? openSync('/dev/zero', 'r') : undefined;
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
        encoding: 'utf8',
        timeout: 120_000,
        ...(zero === undefined ? { input: Buffer.from(typeof c.stdin === 'string' ? c.stdin : '', 'latin1') } : { stdio: [zero, 'pipe', 'pipe'] }),
      });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr.startsWith('lr-schedules: ')).toBe(true);
      expect(r.stderr).toContain(c.expect.field);
      expect(r.stderr).toMatch(c.expect.rule);
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(d).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      if (zero !== undefined) closeSync(zero);
    }
    expect(doc, `docs/bad-inputs.md lists ${c.id}`).toContain(`\`${c.id}\``);
  });
});
