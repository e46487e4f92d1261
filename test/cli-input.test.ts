/**
 * The CLI's inputs: --version, inline --json configs, util.parseArgs flag errors, the
 * bounded config reader (issue L.3: 64 MiB by default, --max-config-bytes, /dev/zero
 * and stdin stop at the limit), strict UTF-8 with the byte offset of the first invalid
 * byte, JSON nesting depth (exit 2, one line), and --backend auto's CPU crossover.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUTO_CPU_BELOW, type EvaluatorFactory } from '../src/cli/backends.ts';
import type { CliIo } from '../src/cli/io.ts';
import { runCli } from '../src/cli/main.ts';
import { DEFAULT_MAX_CONFIG_BYTES, MAX_CONFIG_BYTES_CAP } from '../src/cli/options.ts';
import { firstInvalidUtf8 } from '../src/cli/utf8.ts';
import { createEvaluator, ExponentialDecay, serialize } from '../src/index.ts';
import { parseArgs as parseBenchArgs } from '../bench/args.ts';
import { mulberry32 } from './helpers/random.ts';

const dir = mkdtempSync(join(tmpdir(), 'lr-cli-input-'));
const EXP = JSON.stringify(serialize(new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 })));
const expFile = join(dir, 'exp.json');
writeFileSync(expFile, EXP);
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

interface Run {
  code: number;
  out: string;
  err: string;
  /** Bytes of binary stdout (kept out of `out`). */
  binary: number;
}
async function cli(args: readonly string[], input: string | Uint8Array = EXP, factory?: EvaluatorFactory): Promise<Run> {
  let out = '';
  let err = '';
  let binary = 0;
  const io: CliIo = {
    readInput: (p, max) => {
      if (p !== '-' && p !== 'bytes') return Promise.resolve(readFileSync(p, 'utf8'));
      const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
      // As the real reader: never hand back more than the limit.
      if (bytes.length > max) return Promise.reject(new Error('test reader: over the limit'));
      return Promise.resolve(bytes);
    },
    stdout: (t) => {
      if (typeof t === 'string') out += t;
      else binary += t.length;
    },
    stderr: (t) => void (err += t),
  };
  const code = await runCli(args, io, factory === undefined ? {} : { createEvaluator: factory });
  return { code, out, err, binary };
}
function expectBad(r: Run, msg: RegExp): void {
  expect(r.code, r.err).toBe(2);
  expect(r.out).toBe('');
  expect(r.binary).toBe(0);
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(msg);
}
const proc = (args: readonly string[], opts: { input?: string; stdin?: number } = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    ...(opts.stdin === undefined ? { input: opts.input ?? '' } : { stdio: [opts.stdin, 'pipe', 'pipe'] }),
  });

describe('--version', () => {
  it.each(['--version', '-V'])('%s prints the package.json version', async (flag) => {
    expect(await cli([flag])).toEqual({ code: 0, out: `${VERSION}\n`, err: '', binary: 0 });
  });
  it('with an argument: exit 2; the real process prints it too; --help names it', async () => {
    expectBad(await cli(['--version', 'x']), /--version: takes no arguments/);
    const p = proc(['--version']);
    expect([p.status, p.stdout]).toEqual([0, `${VERSION}\n`]);
    expect((await cli(['--help'])).out).toContain('--version | -V');
  });
});

describe('--json TEXT (inline config)', () => {
  it('eval and sweep give what --config gives', async () => {
    const a = await cli(['eval', '--json', EXP, '--steps', '0,10', '--backend', 'reference']);
    const b = await cli(['eval', '--config', expFile, '--steps', '0,10', '--backend', 'reference']);
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    const s = await cli(['sweep', `--json=[${EXP},${EXP}]`, '--steps', '0', '--backend', 'reference']);
    expect((JSON.parse(s.out) as { schedules: number }).schedules).toBe(2);
  });
  it('bad input: both sources, neither, bad JSON, over the limit', async () => {
    expectBad(await cli(['eval', '--json', EXP, '--config', expFile, '--steps', '0']), /give one of --config FILE\|- or --json TEXT, not both/);
    expectBad(await cli(['eval', '--steps', '0']), /--config FILE\|- \(or --json TEXT\) is required/);
    expectBad(await cli(['eval', '--json', '{"class_name": ', '--steps', '0']), /malformed JSON/);
    expectBad(await cli(['eval', '--json', EXP, '--steps', '0', '--max-config-bytes', '10']), new RegExp(`^lr-schedules: --json: ${EXP.length} bytes, over the limit of 10 bytes .*--max-config-bytes N`));
  });
});

describe('flags (util.parseArgs)', () => {
  it.each([
    [['eval', '--config', 'F', '--steps', '--range', '0:3'], /eval: --steps needs a value/],
    [['eval', '--config', 'F', '-s', '0'], /eval: unknown flag -s \(known: --config, --json/],
    [['eval', '--config', 'F', '--steps', '0', 'extra'], /eval: unexpected argument "extra"/],
    [['eval', '--config', 'F', '--steps', '0', '--verbose=yes'], /eval: --verbose takes no value/],
    [['eval', '--config', 'F', '--steps', '0', '--', 'x'], /unexpected argument "--"/],
    [['plot', '--config', 'F', '--steps', '0', '--width', '10'], /--width = "10": must be an integer 200 … 4000/],
  ])('%j → exit 2, one line', async (args, msg) => {
    expectBad(await cli(args.map((a) => (a === 'F' ? expFile : a))), msg);
  });
});

describe('bounded config input (64 MiB by default)', () => {
  it('the default and the cap', () => {
    expect(DEFAULT_MAX_CONFIG_BYTES).toBe(64 * 2 ** 20);
    expect(MAX_CONFIG_BYTES_CAP).toBeGreaterThan(DEFAULT_MAX_CONFIG_BYTES);
  });
  it('--config /dev/zero stops at the limit: exit 2 naming --config, the size, the rule and the flag', () => {
    const p = proc(['eval', '--config', '/dev/zero', '--steps', '0', '--max-config-bytes', String(2 ** 20)]);
    expect(p.status, p.stderr).toBe(2);
    expect(p.stdout).toBe('');
    expect(p.stderr).toBe('lr-schedules: --config = "/dev/zero": more than 1048576 bytes, over the limit of 1048576 bytes (1 MiB) a config may have; raise it with --max-config-bytes N\n');
  });
  it('the default limit holds for /dev/zero (64 MiB read, not 7 GB)', () => {
    const p = proc(['eval', '--config', '/dev/zero', '--steps', '0']);
    expect(p.status, p.stderr).toBe(2);
    expect(p.stderr).toMatch(/^lr-schedules: --config = "\/dev\/zero": more than 67108864 bytes, over the limit of 67108864 bytes \(64 MiB\)/);
  });
  it('--config - with /dev/zero on stdin stops at the limit too', () => {
    const fd = openSync('/dev/zero', 'r');
    try {
      const p = proc(['eval', '--config', '-', '--steps', '0', '--max-config-bytes', '100000'], { stdin: fd });
      expect(p.status, p.stderr).toBe(2);
      expect(p.stdout).toBe('');
      expect(p.stderr).toMatch(/^lr-schedules: --config = "-": more than 100000 bytes, over the limit .*--max-config-bytes N\n$/);
    } finally {
      closeSync(fd);
    }
  });
  it('a regular file over the limit names its size; --max-config-bytes raises the limit', () => {
    const f = join(dir, 'padded.json');
    writeFileSync(f, `${EXP}${' '.repeat(2000 - EXP.length)}`);
    const bad = proc(['eval', '--config', f, '--steps', '0', '--backend', 'reference', '--max-config-bytes', '1000']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^lr-schedules: --config = ".*padded\.json": 2000 bytes, over the limit of 1000 bytes a config may have; raise it with --max-config-bytes N\n$/);
    const ok = proc(['eval', '--config', f, '--steps', '0', '--backend', 'reference', '--max-config-bytes', '2000']);
    expect(ok.status, ok.stderr).toBe(0);
  });
  it.each(['0', '-1', '1.5', 'lots', '', String(MAX_CONFIG_BYTES_CAP + 1)])('--max-config-bytes %j → exit 2', async (v) => {
    expectBad(await cli(['eval', '--config', '-', '--steps', '0', `--max-config-bytes=${v}`]), /--max-config-bytes = ".*": must be an integer 1 … \d+/);
  });
  it('a directory as --config is bad input', () => {
    const p = proc(['eval', '--config', dir, '--steps', '0']);
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/--config = ".*": (is a directory|cannot read \(EISDIR\))/);
  });
});

describe('strict UTF-8', () => {
  const enc = (s: string): number[] => [...new TextEncoder().encode(s)];
  const cfgWith = (bad: number[]): Uint8Array => Uint8Array.from([...enc('{"class_name": "é'), ...bad, ...enc('"}')]);
  const prefix = enc('{"class_name": "é').length; // 18: "é" is two bytes
  it.each([
    ['a lone 0xff', [0xff], 0, /byte 0xff: not a UTF-8 byte/],
    ['a stray continuation byte', [0x80], 0, /0x80: a continuation byte without a lead byte/],
    ['an overlong NUL (c0 80)', [0xc0, 0x80], 0, /0xc0: an overlong lead byte/],
    ['an overlong 3-byte form (e0 80 80)', [0xe0, 0x80, 0x80], 1, /0x80 cannot follow 0xe0/],
    ['a surrogate (ed a0 80)', [0xed, 0xa0, 0x80], 1, /0xa0 cannot follow 0xed/],
    ['above U+10FFFF (f4 90 80 80)', [0xf4, 0x90, 0x80, 0x80], 1, /0x90 cannot follow 0xf4/],
    ['a cut sequence (e2 82 then ")', [0xe2, 0x82], 2, /0x22 cannot follow 0x82/],
  ])('%s: exit 2 naming the byte offset', async (_name, bad, rel, why) => {
    const r = await cli(['eval', '--config', 'bytes', '--steps', '0'], cfgWith(bad));
    expectBad(r, new RegExp(`^lr-schedules: --config = "bytes": invalid UTF-8 at byte offset ${prefix + rel} \\(`));
    expect(r.err).toMatch(why);
  });
  it('a sequence cut by the end of the input names its lead byte', async () => {
    const bytes = Uint8Array.from([...new TextEncoder().encode(EXP), 0xf0, 0x9f]);
    expectBad(await cli(['eval', '--config', 'bytes', '--steps', '0'], bytes), new RegExp(`byte offset ${bytes.length - 2} \\(byte 0xf0 starts a 4-byte sequence cut off by the end of the input\\)`));
  });
  it('valid UTF-8 (a BOM, multibyte names) is read', async () => {
    const withName = EXP.replace('"ExponentialDecay"}', '"Exp — 指数 🚀"}');
    const bytes = Uint8Array.from([0xef, 0xbb, 0xbf, ...enc(withName)]);
    const r = await cli(['eval', '--config', 'bytes', '--steps', '0', '--backend', 'reference'], bytes);
    expect(r.code, r.err).toBe(0);
  });
  it('firstInvalidUtf8 agrees with TextDecoder (fatal) on 20,000 random byte strings; its offset starts a maximal valid prefix', () => {
    const rnd = mulberry32(0x5eed);
    const dec = new TextDecoder('utf-8', { fatal: true });
    let invalid = 0;
    for (let t = 0; t < 20000; t++) {
      const n = Math.floor(rnd() * 12);
      // Bias towards the interesting bytes: ASCII, continuations, leads of every length.
      const pool = [0x41, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xee, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x8f, 0x90];
      const b = Uint8Array.from({ length: n }, () => (rnd() < 0.3 ? Math.floor(rnd() * 256) : (pool[Math.floor(rnd() * pool.length)] as number)));
      let ok = true;
      try {
        dec.decode(b);
      } catch {
        ok = false;
      }
      const bad = firstInvalidUtf8(b);
      expect(bad === undefined, Buffer.from(b).toString('hex')).toBe(ok);
      if (bad !== undefined) {
        invalid++;
        // Everything before the ill-formed sequence decodes; the sequence itself (up to the offset) does not.
        expect(bad.start).toBeLessThanOrEqual(bad.offset);
        expect(() => dec.decode(b.subarray(0, bad.start)), Buffer.from(b).toString('hex')).not.toThrow();
        expect(() => dec.decode(b.subarray(bad.start, bad.offset + 1)), Buffer.from(b).toString('hex')).toThrow();
      }
    }
    expect(invalid).toBeGreaterThan(5000);
  });
});

describe('JSON nesting depth (deserialize refuses > 64 levels): exit 2, one line', () => {
  it('10^5-deep [[…]] as sweep --config, in process and as a real process', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expectBad(await cli(['sweep', '--config', '-', '--steps', '0'], deep), /nesting deeper than 64/);
    const f = join(dir, 'deep.json');
    writeFileSync(f, deep);
    const p = proc(['sweep', '--config', f, '--steps', '0']);
    expect(p.status, p.stderr).toBe(2);
    expect(p.stdout).toBe('');
    expect(p.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(p.stderr).toMatch(/nesting deeper than 64/);
  });
  it('20,000 nested optimizer configs as eval --config', async () => {
    let text = EXP;
    for (let i = 0; i < 20_000; i++) text = `{"module": "keras.optimizers", "class_name": "Adam", "config": {"learning_rate": ${text}}, "registered_name": null}`;
    const r = await cli(['eval', '--config', '-', '--steps', '0'], text);
    expect(r.code, r.err).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('--backend auto: the CPU below AUTO_CPU_BELOW values (bench/cli-crossover.ts)', () => {
  const recording = (choices: string[]): EvaluatorFactory => async (o) => {
    choices.push(o.backend ?? 'auto');
    return createEvaluator({ backend: 'cpu' });
  };
  it('2 values: the CPU evaluator, and json says cpu and why', async () => {
    const choices: string[] = [];
    const r = await cli(['eval', '--config', '-', '--steps', '0,10'], EXP, recording(choices));
    expect(r.code, r.err).toBe(0);
    expect(choices).toEqual(['cpu']);
    const j = JSON.parse(r.out) as { backend: string; fallbackReason: string };
    expect(j.backend).toBe('cpu');
    expect(j.fallbackReason).toMatch(/^--backend auto: 2 values, fewer than 16777216 \(2\^24\)/);
  });
  it('AUTO_CPU_BELOW − 1 values → cpu; AUTO_CPU_BELOW values → the auto evaluator (WebGPU when there is a device)', async () => {
    expect(AUTO_CPU_BELOW).toBe(2 ** 24);
    const below: string[] = [];
    const r1 = await cli(['eval', '--config', '-', '--range', `0:${AUTO_CPU_BELOW - 1}`, '--format', 'f32'], EXP, recording(below));
    expect(r1.code, r1.err).toBe(0);
    expect(below).toEqual(['cpu']);
    const at: string[] = [];
    const r2 = await cli(['eval', '--config', '-', '--range', `0:${AUTO_CPU_BELOW}`, '--format', 'f32'], EXP, recording(at));
    expect(r2.code, r2.err).toBe(0);
    expect(at).toEqual(['auto']);
    expect([r1.binary, r2.binary]).toEqual([4 * (AUTO_CPU_BELOW - 1), 4 * AUTO_CPU_BELOW]);
  });
  it('--help states the crossover', async () => {
    expect((await cli(['sweep', '--help'])).out).toMatch(/below 2\^24 values/);
  });
});

describe('the crossover benchmark is a group of npm run bench', () => {
  it('--only cli-crossover selects it alone; the suite groups stay the default', () => {
    const a = parseBenchArgs(['--only', 'cli-crossover']);
    expect([...a.nodeOnly]).toEqual(['cli-crossover']);
    expect([...a.only]).toEqual([]);
    expect([...parseBenchArgs(['--only', 'sweep,cli-crossover']).only]).toEqual(['sweep']);
    expect(parseBenchArgs([]).nodeOnly.has('cli-crossover')).toBe(false); // asked for by name only
  });
  it('--json names where the config came from in list errors', async () => {
    expectBad(await cli(['eval', '--json', `[${EXP}]`, '--steps', '0']), /^lr-schedules: --json: a JSON array of schedules; eval takes one schedule/);
    expectBad(await cli(['sweep', '--json', '[]', '--steps', '0']), /^lr-schedules: --json: the schedule list is empty/);
  });
});
