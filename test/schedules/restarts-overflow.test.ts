/**
 * CosineDecayRestarts where intermediate terms overflow a double although the value does
 * not (issue L's edge fuzz): the reference at() against the in-process BigInt oracle of
 * test/oracle/, fill() against at() bit for bit, and the CPU backend in its f32 acceptance
 * interval (docs/accuracy.md). test/schedules/restarts-oracle.test.ts holds the whole
 * parameter space against the mpmath oracle.
 */
import { describe, expect, test } from 'vitest';
import { cpuEvaluate } from '../../src/cpu/index.ts';
import { CosineDecayRestarts } from '../../src/schedules/cosine-decay-restarts.ts';
import { accepts, toleranceK } from '../../src/verify/index.ts';
import { report } from '../helpers/failures.ts';
import { toNumber } from '../oracle/bigfloat.ts';
import { judgeReference, oracle } from '../oracle/schedules.ts';

/**
 * The final combination lr0·m^k·((1 − α)·g + α) near the double maximum (edge fuzz, long
 * profile, seeds 2000 and 6000): A·g = lr0·(1 − α)·m^k·g and lr0·α may each lie beyond the
 * double range (lr0 near ±MAX with α < 0 or α > 1; m^k·lr0 beyond MAX with g small; |lr0·α|
 * beyond MAX) while the value does not. Judged in-process by the BigInt oracle of test/oracle/
 * (400 bits; shares no code with src/) with its contract (judgeReference: 1e-12 relative
 * + 2^-1074, ±Infinity only within 1e-12 of overflowing); fill() must equal at().
 * m_mul includes powers of two times 3^j (0.5, 1.5, 3), so (1 − α)·m^k·g = −α has exact
 * solutions at g ∈ {1, ½, ¼, ¾} (α = −1 with m_mul 0.5, α = 1.5 with m_mul 3, …): the oracle
 * forms (1 − α)·m^k + α exactly, so those exact zeros are 0 there too.
 */
describe('intermediate overflow near the double maximum: every term in range or scaled by a power of two', () => {
  const MAX = Number.MAX_VALUE;
  type Cfg = { initialLearningRate: number; firstDecaySteps: number; tMul: number; mMul: number; alpha: number };
  const make = (c: Cfg): CosineDecayRestarts => new CosineDecayRestarts(c);
  const show = (c: Cfg): string => JSON.stringify(c);

  /** Steps that reach every part of the first periods: 0 … 8, boundaries ± 1, middles, ends, and `extra`. */
  function stepsOf(c: Cfg, extra: readonly number[]): number[] {
    const s = make(c);
    const out = new Set<number>([0, 1, 2, 3, 4, 5, 6, 7, 8, ...extra]);
    for (let k = 1; k <= 12; k++) {
      const p = s.period(k);
      if (p.firstStep > 2 ** 53) break;
      const mid = Math.floor((p.firstStep + Math.min(p.nextFirstStep, 2 ** 53)) / 2);
      for (const x of [p.firstStep - 1, p.firstStep, p.firstStep + 1, mid, Math.min(p.nextFirstStep, 2 ** 53) - 1]) out.add(x);
    }
    return [...out].filter((x) => Number.isInteger(x) && x >= 0 && x <= 2 ** 53).sort((a, b) => a - b);
  }

  /** at() against the oracle, fill() ranges and lists against at(), the CPU backend in its f32 interval. */
  async function check(c: Cfg, extra: readonly number[] = []): Promise<{ failures: string[]; points: number; finiteBeyond: number }> {
    const steps = stepsOf(c, extra);
    const s = make(c);
    const failures: string[] = [];
    let finiteBeyond = 0; // values whose terms overflow a double although the value does not
    const at = steps.map((x) => s.at(x));
    steps.forEach((x, i) => {
      const ex = oracle('CosineDecayRestarts', c, x);
      if (ex === null) return;
      const why = judgeReference(ex, at[i]!);
      if (why !== null) failures.push(`${show(c)} step ${x}: ${why}`);
      if (Number.isFinite(at[i]) && Math.abs(at[i]!) > 2 ** 1000) finiteBeyond++;
    });
    // fill: ranges from a fresh schedule (its hoisted state) and the list, equal to at() bit for bit
    for (const x of steps) {
      const start = Math.max(0, Math.min(x - 2, 2 ** 53 - 4));
      const r = make(c).fill({ start, count: 5 });
      for (let j = 0; j < 5; j++) if (!Object.is(r[j], s.at(start + j))) failures.push(`${show(c)} fill range step ${start + j}: ${r[j]} ≠ at ${s.at(start + j)}`);
    }
    const list = make(c).fill(steps);
    steps.forEach((x, i) => {
      if (!Object.is(list[i], at[i])) failures.push(`${show(c)} fill list step ${x}: ${list[i]} ≠ at ${at[i]}`);
    });
    const f32 = new Float32Array(steps.length);
    await cpuEvaluate([s], steps, f32);
    const kTol = toleranceK(s);
    steps.forEach((x, i) => {
      const ex = oracle('CosineDecayRestarts', c, x);
      if (ex !== null && !accepts(kTol, toNumber(ex), f32[i]!)) failures.push(`${show(c)} CPU step ${x}: ${f32[i]}, exact ${toNumber(ex)}`);
    });
    return { failures, points: steps.length, finiteBeyond };
  }

  test('the three fuzz configs: the exact finite value, not ±Infinity (at and fill)', async () => {
    const cases: [Cfg, number, number][] = [
      [{ initialLearningRate: -MAX, firstDecaySteps: 99998, tMul: 1, mMul: 1, alpha: -1 }, 1, -1.7976931339751543e308],
      [{ initialLearningRate: MAX, firstDecaySteps: 7, tMul: 1, mMul: 9.794603491257956e-208, alpha: -0.5 }, 1, 1.6641724451302176e308],
      [{ initialLearningRate: -1, firstDecaySteps: 5111, tMul: 2, mMul: 1981555494.9921935, alpha: 1.0325635379376601e-190 }, 702450491190279, -3.9387e306],
    ];
    const failures: string[] = [];
    for (const [c, step, approx] of cases) {
      const got = make(c).at(step);
      expect(Number.isFinite(got), `${show(c)} step ${step}: ${got}`).toBe(true);
      expect(Math.abs(got - approx) / Math.abs(approx)).toBeLessThan(1e-4); // the fuzz's figure, to its printed digits
      expect(make(c).fill({ start: step, count: 1 })[0]).toBe(got);
      failures.push(...(await check(c, [step - 1, step, step + 1])).failures);
    }
    expect(report(failures)).toBe('');
  });

  test('lr0 near ±MAX with α < 0 or α > 1 (both terms beyond MAX or lr0·(1 − α) overflowing), t_mul 1 and > 1', async () => {
    const failures: string[] = [];
    let points = 0;
    let finiteBeyond = 0;
    for (const lr0 of [MAX, -MAX, MAX * (1 - 2 ** -40), -MAX * 0.75])
      for (const alpha of [-1, -0.5, -2, -1e-3, 1 + 2 ** -52, 1.5, 2])
        for (const [D, t, m] of [[99998, 1, 1], [7, 1, 9.794603491257956e-208], [7, 1, 0.7], [0.3, 1, 1.3], [5111, 2, 1], [7, 2, 9.794603491257956e-208], [3, 1e300, 0.7], [7, 1, 0.5], [0.3, 1, 1.5], [5111, 2, 3], [3, 1e300, 0.5]] as const) {
          const r = await check({ initialLearningRate: lr0, firstDecaySteps: D, tMul: t, mMul: m, alpha });
          failures.push(...r.failures);
          points += r.points;
          finiteBeyond += r.finiteBeyond;
        }
    expect(points).toBeGreaterThan(3000);
    expect(finiteBeyond).toBeGreaterThan(500); // the family reaches values above 2^1000
    expect(report(failures)).toBe('');
  }, 120_000);

  test('m_mul^k·lr0 just under MAX, and far beyond it with A·g under it (near a period’s end), α in and outside [0, 1], t_mul 1 and 2', async () => {
    const failures: string[] = [];
    let points = 0;
    let finiteBeyond = 0;
    for (const [m, k] of [[1981555494.9921935, 37], [1e10, 30], [1.3, 2000], [3.3, 1]] as const)
      for (const alpha of [0, 1.0325635379376601e-190, 0.5, -0.5, -1, 2])
        for (const t of [1, 2])
          for (const eps of [2 ** -50, 0.01, 0.5]) {
            // lr0·(1 − α)·m^k = ±MAX·(1 − eps) (up to the roundings of this line)
            let lr0 = MAX * (1 - eps);
            for (let j = 0; j < k; j++) lr0 /= m; // m^k itself may overflow
            lr0 /= Math.abs(1 - alpha);
            for (const sign of [1, -1]) {
              const c = { initialLearningRate: sign * lr0, firstDecaySteps: t === 1 ? 3.7 : 5111, tMul: t, mMul: m, alpha };
              const s = make(c);
              const p = s.period(t === 1 ? k : Math.min(k, 40));
              const extra = p.firstStep <= 2 ** 53 ? [p.firstStep, p.firstStep + 1, Math.min(p.nextFirstStep, 2 ** 53) - 1] : [];
              const r = await check(c, [...extra, 702450491190279].filter((x) => x <= 2 ** 53));
              failures.push(...r.failures);
              points += r.points;
              finiteBeyond += r.finiteBeyond;
            }
          }
    // A = lr0·(1 − α)·m^k far beyond MAX (2^1100 …), A·g below it near the end of the period (the
    // third fuzz config: lr0 −1, m_mul ≈ 2e9, k = 37, g ≈ 2^-124)
    let nearEnd = 0;
    for (const [lr0, D, t, m, k0, k1] of [
      [-1, 5111, 2, 1981555494.9921935, 34, 40],
      [3e-20, 5111, 2, 1981555494.9921935, 36, 42],
      [1, 1e6, 1, 1e10, 31, 34],
      [-2.5, 1e6, 1, 1e10, 30, 34],
    ] as const)
      for (const alpha of [0, 1.0325635379376601e-190, 0.5, -0.5, 2]) {
        const c = { initialLearningRate: lr0, firstDecaySteps: D, tMul: t, mMul: m, alpha };
        const s = make(c);
        const extra: number[] = [];
        for (let k = k0; k <= k1; k++) {
          const p = s.period(k);
          const end = Math.min(p.nextFirstStep, 2 ** 53 + 1) - 1;
          for (const d of [0, 1, 2, 10, 1000, 2 ** 20]) if (end - d >= p.firstStep && end - d <= 2 ** 53) extra.push(end - d);
        }
        nearEnd += extra.filter((x) => Math.abs(s.at(x)) > 2 ** 1000 && Number.isFinite(s.at(x))).length;
        const r = await check(c, [...extra, 702450491190279]);
        failures.push(...r.failures);
      }
    expect(points).toBeGreaterThan(3000);
    expect(finiteBeyond).toBeGreaterThan(100);
    expect(nearEnd).toBeGreaterThan(20);
    expect(report(failures)).toBe('');
  }, 120_000);

  test('|lr0·α| beyond MAX with a finite value (α huge, m_mul^k lifting the other term), t_mul 1 and 2', async () => {
    const failures: string[] = [];
    let finiteBeyond = 0;
    // lr0·α = −MAX·f·sign(lr0): f > 1 overflows (f ≤ 1/|lr0| keeps α itself finite)
    for (const [lr0, fs] of [[-1e200, [0.5, 1, 2, 1e5]], [1e10, [0.5, 1, 2, 1e5]], [1, [0.5, 1]]] as const)
      for (const f of fs)
        for (const [t, m] of [[1, 1e200], [1, 1], [2, 1e10], [2, 0.7]] as const) {
          const r = await check({ initialLearningRate: lr0, firstDecaySteps: 7, tMul: t, mMul: m, alpha: (-MAX / Math.abs(lr0)) * f });
          failures.push(...r.failures);
          finiteBeyond += r.finiteBeyond;
        }
    expect(finiteBeyond).toBeGreaterThan(50);
    expect(report(failures)).toBe('');
  }, 120_000);
  test('the constant part lr0·((1 − α)·m^k + α) exactly or nearly 0, just after a restart of a very long period and mid-period', async () => {
    // exact zeros of (1 − α)·m^k + α (only k = 1, 2 exist: m^k = −α/(1 − α) with α a double), and
    // near ones (α = fl(−1/3) with m^k = ¼; α = fl(−1/(2^40 − 1)) with m^k = 2^-40 at k = 40)
    const families: [alpha: number, m: number, k: number][] = [
      [-1, 0.5, 1],
      [1.5, 3, 1],
      [2, 2, 1],
      [-3, 0.75, 1],
      [1.25, 5, 1],
      [9 / 8, 3, 2],
      [-1 / 3, 0.25, 1],
      [-1 / 3, 0.5, 2],
      [-1 / (2 ** 40 - 1), 0.5, 40],
    ];
    const failures: string[] = [];
    let tiny = 0; // nonzero exact values below 2^-200 of |lr0|: the old 2^-1400 cap and worse
    let zeros = 0;
    let points = 0;
    for (const [alpha, m, k] of families)
      for (const [D, t] of [[99998, 1e300], [3, 1e300], [1e15, 2], [1, 2], [1e15, 1], [7, 1]] as const)
        for (const lr0 of [1, -1.7448960570366844e308, 1.7448960570366844e308, 1e-300]) {
          const c = { initialLearningRate: lr0, firstDecaySteps: D, tMul: t, mMul: m, alpha };
          const s = make(c);
          const extra: number[] = [5009292428895354];
          for (const j of [k, k + 1]) {
            const p = s.period(j);
            if (p.firstStep > 2 ** 53) continue;
            const end = Math.min(p.nextFirstStep, 2 ** 53 + 1);
            for (const d of [0, 1, 2, 3, 10, 1000, 2 ** 20, 2 ** 30, 2 ** 40]) if (p.firstStep + d < end) extra.push(p.firstStep + d);
            extra.push(Math.floor((p.firstStep + Math.min(end, 2 ** 53)) / 2), Math.min(end, 2 ** 53) - 1);
          }
          const steps = extra.filter((x) => x <= 2 ** 53);
          for (const x of steps) {
            const ex = oracle('CosineDecayRestarts', c, x);
            if (ex === null) continue;
            const e = toNumber(ex);
            if (ex.m === 0n) zeros++;
            else if (e !== 0 && Math.abs(e) < Math.abs(lr0) * 2 ** -200) tiny++;
          }
          const r = await check(c, steps);
          failures.push(...r.failures);
          points += r.points;
        }
    expect(points).toBeGreaterThan(3000);
    expect(zeros).toBeGreaterThan(50);
    expect(tiny).toBeGreaterThan(50);
    expect(report(failures)).toBe('');
  }, 240_000);
});
