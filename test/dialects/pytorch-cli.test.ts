/**
 * The CLI reads PyTorch schedulers like Keras schedules: eval, sweep (a list that mixes
 * dialects), verify and plot, detected from the JSON's shape; bad PyTorch input exits 2
 * with one line naming the pytorch.* path.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromPyTorch } from '../../src/index.ts';
import { cli } from '../helpers/cli.ts';

const step = { module: 'torch.optim.lr_scheduler', class_name: 'StepLR', config: { step_size: 30 }, lr: 0.05 };
const keras = { class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5 } };

describe('the CLI with PyTorch schedulers', () => {
  it('eval: the reference values of a StepLR given inline', async () => {
    const r = await cli(['eval', '--json', JSON.stringify(step), '--steps', '0,29,30,60', '--backend', 'reference']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const s = fromPyTorch(step);
    expect((JSON.parse(r.out) as { values: number[] }).values).toEqual([0, 29, 30, 60].map((t) => s.at(t)));
  });

  it('eval: the README OneCycleLR file, through the float32 CPU backend', async () => {
    const file = 'examples/cli/pytorch-onecycle.json';
    const r = await cli(['eval', '--config', file, '--steps', '0,299,999,1000', '--backend', 'cpu']);
    expect(r.code).toBe(0);
    const s = fromPyTorch(readFileSync(file, 'utf8'));
    expect((JSON.parse(r.out) as { values: number[] }).values).toEqual([0, 299, 999, 1000].map((t) => Math.fround(s.at(t))));
  });

  it('sweep: a list mixing PyTorch and Keras, labelled by torch class and keywords', async () => {
    const other = { ...step, config: { step_size: 10 } };
    const r = await cli(['sweep', '--json', JSON.stringify([step, other, keras]), '--range', '0:31:10', '--backend', 'reference', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('step,StepLR(step_size=30),StepLR(step_size=10),ExponentialDecay');
  });

  it('verify: a PyTorch sweep file passes on the float32 CPU backend', async () => {
    const r = await cli(['verify', '--config', 'examples/cli/pytorch-sweep.json', '--range', '0:1001', '--backend', 'cpu', '--all']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('bad PyTorch input exits 2 with one line naming the pytorch path, and nothing on stdout', async () => {
    const bad = { ...step, config: { step_size: 0 } };
    const r = await cli(['eval', '--json', JSON.stringify(bad), '--steps', '0']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^lr-schedules: pytorch\.config\.step_size = 0: must be an integer ≥ 1 \(/);
    const inList = await cli(['sweep', '--json', JSON.stringify([keras, bad]), '--steps', '0']);
    expect(inList.code).toBe(2);
    expect(inList.err).toMatch(/^lr-schedules: \[1\]\.pytorch\.config\.step_size = 0/);
  });

  it('refuses steps past OneCycleLR total_steps with exit 2', async () => {
    const r = await cli(['eval', '--config', 'examples/cli/pytorch-onecycle.json', '--steps', '1001', '--backend', 'reference']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/lastStep = 1000/);
  });
});
