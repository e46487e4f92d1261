/**
 * The packed package in plain Node, as a user installs it: a fresh project with
 * `webgpu` (Dawn) gets WebGPU from `createEvaluator()` with no setup (the `node`
 * export condition finds Dawn by itself); one without `webgpu` falls back to the CPU
 * and says how to get the GPU; `require()` works; the `lr-schedules` command runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConsumer, type Consumer } from './helpers/packed.ts';

const VERIFIED_SWEEP = `import { CosineDecay, ExponentialDecay, createEvaluator } from 'webgpu-lr-schedules';
const ev = await createEvaluator({ backend: process.argv[2] });
const schedules = [
  new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, alpha: 0.01, warmupTarget: 0.5, warmupSteps: 100 }),
  new ExponentialDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 0.5 }),
];
const r = await ev.sweep(schedules, { start: 0, count: 2048 }, { verify: 'all' });
console.log(JSON.stringify({ backend: r.backend, fallbackReason: r.fallbackReason ?? null, ok: r.verification?.ok ?? null, checked: r.verification?.checked ?? null, n: r.values.length }));
ev.destroy();
process.exit(0);
`;

const REQUIRE = `const lib = require('webgpu-lr-schedules');
const node = require('webgpu-lr-schedules/node');
console.log(JSON.stringify({ createEvaluator: typeof lib.createEvaluator, CosineDecay: typeof lib.CosineDecay, configureSoftwareVulkan: typeof node.configureSoftwareVulkan, at: new lib.CosineDecay({ initialLearningRate: 1, decaySteps: 10 }).at(10) }));
`;

interface SweepLine {
  backend: string;
  fallbackReason: string | null;
  ok: boolean | null;
  checked: number | null;
  n: number;
}

function lastJson(stdout: string): SweepLine {
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as SweepLine;
}

describe('the packed package in a fresh Node project', () => {
  let withDawn: Consumer;
  let withoutDawn: Consumer;

  beforeAll(async () => {
    withDawn = await makeConsumer({ deps: ['webgpu'], files: { 'sweep.mjs': VERIFIED_SWEEP, 'req.cjs': REQUIRE } });
    withoutDawn = await makeConsumer({ files: { 'sweep.mjs': VERIFIED_SWEEP } });
  }, 300_000);

  afterAll(() => {
    withDawn?.remove();
    withoutDawn?.remove();
  });

  it('with `webgpu` installed, createEvaluator() finds Dawn by itself and a verified sweep runs on it', async () => {
    const { stdout } = await withDawn.exec('node', ['sweep.mjs', 'webgpu']);
    const r = lastJson(stdout);
    expect(r).toMatchObject({ backend: 'webgpu', fallbackReason: null, ok: true, n: 2 * 2048 });
    expect(r.checked).toBe(2 * 2048);
  });

  it('without `webgpu`, backend auto runs on the CPU and the reason says to install it', async () => {
    const { stdout } = await withoutDawn.exec('node', ['sweep.mjs', 'auto']);
    const r = lastJson(stdout);
    expect(r).toMatchObject({ backend: 'cpu', ok: true, n: 2 * 2048 });
    expect(r.fallbackReason).toContain('install the optional peer dependency `webgpu`');
  });

  it('without `webgpu`, backend webgpu fails with a reason that names the package', async () => {
    const err = await withoutDawn.exec('node', ['sweep.mjs', 'webgpu']).then(
      () => undefined,
      (e: { stderr?: string }) => e,
    );
    expect(err?.stderr).toContain('GpuUnavailableError');
    expect(err?.stderr).toContain('install the optional peer dependency `webgpu`');
  });

  it('can be require()d (the node condition, an ES module without top-level await)', async () => {
    const { stdout, stderr } = await withDawn.exec('node', ['req.cjs']);
    expect(JSON.parse(stdout)).toEqual({ createEvaluator: 'function', CosineDecay: 'function', configureSoftwareVulkan: 'function', at: 0 });
    expect(stderr).not.toMatch(/ERR_|Error/);
  });

  it('installs the lr-schedules command, which evaluates on WebGPU', async () => {
    const { stdout: version } = await withDawn.exec('node_modules/.bin/lr-schedules', ['--version']);
    expect(version.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const json = '{"class_name":"ExponentialDecay","config":{"initial_learning_rate":1.0,"decay_steps":10,"decay_rate":0.5}}';
    const { stdout } = await withDawn.exec('node_modules/.bin/lr-schedules', ['eval', '--json', json, '--steps', '0,10,20', '--backend', 'webgpu']);
    expect(JSON.parse(stdout)).toMatchObject({ backend: 'webgpu', steps: [0, 10, 20], values: [1, 0.5, 0.25] });
  });
});
