/**
 * Layer 0 schedules, Linear (docs/semantics.md#linear): the reference against an independent
 * 400-bit evaluation of from + (to − from)·x (test/oracle/bigfloat.ts) within 1e-12 relative,
 * exact at x = 0 and x = 1 and where held, exact zeros of the line, fill() = at(), and validation
 * errors naming `Linear.<field>`, the value and the rule.
 */
import { describe, expect, it } from 'vitest';
import { Linear, ScheduleConfigError, type LinearConfig } from '../../src/schedules/index.ts';
import { add, cmp, div, fromNumber, mul, sub, toNumber, ONE, ZERO } from '../oracle/bigfloat.ts';
import { close } from '../helpers/close.ts';
import { mulberry32 } from '../helpers/random.ts';
import { thrown } from '../helpers/thrown.ts';

/** The exact value, independently: x = (t + offset)/steps at 400 bits, clamped when held. */
function oracle(c: Required<LinearConfig>, t: number): number {
  let x = div(add(fromNumber(t), fromNumber(c.offset)), fromNumber(c.steps));
  if (c.hold) {
    if (cmp(x, ZERO) <= 0) return c.from;
    if (cmp(x, ONE) >= 0) return c.to;
    x = x as typeof x;
  }
  const from = fromNumber(c.from);
  return toNumber(add(from, mul(sub(fromNumber(c.to), from), x)));
}

const full = (c: LinearConfig): Required<LinearConfig> => ({ offset: 0, hold: true, ...c });

describe('Linear', () => {
  it('is from at x = 0, to at x = 1, the line between, held outside by default', () => {
    const s = new Linear({ from: 0, to: 1e-3, steps: 1000 });
    expect(s.at(0)).toBe(0);
    expect(s.at(1000)).toBe(1e-3);
    expect(s.at(2 ** 53)).toBe(1e-3);
    close(s.at(250), 2.5e-4);
    expect(s.config).toEqual({ from: 0, to: 1e-3, steps: 1000, offset: 0, hold: true });
    const d = new Linear({ from: 0.1, to: 0.001, steps: 777.5, offset: -100 });
    expect(d.at(0)).toBe(0.1);
    expect(d.at(100)).toBe(0.1);
    expect(d.at(877)).toBeGreaterThan(0.001);
    expect(d.at(878)).toBe(0.001);
    // x = 1 exactly at a fractional end: steps − offset = 777.5 + 0.5 = 778 → to itself
    expect(new Linear({ from: 1, to: 0.25, steps: 777.5, offset: 0.5 }).at(777)).toBe(0.25);
  });

  it('extrapolates the line without hold, on both sides', () => {
    const s = new Linear({ from: 1, to: 2, steps: 10, offset: -5, hold: false });
    expect(s.at(5)).toBe(1);
    expect(s.at(15)).toBe(2);
    close(s.at(0), 0.5);
    close(s.at(25), 3);
    close(s.at(2 ** 40), 1 + (2 ** 40 - 5) / 10);
  });

  it('gives an exact zero where the line crosses 0 at a step, and keeps relative precision beside it', () => {
    const s = new Linear({ from: -1, to: 1, steps: 2 });
    expect(s.at(1)).toBe(0);
    const f = new Linear({ from: 0.75, to: -0.25, steps: 4000 });
    expect(f.at(3000)).toBe(0);
    // with the doubles 0.3 and −0.1 the line's zero is not at a step: the exact value there is −6.9e-18, not 0
    const g = new Linear({ from: 0.3, to: -0.1, steps: 4000 });
    close(g.at(3000), oracle(full(g.config), 3000));
    expect(g.at(3000)).not.toBe(0);
    for (const t of [2999, 3001]) expect(Math.abs(f.at(t) - oracle(full(f.config), t))).toBeLessThanOrEqual(1e-12 * Math.abs(oracle(full(f.config), t)));
    const far = new Linear({ from: 1, to: 1, steps: 3, hold: false });
    expect(far.at(2 ** 53)).toBe(1);
  });

  it('agrees with a 400-bit evaluation within 1e-12 relative over random configs, both ends and their neighbours', () => {
    const r = mulberry32(7);
    const pick = (xs: readonly number[]) => xs[Math.floor(r() * xs.length)] as number;
    let checked = 0;
    for (let i = 0; i < 400; i++) {
      const from = pick([0, 1, 0.1, 3e-4, -2, 1e-300, 1e300, 5e-324]) * (r() < 0.3 ? -1 : 1) * (1 + r());
      const to = pick([0, 1, 1e-3, -0.5, 1e-200, 1e200, 7]) * (1 + r());
      const steps = pick([1, 3, 1000, 777.25, 1e-3, 2 ** 40 + 0.5, 1e15, 1e300]) * (r() < 0.5 ? 1 : 1 + r());
      const offset = pick([0, 0, -100, 0.5, -1e5 - 0.25, 2 ** 53, -(2 ** 52)]) * (r() < 0.5 ? 1 : r());
      const hold = r() < 0.5;
      const c = full({ from, to, steps, offset, hold });
      const s = new Linear(c);
      const ends = [-offset, steps - offset].flatMap((e) => [Math.floor(e) - 1, Math.floor(e), Math.ceil(e), Math.ceil(e) + 1]);
      const steps01 = [0, 1, 2, 1000, 2 ** 24 + 1, 2 ** 32 - 1, 2 ** 53, ...ends, Math.floor(r() * 2 ** 32)].filter((t) => Number.isSafeInteger(t) || t === 2 ** 53).filter((t) => t >= 0 && t <= 2 ** 53);
      for (const t of steps01) {
        const want = oracle(c, t);
        const got = s.at(t);
        checked++;
        if (want === 0 || !Number.isFinite(want)) expect(Object.is(got, want) || (got === 0 && want === 0), `${JSON.stringify(c)} at ${t}: ${got} vs ${want}`).toBe(true);
        else expect(Math.abs(got - want) <= 1e-12 * Math.abs(want), `${JSON.stringify(c)} at ${t}: ${got} vs ${want}`).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(4000);
  });

  it('is exact at the ends: from at x ≤ 0 and to at x ≥ 1 when held, from/to at x = 0/1 without hold', () => {
    for (const [from, to] of [[0.1, 0.001], [0, 1e-3], [-0.3, 0.7], [1e300, -1e-300]] as const) {
      for (const steps of [1, 10, 0.75, 1e9 + 0.5]) {
        for (const offset of [0, -3, 0.25, -1e6 + 0.5]) {
          for (const hold of [true, false]) {
            const s = new Linear({ from, to, steps, offset, hold });
            if (Number.isInteger(-offset) && -offset >= 0) expect(s.at(-offset)).toBe(from);
            const end = steps - offset;
            if (Number.isInteger(end) && end >= 0) expect(s.at(end)).toBe(to);
            if (hold) {
              expect(s.at(Math.max(0, Math.ceil(end)))).toBe(to);
              if (-offset >= 0) expect(s.at(Math.floor(-offset))).toBe(from);
            }
          }
        }
      }
    }
  });

  it('fills ranges and lists with at()', () => {
    const s = new Linear({ from: 0.2, to: 0.02, steps: 99.5, offset: -10 });
    const list = [0, 10, 11, 50, 109, 110, 1e6];
    expect([...s.fill(list)]).toEqual(list.map((t) => s.at(t)));
    expect([...s.fill({ start: 100, count: 20, stride: 1 }, new Float32Array(20))]).toEqual(Array.from({ length: 20 }, (_, i) => Math.fround(s.at(100 + i))));
  });

  it.each([
    [{ from: Number.NaN, to: 1, steps: 10 }, 'Linear.from', /must be finite/],
    [{ from: 0, to: Infinity, steps: 10 }, 'Linear.to', /must be finite/],
    [{ from: 0, to: 1, steps: 0 }, 'Linear.steps', /Linear\.steps = 0: must be > 0/],
    [{ from: 0, to: 1, steps: -5 }, 'Linear.steps', /must be > 0/],
    [{ from: 0, to: 1, steps: Infinity }, 'Linear.steps', /must be finite/],
    [{ from: 0, to: 1, steps: 10, offset: Number.NaN }, 'Linear.offset', /must be finite/],
    [{ from: 0, to: 1, steps: 10, hold: 'yes' }, 'Linear.hold', /must be a boolean/],
    [{ from: 0, steps: 10 }, 'Linear.to', /must be a number/],
    [{ from: 0, to: 1, steps: 10, end: 1 }, 'Linear.end', /unknown config key \(known: from, to, steps, offset, hold\)/],
  ])('refuses %o naming the field, the value and the rule', (config, field, message) => {
    const err = thrown(() => new Linear(config as never));
    expect(err).toBeInstanceOf(ScheduleConfigError);
    expect((err as ScheduleConfigError).field).toBe(field);
    expect((err as Error).message).toMatch(message);
  });
});
