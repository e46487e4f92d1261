/**
 * `npm run gen`: reads shaders/common.wgsl, shaders/kinds/*.wgsl (registry order) and
 * shaders/evaluate.wgsl and writes src/kernels/wgsl.generated.ts with
 * the WGSL sources as string constants, the module-scope `const NAME: u32 = Nu;`
 * values (kind codes, flags, table row layout, WORKGROUP_SIZE: one source for WGSL
 * and TS), and the struct layouts of Job and ScheduleParams reflected by wgsl_reflect,
 * so nothing at run time needs the parser. test/kernels-generated.test.ts regenerates
 * in memory and fails when the committed file is stale. The explorer's drawing programs
 * (shaders/plot/*.wgsl) go the same way into src/app/plot-shaders.generated.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WgslReflect } from 'wgsl_reflect/wgsl_reflect.module.js';
import type { MemberLayout, StructLayout } from '../src/app/uniforms.ts';
import { SCHEDULE_KINDS, type ScheduleKind } from '../src/schedules/registry.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const GENERATED_PATH = join(ROOT, 'src/kernels/wgsl.generated.ts');

/** The reflected layout types are the writer's (src/app/uniforms.ts reads what this emits). */
export type { MemberLayout, StructLayout } from '../src/app/uniforms.ts';

/** A kind's names: `CosineDecay` -> file `cosine-decay`, WGSL `cosine_decay`, const suffix `COSINE_DECAY`. */
export function kindNames(kind: string): { file: string; wgsl: string; constName: string } {
  const words = kind.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(' ');
  return { file: words.join('-'), wgsl: words.join('_'), constName: words.join('_').toUpperCase() };
}

/** shaders/kinds/<kind>.wgsl of every registry kind, in SCHEDULE_KINDS order. */
export function readKindShaders(): { kind: ScheduleKind; path: string; source: string }[] {
  return SCHEDULE_KINDS.map((kind) => {
    const path = `shaders/kinds/${kindNames(kind).file}.wgsl`;
    return { kind, path, source: readFileSync(join(ROOT, path), 'utf8') };
  });
}

/** `const KIND_<NAME>: u32 = i;` for each registry kind: a kind's code is its index in SCHEDULE_KINDS. */
export function kindCodesWgsl(): string {
  const lines = SCHEDULE_KINDS.map((kind, i) => `const KIND_${kindNames(kind).constName}: u32 = ${i}u;`);
  return ['// ---- kind codes (generated from SCHEDULE_KINDS; the TS side reads them as WGSL_CONSTS) ----', ...lines, ''].join('\n');
}

/** `schedule_value(p, step)`: the by-value dispatch on `p.kind`, one case per registry kind (the last is the default). */
export function scheduleValueWgsl(): string {
  const cases = SCHEDULE_KINDS.map((kind, i) => {
    const n = kindNames(kind);
    const label = i === SCHEDULE_KINDS.length - 1 ? 'default' : `case KIND_${n.constName}`;
    return `    ${label}: { return ${n.wgsl}(p, step); }`;
  });
  return ['// Dispatch on p.kind.', 'fn schedule_value(p: ScheduleParams, step: u32) -> f32 {', '  switch (p.kind) {', ...cases, '  }', '}', ''].join('\n');
}

/**
 * The parameters after `step` of `fn <kind>_at(step: u32, ...)` in a kind's WGSL: each is
 * named after the ScheduleParams member it takes (checked here), so the row function can
 * pass `p.<name>` for each.
 */
export function atParams(kind: ScheduleKind, source: string, members: readonly string[]): string[] {
  const fn = `${kindNames(kind).wgsl}_at`;
  const m = new RegExp(`^fn ${fn}\\(([^)]*)\\)`, 'm').exec(source);
  if (!m?.[1]) throw new Error(`gen-shaders: shaders/kinds/${kindNames(kind).file}.wgsl has no fn ${fn}(step: u32, ...)`);
  const names = m[1].split(',').map((p) => p.split(':')[0]?.trim() ?? '');
  if (names[0] !== 'step') throw new Error(`gen-shaders: the first parameter of ${fn} must be step: u32, not ${names[0]}`);
  const rest = names.slice(1);
  for (const name of rest) {
    if (!members.includes(name)) throw new Error(`gen-shaders: parameter ${name} of ${fn} is no ScheduleParams member; name it after the member it takes`);
  }
  return rest;
}

/**
 * What follows shaders/evaluate.wgsl: one `<kind>_row(row, step)` per kind (its `_at` with
 * the fields of params[row] read through a pointer), the override SCHEDULE_KIND and eval_row.
 */
export function evaluateDispatchWgsl(schedules: string): string {
  const params = reflectStructs(schedules, ['ScheduleParams']).ScheduleParams;
  if (!params) throw new Error('gen-shaders: the schedules source declares no struct ScheduleParams');
  const members = Object.keys(params.members);
  const out = [
    '// The flags of every row of this pipeline when they are all the same (a pipeline-overridable',
    '// constant set with SCHEDULE_KIND, src/kernels/index.ts pipelineConstants), or ANY_FLAGS: each',
    '// row\'s own p.flags. With the flags set, the tests on them and the paths not taken fold away',
    '// at pipeline creation (same arithmetic on the paths taken: the values are bit for bit the same).',
    'const ANY_FLAGS: u32 = 0xffffffffu;',
    `override ${FLAGS_OVERRIDE}: u32 = ANY_FLAGS;`,
    '',
    'fn row_flags(own: u32) -> u32 {',
    `  if (${FLAGS_OVERRIDE} == ANY_FLAGS) {`,
    '    return own;',
    '  }',
    `  return ${FLAGS_OVERRIDE};`,
    '}',
    '',
    '// Row functions: each kind\'s `_at` function with the fields of params[row] read one by',
    `// one through a pointer. On SwiftShader, passing ScheduleParams (${params.size} bytes; 176 when measured) by`,
    '// value cost about 4x the whole computation (2^20 InverseTimeDecay steps: 499 ms vs 109 ms;',
    '// a write-only kernel 65 ms), so the evaluator never copies the struct.',
  ];
  // Each kind twice: `<kind>_row(row, step)` reads params[row]; `<kind>_one(step)` reads the
  // same fields from row_params, the one row bound by itself (eval_range_row / eval_list_row).
  const sources = [
    { fn: 'row', sig: 'row: u32, step: u32', ptr: '&params[row]' },
    { fn: 'one', sig: 'step: u32', ptr: '&row_params' },
  ] as const;
  for (const k of readKindShaders()) {
    const n = kindNames(k.kind);
    const names = atParams(k.kind, k.source, members);
    const args = names.map((name) => (name === 'flags' ? 'row_flags(p.flags)' : `p.${name}`)).join(', ');
    for (const src of sources) out.push(`fn ${n.wgsl}_${src.fn}(${src.sig}) -> f32 {`, `  let p = ${src.ptr};`, `  return ${n.wgsl}_at(step,`, `    ${args});`, '}', '');
    // `<kind>_tile_range` / `_tile_list`: eval_range_tile / eval_list_tile's columns of one row,
    // the row's fields loaded once (into lets) before the loop over the invocation's columns.
    const lets = names.map((name) => `  let ${name} = ${name === 'flags' ? 'row_flags(p.flags)' : `p.${name}`};`);
    for (const t of TILE_STEPS) {
      out.push(
        `fn ${n.wgsl}_tile_${t.name}(row: u32, c0: u32, o: u32) {`,
        '  let p = &params[row];',
        ...lets,
        '  for (var k = 0u; k < job.lane_cols; k++) {',
        '    let c = c0 + k * WORKGROUP_SIZE;',
        '    if (c < job.cols) {',
        `      out[o + c] = ${n.wgsl}_at(${t.step}, ${names.join(', ')});`,
        '    }',
        '  }',
        '}',
        '',
      );
    }
  }
  const rows = SCHEDULE_KINDS.map((kind) => kindNames(kind));
  const last = rows.length - 1;
  const dispatch = (name: string, sig: string, kindOf: string, fn: string, args: string): string[] => [
    `fn ${name}(${sig}) -> f32 {`,
    ...rows.map((n) => `  if (${KIND_OVERRIDE} == KIND_${n.constName}) { return ${n.wgsl}_${fn}(${args}); }`),
    `  switch (${kindOf}) {`,
    ...rows.map((n, i) => `    ${i === last ? 'default' : `case KIND_${n.constName}`}: { return ${n.wgsl}_${fn}(${args}); }`),
    '  }',
    '}',
    '',
  ];
  const tileDispatch = (name: string, fn: string): string[] => [
    `fn ${name}(row: u32, c0: u32, o: u32) {`,
    ...rows.map((n) => `  if (${KIND_OVERRIDE} == KIND_${n.constName}) { ${n.wgsl}_${fn}(row, c0, o); return; }`),
    '  switch (params[row].kind) {',
    ...rows.map((n, i) => `    ${i === last ? 'default' : `case KIND_${n.constName}`}: { ${n.wgsl}_${fn}(row, c0, o); }`),
    '  }',
    '}',
    '',
  ];
  out.push(
    '// The kind this pipeline is specialised for (a pipeline-overridable constant set at',
    '// pipeline creation), or ANY_KIND for a mixed sweep. With one kind set, the branches of the',
    '// other kinds fold away: on SwiftShader the runtime switch over all six kinds measured',
    '// 8-10x slower than a pipeline with one kind (2^20 CosineDecay steps).',
    'const ANY_KIND: u32 = 0xffffffffu;',
    `override ${KIND_OVERRIDE}: u32 = ANY_KIND;`,
    '',
    ...dispatch('eval_row', 'row: u32, step: u32', 'params[row].kind', 'row', 'row, step'),
    '// eval_row(row, step) on row_params, the row bound by itself (eval_range_row, eval_list_row).',
    ...dispatch('eval_one', 'step: u32', 'row_params.kind', 'one', 'step'),
    '// A row\'s columns of eval_range_tile / eval_list_tile (c0: the invocation\'s first column, o: the row\'s output index).',
    ...TILE_STEPS.flatMap((t) => tileDispatch(`eval_tile_${t.name}`, `tile_${t.name}`)),
  );
  return out.join('\n');
}

/** The step of column c in eval_range_tile (a range) and eval_list_tile (a list). */
const TILE_STEPS = [
  { name: 'range', step: 'job.start + c * job.stride' },
  { name: 'list', step: 'steps[job.col0 + c]' },
] as const;

/** The override constant that specialises the evaluate pipelines for one kind. */
export const KIND_OVERRIDE = 'SCHEDULE_KIND';

/** The override constant that specialises the evaluate pipelines for one flag set (with one kind). */
export const FLAGS_OVERRIDE = 'SCHEDULE_FLAGS';

/**
 * The two WGSL sources the library exports: `schedules` = shaders/common.wgsl, each kind's
 * shaders/kinds/<kind>.wgsl in registry order, the kind codes and schedule_value;
 * `evaluate` = shaders/evaluate.wgsl (Job, bindings, entry points) and the generated
 * row functions and eval_row.
 */
export function readShaders(): { schedules: string; evaluate: string } {
  const common = readFileSync(join(ROOT, 'shaders/common.wgsl'), 'utf8');
  const kinds = readKindShaders().map((k) => k.source).join('');
  const schedules = `${common}${kinds}${kindCodesWgsl()}\n${scheduleValueWgsl()}`;
  const evaluate = `${readFileSync(join(ROOT, 'shaders/evaluate.wgsl'), 'utf8')}\n${evaluateDispatchWgsl(schedules)}`;
  return { schedules, evaluate };
}

/** The compute entry points of the evaluate module, by what they read: a step range or a step list (of any rows, or of one row), or segments. */
export function entryPoints(module: string): { range: string; list: string; rangeRow: string; listRow: string; rangeTile: string; listTile: string; segments: string } {
  const names = new WgslReflect(module).entry.compute.map((e) => e.name);
  const find = (suffix: string): string | undefined => names.find((n) => n.endsWith(suffix) && !n.slice(0, -suffix.length).includes('_'));
  const found = {
    range: find('_range'),
    list: find('_list'),
    rangeRow: find('_range_row'),
    listRow: find('_list_row'),
    rangeTile: find('_range_tile'),
    listTile: find('_list_tile'),
    segments: find('_segments'),
  };
  const { range, list, rangeRow, listRow, rangeTile, listTile, segments } = found;
  if (names.length !== 7 || !range || !list || !rangeRow || !listRow || !rangeTile || !listTile || !segments) {
    throw new Error(`gen-shaders: evaluate.wgsl must have seven compute entry points, *_range, *_list, *_range_row, *_list_row, *_range_tile, *_list_tile and *_segments; it has ${names.join(', ')}`);
  }
  return { range, list, rangeRow, listRow, rangeTile, listTile, segments };
}

/** Module-scope `const NAME: u32 = 123u;` declarations, in source order. */
export function u32Consts(source: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of source.matchAll(/^const\s+([A-Z][A-Z0-9_]*)\s*:\s*u32\s*=\s*(0x[0-9a-fA-F]+|\d+)u\s*;/gm)) {
    const name = m[1];
    const value = m[2];
    if (name === undefined || value === undefined) continue;
    out[name] = Number(value);
  }
  return out;
}

/** Struct layouts as wgsl_reflect computes them (WGSL's alignment and size rules). */
export function reflectStructs(source: string, names: readonly string[]): Record<string, StructLayout> {
  const reflect = new WgslReflect(source);
  const out: Record<string, StructLayout> = {};
  for (const name of names) {
    const s = reflect.structs.find((st) => st.name === name);
    if (!s) throw new Error(`gen-shaders: struct ${name} not found by wgsl_reflect`);
    const members: Record<string, MemberLayout> = {};
    for (const m of s.members) members[m.name] = { offset: m.offset, size: m.size, type: m.type.getTypeName() };
    out[name] = { size: s.size, align: s.align, members };
  }
  return out;
}

/** The full text of src/kernels/wgsl.generated.ts. */
export function generate(): string {
  const { schedules, evaluate } = readShaders();
  const evaluateFull = `${schedules}\n${evaluate}`;
  const sequence = readFileSync(join(ROOT, 'shaders/sequence.wgsl'), 'utf8');
  const consts = { ...u32Consts(schedules), ...u32Consts(evaluate), ...u32Consts(sequence) };
  const layouts = { ...reflectStructs(evaluateFull, ['ScheduleParams', 'Job']), ...reflectStructs(`${schedules}\n${sequence}`, ['LrSequence']) };
  return [
    '// GENERATED by scripts/gen-shaders.ts (`npm run gen`) from shaders/*.wgsl. Do not edit.',
    '// test/kernels-generated.test.ts fails when this file is stale.',
    '',
    '/** shaders/common.wgsl + shaders/kinds/*.wgsl + schedule_value: the pure schedule functions (no bindings; needs `fn lr_table(i: u32) -> u32`). */',
    `export const SCHEDULES_SOURCE = ${JSON.stringify(schedules)};`,
    '',
    '/** shaders/evaluate.wgsl (Job, bindings 0-4, eval_range / eval_list / eval_segments) + the generated <kind>_row and eval_row (concatenate after SCHEDULES_SOURCE). */',
    `export const EVALUATE_SOURCE = ${JSON.stringify(evaluate)};`,
    '',
    '/** shaders/sequence.wgsl: struct LrSequence and lr_at(step) for a Sequence in a user kernel (concatenate after SCHEDULES_SOURCE; needs `lr_sequence`). */',
    `export const SEQUENCE_SOURCE = ${JSON.stringify(sequence)};`,
    '',
    '/** The code of each registry kind (WGSL `KIND_*`, its index in SCHEDULE_KINDS). */',
    `export const KIND_CODES = ${JSON.stringify(Object.fromEntries(SCHEDULE_KINDS.map((k) => [k, consts[`KIND_${kindNames(k).constName}`]])), null, 2)} as const;`,
    '',
    '/** The entry points of EVALUATE_WGSL: over a step range or a step list (rows spanned by a dispatch; or one row, its parameters bound at binding 5), over Sequence segments. */',
    `export const ENTRY_POINTS = ${JSON.stringify(entryPoints(evaluateFull), null, 2)} as const;`,
    '',
    '/** The override constant of EVALUATE_WGSL that specialises a pipeline for one kind code. */',
    `export const KIND_OVERRIDE = ${JSON.stringify(KIND_OVERRIDE)};`,
    '',
    '/** The override constant of EVALUATE_WGSL that specialises a pipeline (of one kind) for one ScheduleParams.flags value. */',
    `export const FLAGS_OVERRIDE = ${JSON.stringify(FLAGS_OVERRIDE)};`,
    '',
    '/** Module-scope u32 constants of both files (kind codes, flags, table rows, WORKGROUP_SIZE). */',
    `export const WGSL_CONSTS = ${JSON.stringify(consts, null, 2)} as const;`,
    '',
    '/** Struct layouts reflected by wgsl_reflect: byte offset, size and WGSL type of every member. */',
    `export const LAYOUTS = ${JSON.stringify(layouts, null, 2)} as const;`,
    '',
  ].join('\n');
}

// ---------------------------------------------------------------- the packers of the kinds

export const PACKERS_GENERATED_PATH = join(ROOT, 'src/kernels/packers.generated.ts');

/**
 * The full text of src/kernels/packers.generated.ts: PACKERS, every registry kind's
 * `pack<Kind>` from src/kernels/kinds/<kind>.ts, so no hand-kept list of packers exists
 * (a kind without its kernel-kind file, or a file without `pack<Kind>`, does not compile).
 */
export function generatePackers(): string {
  const imports = SCHEDULE_KINDS.map((kind) => `import { pack${kind} } from './kinds/${kindNames(kind).file}.ts';`);
  const rows = SCHEDULE_KINDS.map((kind) => `  ${kind}: pack${kind},`);
  return [
    '// GENERATED by scripts/gen-shaders.ts (`npm run gen`) from the registry (src/schedules/registry.ts). Do not edit.',
    '// test/kernels-generated.test.ts fails when this file is stale.',
    "import type { ScheduleKind } from '../schedules/registry.ts';",
    "import type { PackerOf } from './host.ts';",
    ...imports,
    '',
    '/** The packer of each kind (with its GPU-support rules), in registry order: src/kernels/kinds/<kind>.ts. */',
    'export const PACKERS: { readonly [K in ScheduleKind]: PackerOf<K> } = {',
    ...rows,
    '};',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------- the explorer's plot shaders

export const PLOT_GENERATED_PATH = join(ROOT, 'src/app/plot-shaders.generated.ts');

/** shaders/plot/*.wgsl: the explorer's drawing programs; thick and raster are compiled after common. */
export const PLOT_SHADERS = ['common', 'thick', 'reduce', 'raster', 'resolve'] as const;
export type PlotShader = (typeof PLOT_SHADERS)[number];

export function readPlotShaders(): Record<PlotShader, string> {
  const out = {} as Record<PlotShader, string>;
  for (const name of PLOT_SHADERS) out[name] = readFileSync(join(ROOT, `shaders/plot/${name}.wgsl`), 'utf8');
  return out;
}

/** The complete source of each plot program (what the page compiles). */
export function plotPrograms(): Record<'THICK' | 'REDUCE' | 'RASTER' | 'RESOLVE', string> {
  const s = readPlotShaders();
  return {
    THICK: `${s.common}\n${s.thick}`,
    REDUCE: s.reduce,
    RASTER: `${s.common}\n${s.raster}`,
    RESOLVE: s.resolve,
  };
}

/** The structs the page writes (uniforms and the highlight array), and the program that declares each. */
export const PLOT_STRUCTS = { View: 'THICK', Hl: 'THICK', Reduce: 'REDUCE', Grid: 'RASTER', Resolve: 'RESOLVE' } as const;

/** The full text of src/app/plot-shaders.generated.ts. */
export function generatePlot(): string {
  const programs = plotPrograms();
  const layouts: Record<string, StructLayout> = {};
  for (const [name, program] of Object.entries(PLOT_STRUCTS)) Object.assign(layouts, reflectStructs(programs[program], [name]));
  const consts: Record<string, number> = {};
  for (const [program, code] of Object.entries(programs)) {
    for (const [name, value] of Object.entries(u32Consts(code))) {
      if (name in consts && consts[name] !== value) throw new Error(`gen-shaders: ${name} is ${consts[name]} in one plot program and ${value} in ${program}`);
      consts[name] = value;
    }
  }
  const lines = [
    '// GENERATED by scripts/gen-shaders.ts (`npm run gen`) from shaders/plot/*.wgsl. Do not edit.',
    '// test/kernels-generated.test.ts fails when this file is stale.',
    '',
  ];
  for (const [name, code] of Object.entries(programs)) {
    lines.push(`/** The explorer's ${name.toLowerCase()} program (shaders/plot/${name === 'THICK' || name === 'RASTER' ? `common.wgsl + ${name.toLowerCase()}.wgsl` : `${name.toLowerCase()}.wgsl`}). */`);
    lines.push(`export const ${name}_WGSL = ${JSON.stringify(code)};`, '');
  }
  lines.push(
    '/** Module-scope u32 constants of the plot programs. */',
    `export const PLOT_CONSTS = ${JSON.stringify(consts, null, 2)} as const;`,
    '',
    '/** Struct layouts reflected by wgsl_reflect: byte offset, size and WGSL type of every member. */',
    `export const PLOT_LAYOUTS = ${JSON.stringify(layouts, null, 2)} as const;`,
    '',
  );
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(GENERATED_PATH, generate());
  console.log(`wrote ${GENERATED_PATH}`);
  writeFileSync(PACKERS_GENERATED_PATH, generatePackers());
  console.log(`wrote ${PACKERS_GENERATED_PATH}`);
  writeFileSync(PLOT_GENERATED_PATH, generatePlot());
  console.log(`wrote ${PLOT_GENERATED_PATH}`);
}
