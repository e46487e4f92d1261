/**
 * The CLI's evaluator backends (auto, webgpu, cpu) next to the reference, sweep,
 * verify and --format f32. Values are judged with the library's verify() (the
 * acceptance intervals of docs/accuracy.md), never with ad-hoc epsilons. GPU tests are
 * required: without a WebGPU adapter they fail (test/helpers/gpu.ts).
 *
 * Most cases run in-process through runCli with one shared evaluator per backend (a
 * GPU evaluator costs seconds to create on SwiftShader); a few spawn the real process
 * for exit codes, stdout bytes, --out and prompt exit with a live Dawn instance.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main.ts';
import type { EvaluatorFactory } from '../src/cli/backends.ts';
import type { CliIo } from '../src/cli/io.ts';
import {
  createEvaluator,
  deserializeMany,
  serialize,
  verify,
  type Evaluator,
  type Schedule,
  type Steps,
} from '../src/index.ts';
import { requireDevice } from './helpers/gpu.ts';
import { EDGE_STEPS, mixedSchedules } from './helpers/schedules.ts';

const dir = mkdtempSync(join(tmpdir(), 'lr-cli-gpu-'));
const MIXED = mixedSchedules();
const mixedFile = join(dir, 'mixed.json');
writeFileSync(mixedFile, JSON.stringify(MIXED.map((s) => serialize(s))));
const one: Schedule = MIXED[2] as Schedule; // CosineDecayRestarts with m_mul
const oneFile = join(dir, 'one.json');
writeFileSync(oneFile, JSON.stringify(serialize(one)));

/** One real evaluator per backend choice for the whole file; the CLI's destroy() is a no-op on it. */
const shared = new Map<string, Promise<Evaluator>>();
function keepAlive(ev: Evaluator, sweep?: Evaluator['sweep']): Evaluator {
  return new Proxy(ev, {
    get(target, key) {
      if (key === 'destroy') return () => undefined;
      if (key === 'sweep' && sweep) return sweep;
      const v: unknown = Reflect.get(target, key);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
const sharedFactory: EvaluatorFactory = async (o) => {
  const key = o.backend ?? 'auto';
  let p = shared.get(key);
  if (!p) {
    p = createEvaluator(o);
    shared.set(key, p);
  }
  return keepAlive(await p);
};

interface CliRun {
  code: number;
  out: Buffer;
  text: string;
  err: string;
}
async function cli(args: string[], opts: { stdin?: string; tty?: boolean; factory?: EvaluatorFactory } = {}): Promise<CliRun> {
  const chunks: Buffer[] = [];
  let err = '';
  const io: CliIo = {
    readInput: (p) => Promise.resolve(p === '-' ? (opts.stdin ?? '') : readFileSync(p, 'utf8')),
    stdout: (c) => void chunks.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c)),
    stderr: (t) => void (err += t),
    stdoutIsTTY: opts.tty ?? false,
  };
  const code = await runCli(args, io, { createEvaluator: opts.factory ?? sharedFactory });
  const out = Buffer.concat(chunks);
  return { code, out, text: out.toString('utf8'), err };
}

function expectBad(r: CliRun, msg: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.out.length).toBe(0);
  expect(r.err.split('\n').filter((l) => l !== '')).toHaveLength(1);
  expect(r.err).toMatch(msg);
}

/** Float32 values: each in its acceptance interval (verify 'all'), and each a float32. */
function expectVerified(schedules: readonly Schedule[], steps: Steps, values: readonly number[]): void {
  const report = verify(schedules, steps, values, { mode: 'all' });
  expect(report.failures).toEqual([]);
  expect(report.ok).toBe(true);
  expect(report.checked).toBe(values.length);
  for (const v of values) expect(Math.fround(v)).toBe(v);
}

function decodeF32(buf: Buffer): number[] {
  expect(buf.length % 4).toBe(0);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  return Array.from({ length: buf.length / 4 }, (_, i) => view.getFloat32(4 * i, true));
}

interface EvalJson {
  backend: string;
  device: string;
  fallbackReason?: string;
  steps: number[];
  values: number[];
}
interface SweepJson extends Omit<EvalJson, 'values'> {
  schedules: number;
  values: number[][];
}

const GPU_EDGES = EDGE_STEPS.join(',');

beforeAll(async () => {
  await requireDevice(); // fails (never skips) without an adapter
});
afterAll(async () => {
  for (const p of shared.values()) (await p).destroy();
});

describe('eval on each backend (in process)', () => {
  it.each(['webgpu', 'cpu', 'auto'] as const)('--backend %s: json values verified at the edge steps', async (backend) => {
    const r = await cli(['eval', '--config', oneFile, '--steps', GPU_EDGES, '--backend', backend]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.text) as EvalJson;
    // auto takes the CPU below AUTO_CPU_BELOW (2^24) values and says why.
    expect(Object.keys(j)).toEqual(backend === 'auto' ? ['backend', 'device', 'fallbackReason', 'steps', 'values'] : ['backend', 'device', 'steps', 'values']);
    expect(j.backend).toBe(backend === 'webgpu' ? 'webgpu' : 'cpu');
    if (backend === 'auto') expect(j.fallbackReason).toMatch(/^--backend auto: \d+ values, fewer than 16777216 \(2\^24\)/);
    if (backend !== 'webgpu') expect(j.device).toBe('cpu');
    else expect(j.device).toMatch(/\S/);
    expect(j.steps).toEqual(EDGE_STEPS);
    expectVerified([one], EDGE_STEPS, j.values);
  });
  it('--backend reference prints the f64 reference exactly', async () => {
    const r = await cli(['eval', '--config', oneFile, '--steps', `${GPU_EDGES},9007199254740992`, '--backend', 'reference']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.text) as EvalJson;
    expect(j).toMatchObject({ backend: 'reference', device: 'cpu (f64 reference)' });
    expect(j.values).toEqual(j.steps.map((s) => one.at(s)));
  });
  it('auto is the default; a step above 2^32 − 1 runs on the CPU and json says why', async () => {
    const r = await cli(['eval', '--config', oneFile, '--steps', '0,100,4294967296']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const j = JSON.parse(r.text) as EvalJson;
    expect(j.backend).toBe('cpu');
    expect(j.device).toBe('cpu');
    expect(j.fallbackReason).toMatch(/^--backend auto: 3 values, fewer than 16777216/);
    expectVerified([one], j.steps, j.values);
  });
  it('auto at 2^24 values: WebGPU; with steps above 2^32 − 1 the CPU, and --verbose says why', async () => {
    const big = await cli(['eval', '--config', oneFile, '--range', `0:${2 ** 24}`, '--format', 'f32', '--verbose']);
    expect(big.code, big.err).toBe(0);
    expect(big.out.length).toBe(4 * 2 ** 24);
    expect(big.err).toMatch(/^lr-schedules: eval: 1 × 16777216 values by webgpu \(/);
    const high = await cli(['eval', '--config', oneFile, '--range', `4294967000:${4294967000 + 2 ** 24}`, '--format', 'f32', '--verbose']);
    expect(high.code, high.err).toBe(0);
    expect(high.err).toMatch(/by cpu \(cpu\) in [0-9.]+ ms; fallback: steps = \d+: GPU steps are u32/);
  });
  it('auto without WebGPU: backend cpu and the reason; --verbose adds one stderr line', async () => {
    const noGpu: EvaluatorFactory = (o) => createEvaluator({ ...o, gpu: null });
    // At 2^24 values auto asks for WebGPU (below, it takes the CPU without asking).
    const r = await cli(['eval', '--config', oneFile, '--range', `0:${2 ** 24}`, '--format', 'f32', '--verbose', '--backend', 'auto'], { factory: noGpu });
    expect(r.code).toBe(0);
    expect(r.out.length).toBe(4 * 2 ** 24);
    expect(r.err).toMatch(/^lr-schedules: eval: 1 × 16777216 values by cpu \(cpu\) in [0-9.]+ ms; fallback: WebGPU is not available[^\n]*\n$/);
  });
  it('--backend webgpu without WebGPU: exit 3, one line, nothing on stdout', async () => {
    const noGpu: EvaluatorFactory = (o) => createEvaluator({ ...o, gpu: null });
    const r = await cli(['eval', '--config', oneFile, '--range', '0:5', '--backend', 'webgpu'], { factory: noGpu });
    expect(r.code).toBe(3);
    expect(r.out.length).toBe(0);
    expect(r.err).toMatch(/^lr-schedules: --backend webgpu: no WebGPU device \(.*\); use --backend auto or cpu\n$/);
  });
  it('--format f32: raw little-endian float32 equal to the json values; csv the same numbers', async () => {
    const args = ['eval', '--config', oneFile, '--range', '0:1000:3', '--backend', 'webgpu'];
    const bin = await cli([...args, '--format', 'f32']);
    expect(bin.code).toBe(0);
    expect(bin.out.length).toBe(334 * 4);
    const f32 = decodeF32(bin.out);
    expectVerified([one], { start: 0, count: 334, stride: 3 }, f32);
    const j = JSON.parse((await cli(args)).text) as EvalJson;
    expect(f32).toEqual(j.values);
    const csv = (await cli([...args, '--format', 'csv'])).text.trimEnd().split('\n');
    expect(csv[0]).toBe('step,value');
    expect(csv.slice(1).map((l) => Number(l.split(',')[1]))).toEqual(f32);
    const ref = decodeF32((await cli([...args.slice(0, -1), 'reference', '--format', 'f32'])).out);
    expect(ref).toEqual(Array.from({ length: 334 }, (_, i) => Math.fround(one.at(3 * i))));
  });
  it('--format f32 to a terminal is refused (exit 2); to --out it is fine', async () => {
    expectBad(await cli(['eval', '--config', oneFile, '--range', '0:4', '--format', 'f32'], { tty: true }), /refusing to write binary to a terminal; use --out/);
    const out = join(dir, 'tty.f32');
    const r = await cli(['eval', '--config', oneFile, '--range', '0:4', '--format', 'f32', '--backend', 'cpu', '--out', out], { tty: true });
    expect(r.code).toBe(0);
    expect(readFileSync(out).length).toBe(16);
  });
  it('empty range: exit 2 on an evaluator backend too (bad input, like the evaluator\'s count 0)', async () => {
    expectBad(await cli(['eval', '--config', oneFile, '--range', '7:7', '--backend', 'webgpu']), /--range = "7:7": STOP must be > START/);
  });
});

describe('sweep (in process)', () => {
  it.each(['webgpu', 'cpu'] as const)('mixed kinds on %s: json is M × N, every value verified', async (backend) => {
    const r = await cli(['sweep', '--config', mixedFile, '--range', '0:3000:7', '--backend', backend]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.text) as SweepJson;
    expect(Object.keys(j)).toEqual(['backend', 'device', 'schedules', 'labels', 'steps', 'values']);
    expect(j.backend).toBe(backend);
    expect(j.schedules).toBe(MIXED.length);
    expect(j.steps).toHaveLength(429);
    expect(j.values).toHaveLength(MIXED.length);
    for (const row of j.values) expect(row).toHaveLength(429);
    expectVerified(MIXED, { start: 0, count: 429, stride: 7 }, j.values.flat());
  });
  it('--steps list on webgpu; f32 is M × N row-major; csv is wide (a column per schedule)', async () => {
    const args = ['sweep', '--config', mixedFile, '--steps', GPU_EDGES, '--backend', 'webgpu'];
    const bin = await cli([...args, '--format', 'f32']);
    expect(bin.code).toBe(0);
    const f32 = decodeF32(bin.out);
    expect(f32).toHaveLength(MIXED.length * EDGE_STEPS.length);
    expectVerified(MIXED, EDGE_STEPS, f32);
    const csv = (await cli([...args, '--format', 'csv'])).text.trimEnd().split('\n');
    expect(csv[0]?.startsWith('step,')).toBe(true);
    expect(csv).toHaveLength(1 + EDGE_STEPS.length);
    const n = EDGE_STEPS.length;
    // Labels hold no line breaks here: split the data lines on commas (test/cli-csv.test.ts parses quoted headers).
    expect(csv[1 + 5]).toBe(`${EDGE_STEPS[5]},${MIXED.map((_, r) => f32[r * n + 5]).join(',')}`);
  });
  it('a single config is M = 1; the reference sweep is exact', async () => {
    const r = await cli(['sweep', '--config', oneFile, '--range', '0:5', '--backend', 'reference']);
    const j = JSON.parse(r.text) as SweepJson;
    expect(j.schedules).toBe(1);
    expect(j.values).toEqual([[0, 1, 2, 3, 4].map((s) => one.at(s))]);
  });
});

describe('verify (in process)', () => {
  it.each(['webgpu', 'cpu', 'auto'] as const)('on %s: exit 0, text report', async (backend) => {
    const r = await cli(['verify', '--config', mixedFile, '--steps', GPU_EDGES, '--backend', backend]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const n = MIXED.length * EDGE_STEPS.length;
    // the bound itself, per kind: mixedSchedules() has k = 8 … 28 and a piecewise schedule (exact rounding)
    expect(r.text.split('\n')[0]).toBe(
      `verify: OK: 0 of ${n} checked values outside |got − exact| ≤ k·2^-23·|exact| + 2^-126 with k = 8 … 28 by kind; got = Math.fround(exact) (PiecewiseConstantDecay)`,
    );
    expect(r.text).toContain(`checked: ${n} of ${MIXED.length} × ${EDGE_STEPS.length} = ${n} values (all)`);
    expect(r.text).toMatch(/\nfailures: 0\n$/);
  });
  it('--sample N --format json', async () => {
    const r = await cli(['verify', '--config', mixedFile, '--range', '0:100000', '--sample', '100', '--format', 'json', '--backend', 'webgpu']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.text) as { ok: boolean; mode: string; checked: number; schedules: number; steps: number; failures: unknown[] };
    expect(j).toMatchObject({ ok: true, mode: 'sample', schedules: MIXED.length, steps: 100000, failures: [] });
    expect(j.checked).toBeGreaterThanOrEqual(100);
    expect(j.checked).toBeLessThanOrEqual(100 + 2 * MIXED.length);
  });
  it('values out of bound: exit 1, report with CTS lines on stdout, one line on stderr', async () => {
    // A CPU evaluator whose sweep corrupts one value: what verify must catch.
    const bad: EvaluatorFactory = async (o) => {
      const ev = await createEvaluator({ ...o, backend: 'cpu' });
      return keepAlive(ev, async (s, st, opt) => {
        const res = await ev.sweep(s, st, opt);
        const values = res.values.slice();
        values[3] = (values[3] as number) * 1.001;
        return { ...res, values };
      });
    };
    const r = await cli(['verify', '--config', mixedFile, '--range', '0:10'], { factory: bad });
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/^verify: FAILED: 1 of 110 checked values outside \|got − exact\| ≤ k·2\^-23·\|exact\| \+ 2\^-126 with k = 8 … 28 by kind;/);
    expect(r.text).toMatch(/\nschedule #0 \(CosineDecay\), step 3 → got [0-9.e-]+, expected \[[0-9.e-]+, [0-9.e-]+\] \(exact [0-9.e-]+, [0-9.e+]+ ULP\)\n$/);
    expect(r.err).toMatch(/^lr-schedules: verify: 1 of 110 checked values lie outside \|got − exact\| ≤ .+ \(max [0-9.e+]+ ULP\)\n$/);
  });
});

describe('bad input of the new flags and commands (in process): exit 2, one line, no stdout', () => {
  it.each([
    [['sweep', '--config', 'MIX'], /sweep: give exactly one of --steps or --range/],
    [['sweep', '--range', '0:3'], /sweep: --config FILE\|- \(or --json TEXT\) is required/],
    [['sweep', '--config', 'MIX', '--range', '0:3', '--format', 'bin'], /--format = "bin": must be one of json, csv, f32/],
    [['sweep', '--config', 'MIX', '--range', '0:3', '--backend', 'gpu'], /--backend = "gpu": unknown backend/],
    [['sweep', '--config', 'MIX', '--range', '0:200000000'], /schedules × steps = 11 × 200000000 = 2200000000: more than the CLI prints/],
    [['sweep', '--config', 'MIX', '--range', '0:3', '--verbose=1'], /--verbose takes no value/],
    [['eval', '--config', 'MIX', '--range', '0:3'], /eval takes one schedule \(use sweep for a list\)/],
    [['eval', '--config', 'ONE', '--steps', '4294967296', '--backend', 'webgpu'], /steps = 4294967296: GPU steps are u32/],
    [['verify', '--config', 'MIX', '--range', '0:3', '--backend', 'reference'], /--backend = "reference": verify checks a float32 backend against the f64 reference \(available: auto, webgpu, cpu\)/],
    [['verify', '--config', 'MIX', '--range', '0:3', '--sample', '0'], /--sample = "0": must be an integer 1 … 2\^28/],
    [['verify', '--config', 'MIX', '--range', '0:3', '--sample', 'x'], /--sample = "x"/],
    [['verify', '--config', 'MIX', '--range', '0:3', '--sample', '5', '--all'], /at most one of --sample N or --all/],
    [['verify', '--config', 'MIX', '--range', '0:3', '--format', 'csv'], /--format = "csv": must be one of text, json/],
    [['verify', '--config', 'MIX', '--range', '3:3'], /--range = "3:3": STOP must be > START/],
    [['verify', '--config', 'MIX', '--steps', '1', '--out', ''], /--out = "": needs a file name/],
    [['help', 'frob'], /help: unknown command "frob"/],
  ])('%j', async (args, msg) => {
    expectBad(await cli(args.map((a) => (a === 'MIX' ? mixedFile : a === 'ONE' ? oneFile : a))), msg);
  });
  it.each([
    ['[]', /the schedule list is empty; sweep needs at least one schedule/],
    ['[{"class_name": "CosineDecay", "config": {"initial_learning_rate": 1, "decay_steps": 10}}, {"class_name": "CosineDecay", "config": {"initial_learning_rate": 1, "decay_steps": 0}}]', /\[1\]\.config\.decay_steps = 0: must be > 0/],
    ['[1]', /\[0\] = 1: must be a JSON object/],
    ['[{"class_name": "ExponentialDecay",', /malformed JSON/],
  ])('sweep config %s', async (text, msg) => {
    expectBad(await cli(['sweep', '--config', '-', '--range', '0:3'], { stdin: text }), msg);
  });
  it('help lists every flag of every command', async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    for (const cmd of ['eval', 'sweep', 'verify', 'plot']) {
      const h = await cli([cmd, '--help']);
      expect(h.code).toBe(0);
      expect(top.text).toContain(h.text.trimEnd());
      expect((await cli(['help', cmd])).text).toBe(h.text);
      const flags = cmd === 'verify' ? ['--sample', '--all'] : [];
      for (const f of ['--config', '--json', '--max-config-bytes', '--steps', '--range', '--backend', '--format', '--out', '--verbose', ...flags]) expect(h.text).toContain(f);
    }
  });
});

describe('the real process (npx tsx src/cli/main.ts)', () => {
  const run = (args: string[], input = '') =>
    spawnSync('npx', ['tsx', 'src/cli/main.ts', ...args], { input, timeout: 90_000, maxBuffer: 1 << 28 });

  it('eval --backend webgpu: json on stdout, nothing on stderr, exit 0', () => {
    const r = run(['eval', '--config', oneFile, '--range', '0:200', '--backend', 'webgpu']);
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout.toString()) as EvalJson;
    expect(j.backend).toBe('webgpu');
    expectVerified([one], { start: 0, count: 200 }, j.values);
  });
  it('sweep --format f32 on stdout (auto) and a large csv: all bytes arrive, the process exits', () => {
    const r = run(['sweep', '--config', mixedFile, '--range', '0:20000', '--format', 'f32']);
    expect(r.status).toBe(0);
    expect(r.stderr.toString()).toBe('');
    expect(r.stdout.length).toBe(MIXED.length * 20000 * 4);
    expectVerified(MIXED, { start: 0, count: 20000 }, decodeF32(r.stdout));
    const csv = run(['sweep', '--config', '-', '--range', '0:30000', '--format', 'csv', '--backend', 'cpu'], readFileSync(mixedFile, 'utf8'));
    expect(csv.status).toBe(0);
    const lines = csv.stdout.toString().split('\n');
    expect(lines).toHaveLength(1 + 30000 + 1);
    expect(lines.at(-2)).toMatch(new RegExp(`^29999(,[-0-9.e]+){${MIXED.length}}$`));
  });
  it('verify: exit 0 with --out; bad input: exit 2, one line, no stdout, no --out file', () => {
    const out = join(dir, 'report.json');
    const ok = run(['verify', '--config', mixedFile, '--range', '0:5000', '--format', 'json', '--out', out]);
    expect(ok.status).toBe(0);
    expect(ok.stdout.length).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ ok: true, checked: MIXED.length * 5000 });
    const never = join(dir, 'never.f32');
    const bad = run(['sweep', '--config', '-', '--range', '0:5', '--format', 'f32', '--out', never], '[{"class_name": "CosineDecay", "config": {"initial_learning_rate": 1, "decay_steps": -1}}]');
    expect(bad.status).toBe(2);
    expect(bad.stdout.length).toBe(0);
    expect(bad.stderr.toString()).toMatch(/^lr-schedules: \[0\]\.config\.decay_steps = -1: must be > 0\n$/);
    expect(existsSync(never)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(deserializeMany(readFileSync(mixedFile, 'utf8'))).toHaveLength(MIXED.length);
  });
});
