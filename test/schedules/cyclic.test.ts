/**
 * Cyclic (issue H primitive, PyTorch's CyclicLR): exact ends, the real torch CyclicLR values and an
 * mpmath closed form (test/fixtures/oracle/cyclic-torch.json, written by
 * scripts/oracle/cyclic_torch.py), the formula against the independent 400-bit oracle
 * (test/oracle/primitives.ts) within the reference bound (docs/accuracy.md#the-contract), the
 * BigInt path, fill() = at(), the CPU backend, and the validation errors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Cyclic, ScheduleConfigError, type CyclicConfig } from '../../src/schedules/index.ts';
import { REL, close } from '../helpers/close.ts';
import { edgeSteps, expectCpuBackend, expectFillMatchesAt, oracleFailures } from '../helpers/primitives.ts';
import { mulberry32 } from '../helpers/random.ts';
import { thrown } from '../helpers/thrown.ts';

interface Fixture {
  config: CyclicConfig;
  step: number;
  torch: number | null;
  exact: string;
}
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/oracle/cyclic-torch.json', import.meta.url), 'utf8')) as Fixture[];

describe('Cyclic', () => {
  it('is exactly baseLr at each cycle start and exactly maxLr at the peaks of scale 1', () => {
    for (const mode of ['triangular', 'triangular2', 'exp_range'] as const) {
      const s = new Cyclic({ baseLr: 0.001, maxLr: 0.006, stepSizeUp: 2000, stepSizeDown: 1000, mode, gamma: 0.999 });
      for (const k of [0, 1, 2, 100, 1431655]) expect(s.at(3000 * k)).toBe(0.001);
      if (mode !== 'exp_range') expect(s.at(2000)).toBe(0.006);
      if (mode === 'triangular') for (const k of [1, 2, 1000]) expect(s.at(3000 * k + 2000)).toBe(0.006);
    }
    const falling = new Cyclic({ baseLr: 0.5, maxLr: 0.01, stepSizeUp: 10.5 });
    expect([falling.at(0), falling.at(21), falling.at(42)]).toEqual([0.5, 0.5, 0.5]);
  });

  it('gives the values of its example (triangular2 halves each cycle)', () => {
    const s = new Cyclic({ baseLr: 0.001, maxLr: 0.006, stepSizeUp: 2000, mode: 'triangular2' });
    expect([s.at(0), s.at(2000), s.at(6000)]).toEqual([0.001, 0.006, 0.0035]);
    close(s.at(10000), 0.00225);
  });

  it('matches its mpmath closed form within 1e-12, and the real torch CyclicLR within 1e-9 plus the drift of torch\'s own float64 position, at every boundary, peak and phase end', () => {
    const failures: string[] = [];
    let maxTorchRel = 0;
    let torchRaised = 0;
    let drifted = 0;
    for (const f of fixtures) {
      const got = new Cyclic(f.config).at(f.step);
      const exact = Number(f.exact);
      if (Math.abs(got - exact) > REL * Math.abs(exact)) failures.push(`${JSON.stringify(f.config)} step ${f.step}: got ${got}, exact ${f.exact}`);
      if (f.torch === null) {
        torchRaised++;
        continue;
      }
      // torch's x = 1 + t/total − cycle carries the rounding of t/total (and of 1 + t/total): up to
      // 2·2^-53·(t/total + 2) absolute in x, i.e. that over min(ratio, 1 − ratio) in the triangle s,
      // times |maxLr − baseLr|. We follow the exact position t mod total (docs/semantics.md#cyclic).
      const { baseLr, maxLr, stepSizeUp: up } = f.config;
      const total = up + (f.config.stepSizeDown ?? up);
      const ratio = up / total;
      const drift = (Math.abs(maxLr - baseLr) * 2 * 2 ** -53 * (f.step / total + 2)) / Math.min(ratio, 1 - ratio);
      const diff = Math.abs(got - f.torch);
      const rel = f.torch === 0 ? (diff === 0 ? 0 : Infinity) : diff / Math.abs(f.torch);
      maxTorchRel = Math.max(maxTorchRel, rel);
      if (rel > 1e-9) drifted++;
      if (diff > 1e-9 * Math.abs(f.torch) + drift) failures.push(`${JSON.stringify(f.config)} step ${f.step}: got ${got}, torch ${f.torch} (relative ${rel}, drift bound ${drift})`);
    }
    expect(failures.join('\n')).toBe('');
    expect(fixtures.length).toBeGreaterThan(300);
    // torch raises OverflowError where a float power overflows: triangular2's 2.0 ** (cycle − 1) past cycle
    // 1025, exp_range's gamma ** t for gamma > 1; the fixture records those as null
    const overflows = (f: Fixture): boolean =>
      f.config.mode === 'triangular2'
        ? f.step / (f.config.stepSizeUp + (f.config.stepSizeDown ?? f.config.stepSizeUp)) >= 1025
        : f.config.mode === 'exp_range' && f.step * Math.log2(f.config.gamma ?? 1) >= 1024;
    expect(torchRaised).toBe(fixtures.filter(overflows).length);
    console.log(`Cyclic vs torch CyclicLR: ${fixtures.length} values, max relative difference ${maxTorchRel.toExponential(2)} (${drifted} above 1e-9, each within torch's own position drift), ${torchRaised} where torch raises`);
  });

  it('matches the 400-bit oracle within 1e-12 relative on random configs (rising, falling, growth, fractional steps) and edge steps', () => {
    const r = mulberry32(47);
    const failures: string[] = [];
    const modes = ['triangular', 'triangular2', 'exp_range'] as const;
    for (let i = 0; i < 90; i++) {
      const sign = r() < 0.15 ? -1 : 1;
      const baseLr = r() < 0.2 ? 0 : sign * 2 ** (r() * 60 - 40);
      const maxLr = r() < 0.1 ? 0 : sign * 2 ** (r() * 60 - 40);
      const up = [() => Math.floor(r() * 5000) + 1, () => r() * 100, () => 2 ** (r() * 60 - 10)][i % 3]!();
      const down = r() < 0.3 ? null : [() => Math.floor(r() * 5000) + 1, () => r() * 100, () => up * 2 ** 60][Math.floor(r() * 3)]!();
      const mode = modes[i % 3]!;
      const rising = Math.abs(maxLr) >= Math.abs(baseLr);
      const gamma = mode !== 'exp_range' ? 1 : rising && r() < 0.3 ? 1 + r() * 1e-4 : 1 - 2 ** (-r() * 40);
      const s = new Cyclic({ baseLr, maxLr, stepSizeUp: up, stepSizeDown: down, mode, gamma });
      const T = up + (down ?? up);
      failures.push(...oracleFailures(s, edgeSteps([up, T, T + up, 2 * T, 7 * T + up, 1000 * T], 20, r)));
    }
    expect(failures.slice(0, 50).join('\n')).toBe('');
  });

  it('computes the cycle exactly when stepSizeUp + stepSizeDown is not a double (BigInt path)', () => {
    const s = new Cyclic({ baseLr: 0.001, maxLr: 0.006, stepSizeUp: 2 ** 53, stepSizeDown: 1, mode: 'triangular2' });
    expect(s.at(0)).toBe(0.001);
    expect(oracleFailures(s, [1, 2, 1000, 2 ** 52, 2 ** 53 - 1, 2 ** 53])).toEqual([]);
    const t = new Cyclic({ baseLr: 1, maxLr: 2, stepSizeUp: 0.1, stepSizeDown: 2 ** 60, mode: 'exp_range', gamma: 0.5 });
    expect(oracleFailures(t, [0, 1, 2, 3, 100, 2 ** 53])).toEqual([]);
  });

  it('fill() equals at() over ranges and lists, and the CPU backend rounds it once', async () => {
    for (const c of [
      { baseLr: 1e-4, maxLr: 0.1, stepSizeUp: 7, stepSizeDown: 13, mode: 'triangular2' },
      { baseLr: 0.5, maxLr: 0.01, stepSizeUp: 100, stepSizeDown: 50, mode: 'exp_range', gamma: 0.999 },
      { baseLr: 0, maxLr: 1, stepSizeUp: 2.5, stepSizeDown: 0.75 },
    ] as const) {
      const s = new Cyclic(c);
      const steps = edgeSteps([c.stepSizeUp, 20, 200], 50, mulberry32(7));
      expectFillMatchesAt(s, steps);
      await expectCpuBackend(s, steps.filter((t) => t <= 0xffffffff));
    }
  });

  it('refuses bad configs naming the field, the value and the rule', () => {
    const ok = { baseLr: 0.001, maxLr: 0.006, stepSizeUp: 2000 };
    const cases: [unknown, string, RegExp][] = [
      [{ ...ok, maxLr: -0.006 }, 'Cyclic.maxLr', /must have the sign of baseLr \(0\.001\) or be 0: .*give both values one sign/],
      [{ ...ok, stepSizeUp: 0 }, 'Cyclic.stepSizeUp', /must be > 0/],
      [{ ...ok, stepSizeDown: -1 }, 'Cyclic.stepSizeDown', /must be > 0/],
      [{ ...ok, mode: 'exp' }, 'Cyclic.mode', /must be one of 'triangular', 'triangular2', 'exp_range'/],
      [{ ...ok, gamma: 0 }, 'Cyclic.gamma', /must be > 0/],
      [{ baseLr: 0.5, maxLr: 0.01, stepSizeUp: 10, mode: 'exp_range', gamma: 1.01 }, 'Cyclic.gamma', /must be ≤ 1 when \|maxLr\| < \|baseLr\| .*give a gamma ≤ 1 or a maxLr beyond baseLr/],
      [{ ...ok, scaleFn: 'x' }, 'Cyclic.scaleFn', /unknown config key \(known: baseLr, maxLr, stepSizeUp, stepSizeDown, mode, gamma\)/],
    ];
    for (const [config, field, rule] of cases) {
      const err = thrown(() => new Cyclic(config as never));
      expect(err, JSON.stringify(config)).toBeInstanceOf(ScheduleConfigError);
      expect((err as ScheduleConfigError).field).toBe(field);
      expect((err as Error).message).toMatch(rule);
    }
    expect(new Cyclic(ok).config).toEqual({ ...ok, stepSizeDown: null, mode: 'triangular', gamma: 1 });
  });
});
