/** Default pin names, pasted rows' labels, old share-link names, the train panel's axes and the page's value ticks (issue I polish). */
import { describe, expect, it } from 'vitest';
import { trainingChartSvg } from '../../examples/train/chart.ts';
import { tickLabels, valueAxisOf, xAxisOf, yAxisOf } from '../../src/app/axes.ts';
import { buildSchedules } from '../../src/app/build.ts';
import { formatDistinct } from '../../src/app/fmt.ts';
import { scheduleConfig } from '../../src/app/lib.ts';
import { readLinkPins } from '../../src/app/pin-link.ts';
import { configKey, defaultPinName, nameContext } from '../../src/app/pin-model.ts';
import { defaultSweep, productCount, specValues, sweptFields, type ParamSpec, type SweepDef } from '../../src/app/sweep.ts';
import { CHART_AXES } from '../../src/app/train-panel.ts';

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

describe('the train panel\'s charts', () => {
  const SIZE = { width: 720, height: 240 };
  /** The chart's tick labels: the step axes' (middle-anchored, under both charts) and each value axis's (end-anchored, left of it), with their y. */
  function chartTicks(svg: string): { step: string[]; loss: { y: number; text: string }[]; lr: { y: number; text: string }[] } {
    const step = [...svg.matchAll(/<text x="[\d.]+" y="[\d.]+" text-anchor="middle">([^<]*)<\/text>/g)].map((m) => m[1] ?? '');
    const value = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)" text-anchor="end">([^<]*)<\/text>/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) - 4, text: m[3] ?? '' }));
    return {
      step,
      loss: value.filter((t) => t.x < SIZE.width / 2).map(({ y, text }) => ({ y, text })),
      lr: value.filter((t) => t.x > SIZE.width / 2).map(({ y, text }) => ({ y, text })),
    };
  }
  const run = (lrMax: number, lossMax = 0.6931): Parameters<typeof trainingChartSvg>[0] => ({
    steps: 10_000,
    lossSteps: Uint32Array.of(0, 5000, 10_000),
    lossCurve: Float32Array.of(lossMax, 0.5, 0.3),
    lrSteps: Uint32Array.of(0, 1000, 9_999),
    lrUsed: Float32Array.of(0, lrMax, lrMax / 10),
  });

  it('label the step axis with the main plot\'s step formatter (thousands separators)', () => {
    const { step } = chartTicks(trainingChartSvg(run(1e-3), SIZE, CHART_AXES));
    const main = xAxisOf({ x0: 0, x1: 10_000, xLog: false }, SIZE.width / 2 - 80);
    expect(step.filter((t) => t !== 'training step')).toEqual([...main.xTicks.map(main.xFmt), ...main.xTicks.map(main.xFmt)]);
    expect(step).toContain('5,000');
    expect(step).not.toContain('5000');
  });

  it('give both value axes round ticks one per ~40 px from 0 to the tick at or above the curve\'s maximum, written as the main plot writes its values', () => {
    // The warmup target of the default sweep's pins (0.00828643): the old chart labelled only 0 and 0.005.
    const cases: [number, string[]][] = [
      [0.00828643, ['0', '0.002', '0.004', '0.006', '0.008', '0.01']],
      [1e-4, ['0', '2e-5', '4e-5', '6e-5', '8e-5', '1e-4']],
      [2.4e-5, ['0', '5e-6', '1e-5', '1.5e-5', '2e-5', '2.5e-5']],
      [0.1, ['0', '0.02', '0.04', '0.06', '0.08', '0.1']],
    ];
    const ph = SIZE.height - 50;
    for (const [lrMax, want] of cases) {
      const { loss, lr } = chartTicks(trainingChartSvg(run(lrMax), SIZE, CHART_AXES));
      expect(lr.map((t) => t.text), String(lrMax)).toEqual(want);
      expect(loss.map((t) => t.text)).toEqual(['0', '0.2', '0.4', '0.6', '0.8']);
      for (const axis of [loss, lr]) {
        // 0 at the bottom, the top tick at the top, evenly spaced.
        expect(axis[0]?.y).toBeCloseTo(ph + 10, 6);
        expect(axis.at(-1)?.y).toBeCloseTo(10, 6);
        const gaps = axis.slice(1).map((t, i) => (axis[i]?.y ?? 0) - t.y);
        for (const g of gaps) expect(g).toBeCloseTo(ph / gaps.length, 6);
      }
      // The curve's maximum is inside its axis (its highest point at or below the top).
      const lrPoints = /<polyline fill="none" stroke="#2471a3" stroke-width="1.5" points="([^"]*)"/.exec(trainingChartSvg(run(lrMax), SIZE, CHART_AXES))?.[1] ?? '';
      expect(Math.min(...lrPoints.split(' ').map((p) => Number(p.split(',')[1])))).toBeGreaterThanOrEqual(10);
    }
    // The labels are the main plot's: its y axis over the same domain, with as many ticks (one per 50 px there), writes the same text.
    const axis = valueAxisOf(0.00828643, ph);
    expect(axis.ticks.map(([, t]) => t)).toEqual(yAxisOf({ y0: 0, y1: axis.top, log: false }, (ph * 50) / 40).yLabels);
  });

  it('draw their own round ticks without the page\'s axes (the example page), the value axes reaching past the maximum too', () => {
    const { step, lr } = chartTicks(trainingChartSvg(run(0.00828643), SIZE));
    expect(step).toContain('5000');
    expect(lr.map((t) => t.text)).toEqual(['0', '0.005', '0.01']);
    expect(lr.at(-1)?.y).toBeCloseTo(10, 6);
  });
});

describe('the page\'s value ticks', () => {
  it('are written in the number form of the crosshair, with the digits the ticks need: no 0.00002, no 2e+3', () => {
    expect(tickLabels([0, 0.00002, 0.00004])).toEqual(['0', '2e-5', '4e-5']);
    expect(tickLabels([0, 500, 1000, 1500, 2000])).toEqual(['0', '500', '1000', '1500', '2000']);
    expect(tickLabels([10_000, 12_000, 14_000])).toEqual(['1e4', '1.2e4', '1.4e4']);
    expect(tickLabels([0.001, 0.0015, 0.002])).toEqual(['0.001', '0.0015', '0.002']);
    expect(tickLabels([0.25, 0.5, 0.75])).toEqual(['0.25', '0.5', '0.75']);
    // One form per axis: a tick below 1e-3 puts every label in the m e k form.
    expect(tickLabels([0, 0.0005, 0.001, 0.0015])).toEqual(['0', '5e-4', '1e-3', '1.5e-3']);
    expect(tickLabels([0, 5000, 10_000])).toEqual(['0', '5e3', '1e4']);
    const log = yAxisOf({ y0: 1e-6, y1: 1e-2, log: true }, 400);
    // A log axis writes its decades alike: 1e-3, not 0.001 next to 1e-4 (d3 picks which ticks get a label).
    expect(log.yLabels.filter((t) => t !== '')).toEqual(['1e-6', '2e-6', '1e-5', '2e-5', '1e-4', '2e-4', '1e-3', '2e-3', '1e-2']);
    expect(tickLabels([0.1, 1, 10], { log: true })).toEqual(['1e-1', '1e0', '1e1']);
  });
});
