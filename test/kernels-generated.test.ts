/**
 * The generated WGSL module is current, and packing agrees with a fresh wgsl_reflect
 * reflection of the WGSL (offsets are never hand-written).
 */
import { describe, expect, test } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WgslReflect } from 'wgsl_reflect/wgsl_reflect.module.js';
import { GENERATED_PATH, PACKERS_GENERATED_PATH, PLOT_GENERATED_PATH, PLOT_STRUCTS, generate, generatePackers, generatePlot, kindNames, plotPrograms, readPlotShaders, readShaders, u32Consts } from '../scripts/gen-shaders.ts';
import * as plot from '../src/app/plot-shaders.generated.ts';
import { ENTRY_POINTS, EVALUATE_WGSL, FLAGS_OVERRIDE, KIND_CODES, KIND_OVERRIDE, LAYOUTS, PACKERS, SCHEDULES_WGSL, SEQUENCE_WGSL, WGSL_CONSTS, WORKGROUP_SIZE, packJob, packScheduleParams, packSchedules, pipelineConstants } from '../src/kernels/index.ts';
import { CosineDecay } from '../src/schedules/cosine-decay.ts';
import { ROW_PARAMS_BINDING } from '../src/gpu/pipeline-cache.ts';
import { SCHEDULE_KINDS, SCHEDULE_REGISTRY, type ScheduleKind } from '../src/schedules/registry.ts';
import { TOLERANCE_K } from '../src/verify/tolerance.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The twins of a kind (docs/design.md, "Where each twin of a schedule lives") that are missing. */
function missingTwins(kind: string): string[] {
  const { file } = kindNames(kind);
  const paths = [`src/schedules/${file}.ts`, `shaders/kinds/${file}.wgsl`, `src/kernels/kinds/${file}.ts`];
  const missing = paths.filter((p) => !existsSync(join(ROOT, p)));
  if (!Object.hasOwn(TOLERANCE_K, kind)) missing.push(`TOLERANCE_K.${kind} (k of its entry in src/schedules/registry.ts)`);
  return missing;
}

describe('generated kernels module', () => {
  test('src/kernels/wgsl.generated.ts is what `npm run gen` writes now', () => {
    expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(generate());
  });

  test('src/kernels/packers.generated.ts is what `npm run gen` writes now: one packer per registry kind', () => {
    expect(readFileSync(PACKERS_GENERATED_PATH, 'utf8')).toBe(generatePackers());
    expect(Object.keys(PACKERS)).toEqual(SCHEDULE_KINDS);
  });

  test('sources and constants match shaders/*.wgsl', () => {
    const { schedules, evaluate } = readShaders();
    expect(SCHEDULES_WGSL).toBe(schedules);
    expect(EVALUATE_WGSL).toBe(`${schedules}\n${evaluate}`);
    const sequence = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'shaders/sequence.wgsl'), 'utf8');
    expect(SEQUENCE_WGSL).toBe(sequence);
    expect(WGSL_CONSTS).toEqual({ ...u32Consts(schedules), ...u32Consts(evaluate), ...u32Consts(sequence) });
    expect(WORKGROUP_SIZE).toBe(256);
    // one kind code per ScheduleKind, all distinct, taken from the WGSL consts
    expect(new Set(SCHEDULE_KINDS.map((k) => KIND_CODES[k])).size).toBe(SCHEDULE_KINDS.length);
  });

  test('layouts equal a fresh wgsl_reflect reflection of EVALUATE_WGSL', () => {
    const r = new WgslReflect(EVALUATE_WGSL);
    for (const name of ['ScheduleParams', 'Job'] as const) {
      const s = r.structs.find((x) => x.name === name);
      expect(s, name).toBeDefined();
      if (!s) continue;
      expect(LAYOUTS[name].size).toBe(s.size);
      expect(LAYOUTS[name].align).toBe(s.align);
      const fresh = Object.fromEntries(s.members.map((m) => [m.name, { offset: m.offset, size: m.size, type: m.type.getTypeName() }]));
      expect(LAYOUTS[name].members).toEqual(fresh);
    }
    const job = r.uniforms.find((u) => u.name === 'job');
    expect(job?.binding).toBe(0);
    const bindings = Object.fromEntries(r.storage.map((v) => [v.name, v.binding]));
    expect(bindings).toEqual({ params: 1, tables: 2, steps: 3, out: 4, row_params: ROW_PARAMS_BINDING });
    expect(r.entry.compute.map((e) => e.name).sort()).toEqual(['eval_list', 'eval_list_row', 'eval_list_tile', 'eval_range', 'eval_range_row', 'eval_range_tile', 'eval_segments']);
  });

  test('packJob writes each member at its reflected offset', () => {
    const r = new WgslReflect(EVALUATE_WGSL);
    const s = r.structs.find((x) => x.name === 'Job');
    const buf = packJob({ row0: 1, col0: 2, cols: 3, count: 4, start: 5, stride: 6, groupsX: 7, outOffset: 8, laneCols: 9 });
    expect(buf.byteLength).toBe(s?.size);
    const view = new DataView(buf);
    const want: Record<string, number> = { row0: 1, col0: 2, cols: 3, count: 4, start: 5, stride: 6, groups_x: 7, out_offset: 8, lane_cols: 9 };
    for (const m of s?.members ?? []) expect(view.getUint32(m.offset, true), m.name).toBe(want[m.name]);
    // laneCols is 1 unless given (the entry points other than the tile ones ignore it).
    const plain = new DataView(packJob({ row0: 1, col0: 2, cols: 3, count: 4, start: 5, stride: 6, groupsX: 7, outOffset: 8 }));
    expect(plain.getUint32(LAYOUTS.Job.members.lane_cols.offset, true)).toBe(1);
  });

  test('packScheduleParams writes kind, flags and f32 constants at reflected offsets', () => {
    const r = new WgslReflect(SCHEDULES_WGSL);
    const s = r.structs.find((x) => x.name === 'ScheduleParams');
    const off = (n: string): number => s?.members.find((m) => m.name === n)?.offset ?? -1;
    const buf = packScheduleParams(new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, alpha: 0.25 }));
    expect(buf.byteLength).toBe(s?.size);
    const view = new DataView(buf);
    expect(view.getUint32(off('kind'), true)).toBe(WGSL_CONSTS.KIND_COSINE_DECAY);
    expect(view.getUint32(off('d_int'), true)).toBe(1000);
    expect(view.getFloat32(off('amp'), true)).toBe(Math.fround(0.1 * 0.75));
    expect(view.getFloat32(off('base'), true)).toBe(Math.fround(0.1 * 0.25));
    expect(view.getFloat32(off('inv_d'), true)).toBe(Math.fround(1 / 1000));
  });
});

describe('each kind of the registry has all its twins', () => {
  test.each(SCHEDULE_KINDS)('%s: TS reference, WGSL, packer and tolerance, each in its own file', async (kind) => {
    expect(missingTwins(kind)).toEqual([]);
    const n = kindNames(kind);
    // the files hold what they are named for
    const ref = (await import(`../src/schedules/${n.file}.ts`)) as Record<string, unknown>;
    expect(ref[kind]).toBe(SCHEDULE_REGISTRY[kind].cls);
    const wgsl = readFileSync(join(ROOT, `shaders/kinds/${n.file}.wgsl`), 'utf8');
    expect(wgsl).toMatch(new RegExp(`^fn ${n.wgsl}_at\\(step: u32,`, 'm'));
    expect(wgsl).toMatch(new RegExp(`^fn ${n.wgsl}\\(p: ScheduleParams, step: u32\\) -> f32`, 'm'));
    const packer = (await import(`../src/kernels/kinds/${n.file}.ts`)) as Record<string, unknown>;
    expect(packer[`pack${kind}`]).toBe(PACKERS[kind]);
  });

  test('a kind without twins is reported with every missing one', () => {
    expect(missingTwins('NoSuchDecay')).toEqual([
      'src/schedules/no-such-decay.ts',
      'shaders/kinds/no-such-decay.wgsl',
      'src/kernels/kinds/no-such-decay.ts',
      'TOLERANCE_K.NoSuchDecay (k of its entry in src/schedules/registry.ts)',
    ]);
  });

  test('shaders/kinds and src/kernels/kinds hold no file of a kind the registry lacks', () => {
    const files = (ext: string): string[] => SCHEDULE_KINDS.map((k) => `${kindNames(k).file}${ext}`).sort();
    expect(readdirSync(join(ROOT, 'shaders/kinds')).sort()).toEqual(files('.wgsl'));
    expect(readdirSync(join(ROOT, 'src/kernels/kinds')).sort()).toEqual(files('.ts'));
  });

  test('the generated dispatch covers every kind: code = registry index, a row function, both switches', () => {
    SCHEDULE_KINDS.forEach((kind: ScheduleKind, i) => {
      const n = kindNames(kind);
      expect(KIND_CODES[kind]).toBe(i);
      expect((WGSL_CONSTS as Record<string, number>)[`KIND_${n.constName}`]).toBe(i);
      expect(EVALUATE_WGSL).toContain(`fn ${n.wgsl}_row(row: u32, step: u32) -> f32 {`);
      expect(EVALUATE_WGSL).toContain(`if (${KIND_OVERRIDE} == KIND_${n.constName}) { return ${n.wgsl}_row(row, step); }`);
      expect(EVALUATE_WGSL).toContain(`fn ${n.wgsl}_one(step: u32) -> f32 {`);
      expect(EVALUATE_WGSL).toContain(`if (${KIND_OVERRIDE} == KIND_${n.constName}) { return ${n.wgsl}_one(step); }`);
      for (const t of ['range', 'list']) {
        expect(EVALUATE_WGSL).toContain(`fn ${n.wgsl}_tile_${t}(row: u32, c0: u32, o: u32) {`);
        expect(EVALUATE_WGSL).toContain(`if (${KIND_OVERRIDE} == KIND_${n.constName}) { ${n.wgsl}_tile_${t}(row, c0, o); return; }`);
      }
      expect(SCHEDULES_WGSL).toContain(`return ${n.wgsl}(p, step); }`);
    });
    const r = new WgslReflect(EVALUATE_WGSL);
    expect(r.overrides.map((o) => o.name).sort()).toEqual([FLAGS_OVERRIDE, KIND_OVERRIDE].sort());
    expect(r.entry.compute.map((e) => e.name).sort()).toEqual([ENTRY_POINTS.list, ENTRY_POINTS.range, ENTRY_POINTS.listRow, ENTRY_POINTS.rangeRow, ENTRY_POINTS.listTile, ENTRY_POINTS.rangeTile, ENTRY_POINTS.segments].sort());
    expect(pipelineConstants([new CosineDecay({ initialLearningRate: 0.1, decaySteps: 10 })])).toEqual({ [KIND_OVERRIDE]: KIND_CODES.CosineDecay });
  });

  test('a part whose rows share kind and flags gets a pipeline specialised for both; differing flags or kinds do not', () => {
    const plain = [new CosineDecay({ initialLearningRate: 0.1, decaySteps: 10 }), new CosineDecay({ initialLearningRate: 0.2, decaySteps: 30 })];
    const warm = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupTarget: 0.2, warmupSteps: 5 });
    const pack = (ss: readonly CosineDecay[]): ArrayBuffer => packSchedules(ss, { minStep: 0, maxStep: 100 }).params;
    const flagsWord = LAYOUTS.ScheduleParams.members.flags.offset / 4;
    const plainFlags = new Uint32Array(pack(plain))[flagsWord]!;
    expect(pipelineConstants(plain, pack(plain))).toEqual({ [KIND_OVERRIDE]: KIND_CODES.CosineDecay, [FLAGS_OVERRIDE]: plainFlags });
    expect(pipelineConstants([warm], pack([warm]))).toEqual({ [KIND_OVERRIDE]: KIND_CODES.CosineDecay, [FLAGS_OVERRIDE]: WGSL_CONSTS.FLAG_WARMUP });
    expect(pipelineConstants([...plain, warm], pack([...plain, warm]))).toEqual({ [KIND_OVERRIDE]: KIND_CODES.CosineDecay });
    expect(EVALUATE_WGSL).toContain('row_flags(p.flags)');
  });
});

describe('generated plot shaders module (the explorer)', () => {
  test('src/app/plot-shaders.generated.ts is what `npm run gen` writes now', () => {
    expect(readFileSync(PLOT_GENERATED_PATH, 'utf8')).toBe(generatePlot());
  });

  test('each program is its shaders/plot file (thick and raster after common.wgsl)', () => {
    const s = readPlotShaders();
    expect(plot.THICK_WGSL).toBe(`${s.common}\n${s.thick}`);
    expect(plot.RASTER_WGSL).toBe(`${s.common}\n${s.raster}`);
    expect(plot.REDUCE_WGSL).toBe(s.reduce);
    expect(plot.RESOLVE_WGSL).toBe(s.resolve);
    expect(plot.PLOT_CONSTS).toEqual({ SEGS_PER_THREAD: 32, REDUCE_WORKGROUP: 64, RASTER_WORKGROUP: 64, T_STEPS: 4095, LUT_SIZE: 256 });
  });

  test('every program parses, with the entry points and bindings the page uses', () => {
    const p = plotPrograms();
    const entries = (code: string): string[] => {
      const r = new WgslReflect(code);
      return [...r.entry.vertex, ...r.entry.fragment, ...r.entry.compute].map((e) => e.name).sort();
    };
    expect(entries(p.THICK)).toEqual(['fs', 'vs']);
    expect(entries(p.RESOLVE)).toEqual(['fs', 'vs']);
    expect(entries(p.REDUCE)).toEqual(['reduce']);
    expect(entries(p.RASTER)).toEqual(['raster']);
    const uniforms = (code: string): Record<string, [number, string]> =>
      Object.fromEntries(new WgslReflect(code).uniforms.map((u) => [u.name, [u.binding, u.type.getTypeName()]]));
    expect(uniforms(p.THICK)).toEqual({ view: [0, 'View'] });
    expect(uniforms(p.RASTER)).toEqual({ view: [0, 'View'], grid: [4, 'Grid'] });
    expect(uniforms(p.REDUCE)).toEqual({ r: [0, 'Reduce'] });
    expect(uniforms(p.RESOLVE)).toEqual({ p: [0, 'Resolve'] });
    // The page sizes its dispatches by the constants the entry points are declared with.
    const workgroup = (code: string): unknown => new WgslReflect(code).entry.compute[0]?.workgroupSize;
    expect(workgroup(p.REDUCE)).toEqual([plot.PLOT_CONSTS.REDUCE_WORKGROUP, 1, 1]);
    expect(workgroup(p.RASTER)).toEqual([plot.PLOT_CONSTS.RASTER_WORKGROUP, 1, 1]);
  });

  test('layouts equal a fresh wgsl_reflect reflection of the program that declares each struct', () => {
    const programs = plotPrograms();
    expect(Object.keys(plot.PLOT_LAYOUTS).sort()).toEqual(Object.keys(PLOT_STRUCTS).sort());
    for (const [name, program] of Object.entries(PLOT_STRUCTS)) {
      const s = new WgslReflect(programs[program]).structs.find((x) => x.name === name);
      expect(s, name).toBeDefined();
      if (!s) continue;
      const layout = plot.PLOT_LAYOUTS[name as keyof typeof plot.PLOT_LAYOUTS];
      expect(layout.size, name).toBe(s.size);
      expect(layout.align, name).toBe(s.align);
      const fresh = Object.fromEntries(s.members.map((m) => [m.name, { offset: m.offset, size: m.size, type: m.type.getTypeName() }]));
      expect(layout.members, name).toEqual(fresh);
    }
    // The highlight array's stride as WGSL lays out array<Hl>.
    const hls = new WgslReflect(programs.THICK).storage.find((v) => v.name === 'hls');
    expect((hls?.type as { stride?: number } | undefined)?.stride).toBe(32);
  });
});
