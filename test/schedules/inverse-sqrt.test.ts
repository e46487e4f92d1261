/**
 * InverseSqrt (issue H primitive): exact start, Hugging Face's inverse_sqrt values, the formula
 * against the independent 400-bit oracle (test/oracle/primitives.ts) within the reference bound
 * (docs/accuracy.md#the-contract), fill() = at(), the CPU backend, and its validation errors.
 */
import { describe, expect, it } from 'vitest';
import { InverseSqrt, ScheduleConfigError } from '../../src/schedules/index.ts';
import { close } from '../helpers/close.ts';
import { edgeSteps, expectCpuBackend, expectFillMatchesAt, oracleFailures } from '../helpers/primitives.ts';
import { mulberry32 } from '../helpers/random.ts';
import { thrown } from '../helpers/thrown.ts';

describe('InverseSqrt', () => {
  it('is exactly value at step 0 and halves at 3·timescale', () => {
    for (const timescale of [1, 1000, 0.3, 5e-324, 1e308]) {
      const s = new InverseSqrt({ value: 0.01, timescale });
      expect(s.at(0)).toBe(0.01);
    }
    expect(new InverseSqrt({ value: 0.01, timescale: 1000 }).at(3000)).toBe(0.005);
    close(new InverseSqrt({ value: 1, timescale: 1 }).at(1), Math.SQRT1_2);
  });

  it("equals Hugging Face's inverse_sqrt decay 1/sqrt((step + shift)/timescale) after warmup", () => {
    // get_inverse_sqrt_schedule(num_warmup_steps = 100, timescale = 10000): shift = timescale − warmup,
    // so at step W + t the factor is 1/sqrt((t + timescale)/timescale)
    const s = new InverseSqrt({ value: 5e-5, timescale: 10000 });
    for (const t of [0, 1, 100, 12345, 10 ** 6]) close(s.at(t), 5e-5 / Math.sqrt((t + 10000) / 10000));
  });

  it('matches the 400-bit oracle within 1e-12 relative on random configs and edge steps', () => {
    const r = mulberry32(43);
    const failures: string[] = [];
    for (let i = 0; i < 60; i++) {
      const value = (r() < 0.2 ? -1 : 1) * 2 ** (r() * 400 - 200);
      const timescale = [() => Math.floor(r() * 1e5) + 1, () => r() * 10, () => 2 ** (r() * 2000 - 1000), () => 2 ** (r() * 70)][i % 4]!();
      const s = new InverseSqrt({ value, timescale });
      failures.push(...oracleFailures(s, edgeSteps([timescale, 3 * timescale], 40, r)));
    }
    for (const [value, timescale] of [[1e-300, 5e-324], [1.7976931348623157e308, 1.7976931348623157e308], [5e-324, 1], [0, 3]] as const) {
      failures.push(...oracleFailures(new InverseSqrt({ value, timescale }), [0, 1, 2, 1000, 2 ** 32 - 1, 2 ** 53]));
    }
    expect(failures.slice(0, 50).join('\n')).toBe('');
  });

  it('fill() equals at() over ranges and lists, and the CPU backend rounds it once', async () => {
    const s = new InverseSqrt({ value: 3e-4, timescale: 4000 });
    const steps = edgeSteps([4000, 12000], 50, mulberry32(6));
    expectFillMatchesAt(s, steps);
    await expectCpuBackend(s, steps.filter((t) => t <= 0xffffffff));
  });

  it('refuses bad configs naming the field, the value and the rule', () => {
    const cases: [unknown, string, RegExp][] = [
      [{ value: 0.1, timescale: 0 }, 'InverseSqrt.timescale', /must be > 0/],
      [{ value: 0.1, timescale: -5 }, 'InverseSqrt.timescale', /must be > 0/],
      [{ value: 0.1, timescale: Number.NaN }, 'InverseSqrt.timescale', /finite/],
      [{ value: Infinity, timescale: 1 }, 'InverseSqrt.value', /finite/],
      [{ value: '0.1', timescale: 1 }, 'InverseSqrt.value', /must be a number/],
      [{ value: 0.1, timescale: 1, warmup: 3 }, 'InverseSqrt.warmup', /unknown config key \(known: value, timescale\)/],
    ];
    for (const [config, field, rule] of cases) {
      const err = thrown(() => new InverseSqrt(config as never));
      expect(err, JSON.stringify(config)).toBeInstanceOf(ScheduleConfigError);
      expect((err as ScheduleConfigError).field).toBe(field);
      expect((err as Error).message).toMatch(rule);
    }
  });
});
