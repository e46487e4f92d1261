/**
 * Layer 1: the WGSL <-> TS byte contract (docs/design.md). WGSL sources, the
 * reflected layouts, kind codes, and the packers.
 */
import { EVALUATE_SOURCE, FLAGS_OVERRIDE, KIND_OVERRIDE, LAYOUTS, SCHEDULES_SOURCE, SEQUENCE_SOURCE, WGSL_CONSTS } from './wgsl.generated.ts';

export { ENTRY_POINTS, FLAGS_OVERRIDE, KIND_OVERRIDE, LAYOUTS, WGSL_CONSTS } from './wgsl.generated.ts';
export * from './pack.ts';
import { KIND_CODES, type KernelSchedule } from './pack.ts';

/** The pure schedule functions (shaders/common.wgsl + shaders/kinds/*.wgsl, registry order) for a user's own kernel; the kernel must define `fn lr_table(i: u32) -> u32`. */
export const SCHEDULES_WGSL: string = SCHEDULES_SOURCE;

/**
 * A Sequence in a user kernel: struct LrSequence and `fn lr_at(step: u32) -> f32`.
 * Concatenate after SCHEDULES_WGSL, declare `lr_sequence: LrSequence` (uniform or storage)
 * and bind packSequence(seq).params there.
 */
export const SEQUENCE_WGSL: string = SEQUENCE_SOURCE;
export { packSequence, type InlineSequence, type PackedSequence } from './sequence-inline.ts';

/** A `lr_table` for kernels that bind no tables (every config packScheduleParams accepts). */
export const NO_TABLE_WGSL = 'fn lr_table(i: u32) -> u32 { return 0u; }\n';

/** SCHEDULES_WGSL + evaluate.wgsl: the module with entry points eval_range / eval_list. */
export const EVALUATE_WGSL: string = `${SCHEDULES_SOURCE}\n${EVALUATE_SOURCE}`;

/** Invocations per workgroup of eval_range / eval_list (1D, x). */
export const WORKGROUP_SIZE: number = WGSL_CONSTS.WORKGROUP_SIZE;

const PARAMS_WORDS = LAYOUTS.ScheduleParams.size / 4;
const FLAGS_WORD = LAYOUTS.ScheduleParams.members.flags.offset / 4;

/**
 * The override constants that specialise evaluate.wgsl's pipelines for `schedules`:
 * `{ SCHEDULE_KIND: code }` when every row has the same kind (the other kinds' code folds
 * away at pipeline creation), `undefined` for a mixed sweep (the pipeline switches on each
 * row's kind). Given the rows' packed ScheduleParams (`params`, in the order of
 * `schedules`) and one kind, `SCHEDULE_FLAGS` too when every row has the same flags word:
 * the flag tests and the paths not taken fold away. Values are identical either way: all
 * pipelines run the same arithmetic on the paths taken.
 */
export function pipelineConstants(schedules: readonly KernelSchedule[], params?: ArrayBuffer): Readonly<Record<string, number>> | undefined {
  const first = schedules[0];
  if (!first || schedules.some((s) => s.kind !== first.kind)) return undefined;
  const kind = { [KIND_OVERRIDE]: KIND_CODES[first.kind] };
  if (!params || params.byteLength < schedules.length * PARAMS_WORDS * 4) return kind;
  const words = new Uint32Array(params, 0, schedules.length * PARAMS_WORDS);
  const flags = words[FLAGS_WORD]!;
  for (let r = 1; r < schedules.length; r++) if (words[r * PARAMS_WORDS + FLAGS_WORD] !== flags) return kind;
  return { ...kind, [FLAGS_OVERRIDE]: flags };
}
