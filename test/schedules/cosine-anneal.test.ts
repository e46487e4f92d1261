/**
 * Layer 0 schedules, CosineAnneal (docs/semantics.md#cosineanneal): the reference against an
 * independent 400-bit evaluation of to + (from − to)·g^exponent (test/oracle/bigfloat.ts) within
 * 1e-12 relative, exact at x = 0 and x = 1 and where held, the periodic cosine without hold,
 * exact zeros at rational points, fill() = at(), and validation errors naming
 * `CosineAnneal.<field>`, the value and the rule.
 */
import { describe, expect, it } from 'vitest';
import { CosineAnneal, ScheduleConfigError, type CosineAnnealConfig } from '../../src/schedules/index.ts';
import { add, cmp, cosineHalvesOf, exp, expm1, floorDiv, fromBigInt, fromNumber, ln, mul, neg, sub, toNumber, ZERO, type BF } from '../oracle/bigfloat.ts';
import { close } from '../helpers/close.ts';
import { mulberry32 } from '../helpers/random.ts';
import { thrown } from '../helpers/thrown.ts';

/** The exact value, independently: g = ½(1 + cos(π·x)) at 400 bits (x reduced modulo 2 when periodic). */
function oracle(c: Required<CosineAnnealConfig>, t: number): number {
  const P = fromNumber(c.period);
  let d: BF = add(fromNumber(t), fromNumber(c.offset));
  let odd = false;
  if (c.hold) {
    if (cmp(d, ZERO) <= 0) return c.from;
    if (cmp(d, P) >= 0) return c.to;
  } else {
    let q: bigint;
    if (cmp(d, ZERO) >= 0) q = floorDiv(d, P);
    else {
      const q0 = floorDiv(neg(d), P);
      q = cmp(mul(fromBigInt(q0), P), neg(d)) === 0 ? -q0 : -q0 - 1n;
    }
    d = sub(d, mul(fromBigInt(q), P));
    odd = q % 2n !== 0n;
  }
  let { g, h } = cosineHalvesOf(d, P);
  if (odd) [g, h] = [h, g];
  if (c.exponent !== 1 && g.m !== 0n) {
    const lg = mul(fromNumber(c.exponent), ln(g));
    g = exp(lg);
    h = neg(expm1(lg));
  }
  return toNumber(add(mul(fromNumber(c.to), h), mul(fromNumber(c.from), g)));
}

const full = (c: CosineAnnealConfig): Required<CosineAnnealConfig> => ({ offset: 0, exponent: 1, hold: true, ...c });

function within(s: CosineAnneal, t: number): void {
  const want = oracle(full(s.config), t);
  const got = s.at(t);
  if (want === 0) expect(got, `${JSON.stringify(s.config)} at ${t}`).toBe(0);
  else expect(Math.abs(got - want) <= 1e-12 * Math.abs(want), `${JSON.stringify(s.config)} at ${t}: ${got} vs ${want}`).toBe(true);
}

describe('CosineAnneal', () => {
  it('is from at x = 0, to at x = 1, the cosine between, held outside by default', () => {
    const s = new CosineAnneal({ from: 0.1, to: 0, period: 1000 });
    expect(s.at(0)).toBe(0.1);
    expect(s.at(1000)).toBe(0);
    expect(s.at(2 ** 53)).toBe(0);
    close(s.at(500), 0.05);
    close(s.at(250), 0.1 * 0.5 * (1 + Math.cos(Math.PI / 4)));
    expect(s.config).toEqual({ from: 0.1, to: 0, period: 1000, offset: 0, exponent: 1, hold: true });
    const f = new CosineAnneal({ from: 1, to: 0.25, period: 99.5, offset: -0.5 });
    expect(f.at(0)).toBe(1);
    expect(f.at(100)).toBe(0.25);
    expect(f.at(99)).toBeGreaterThan(0.25);
  });

  it('rises again past x = 1 without hold, as PyTorch CosineAnnealingLR past T_max, periodic in 2·period', () => {
    const s = new CosineAnneal({ from: 0.1, to: 0.001, period: 100, hold: false });
    expect(s.at(100)).toBe(0.001);
    expect(s.at(200)).toBe(0.1);
    expect(s.at(300)).toBe(0.001);
    expect(s.at(200 * 2 ** 32)).toBe(0.1);
    expect(s.at(200 * 2 ** 32 + 100)).toBe(0.001);
    for (const t of [150, 250, 1234, 2 ** 40 + 7]) close(s.at(t), s.at(t % 200));
    const neg = new CosineAnneal({ from: 2, to: 1, period: 10, offset: -25, hold: false });
    close(neg.at(0), neg.at(20));
    expect(neg.at(5)).toBe(2); // x = −2
    expect(neg.at(15)).toBe(1); // x = −1
  });

  it('shapes a held anneal with the exponent (Optax cosine_decay_schedule)', () => {
    const s = new CosineAnneal({ from: 1, to: 0.1, period: 1000, exponent: 2 });
    expect(s.at(0)).toBe(1);
    expect(s.at(1000)).toBe(0.1);
    close(s.at(500), 0.1 + 0.9 * 0.25);
  });

  it('gives an exact zero at x = 1/2 when to = −from, and keeps relative precision beside it', () => {
    const s = new CosineAnneal({ from: 0.5, to: -0.5, period: 1000 });
    expect(s.at(500)).toBe(0);
    within(s, 499);
    within(s, 501);
    const third = new CosineAnneal({ from: 1, to: -3, period: 999 }); // g = 3/4 at x = 1/3: −3/4 + 3/4 = 0
    expect(third.at(333)).toBe(0);
    within(third, 332);
  });

  it('agrees with a 400-bit evaluation within 1e-12 relative over random configs, their ends, halves and neighbours', () => {
    const r = mulberry32(11);
    const pick = (xs: readonly number[]) => xs[Math.floor(r() * xs.length)] as number;
    let checked = 0;
    for (let i = 0; i < 300; i++) {
      const from = pick([1, 0.1, 3e-4, 1e-300, 1e300, 2]) * (1 + r());
      const to = pick([0, 0, 1e-3, 0.5, -0.2, 1e-200, 1e200]) * (1 + r());
      const period = pick([1, 3, 1000, 777.25, 1e-3, 2 ** 40 + 0.5, 1e15]) * (r() < 0.5 ? 1 : 1 + r());
      const offset = pick([0, 0, -100, 0.5, -1e5 - 0.25, 2 ** 40]) * (r() < 0.5 ? 1 : r());
      const hold = r() < 0.6;
      const exponent = hold && r() < 0.4 ? pick([0.5, 2, 3.7]) : 1;
      const s = new CosineAnneal({ from, to, period, offset, exponent, hold });
      const marks = [0, 1, 2, 3, 4].map((m) => (m * period) / 2 - offset).flatMap((e) => [Math.floor(e) - 1, Math.floor(e), Math.ceil(e), Math.ceil(e) + 1]);
      const ts = [0, 1, 1000, 2 ** 24 + 1, 2 ** 32 - 1, 2 ** 53, ...marks, Math.floor(r() * 2 ** 32)].filter((t) => t >= 0 && t <= 2 ** 53 && Number.isInteger(t));
      for (const t of ts) {
        within(s, t);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it('fills ranges and lists with at()', () => {
    const s = new CosineAnneal({ from: 0.2, to: 0.02, period: 99.5, offset: -10, hold: false });
    const list = [0, 10, 11, 50, 109, 110, 1e6];
    expect([...s.fill(list)]).toEqual(list.map((t) => s.at(t)));
    expect([...s.fill({ start: 100, count: 20, stride: 7 }, new Float32Array(20))]).toEqual(Array.from({ length: 20 }, (_, i) => Math.fround(s.at(100 + 7 * i))));
  });

  it.each([
    [{ from: Number.NaN, to: 0, period: 10 }, 'CosineAnneal.from', /must be finite/],
    [{ from: 1, to: -Infinity, period: 10 }, 'CosineAnneal.to', /must be finite/],
    [{ from: 1, to: 0, period: 0 }, 'CosineAnneal.period', /CosineAnneal\.period = 0: must be > 0/],
    [{ from: 1, to: 0, period: 10, exponent: 0 }, 'CosineAnneal.exponent', /must be > 0/],
    [{ from: 1, to: 0, period: 10, exponent: 2, hold: false }, 'CosineAnneal.exponent', /CosineAnneal\.exponent = 2: must be 1 when hold is false.*set hold: true or exponent: 1/],
    [{ from: 1, to: 0, period: 10, offset: Infinity }, 'CosineAnneal.offset', /must be finite/],
    [{ from: 1, to: 0, period: 10, hold: 1 }, 'CosineAnneal.hold', /must be a boolean/],
    [{ from: 1, period: 10 }, 'CosineAnneal.to', /must be a number/],
    [{ from: 1, to: 0, period: 10, eta_min: 0 }, 'CosineAnneal.eta_min', /unknown config key \(known: from, to, period, offset, exponent, hold\)/],
  ])('refuses %o naming the field, the value and the rule', (config, field, message) => {
    const err = thrown(() => new CosineAnneal(config as never));
    expect(err).toBeInstanceOf(ScheduleConfigError);
    expect((err as ScheduleConfigError).field).toBe(field);
    expect((err as Error).message).toMatch(message);
  });
});
