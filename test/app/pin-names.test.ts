/** Default pin names, pasted rows' labels, old share-link names and the train panel's step ticks (issue I polish). */
import { describe, expect, it } from 'vitest';
import { trainingChartSvg } from '../../examples/train/chart.ts';
import { xAxisOf } from '../../src/app/axes.ts';
import { buildSchedules } from '../../src/app/build.ts';
import { formatDistinct } from '../../src/app/fmt.ts';
import { scheduleConfig } from '../../src/app/lib.ts';
import { readLinkPins } from '../../src/app/pin-link.ts';
import { configKey, defaultPinName, nameContext } from '../../src/app/pin-model.ts';
import { defaultSweep, productCount, specValues, sweptFields, type ParamSpec, type SweepDef } from '../../src/app/sweep.ts';
import { stepTickFormat } from '../../src/app/train-panel.ts';

const poly = (config: Record<string, unknown>): unknown => ({
  class_name: 'PolynomialDecay',
  config: { initial_learning_rate: 0.1, decay_steps: 1000, end_learning_rate: 0.0001, power: 1, cycle: false, ...config },
});

/** The default sweep (alpha × warmupTarget × warmupSteps) plus pasted items. */
function sweep(extra: unknown[] = []): SweepDef {
  return { ...defaultSweep(), extra };
}

describe('a pin\'s default name', () => {
  it('is a sweep row\'s swept values in the sweep\'s order, in the short number format, without the kind', () => {
    const d = sweep();
    const { schedules } = buildSchedules(d);
    const fields = sweptFields(d);
    expect(fields).toEqual(['alpha', 'warmupTarget', 'warmupSteps']);
    const ctx = nameContext(d);
    for (const s of schedules) {
      const name = defaultPinName(s, ctx, true);
      const c = scheduleConfig(s);
      // Each swept value, in order, as formatDistinct writes it against the field's neighbouring values.
      const expected = fields.map((k) => {
        const v = c[k] as number;
        const others = specValues(d.params[k] as ParamSpec) as number[];
        const below = Math.max(...others.filter((n) => n < v));
        const above = Math.min(...others.filter((n) => n > v));
        return `${k}=${formatDistinct(v, [below, above].filter(Number.isFinite))}`;
      }).join(', ');
      expect(name).toBe(expected);
      expect(name).not.toMatch(/CosineDecay|initialLearningRate|decaySteps/);
    }
  });

  it('tells every row of the sweep apart: distinct configs get distinct names', () => {
    const d = sweep();
    const { schedules } = buildSchedules(d);
    const ctx = nameContext(d);
    const names = schedules.map((s) => defaultPinName(s, ctx, true));
    expect(new Set(names).size).toBe(new Set(schedules.map(configKey)).size);
    expect(names.length).toBe(productCount(d));
  });

  it('reads a swept value back to within the digits it shows (warmupTarget of the log range)', () => {
    const d = sweep();
    const { schedules } = buildSchedules(d);
    const ctx = nameContext(d);
    for (const s of schedules) {
      const shown = Number(/warmupTarget=([^,]+)/.exec(defaultPinName(s, ctx, true))?.[1]);
      const v = scheduleConfig(s)['warmupTarget'] as number;
      // At least 3 significant digits: the shown value is v rounded, so within half a unit of the 3rd digit.
      expect(Math.abs(shown - v)).toBeLessThanOrEqual(0.5 * 10 ** (Math.floor(Math.log10(v)) - 2) * (1 + 1e-12));
    }
  });

  it('is the kind alone when the sweep varies nothing', () => {
    const d: SweepDef = { ...defaultSweep(), params: { ...defaultSweep().params, alpha: { mode: 'single', values: [0.1] }, warmupTarget: { mode: 'single', values: [0.01] }, warmupSteps: { mode: 'single', values: [0] } } };
    const { schedules } = buildSchedules(d);
    expect(schedules).toHaveLength(1);
    expect(defaultPinName(schedules[0]!, nameContext(d), true)).toBe('CosineDecay');
  });

  it('leads a pasted schedule with its kind and lists its whole config, `name` only where it differs from the kind', () => {
    const d = sweep([poly({ name: 'PolynomialDecay' }), poly({ name: 'my_poly', decay_steps: 2500 })]);
    const { schedules } = buildSchedules(d);
    const ctx = nameContext(d);
    const n = productCount(d);
    expect(defaultPinName(schedules[n]!, ctx, false)).toBe('PolynomialDecay (initialLearningRate=0.1, decaySteps=1000, endLearningRate=1e-4, power=1, cycle=false)');
    expect(defaultPinName(schedules[n + 1]!, ctx, false)).toBe('PolynomialDecay (initialLearningRate=0.1, decaySteps=2500, endLearningRate=1e-4, power=1, cycle=false, name=my_poly)');
  });

  it('leads with the kind for a schedule of another kind than the sweep\'s, even on a sweep row', () => {
    const pasted = sweep([poly({})]);
    const { schedules } = buildSchedules(pasted);
    const s = schedules[productCount(pasted)]!;
    expect(defaultPinName(s, nameContext(defaultSweep()), true)).toMatch(/^PolynomialDecay \(initialLearningRate=0\.1, decaySteps=1000, /);
  });
});

describe('the tooltip\'s parameter list of a pasted schedule', () => {
  it('leaves out `name` when it is the kind (the title), and keeps a name that says something else', () => {
    const d = sweep([poly({ name: 'PolynomialDecay' }), poly({ name: 'my_poly' })]);
    const { labels } = buildSchedules(d);
    const n = productCount(d);
    expect(labels[n]!.map(([k]) => k)).toEqual(['initialLearningRate', 'decaySteps', 'endLearningRate', 'power', 'cycle']);
    expect(labels[n + 1]).toContainEqual(['name', '"my_poly"']);
  });
});

describe('share links with pin names in the old format', () => {
  it('still load: a name is any text up to the limit, kept as written', () => {
    const old = 'CosineDecay (alpha=0.2, warmupTarget=0.00828643, warmupSteps=2000)';
    const [p] = readLinkPins([{ keras: poly({}), name: old, color: '#e6194b', hidden: false }]);
    expect(p?.name).toBe(old);
  });
});

describe('the train panel\'s step axis', () => {
  it('labels ticks with the main plot\'s step formatter (thousands separators)', () => {
    const fmt = stepTickFormat(10_000);
    expect([0, 2000, 5000, 10_000].map(fmt)).toEqual(['0', '2,000', '5,000', '10,000']);
    const main = xAxisOf({ x0: 0, x1: 10_000, xLog: false }, 280).xFmt;
    expect([2000, 5000, 10_000].map(fmt)).toEqual([2000, 5000, 10_000].map(main));
  });

  it('writes the chart\'s step ticks with the formatter it is given, and its own short form otherwise', () => {
    const r = { steps: 10_000, lossSteps: Uint32Array.of(0, 10_000), lossCurve: Float32Array.of(0.7, 0.3), lrSteps: Uint32Array.of(0, 9_999), lrUsed: Float32Array.of(1e-3, 1e-4) };
    const ticks = (svg: string): string[] => [...svg.matchAll(/text-anchor="middle">([^<]*)<\/text>/g)].map((m) => m[1] ?? '');
    const given = ticks(trainingChartSvg(r, { width: 720, height: 240 }, stepTickFormat(10_000)));
    expect(given).toContain('5,000');
    expect(given).toContain('10,000');
    expect(given).not.toContain('5000');
    expect(ticks(trainingChartSvg(r))).toContain('5000');
  });
});
