/**
 * The explorer compiles its first sweep's evaluation pipelines at start-up (src/app/setup.ts
 * firstSweep + evaluator.prepare), while the device's other work runs: the pipelines it
 * prepares must be all the ones that sweep then runs as apply.ts evaluates it (its rows, the
 * pins not in it appended, into a COPY_DST buffer), for every class of the menu, or the
 * compile lands inside the evaluation again. On Dawn (SwiftShader here).
 */
import { describe, expect, it, vi } from 'vitest';
import { acquireDevice, createEvaluator } from '../../src/index.ts';
import { buildSchedules } from '../../src/app/build.ts';
import { configKey, pinRowsIn, type Pin } from '../../src/app/pin-model.ts';
import { firstSweep, warmSweep, type FirstSweep } from '../../src/app/setup.ts';
import { KINDS, defaultParams, defaultSweep, type SweepDef } from '../../src/app/sweep.ts';
import { countingDevice } from '../helpers/counting-device.ts';

const pin = (s: Pin['schedule']): Pin => ({ key: configKey(s), schedule: s, name: 'p', color: [1, 0, 0], hidden: false });

/** apply.ts's rows: the sweep's, then each pin not in the sweep. */
function appliedRows(def: SweepDef, pins: readonly Pin[]): Pin['schedule'][] {
  const { schedules } = buildSchedules(def);
  const found = pinRowsIn(pins, schedules.map(configKey));
  return [...schedules, ...pins.filter((_, i) => (found[i] as number) < 0).map((p) => p.schedule)];
}

describe('the first sweep\'s pipelines, prepared at start-up', () => {
  it.each(KINDS)('%s: the default sweep of the class runs no pipeline that was not prepared', async (kind) => {
    const { device: real } = await acquireDevice();
    const { device, compiled } = countingDevice(real);
    const ev = await createEvaluator({ backend: 'webgpu', device });
    const def: SweepDef = { ...defaultSweep(), kind, params: defaultParams(kind), colorBy: '' };
    // A pin from the sweep (its first row) and one from outside it (the default CosineDecay sweep's last row).
    const inSweep = buildSchedules(def).schedules[0];
    const outside = buildSchedules(defaultSweep()).schedules.at(-1);
    const pins = [inSweep, outside].flatMap((s) => (s ? [pin(s)] : []));
    const first = firstSweep(def, pins.map((p) => p.schedule));
    await ev.prepare(first.schedules, first.steps);
    const prepared = compiled.length;
    expect(prepared).toBeGreaterThan(0);
    const rows = appliedRows(def, pins);
    const buffer = real.createBuffer({ size: rows.length * 1001 * 4 * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
    await ev.sweepToBuffer(rows, first.steps, { buffer });
    expect(ev.lastBufferReport?.backend).toBe('webgpu');
    expect(compiled.slice(prepared)).toEqual([]);
    buffer.destroy();
    ev.destroy();
    real.destroy();
  });
});

describe('warmSweep: the first sweep is built for a WebGPU engine only', () => {
  const rows = (): FirstSweep => firstSweep(defaultSweep(), []);

  it('keeps the sweep\'s own rows and labels for apply (which reuses them only for this same def)', () => {
    const def = defaultSweep();
    const pinned = buildSchedules({ ...def, kind: 'ExponentialDecay', params: defaultParams('ExponentialDecay') }).schedules[0];
    const first = firstSweep(def, pinned ? [pinned] : []);
    expect(first.built.def).toBe(def);
    expect(first.built).toEqual({ def, ...buildSchedules(def) });
    expect(first.schedules).toEqual([...first.built.schedules, pinned]);
  });

  it('builds nothing and prepares nothing on the CPU engine', async () => {
    const build = vi.fn(() => Promise.resolve(rows()));
    const prepare = vi.fn(() => Promise.resolve());
    await warmSweep({ backend: 'cpu', prepare }, build);
    expect(build).not.toHaveBeenCalled();
    expect(prepare).not.toHaveBeenCalled();
  });

  it('builds the rows once and prepares them on a WebGPU engine', async () => {
    const first = rows();
    const build = vi.fn(() => Promise.resolve(first));
    const prepare = vi.fn(() => Promise.resolve());
    await warmSweep({ backend: 'webgpu', prepare }, build);
    expect(build).toHaveBeenCalledTimes(1);
    expect(prepare).toHaveBeenCalledWith(first.schedules, first.steps);
  });

  it('a build that throws (at the call or in its promise) is warned of, not left as an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const prepare = vi.fn(() => Promise.resolve());
      const thrown = new Error('build threw');
      await warmSweep({ backend: 'webgpu', prepare }, () => { throw thrown; });
      await warmSweep({ backend: 'webgpu', prepare }, () => Promise.reject(thrown));
      // The CPU engine never calls it, so a rejecting build is never even started.
      await warmSweep({ backend: 'cpu', prepare }, () => Promise.reject(thrown));
      // Unhandled rejections are reported after the microtask queue drains: give them a turn.
      await new Promise((r) => setTimeout(r, 0));
      expect(prepare).not.toHaveBeenCalled();
      expect(warn.mock.calls.map((c) => c[1])).toEqual([thrown, thrown]);
      expect(unhandled).toEqual([]);
    } finally {
      warn.mockRestore();
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
