/**
 * Grids and judging for the Layer 1 GPU accuracy tests: acceptance intervals from
 * src/verify (docs/accuracy.md#the-contract), CTS-style failure lines, per-kind max ULP / max
 * relative error (in units of 2^-23).
 */
import type { KernelSchedule } from '../../src/kernels/index.ts';
import { acceptanceInterval, accepts, toleranceK, ulpDistance } from '../../src/verify/index.ts';
import { mulberry32 } from './random.ts';

export const U32_MAX = 0xffffffff;

export interface Judged {
  checked: number;
  maxUlp: number;
  maxRel: number;
  worst: string;
  failures: string[];
}

export type ScheduleWithAt = KernelSchedule & { at(step: number): number };

export const stats = new Map<string, Judged>();

/** Judges M×N GPU values against schedule.at with the kind's k; records per-kind stats. */
export function judge(schedules: readonly ScheduleWithAt[], steps: Uint32Array, got: Float32Array, firstIndex = 0): string[] {
  const failures: string[] = [];
  schedules.forEach((s, i) => {
    const k = toleranceK(s);
    const power = s.kind === 'PolynomialDecay' ? s.config.power : 0;
    const key = power > 3 ? `${s.kind} (power > 3)` : s.kind;
    let st = stats.get(key);
    if (!st) stats.set(key, (st = { checked: 0, maxUlp: 0, maxRel: 0, worst: '', failures: [] }));
    for (let j = 0; j < steps.length; j++) {
      const step = steps[j] ?? 0;
      const exact = s.at(step);
      const g = got[i * steps.length + j] ?? NaN;
      st.checked++;
      if (!accepts(k, exact, g)) {
        const [lo, hi] = acceptanceInterval(k, exact);
        failures.push(`schedule #${firstIndex + i} (${s.kind} ${JSON.stringify(s.config)}), step ${step} → got ${g}, expected [${lo}, ${hi}]`);
      }
      // ULP / relative stats over normal exact values only (below 2^-126 the bound is the absolute 2^-126).
      const normal = Math.abs(exact) >= 2 ** -126;
      const u = normal ? ulpDistance(g, exact) : 0;
      const rel = normal ? Math.abs(g - exact) / Math.abs(exact) / 2 ** -23 : 0;
      if (u > st.maxUlp) {
        st.maxUlp = u;
        st.worst = `#${firstIndex + i} ${JSON.stringify(s.config).slice(0, 140)} step ${step}: got ${g} exact ${exact}`;
      }
      if (rel > st.maxRel) st.maxRel = rel;
    }
  });
  return failures;
}

/** Sorted unique u32 steps. */
export function uniqSteps(list: Iterable<number>): Uint32Array {
  const set = new Set<number>();
  for (const x of list) {
    const r = Math.round(x);
    if (Number.isFinite(r) && r >= 0 && r <= U32_MAX) set.add(r);
  }
  return Uint32Array.from([...set].sort((a, b) => a - b));
}

/** Deterministic PRNG (mulberry32, shared with the benchmarks' sampling). */
export const rng = mulberry32;

/**
 * The edges of docs/accuracy.md#how-tests-judge-a-float + dense and sampled sweeps for a schedule with decay length D
 * (and extra edges): 0…min(D,dense), D−3…D+3, 2^24±1, 2^31, 2^32−2, 2^32−1, `uniform`
 * steps in [0, 2D], `logN` log-uniform steps in [1, 2^32−1], staircase edges k·D±1.
 */
export function gridFor(D: number, extra: readonly number[], opts: { dense?: number; uniform?: number; logN?: number; seed?: number } = {}): Uint32Array {
  const { dense = 2048, uniform = 4096, logN = 2048, seed = 1 } = opts;
  const r = rng(seed);
  const out: number[] = [];
  for (let s = 0; s <= Math.min(D, dense); s++) out.push(s);
  for (const c of [Math.floor(D), Math.ceil(D), 2 ** 24, 2 ** 25, 2 ** 31, U32_MAX]) for (let d = -3; d <= 3; d++) out.push(c + d);
  for (let m = 1; m <= 5; m++) for (let d = -1; d <= 1; d++) out.push(m * Math.floor(D) + d, m * Math.ceil(D) + d);
  for (let i = 0; i < uniform; i++) out.push(r() * 2 * D);
  for (let i = 0; i < logN; i++) out.push(2 ** (r() * 32));
  for (const e of extra) for (let d = -1; d <= 1; d++) out.push(e + d);
  return uniqSteps(out);
}

export function summaryLines(): string[] {
  const lines = ['kind | points | max ULP | max rel (×2^-23) | worst'];
  for (const [kind, st] of [...stats.entries()].sort()) {
    lines.push(`${kind} | ${st.checked} | ${st.maxUlp.toFixed(3)} | ${st.maxRel.toFixed(3)} | ${st.worst}`);
  }
  return lines;
}
