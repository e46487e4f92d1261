/**
 * The explorer's dialect families (src/app/families.ts): each default sweep builds through
 * its dialect's reader with the reader's values, a family schedule is copied and linked in
 * its own dialect (and reads back as the same pin), and a choice outside a field's choices
 * is refused naming the field.
 */
import { describe, expect, it } from 'vitest';
import { fromAnyJson } from '../../src/index.ts';
import { FAMILY_KINDS, family } from '../../src/app/families.ts';
import { buildSchedule, scheduleJsonText, schedulesFromJson } from '../../src/app/lib.ts';
import { configKey } from '../../src/app/pin-model.ts';
import { buildSchedules } from '../../src/app/build.ts';
import { SweepError, defaultParams, defaultSweep, expandSweep, validateSweep, type SweepDef } from '../../src/app/sweep.ts';

const sweepOf = (kind: (typeof FAMILY_KINDS)[number]): SweepDef => ({ ...defaultSweep(), kind, params: defaultParams(kind), colorBy: '' });

describe('dialect families in the explorer', () => {
  it.each(FAMILY_KINDS)('%s: every row of the default sweep is the dialect reader\'s schedule, value for value', (kind) => {
    const def = sweepOf(kind);
    const configs = expandSweep(def);
    expect(configs.length).toBeGreaterThan(1);
    const { schedules } = buildSchedules(def);
    configs.forEach((c, i) => {
      const ref = fromAnyJson(family(kind).json(c.config));
      for (const step of [0, 1, 499, 500, 501, 999, 1000, 5000, 8999, 9000, 9999, 10_000]) expect(schedules[i]!.at(step), `${kind} row ${i} step ${step}`).toBe(ref.at(step));
    });
  });

  it.each(FAMILY_KINDS)('%s: copy writes the dialect\'s own JSON, and a link pin read back from it is the same pin', (kind) => {
    const c = expandSweep(sweepOf(kind))[0]!;
    const s = buildSchedule(kind, c.config);
    const json = JSON.parse(scheduleJsonText([s])) as Record<string, unknown>;
    if (kind.startsWith('torch.')) expect(json['module']).toBe('torch.optim.lr_scheduler');
    else if (kind.startsWith('optax.')) expect(json['module']).toBe('optax');
    else expect(typeof json['lr_scheduler_type']).toBe('string');
    const back = schedulesFromJson(json)[0]!;
    expect(configKey(back)).toBe(configKey(s));
    expect(back.at(700)).toBe(s.at(700));
  });

  it('refuses a decay type outside the choices, naming the field', () => {
    const def = sweepOf('hf.warmup_stable_decay');
    const bad: SweepDef = { ...def, params: { ...def.params, decay_type: { mode: 'list', values: ['cosine', 'sqrt'] } } };
    expect(() => validateSweep(bad)).toThrow(SweepError);
    expect(() => validateSweep(bad)).toThrow(/decay_type.*"sqrt" is not one of linear, cosine, 1-sqrt/);
  });

  it('a config the dialect refuses is refused with the dialect\'s message naming its key', () => {
    const def = sweepOf('hf.warmup_stable_decay');
    const bad: SweepDef = { ...def, params: { ...def.params, decay_fraction: { mode: 'single', values: [0.99] } } };
    expect(() => buildSchedules(bad)).toThrow(/num_decay_steps/);
  });
});
