/**
 * Layer 0 schedules, Constant (docs/semantics.md#constant): the value itself at every step
 * (exact, so trivially within the reference bound), fill() = at(), and validation errors that
 * name `Constant.value`, the value and the rule.
 */
import { describe, expect, it } from 'vitest';
import { Constant, ScheduleConfigError, StepError, createSchedule } from '../../src/schedules/index.ts';
import { thrown } from '../helpers/thrown.ts';

describe('Constant', () => {
  it('is the value itself at every step, the ends included', () => {
    for (const value of [3e-4, 0, -0, -2.5, 1e-300, 5e-324, 1.7e308]) {
      const s = new Constant({ value });
      for (const step of [0, 1, 2 ** 24 + 1, 2 ** 32 - 1, 2 ** 53]) expect(Object.is(s.at(step), value), `${value} at ${step}`).toBe(true);
      expect(s.config).toEqual({ value });
      expect(Object.isFrozen(s.config)).toBe(true);
    }
  });

  it('fills ranges and lists with at(), into Float64Array and (rounded once) Float32Array', () => {
    const s = createSchedule('Constant', { value: 0.1 });
    expect([...s.fill({ start: 5, count: 4, stride: 1000 })]).toEqual([0.1, 0.1, 0.1, 0.1]);
    expect([...s.fill([0, 7, 2 ** 53], new Float32Array(3))]).toEqual([Math.fround(0.1), Math.fround(0.1), Math.fround(0.1)]);
    const out = new Float64Array(5).fill(9);
    s.fill([1, 2], out);
    expect([...out]).toEqual([0.1, 0.1, 9, 9, 9]);
  });

  it('validates its steps like every kind', () => {
    const s = new Constant({ value: 1 });
    expect(() => s.at(-1)).toThrow(StepError);
    expect(() => s.at(0.5)).toThrow(StepError);
    expect(() => s.fill([1, Number.NaN])).toThrow(/steps\[1\] = NaN/);
  });

  it.each([
    [{ value: Number.NaN }, 'Constant.value', /Constant\.value = NaN: must be finite/],
    [{ value: Infinity }, 'Constant.value', /Constant\.value = Infinity: must be finite/],
    [{ value: '0.1' }, 'Constant.value', /Constant\.value = "0\.1": must be a number/],
    [{}, 'Constant.value', /Constant\.value = undefined: must be a number/],
    [{ value: 1, initialLearningRate: 1 }, 'Constant.initialLearningRate', /unknown config key \(known: value\)/],
    [null, 'Constant', /config must be an object/],
  ])('refuses %o naming the field, the value and the rule', (config, field, message) => {
    const err = thrown(() => new Constant(config as never));
    expect(err).toBeInstanceOf(ScheduleConfigError);
    expect((err as ScheduleConfigError).field).toBe(field);
    expect((err as Error).message).toMatch(message);
  });
});
