/**
 * Cross-check of the fuzz oracle itself (test/oracle/schedules.ts, floating BigInt) against
 * mpmath at 3000 bits (test/fixtures/oracle/five-kinds.json, written by
 * scripts/oracle/five_kinds.py): the two share no code (different formulations, different
 * languages), so agreement to 1e-55 (the fixtures carry 60 digits) at edge parameters says
 * the oracle is right where the fuzz relies on it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as B from './oracle/bigfloat.ts';
import { oracle } from './oracle/schedules.ts';

interface Fixture {
  kind: string;
  config: Record<string, unknown>;
  step: number;
  value: string;
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/oracle/five-kinds.json', import.meta.url), 'utf8')) as Fixture[];

/** A decimal string (mpmath's nstr: "d.ddd…e±x" or "0") as a BF, to 400 bits. */
function parseDecimal(text: string): B.BF {
  if (text === '0') return B.ZERO;
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(text);
  if (m === null) throw new Error(`not a decimal: ${text}`);
  const digits = BigInt((m[2] ?? '') + (m[3] ?? ''));
  const e = Number(m[4] ?? 0) - (m[3] ?? '').length;
  const mant = m[1] === '-' ? -digits : digits;
  // far outside every double range (e.g. 1e300·2^-(2^53)): only the side matters (the oracle's exp saturates there too)
  if (Math.abs(e) > 20000) return { m: mant > 0n ? 1n : -1n, e: e > 0 ? 2 ** 25 : -(2 ** 25) };
  return e >= 0 ? B.fromBigInt(mant * 10n ** BigInt(e)) : B.div(B.fromBigInt(mant), B.fromBigInt(10n ** BigInt(-e)));
}

describe('the BigInt oracle agrees with mpmath (3000 bits) at edge parameters', () => {
  it('has the fixtures (≥ 400 values of the five kinds)', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(400);
  });
  it('every value to 1e-55 relative; mpmath values below 1e-800 of the scale are exact zeros the oracle gives as 0', () => {
    const bad: string[] = [];
    for (const f of fixtures) {
      const o = oracle(f.kind, f.config, f.step);
      if (o === null) {
        bad.push(`${f.kind} ${JSON.stringify(f.config)} step ${f.step}: oracle declined`);
        continue;
      }
      const want = parseDecimal(f.value);
      const err = B.abs(B.sub(o, want));
      const lr = Math.abs(Number((f.config.initialLearningRate as number | undefined) ?? 1)) || 1;
      const zeroLike = want.m === 0n || B.cmp(B.abs(want), B.mul(B.fromNumber(lr), { m: 1n, e: -2650 })) < 0;
      const far = Math.abs(want.e) >= 2 ** 25;
      const ok = far ? B.sign(o) === B.sign(want) && (want.e > 0 ? B.ilog2(o) > 5000 : B.ilog2(o) < -5000) : zeroLike ? o.m === 0n || B.cmp(B.abs(o), B.mul(B.fromNumber(lr), { m: 1n, e: -2650 })) < 0 : B.cmp(err, B.div(B.abs(want), B.fromBigInt(10n ** 55n))) <= 0;
      if (!ok) bad.push(`${f.kind} ${JSON.stringify(f.config)} step ${f.step}: oracle ${B.toNumber(o)}, mpmath ${f.value}`);
    }
    expect(bad).toEqual([]);
  });
});
