/**
 * SqrtAnneal (issue H primitive): exact ends, the contract's formula against the independent
 * 400-bit oracle (test/oracle/primitives.ts) within the reference bound (docs/accuracy.md#the-contract),
 * fill() = at(), the CPU backend, and its validation errors.
 */
import { describe, expect, it } from 'vitest';
import { ScheduleConfigError, SqrtAnneal } from '../../src/schedules/index.ts';
import { close } from '../helpers/close.ts';
import { edgeSteps, expectCpuBackend, expectFillMatchesAt, oracleFailures } from '../helpers/primitives.ts';
import { mulberry32 } from '../helpers/random.ts';
import { thrown } from '../helpers/thrown.ts';

describe('SqrtAnneal', () => {
  it('is exactly from at step 0 and exactly to from steps on, either way round', () => {
    for (const reverse of [false, true])
      for (const steps of [1, 7, 1000, 1234.5, 0.25, 2 ** 40 + 0.5]) {
        const s = new SqrtAnneal({ from: 0.1, to: 3e-7, steps, reverse });
        expect(s.at(0)).toBe(0.1);
        for (const t of [Math.ceil(steps), Math.ceil(steps) + 1, 2 ** 53]) expect(s.at(t)).toBe(3e-7);
      }
  });

  it('gives the square-root values of its examples (WSD 1-sqrt decay and warmup)', () => {
    const decay = new SqrtAnneal({ from: 1, to: 0, steps: 100 });
    expect(decay.at(25)).toBe(0.5);
    close(decay.at(64), 0.2);
    close(decay.at(81), 0.1);
    const warm = new SqrtAnneal({ from: 0, to: 1, steps: 100, reverse: true });
    expect(warm.at(75)).toBe(0.5);
    close(warm.at(36), 0.2);
  });

  it('matches the 400-bit oracle within 1e-12 relative on random configs and edge steps', () => {
    const r = mulberry32(41);
    const failures: string[] = [];
    const mags = () => 2 ** (r() * 200 - 100);
    for (let i = 0; i < 60; i++) {
      const sign = r() < 0.2 ? -1 : 1;
      const from = r() < 0.15 ? 0 : sign * mags();
      const to = r() < 0.3 ? 0 : sign * (r() < 0.5 ? mags() : Math.abs(from) * r());
      const steps = [() => Math.floor(r() * 1e5) + 1, () => r() * 1e4, () => 2 ** (r() * 60), () => 2 ** (-r() * 20)][i % 4]!();
      const s = new SqrtAnneal({ from, to, steps, reverse: r() < 0.5 });
      failures.push(...oracleFailures(s, edgeSteps([steps, steps / 2, steps / 4, steps * 0.99], 40, r)));
    }
    expect(failures.slice(0, 50).join('\n')).toBe('');
  });

  it('fill() equals at() over ranges and lists, and the CPU backend rounds it once', async () => {
    for (const reverse of [false, true]) {
      const s = new SqrtAnneal({ from: 3e-4, to: 3e-6, steps: 5000.5, reverse });
      const steps = edgeSteps([5000.5, 2500], 50, mulberry32(5));
      expectFillMatchesAt(s, steps);
      await expectCpuBackend(s, steps.filter((t) => t <= 0xffffffff));
    }
  });

  it('refuses bad configs naming the field, the value and the rule', () => {
    const cases: [unknown, string, RegExp][] = [
      [{ from: 0.1, to: -0.1, steps: 10 }, 'SqrtAnneal.to', /must have the sign of from \(0\.1\) or be 0: .*crosses zero.*give both values one sign/],
      [{ from: -0.1, to: 1e-9, steps: 10 }, 'SqrtAnneal.to', /sign of from/],
      [{ from: 0.1, to: 0, steps: 0 }, 'SqrtAnneal.steps', /must be > 0/],
      [{ from: 0.1, to: 0, steps: Infinity }, 'SqrtAnneal.steps', /finite/],
      [{ from: Number.NaN, to: 0, steps: 1 }, 'SqrtAnneal.from', /finite/],
      [{ from: 0.1, to: 0, steps: 1, reverse: 1 }, 'SqrtAnneal.reverse', /boolean/],
      [{ from: 0.1, to: 0, steps: 1, name: 'x' }, 'SqrtAnneal.name', /unknown config key \(known: from, to, steps, reverse\)/],
      [{ to: 0, steps: 1 }, 'SqrtAnneal.from', /must be a number/],
    ];
    for (const [config, field, rule] of cases) {
      const err = thrown(() => new SqrtAnneal(config as never));
      expect(err, JSON.stringify(config)).toBeInstanceOf(ScheduleConfigError);
      expect((err as ScheduleConfigError).field).toBe(field);
      expect((err as Error).message).toMatch(rule);
    }
    expect(() => new SqrtAnneal({ from: 0, to: -1, steps: 3 })).not.toThrow();
  });
});
