/**
 * Sequence (docs/semantics.md#sequence): pieces joined at integer boundaries, each a
 * registry kind evaluated at (t − begin), with scale/shift applied once in f64; lastStep;
 * validation with the field, the value and the rule; fill() = at() bit for bit.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CosineDecay,
  CosineDecayRestarts,
  ExponentialDecay,
  FieldError,
  PiecewiseConstantDecay,
  PolynomialDecay,
  ScheduleConfigError,
  Sequence,
  StepError,
  isSchedule,
  cosineDecaySequence,
  Linear,
  isSequence,
  type AnySchedule,
} from '../../src/schedules/index.ts';
import * as root from '../../src/index.ts';
import { thrown } from '../helpers/thrown.ts';

const warm = new PolynomialDecay({ initialLearningRate: 0, decaySteps: 100, endLearningRate: 0.1 });
const cos = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 900, alpha: 0.1 });
const restarts = new CosineDecayRestarts({ initialLearningRate: 0.05, firstDecaySteps: 7.5, tMul: 1.5 });
const pw = new PiecewiseConstantDecay({ boundaries: [3, 10], values: [1, 0.5, 0.25] });

function threePieces(extra: { lastStep?: number } = {}): Sequence {
  return new Sequence({
    pieces: [
      { begin: 0, schedule: warm },
      { begin: 100, schedule: cos },
      { begin: 1000, schedule: restarts, scale: 0.5, shift: 1e-4 },
    ],
    ...extra,
  });
}

/** The contract's definition, written out independently of the class. */
function definition(pieces: { begin: number; schedule: AnySchedule; scale?: number; shift?: number }[], t: number): number {
  let k = 0;
  while (k + 1 < pieces.length && pieces[k + 1]!.begin <= t) k++;
  const p = pieces[k]!;
  const v = p.schedule.at(t - p.begin);
  const scale = p.scale ?? 1;
  const shift = p.shift ?? 0;
  return scale === 1 && shift === 0 ? v : scale * v + shift;
}

describe('Sequence values', () => {
  it('each piece is its schedule at (t − begin), bit for bit, on both sides of every boundary', () => {
    const s = threePieces();
    for (const t of [0, 1, 99, 100, 101, 999]) {
      const p = t < 100 ? { b: 0, s: warm } : { b: 100, s: cos };
      expect(s.at(t)).toBe(p.s.at(t - p.b));
    }
    expect(s.at(100)).toBe(0.1);
    expect(s.at(99)).toBe(warm.at(99));
    expect(s.pieceIndex(99)).toBe(0);
    expect(s.pieceIndex(100)).toBe(1);
    expect(s.pieceIndex(1000)).toBe(2);
    expect(s.pieceIndex(2 ** 53)).toBe(2);
  });

  it('scale and shift are applied once in f64: fl(scale·v + shift), the product exact before the sum', () => {
    const s = threePieces();
    for (const t of [1000, 1001, 1007, 1008, 5000, 2 ** 40]) {
      const v = restarts.at(t - 1000);
      const want = 0.5 * v + 1e-4; // 0.5·v is exact, so the one rounding is the sum's
      expect(s.at(t)).toBe(want);
    }
    // a product that rounds: the double 1/3 is (1 − 2^-54)/3, so scale·3 + (−1) = −2^-54 exactly,
    // where fl(fl(scale·3) − 1) would give 0
    const three = new ExponentialDecay({ initialLearningRate: 3, decaySteps: 1, decayRate: 1 });
    const third = new Sequence({ pieces: [{ begin: 0, schedule: three, scale: 1 / 3, shift: -1 }] });
    expect((1 / 3) * 3 - 1).toBe(0);
    expect(third.at(5)).toBe(-(2 ** -54));
  });

  it('fill() equals at() bit for bit over ranges, strides and lists crossing every boundary, into Float64Array and Float32Array', () => {
    const s = threePieces();
    const ranges = [
      { start: 0, count: 1200 },
      { start: 95, count: 30, stride: 7 },
      { start: 1, count: 9, stride: 111 },
      { start: 999, count: 3 },
      { start: 100, count: 1 },
      { start: 2 ** 53 - 10, count: 11 },
    ];
    for (const r of ranges) {
      const d = s.fill(r);
      const f = s.fill(r, new Float32Array(r.count));
      for (let c = 0; c < r.count; c++) {
        const t = r.start + c * (r.stride ?? 1);
        expect(d[c]).toBe(s.at(t));
        expect(f[c]).toBe(Math.fround(s.at(t)));
      }
    }
    const list = [1000, 0, 99, 100, 5, 1000, 12345, 2 ** 53, 101, 999, 1001, 0];
    const d = s.fill(list);
    const f = s.fill(Float64Array.from(list), new Float32Array(list.length + 3));
    list.forEach((t, c) => {
      expect(d[c]).toBe(s.at(t));
      expect(f[c]).toBe(Math.fround(s.at(t)));
    });
  });

  it('agrees with the definition on random pieces and steps (fast-check)', () => {
    const kinds = [warm, cos, restarts, pw];
    fc.assert(
      fc.property(
        fc.array(fc.record({ gap: fc.integer({ min: 1, max: 50 }), k: fc.integer({ min: 0, max: 3 }), affine: fc.constantFrom([1, 0], [2, 0.01], [0.5, -0.001], [0.3, 0]) }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 9 }),
        (spec, steps, stride) => {
          let b = 0;
          const pieces = spec.map((p, i) => {
            // scales that are powers of 2, or no shift: fl(scale·v + shift) is then the naive formula's result
            const piece = { begin: i === 0 ? 0 : (b += p.gap), schedule: kinds[p.k]!, scale: p.affine[0]!, shift: p.affine[1]! };
            return piece;
          });
          const s = new Sequence({ pieces });
          const got = s.fill(steps);
          steps.forEach((t, c) => expect(got[c]).toBe(definition(pieces, t)));
          const r = s.fill({ start: steps[0]!, count: 50, stride });
          for (let c = 0; c < 50; c++) expect(r[c]).toBe(definition(pieces, steps[0]! + c * stride));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a nested Sequence is flattened when that is exact, and refused when the two affine maps would compose', () => {
    const inner = new Sequence({ pieces: [{ begin: 0, schedule: warm }, { begin: 10, schedule: cos, scale: 2 }] });
    const outer = new Sequence({ pieces: [{ begin: 0, schedule: pw }, { begin: 5, schedule: inner }, { begin: 50, schedule: restarts }] });
    expect(outer.pieces.map((p) => [p.begin, p.schedule, p.scale])).toEqual([[0, pw, 1], [5, warm, 1], [15, cos, 2], [50, restarts, 1]]);
    for (const t of [4, 5, 14, 15, 49, 50]) expect(outer.at(t)).toBe(t < 5 ? pw.at(t) : t < 50 ? inner.at(t - 5) : restarts.at(t - 50));
    // inner pieces beyond the outer segment are dropped
    const cut = new Sequence({ pieces: [{ begin: 0, schedule: inner }, { begin: 8, schedule: pw }] });
    expect(cut.pieces.map((p) => p.begin)).toEqual([0, 8]);
    const scaledOuter = new Sequence({ pieces: [{ begin: 0, schedule: new Sequence({ pieces: [{ begin: 0, schedule: warm }] }), scale: 3 }] });
    expect(scaledOuter.pieces[0]!.scale).toBe(3);
    expect(() => new Sequence({ pieces: [{ begin: 0, schedule: inner, scale: 3 }] })).toThrow(/pieces\[0\]\.schedule = .*exact only when/);
    const limited = new Sequence({ pieces: [{ begin: 0, schedule: warm }], lastStep: 3 });
    expect(() => new Sequence({ pieces: [{ begin: 0, schedule: limited }, { begin: 10, schedule: pw }] })).toThrow(/pieces\[0\]\.schedule\.lastStep = 3/);
    expect(new Sequence({ pieces: [{ begin: 0, schedule: limited }, { begin: 4, schedule: pw }] }).pieces).toHaveLength(2);
  });
});

describe('Sequence.lastStep', () => {
  it('steps up to lastStep are served; a later step throws a StepError naming the step and the limit', () => {
    const s = threePieces({ lastStep: 1500 });
    expect(s.at(1500)).toBe(threePieces().at(1500));
    expect(() => s.at(1501)).toThrow(StepError);
    expect(() => s.at(1501)).toThrow("step = 1501: is a step past this Sequence's lastStep = 1500 (steps must be ≤ 1500)");
    expect(() => s.fill([0, 1500, 1501])).toThrow(/^steps\[2\] = 1501: .*lastStep = 1500/);
    expect(() => s.fill({ start: 1400, count: 102 })).toThrow(/^range\.count = 102: makes the last step 1501 past this Sequence's lastStep = 1500/);
    expect(s.fill({ start: 1400, count: 101 })[100]).toBe(s.at(1500));
  });

  it('nothing is written when a step past lastStep is found', () => {
    const s = threePieces({ lastStep: 10 });
    const out = new Float32Array(3).fill(7);
    expect(() => s.fill([1, 2, 11], out)).toThrow(StepError);
    expect(Array.from(out)).toEqual([7, 7, 7]);
  });
});

describe('Sequence validation', () => {
  const bad: [string, () => unknown, RegExp][] = [
    ['a config that is not an object', () => new Sequence(null as never), /^Sequence = null: config must be an object/],
    ['an unknown config key', () => new Sequence({ pieces: [{ begin: 0, schedule: warm }], last: 3 } as never), /^Sequence\.last = 3: unknown config key/],
    ['pieces not a list', () => new Sequence({ pieces: 'x' as never }), /^Sequence\.pieces = "x": must be a list/],
    ['no pieces', () => new Sequence({ pieces: [] }), /^Sequence\.pieces = \[\]: must hold at least one piece/],
    ['a first begin other than 0', () => new Sequence({ pieces: [{ begin: 1, schedule: warm }] }), /^Sequence\.pieces\[0\]\.begin = 1: must be 0/],
    ['begins not increasing', () => new Sequence({ pieces: [{ begin: 0, schedule: warm }, { begin: 10, schedule: cos }, { begin: 10, schedule: pw }] }), /^Sequence\.pieces\[2\]\.begin = 10: must be > pieces\[1\]\.begin = 10/],
    ['a fractional begin', () => new Sequence({ pieces: [{ begin: 0, schedule: warm }, { begin: 2.5, schedule: cos }] }), /^Sequence\.pieces\[1\]\.begin = 2\.5: must be an integer step/],
    ['a begin past 2^53', () => new Sequence({ pieces: [{ begin: 0, schedule: warm }, { begin: 2 ** 54, schedule: cos }] }), /^Sequence\.pieces\[1\]\.begin = 18014398509481984: must be an integer step 0 … 2\^53/],
    ['a schedule that is not one', () => new Sequence({ pieces: [{ begin: 0, schedule: { at: () => 1 } as never }] }), /^Sequence\.pieces\[0\]\.schedule = \{\}: must be a schedule of a registry kind/],
    ['a NaN scale', () => new Sequence({ pieces: [{ begin: 0, schedule: warm, scale: NaN }] }), /^Sequence\.pieces\[0\]\.scale = NaN: must be finite/],
    ['a string shift', () => new Sequence({ pieces: [{ begin: 0, schedule: warm, shift: '1' as never }] }), /^Sequence\.pieces\[0\]\.shift = "1": must be a number/],
    ['an unknown piece key', () => new Sequence({ pieces: [{ begin: 0, schedule: warm, offset: 1 } as never] }), /^Sequence\.pieces\[0\]\.offset = 1: unknown piece key/],
    ['a negative lastStep', () => new Sequence({ pieces: [{ begin: 0, schedule: warm }], lastStep: -1 }), /^Sequence\.lastStep = -1: must be an integer step/],
  ];
  for (const [what, make, message] of bad) {
    it(`refuses ${what} with a FieldError naming the field, the value and the rule`, () => {
      const err = thrown(make);
      expect(err).toBeInstanceOf(ScheduleConfigError);
      expect(err).toBeInstanceOf(FieldError);
      expect((err as Error).message).toMatch(message);
    });
  }

  it('a Sequence is frozen, is not a registry kind, and is exported from the package root', () => {
    const s = threePieces({ lastStep: 2000 });
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.pieces)).toBe(true);
    expect(Object.isFrozen(s.pieces[0])).toBe(true);
    expect(s.kind).toBe('Sequence');
    expect(s.config).toEqual({ pieces: s.pieces, lastStep: 2000 });
    expect(isSequence(s)).toBe(true);
    expect(isSchedule(s)).toBe(false);
    expect(isSequence(cos)).toBe(false);
    expect(root.Sequence).toBe(Sequence);
    expect(root.isSequence).toBe(isSequence);
    const src = new Sequence({ pieces: [{ begin: 0, schedule: warm }], source: { dialect: 'optax', name: 'join_schedules', config: { boundaries: [] } } });
    expect(src.source).toEqual({ dialect: 'optax', name: 'join_schedules', config: { boundaries: [] } });
    expect(threePieces().source).toBeUndefined();
  });
});

describe("Keras's CosineDecay with warmup as a Sequence (a Linear warmup piece)", () => {
  it('gives the same f64 values bit for bit over many configs and steps, the warmup end and the decay end included', () => {
    fc.assert(
      fc.property(
        fc.record({
          lr0: fc.oneof(fc.constant(0), fc.double({ min: 1e-8, max: 1, noNaN: true }), fc.constant(1e300), fc.constant(1e-300)),
          wt: fc.oneof(fc.double({ min: 1e-6, max: 10, noNaN: true }), fc.constant(1.5e308), fc.constant(0)),
          W: fc.oneof(fc.integer({ min: 1, max: 5000 }), fc.constant(2 ** 53 - 1), fc.constant(2 ** 40 + 3)),
          D: fc.oneof(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0.5, max: 1e6, noNaN: true })),
          alpha: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(-0.5), fc.constant(1.7)),
          neg: fc.boolean(),
        }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }),
        ({ lr0, wt, W, D, alpha, neg }, fractions) => {
          const sign = neg ? -1 : 1; // both negative: one sign, so still bit for bit
          const cd = new CosineDecay({ initialLearningRate: sign * lr0, decaySteps: D, alpha, warmupTarget: sign * wt, warmupSteps: W });
          const seq = cosineDecaySequence(cd);
          const steps = [0, 1, W - 1, W, W + 1, Math.min(2 ** 53, W + Math.ceil(D)) - 1, Math.min(2 ** 53, W + Math.ceil(D)), ...fractions.map((f) => Math.floor(f * Math.min(2 ** 53, 2 * (W + D))))];
          for (const t of steps) expect(seq.at(t)).toBe(cd.at(t));
          const r = { start: Math.min(2 ** 53 - 6, Math.max(0, W - 3)), count: 7 };
          expect(Array.from(seq.fill(r))).toEqual(Array.from(cd.fill(r)));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('is the schedule itself without a warmup; a fractional warmupSteps is refused; opposite signs stay within the reference bound', () => {
    const plain = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100 });
    expect(cosineDecaySequence(plain).pieces.map((p) => p.schedule)).toEqual([plain]);
    const frac = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100, warmupTarget: 1, warmupSteps: 2.5 });
    expect(() => cosineDecaySequence(frac)).toThrow(/^CosineDecay\.warmupSteps = 2\.5: must be an integer/);
    const cross = new CosineDecay({ initialLearningRate: -0.5, decaySteps: 100, warmupTarget: 1.5, warmupSteps: 40 });
    const seq = cosineDecaySequence(cross);
    expect(seq.pieces[0]!.schedule).toBeInstanceOf(Linear);
    for (let t = 0; t < 200; t++) {
      const want = cross.at(t);
      expect(Math.abs(seq.at(t) - want)).toBeLessThanOrEqual(2e-12 * Math.abs(want)); // each within 1e-12 of the exact value
    }
    expect(seq.at(10)).toBe(0); // the line's zero (−0.5·30 + 1.5·10 = 0), exactly
  });
});
