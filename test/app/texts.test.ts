/** The explorer's texts: the CSV export, the sweep summary and the status line. */
import { describe, expect, it } from 'vitest';
import { summaryText } from '../../src/app/apply.ts';
import fc from 'fast-check';
import { csvCell, csvParts, csvPartsPaced, f32Text, pinColumnNames } from '../../src/app/csv.ts';
import type { Loaded } from '../../src/app/state.ts';
import { statusLine } from '../../src/app/status.ts';
import { defaultSweep } from '../../src/app/sweep.ts';

describe('csvParts', () => {
  it('writes a header and one line per step, in parts of 256 lines', () => {
    const range = { start: 10, count: 600, stride: 5 };
    const values = new Float32Array(3 * 600).map((_, i) => i);
    const parts = csvParts(['step', csvCell('#1 a'), csvCell('#3 c')], [0, 2], values, range);
    expect(parts.length).toBe(1 + 3);
    expect(parts[0]).toBe('step,"#1 a","#3 c"\n');
    const lines = parts.slice(1).join('').trimEnd().split('\n');
    expect(lines.length).toBe(600);
    expect(lines[0]).toBe('10,0,1200');
    expect(lines[599]).toBe(`${10 + 599 * 5},599,1799`);
    expect(parts[1]?.split('\n').length).toBe(257);
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=1+2')).toBe(`"'=1+2"`);
    expect(csvCell('a "b"')).toBe('"a ""b"""');
  });
});

describe('summaryText', () => {
  it('names the count, the swept fields and the steps of the default sweep', () => {
    const { summary, title } = summaryText(defaultSweep());
    expect(summary).toBe('1,000 schedules (5 alpha × 50 warmupTarget × 4 warmupSteps), each at 1,001 steps');
    expect(title).toBe('CosineDecay: 1,000 schedules, sweeping alpha, warmupTarget, warmupSteps · steps 0–10,000');
  });
});

describe('statusLine', () => {
  const loaded = (over: Partial<Loaded>): Loaded =>
    ({
      schedules: new Array(1000),
      range: { start: 0, count: 1001, stride: 10 },
      points: { reduced: false },
      evalMs: 212.4,
      verified: { ok: true, checked: 8008, maxUlp: 4.41501 },
      backend: 'webgpu',
      fallback: '',
      ...over,
    }) as unknown as Loaded;

  it('says size, backend, time and the sample check', () => {
    expect(statusLine(loaded({}), '')).toBe('1,000 schedules × 1,001 steps · webgpu · evaluated in 212 ms · sample verified ✓ (8,008 values, max 4.41501 ulp)');
  });

  it('says why the GPU declined, a failed check, the M4 drawing and the note', () => {
    const text = statusLine(loaded({ backend: 'cpu', fallback: 'power = 2000', verified: { ok: false, checked: 8, maxUlp: 90 }, points: { reduced: true } as Loaded['points'] }), 'added 1 pasted schedule');
    expect(text).toBe('1,000 schedules × 1,001 steps · cpu (the GPU declined this sweep, so every value was computed on the CPU: power = 2000) · evaluated in 212 ms · sample verification FAILED (max 90 ulp) · drawn as min/max per pixel column · added 1 pasted schedule');
    expect(statusLine(loaded({ verified: { ok: false, checked: 0, maxUlp: Number.NaN } }), '')).toMatch(/sample not verified$/);
  });
});

describe('statusLine with rows the GPU declines', () => {
  it('says which rows the CPU computed while the GPU computed the rest', () => {
    const l = { schedules: new Array(1001), sweepRows: 1001, cpuRows: [1000], range: { start: 0, count: 1001, stride: 10 }, points: { reduced: false }, evalMs: 300, verified: { ok: true, checked: 8, maxUlp: 1 }, backend: 'webgpu', fallback: 'power = 2000' } as unknown as Loaded;
    expect(statusLine(l, '')).toMatch(/^1,001 schedules × 1,001 steps · webgpu, and schedule #1001 on the CPU \(the GPU declines its config: power = 2000\) · /);
  });

  it('counts pins outside the sweep apart from the sweep', () => {
    const l = { schedules: new Array(1002), sweepRows: 1000, cpuRows: [], range: { start: 0, count: 1001, stride: 10 }, points: { reduced: false }, evalMs: 300, verified: { ok: true, checked: 8, maxUlp: 1 }, backend: 'webgpu', fallback: '' } as unknown as Loaded;
    expect(statusLine(l, '')).toMatch(/^1,000 schedules \(\+ 2 pinned outside the sweep\) × 1,001 steps · webgpu · /);
  });
});

describe('summaryText with pasted schedules', () => {
  it('counts the product, then the pasted ones, as the title does', () => {
    const d = { ...defaultSweep(), extra: [{ class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.1, decay_steps: 1000, decay_rate: 0.9 } }] };
    const { summary, title } = summaryText(d);
    expect(summary).toMatch(/^1,000 schedules \(.*\) \+ 1 pasted, each at 1,001 steps$/);
    expect(title).toMatch(/^CosineDecay: 1,000 schedules \+ 1 pasted/);
  });
});

describe('the CSV\'s f32 values', () => {
  it('are the fewest digits that read back as the same f32 (not the double\'s 17)', () => {
    const values = Float32Array.of(0.1, 1e-7, 2.4672e-5, 1 / 3, 0.00828643, 100, 0);
    const parts = csvParts(['step', '"a"'], [0], values, { start: 0, count: values.length, stride: 1 });
    expect(parts.join('').split('\n').slice(1, -1).map((l) => l.split(',')[1])).toEqual(['0.1', '1e-7', '0.000024672', '0.33333334', '0.00828643', '100', '0']);
  });

  it('round-trip every finite f32 exactly, and one digit fewer would not', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (v) => {
        const text = f32Text(v);
        expect(Object.is(Math.fround(Number(text)), v)).toBe(true);
        const digits = text.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+|0+$/g, '').length;
        if (digits > 1) expect(Math.fround(Number(v.toPrecision(digits - 1)))).not.toBe(v);
      }),
      { numRuns: 20_000 },
    );
    expect([Number.NaN, Infinity, -Infinity, -0].map(f32Text)).toEqual(['NaN', 'Infinity', '-Infinity', '-0']);
  });
});

describe('a wide CSV', () => {
  it('comes in parts of about 131,072 values (fewer lines when the columns are many), with a pause after each when paced: the same text', async () => {
    const cols = 10_000;
    const range = { start: 0, count: 40, stride: 1 };
    const values = new Float32Array(cols * 40).map((_, i) => (i % 7) / 8);
    const rows = Array.from({ length: cols }, (_, i) => i);
    const header = ['step', ...rows.map((r) => csvCell(`#${r + 1}`))];
    const parts = csvParts(header, rows, values, range);
    // 13 lines of 10,000 values per part (not 256 lines: 2.56 million values in one go).
    expect(parts.slice(1).map((p) => p.split('\n').length - 1)).toEqual([13, 13, 13, 1]);
    let pauses = 0;
    const paced = await csvPartsPaced(header, rows, values, range, null, () => {
      pauses++;
      return Promise.resolve();
    });
    expect(paced).toEqual(parts);
    expect(pauses).toBe(parts.length);
  });
});

describe('the CSV\'s pin columns', () => {
  it('are headed by the pins\' names, each naming one curve even where two pins share a name', () => {
    expect(pinColumnNames(['a', 'b'])).toEqual(['a', 'b']);
    expect(pinColumnNames(['baseline', 'alpha=0.2', 'baseline'])).toEqual(['baseline (pin 1)', 'alpha=0.2', 'baseline (pin 3)']);
    const names = pinColumnNames(['x', 'x', 'x', 'y']);
    expect(new Set(names).size).toBe(4);
    // A pin already named as another's column would be ('x (pin 2)' is the user's text here).
    const taken = pinColumnNames(['x (pin 2)', 'x', 'x']);
    expect(taken).toEqual(['x (pin 2) (pin 1)', 'x (pin 2)', 'x (pin 3)']);
  });
});

describe('csvParts with a step list', () => {
  it('writes the listed steps (a log x axis), not the range\'s', () => {
    const parts = csvParts(['step', '"a"'], [0], Float32Array.of(0.5, 0.25), { start: 10, count: 2, stride: 10 }, Float64Array.of(10, 1000));
    expect(parts.join('')).toBe('step,"a"\n10,0.5\n1000,0.25\n');
  });
});

describe('texts for one schedule or one step', () => {
  const one = { ...defaultSweep(), params: { ...defaultSweep().params, alpha: { mode: 'list', values: [0] }, warmupTarget: { mode: 'list', values: [0.01] }, warmupSteps: { mode: 'list', values: [1000] } } } as ReturnType<typeof defaultSweep>;

  it('says "1 schedule", not "1 schedules", in the summary and the title', () => {
    const { summary, title } = summaryText(one);
    expect(summary).toBe('1 schedule, each at 1,001 steps');
    expect(title).toBe('CosineDecay: 1 schedule · steps 0–10,000');
    expect(summaryText({ ...one, steps: { start: 5, end: 5, stride: 1 } }).summary).toBe('1 schedule, each at 1 step');
  });

  it('says "1 schedule × 1 step" and "+ 1 pinned" on the status line', () => {
    const l = { schedules: new Array(2), sweepRows: 1, cpuRows: [], range: { start: 0, count: 1, stride: 1 }, points: { reduced: false }, evalMs: 3, verified: { ok: true, checked: 1, maxUlp: 0 }, backend: 'webgpu', fallback: '' } as unknown as Loaded;
    expect(statusLine(l, '')).toMatch(/^1 schedule \(\+ 1 pinned outside the sweep\) × 1 step · webgpu · /);
  });
});
