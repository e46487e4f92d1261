/**
 * The Node CLI: success and error paths. In-process through runCli (fast), and a
 * few real processes (`npx tsx src/cli/main.ts`) for exit codes, stdout/stderr and
 * the output file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { usage } from '../src/cli/main.ts';
import { CosineDecay, ExponentialDecay, serialize } from '../src/schedules/index.ts';
import { cli } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'lr-cli-'));
const expJson = JSON.stringify(serialize(new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 })));
const expFile = join(dir, 'exp.json');
writeFileSync(expFile, expJson);

function expectBad(r: { code: number; out: string; err: string }, msg: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.split('\n').filter((l) => l !== '')).toHaveLength(1);
  expect(r.err).toMatch(msg);
}

describe('eval (in process)', () => {
  it('json output: backend, device, steps, values (the f64 reference)', async () => {
    const r = await cli(['eval', '--config', expFile, '--range', '0:30:10', '--backend', 'reference']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(JSON.parse(r.out)).toEqual({ backend: 'reference', device: 'cpu (f64 reference)', steps: [0, 10, 20], values: [0.1, 0.05, 0.025] });
  });
  it('STOP is exclusive; stride default 1; --flag=value; stdin config; csv', async () => {
    const cos = JSON.stringify(serialize(new CosineDecay({ initialLearningRate: 1, decaySteps: 4 })));
    const r = await cli(['eval', '--config=-', '--range=2:5', '--format', 'csv', '--backend=reference'], cos);
    expect(r.code).toBe(0);
    const s = new CosineDecay({ initialLearningRate: 1, decaySteps: 4 });
    expect(r.out).toBe(`step,value\n2,${s.at(2)}\n3,${s.at(3)}\n4,0\n`);
  });
  it('--steps list, up to 2^53; an optimizer config', async () => {
    const adam = JSON.stringify({ module: 'keras.optimizers', class_name: 'Adam', config: { name: 'adam', learning_rate: JSON.parse(expJson) as unknown }, registered_name: null });
    const r = await cli(['eval', '--config', '-', '--steps', '0,10,9007199254740992', '--backend', 'reference'], adam);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out) as { steps: number[]; values: number[] };
    expect(v.steps).toEqual([0, 10, 2 ** 53]);
    expect(v.values.slice(0, 2)).toEqual([0.1, 0.05]);
  });
  it('an empty range is bad input (exit 2, one line naming --range, the value and the rule)', async () => {
    expectBad(await cli(['eval', '--config', expFile, '--range', '5:5', '--backend', 'reference']), /^lr-schedules: --range = "5:5": STOP must be > START/);
    expectBad(await cli(['sweep', '--config', expFile, '--range', '0:0']), /--range = "0:0": STOP must be > START/);
    expectBad(await cli(['verify', '--config', expFile, '--range', '7:7:3']), /--range = "7:7:3": STOP must be > START/);
    expectBad(await cli(['eval', '--config', expFile, '--steps', '']), /--steps = "": needs at least one step/);
    expectBad(await cli(['eval', '--config', expFile, '--steps', ' ']), /--steps = "": needs at least one step/);
  });
  it('--help and eval --help print usage on stdout', async () => {
    const a = await cli(['--help']);
    expect(a.code).toBe(0);
    expect(a.out).toBe(usage());
    expect(a.out).toContain('STOP');
    const b = await cli(['eval', '--help']);
    expect(b.code).toBe(0);
    expect(b.out).toContain('--range A:B[:S]');
  });
  it.each([
    [['frob'], /unknown command "frob"/],
    [[], /missing command/],
    [["eval", "--steps", "0"], /--config FILE\|- \(or --json TEXT\) is required/],
    [['eval', '--config', 'CFG'], /exactly one of --steps or --range/],
    [['eval', '--config', 'CFG', '--steps', '1', '--range', '0:2'], /exactly one of --steps or --range/],
    [['eval', '--config', 'CFG', '--steps', '0,-1'], /--steps\[1\] = "-1": must be a non-negative integer/],
    [['eval', '--config', 'CFG', '--steps', '0,1.5'], /--steps\[1\] = "1.5"/],
    [['eval', '--config', 'CFG', '--steps', '9007199254740993'], /--steps\[0\] = 9007199254740993: must be ≤ 9007199254740992/],
    [['eval', '--config', 'CFG', '--range', '10:5'], /--range = "10:5": STOP must be > START/],
    [['eval', '--config', 'CFG', '--range', '0:5:0'], /STRIDE = 0: must be ≥ 1/],
    [['eval', '--config', 'CFG', '--range', '0'], /START:STOP/],
    [['eval', '--config', 'CFG', '--steps', '1', '--backend', 'gpu'], /--backend = "gpu": unknown backend \(available: auto, webgpu, cpu, reference\)/],
    [['eval', '--config', 'CFG', '--steps', '1', '--format', 'xml'], /--format = "xml": must be one of json, csv, f32/],
    [['eval', '--config', 'CFG', '--steps', '1', '--bogus'], /unknown flag --bogus/],
    [['eval', '--config', 'CFG', '--steps', '1', '--steps', '2'], /given more than once/],
    [['eval', '--config', 'CFG', '--steps'], /--steps needs a value/],
  ])('bad flags %j → exit 2, one line', async (args, msg) => {
    expectBad(await cli(args.map((a) => (a === 'CFG' ? expFile : a))), msg);
  });
  it.each([
    ['{"class_name": "ExponentialDecay",', /malformed JSON/],
    ['{"class_name": "NoSuchDecay", "config": {}}', /class_name = "NoSuchDecay": unknown schedule class \(known: CosineDecay/],
    ['{"class_name": "Cyclic", "config": {}}', /class_name = "Cyclic": is not a Keras class, so Keras JSON cannot hold it: write it in a dialect that has it \(pytorch/],
    ['{"class_name": "ExponentialDecay", "config": {"initial_learning_rate": 0.1, "decay_steps": "100", "decay_rate": 0.5}}', /config\.decay_steps = "100": must be a number/],
    ['{"class_name": "ExponentialDecay", "config": {"initial_learning_rate": 0.1, "decay_steps": -5, "decay_rate": 0.5}}', /config\.decay_steps = -5: must be > 0/],
    ['{"module": "keras.optimizers", "class_name": "Adam", "config": {"learning_rate": 0.001}}', /learning_rate = 0\.001: is a plain number/],
  ])('bad config %s → exit 2, one line', async (text, msg) => {
    expectBad(await cli(['eval', '--config', '-', '--steps', '0'], text), msg);
  });
});

describe('the real process (npx tsx src/cli/main.ts)', () => {
  const run = (args: string[], input?: string) =>
    spawnSync('npx', ['tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', input: input ?? '', timeout: 60_000 });

  it('success to stdout, exit 0', () => {
    const r = run(['eval', '--config', expFile, '--steps', '0,10', '--backend', 'reference']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ backend: 'reference', device: 'cpu (f64 reference)', steps: [0, 10], values: [0.1, 0.05] });
  });
  it('--out writes the file atomically; a failing run leaves no file and no temp file', () => {
    const out = join(dir, 'out.csv');
    const ok = run(['eval', '--config', '-', '--range', '0:3', '--format', 'csv', '--out', out, '--backend', 'reference'], expJson);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe('');
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('step,value');
    const before = readFileSync(out, 'utf8');
    const bad = run(['eval', '--config', '-', '--steps', '0,x', '--out', out], expJson);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(out, 'utf8')).toBe(before); // untouched
    const fresh = join(dir, 'never.json');
    const bad2 = run(['eval', '--config', '-', '--steps', '0', '--out', fresh], '{"class_name": "Nope", "config": {}}');
    expect(bad2.status).toBe(2);
    expect(bad2.stderr).toMatch(/unknown schedule class/);
    expect(existsSync(fresh)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
  it('bad input: exit 2, stdout empty, one stderr line; a missing config file; --help', () => {
    const r = run(['eval', '--config', join(dir, 'missing.json'), '--steps', '0']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^lr-schedules: --config = ".*missing\.json": cannot read \(ENOENT\)\n$/);
    const h = run(['--help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toContain('Usage: lr-schedules <command>');
  });
});
