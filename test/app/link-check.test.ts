/**
 * setup.ts linkedSweep, the one check of a shared link (at load, main.ts, and when the hash
 * changes later, link-follow.ts): it returns the link's sweep and pins, or why it is refused,
 * for each caller to word; it writes no banner. The preflight worker is stubbed (Node has no
 * Web Worker); test/explorer-refused.browser.test.ts runs the real one.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PreflightResult } from '../../src/app/preflight.ts';
import { defaultParams, type SweepDef } from '../../src/app/sweep.ts';
import { encodeSweepHash } from '../../src/app/sweep-link.ts';

const worker = vi.hoisted(() => ({ result: null as PreflightResult | null, calls: 0 }));
vi.mock('../../src/app/preflight.ts', () => ({
  preflight: (_req: unknown, _names: unknown, _rowMs: unknown, onBuilt?: () => void) => {
    worker.calls++;
    onBuilt?.();
    return Promise.resolve(worker.result);
  },
}));
const { linkedSweep } = await import('../../src/app/setup.ts');

const sweep: SweepDef = { kind: 'ExponentialDecay', params: defaultParams('ExponentialDecay'), steps: { start: 0, end: 4000, stride: 20 }, extra: [], colorBy: '', yScale: 'linear' };
const pin = { keras: { class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.005, decay_steps: 1000, decay_rate: 0.5 } }, name: 'link pin A', color: '#ff0000', hidden: false };

beforeEach(() => {
  worker.result = { ok: true, ms: 12 };
  worker.calls = 0;
});

describe('linkedSweep', () => {
  it('is null for a hash without a link, and checks nothing', async () => {
    expect(await linkedSweep('', {})).toBeNull();
    expect(await linkedSweep('#', {})).toBeNull();
    expect(worker.calls).toBe(0);
  });

  it('returns the link\'s sweep and pins once the worker passed them, with the hooks called in order', async () => {
    const seen: string[] = [];
    const timings: Record<string, number> = {};
    const r = await linkedSweep(encodeSweepHash(sweep, [pin]), timings, { checking: () => seen.push('checking'), built: (def, pins) => seen.push(`built ${def.kind} ${pins.length}`) });
    expect(r?.ok).toBe(true);
    if (!r?.ok) return;
    expect(r.def).toEqual(sweep);
    expect(r.pins.map((p) => p.name)).toEqual(['link pin A']);
    expect(seen).toEqual(['checking', 'built ExponentialDecay 1']);
    expect(timings['preflight']).toBe(12);
  });

  it('returns why a link its decoding refuses is refused (field, value, rule), before any check', async () => {
    const seen: string[] = [];
    const bad = encodeSweepHash({ ...sweep, params: { ...sweep.params, decayRatio: { mode: 'single', values: [0.5] } } }, []);
    const r = await linkedSweep(bad, {}, { checking: () => seen.push('checking') });
    expect(r).toEqual({ ok: false, why: expect.stringMatching(/^params\.decayRatio: not a parameter of ExponentialDecay/) as unknown });
    expect(seen).toEqual([]);
    expect(worker.calls).toBe(0);
    expect(await linkedSweep('#sweep=bm90IGpzb24', {})).toEqual({ ok: false, why: expect.stringMatching(/^url: the link does not hold valid JSON/) as unknown });
  });

  it('returns the worker\'s reason, naming a pin\'s schedule as pins[k].keras (it is checked as the k-th item after the sweep\'s pasted ones)', async () => {
    const withExtra: SweepDef = { ...sweep, extra: [pin.keras] };
    worker.result = { ok: false, field: 'extra[1]', message: 'extra[1]: decay_steps = -1000: must be > 0', timedOut: false };
    expect(await linkedSweep(encodeSweepHash(withExtra, [pin]), {})).toEqual({ ok: false, why: 'pins[0].keras: decay_steps = -1000: must be > 0' });
    worker.result = { ok: false, field: 'extra[0]', message: 'extra[0]: decay_steps = -1000: must be > 0', timedOut: false };
    expect(await linkedSweep(encodeSweepHash(withExtra, [pin]), {})).toEqual({ ok: false, why: 'extra[0]: decay_steps = -1000: must be > 0' });
  });
});
