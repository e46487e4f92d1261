import { describe, expect, it } from 'vitest';
import { KIND_CODES, PACKERS, gpuSupport, type KernelSchedule } from '../../src/kernels/pack.ts';
import {
  KERAS_KINDS,
  KerasJsonError,
  SCHEDULE_KINDS,
  SCHEDULE_REGISTRY,
  ScheduleConfigError,
  createSchedule,
  deserialize,
  getConfig,
  isSchedule,
  isKerasKind,
  isScheduleKind,
  kindDialects,
  scheduleFields,
  serialize,
  toKerasJson,
  type ExplorerDefault,
  type FieldSpec,
  type ScheduleKind,
} from '../../src/schedules/index.ts';
import { KERAS_CONFIG_KEYS } from '../../src/schedules/keras.ts';
import { SCHEDULE_FIELD_TYPES } from '../../src/schedules/keras-json.ts';
import { TOLERANCE_K, toleranceK } from '../../src/verify/tolerance.ts';
import { thrown } from '../helpers/thrown.ts';

/** The first value of an explorer default (a valid value of the field). */
const firstValue = (d: ExplorerDefault): unknown => (d.mode === 'range' ? d.from : d.values[0]);

/** A config with only the required fields, each at its explorer default. */
function requiredConfig(kind: ScheduleKind): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of scheduleFields(kind)) {
    if ('default' in f) continue;
    if (f.explorer === undefined) throw new Error(`${kind}.${f.name}: a required field needs an explorer default`);
    out[f.name] = firstValue(f.explorer.sweep);
  }
  return out;
}

const build = (kind: ScheduleKind, config: Record<string, unknown>) => createSchedule(kind, config as never);

/** Values that break a rule, and values the rule accepts. */
const RULE_PROBES: Record<FieldSpec['rule'], { readonly bad: readonly unknown[]; readonly good: readonly unknown[] }> = {
  finite: { bad: [Number.NaN, Infinity, '1', null], good: [0, -1.5] },
  'finite?': { bad: [Number.NaN, -Infinity, '1'], good: [null, 0.5] },
  '> 0': { bad: [0, -1, Number.NaN, Infinity], good: [0.5, 3] },
  '≥ 0': { bad: [-1e-300, Number.NaN], good: [0, 2] },
  '≥ 1': { bad: [1 - 2 ** -52, 0, Number.NaN], good: [1, 3] },
  boolean: { bad: [1, 'true', null], good: [true, false] },
  name: { bad: [5, 'a/b'], good: [null, 'my_schedule'] },
  list: { bad: [5, 'x', null], good: [] },
  '> 0?': { bad: [0, -1, Number.NaN, Infinity, '1'], good: [null, 0.5, 3] },
  // the field's own choices are the good values (checked below)
  choice: { bad: [5, 'x', null, ''], good: [] },
  // the sign tie (0 goes with either sign) is held to by each kind's test file
  'finite, one sign': { bad: [Number.NaN, Infinity, '1', null], good: [0] },
};

describe('the kind registry', () => {
  it('lists the six Keras schedules in the library order, then the primitives', () => {
    expect(KERAS_KINDS).toEqual(['CosineDecay', 'CosineDecayRestarts', 'ExponentialDecay', 'PiecewiseConstantDecay', 'PolynomialDecay', 'InverseTimeDecay']);
    expect(SCHEDULE_KINDS.slice(0, 6)).toEqual(KERAS_KINDS);
    expect(SCHEDULE_KINDS).toContain('Constant');
    expect(Object.keys(SCHEDULE_REGISTRY)).toEqual(SCHEDULE_KINDS);
  });

  it('knows exactly its kinds (no inherited names)', () => {
    for (const kind of SCHEDULE_KINDS) expect(isScheduleKind(kind)).toBe(true);
    for (const x of ['toString', '__proto__', 'constructor', 'cosineDecay', '', 3, null]) expect(isScheduleKind(x)).toBe(false);
    expect(() => createSchedule('toString' as ScheduleKind, {} as never)).toThrow(ScheduleConfigError);
  });

  describe.each(SCHEDULE_KINDS)('%s', (kind) => {
    const { cls } = SCHEDULE_REGISTRY[kind];
    const fields = scheduleFields(kind);

    it('has its class: createSchedule builds one, isSchedule recognises it, its kind is the registry key', () => {
      const s = build(kind, requiredConfig(kind));
      expect(s).toBeInstanceOf(cls);
      expect(s.kind).toBe(kind);
      expect(isSchedule(s)).toBe(true);
      expect(isSchedule({ kind, config: s.config, at: () => 0 })).toBe(false);
    });

    it("field table matches the class's config keys, Keras keys and defaults", () => {
      const s = build(kind, requiredConfig(kind));
      expect(Object.keys(s.config).sort()).toEqual(fields.map((f) => f.name).sort());
      if (isKerasKind(kind)) {
        expect(Object.keys(getConfig(s))).toEqual(fields.map((f) => f.keras));
        expect(KERAS_CONFIG_KEYS[kind]).toEqual(fields.map((f) => [f.keras, f.name, !('default' in f)]));
        for (const f of fields) expect(f.keras, f.name).toBeDefined();
      } else {
        for (const f of fields) expect(f.keras, f.name).toBeUndefined();
      }
      const config = s.config as unknown as Record<string, unknown>;
      for (const f of fields) if ('default' in f) expect(config[f.name], f.name).toEqual(f.default);
    });

    it('is a Keras class written as Keras JSON, or a primitive that Keras JSON refuses naming the dialects that write it', () => {
      const s = build(kind, requiredConfig(kind));
      const dialects = kindDialects(kind);
      if (isKerasKind(kind)) {
        expect(dialects).toEqual(['keras']);
        expect(() => toKerasJson(s)).not.toThrow();
        return;
      }
      expect(dialects.length).toBeGreaterThan(0);
      expect(dialects).not.toContain('keras');
      for (const write of [() => serialize(s), () => serialize(s, { format: 'tf-keras-legacy' }), () => getConfig(s), () => toKerasJson(s), () => toKerasJson({ className: 'SGD', learningRate: s })]) {
        const err = thrown(write);
        expect(err).toBeInstanceOf(KerasJsonError);
        const e = err as KerasJsonError;
        expect(e.field).toBe('schedule.kind');
        expect(e.value).toBe(kind);
        expect(e.rule).toMatch(/is not a Keras class/);
        for (const d of dialects) expect(e.rule).toContain(d);
      }
      const keys = Object.fromEntries(fields.map((f) => [f.name, (s.config as unknown as Record<string, unknown>)[f.name]]));
      expect(() => deserialize({ class_name: kind, config: keys })).toThrow(/class_name = .*is not a Keras class, so Keras JSON cannot hold it/);
    });

    it('each required field is required by the class', () => {
      for (const f of fields.filter((g) => !('default' in g))) {
        const config = requiredConfig(kind);
        delete config[f.name];
        expect(() => build(kind, config), f.name).toThrow(ScheduleConfigError);
      }
    });

    it("each field's rule is the check its constructor applies", () => {
      for (const f of fields) {
        const probe = RULE_PROBES[f.rule];
        for (const bad of probe.bad) {
          const err = thrown(() => build(kind, { ...requiredConfig(kind), [f.name]: bad }));
          expect(err, `${f.name} = ${String(bad)}`).toBeInstanceOf(ScheduleConfigError);
          expect((err as ScheduleConfigError).field.startsWith(`${kind}.${f.name}`), (err as Error).message).toBe(true);
        }
        if (f.rule === 'list') continue; // the kind ties its lists together (values has one more element)
        const good = f.rule === 'choice' ? (f.choices ?? []) : probe.good;
        if (f.rule === 'choice') expect(good.length, `${f.name} has choices`).toBeGreaterThan(1);
        for (const g of good) expect(() => build(kind, { ...requiredConfig(kind), [f.name]: g }), `${f.name} = ${String(g)}`).not.toThrow();
      }
    });

    it("explorer hints cover every field but the name, with a control for the field's type (a choice field: the choice control, its default among the choices) and valid defaults", () => {
      const control = { float: 'number', step: 'number', 'float?': 'nullableNumber', bool: 'boolean', 'list[float]': 'numberList', 'list[step]': 'numberList' } as const;
      const full: Record<string, unknown> = {};
      for (const f of fields) {
        if (f.name === 'name') {
          expect(f.explorer).toBeUndefined();
          continue;
        }
        if (f.rule === 'choice') {
          expect(f.explorer?.control, f.name).toBe('choice');
          const sweep = f.explorer?.sweep;
          const values = sweep && sweep.mode !== 'range' ? sweep.values : [];
          expect(values.length, f.name).toBeGreaterThan(0);
          for (const v of values) expect(f.choices, f.name).toContain(v);
          full[f.name] = values[0];
          continue;
        }
        expect(f.explorer, f.name).toBeDefined();
        expect(f.explorer?.control, f.name).toBe(control[f.type as keyof typeof control]);
        expect(f.explorer?.hint.length, f.name).toBeGreaterThan(0);
        if (f.explorer) full[f.name] = firstValue(f.explorer.sweep);
      }
      expect(() => build(kind, full)).not.toThrow();
    });

    it('has a tolerance factor k and a GPU packer', () => {
      const s = build(kind, requiredConfig(kind));
      expect(Object.hasOwn(TOLERANCE_K, kind)).toBe(true);
      const k = toleranceK(s);
      expect(k).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(k)).toBe(true);
      expect(typeof PACKERS[kind]).toBe('function');
      expect(Number.isInteger(KIND_CODES[kind])).toBe(true);
      expect(() => gpuSupport(s as KernelSchedule)).not.toThrow();
    });
  });

  it('has no per-kind table with a kind the registry lacks', () => {
    expect(Object.keys(TOLERANCE_K)).toEqual(SCHEDULE_KINDS);
    expect(Object.keys(PACKERS)).toEqual(SCHEDULE_KINDS);
    expect(Object.keys(KIND_CODES).sort()).toEqual([...SCHEDULE_KINDS].sort());
    expect(Object.keys(KERAS_CONFIG_KEYS)).toEqual(KERAS_KINDS);
  });

  it('gives each Keras key one type in every kind', () => {
    for (const kind of SCHEDULE_KINDS) {
      for (const f of scheduleFields(kind)) if (f.keras !== undefined) expect(SCHEDULE_FIELD_TYPES[f.keras], `${kind}.${f.keras}`).toBe(f.type);
    }
  });

  it('toleranceK still refuses a name that is not a kind', () => {
    expect(() => toleranceK({ kind: 'Nope', config: {} })).toThrow(`not a schedule kind (one of ${SCHEDULE_KINDS.join(', ')})`);
  });
});
