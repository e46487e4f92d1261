/**
 * The Hugging Face dialect (docs/dialects.md#hugging-face): a TrainingArguments-style object
 * `{"lr_scheduler_type", "learning_rate", "warmup_steps" | "warmup_ratio", "max_steps",
 * "lr_scheduler_kwargs"}`, or a whole training_args.json as TrainingArguments.to_json_string()
 * writes it (the keys that do not bear on the schedule are ignored), read with transformers'
 * rules: get_scheduler's functions, TrainingArguments.get_warmup_steps (warmup_steps ≥ 1 a
 * count, below 1 a ratio: ceil(max_steps · ratio) in float64). Errors name
 * `huggingface.<key>`; what transformers silently ignores or truncates is refused
 * (docs/bad-inputs.md).
 */
import type { Json } from '../schedules/keras.ts';
import type { Schedule } from '../schedules/registry.ts';
import type { Sequence } from '../schedules/sequence.ts';
import { DialectError, isObject, readJsonInput, freezeJson } from './common.ts';
import { checkConfigKeys, choice, inRange, nonNegative, positive, steps } from './fields.ts';
import { HF_SCHEDULER_TYPES, hfPieces, wsdStable, type HfResolved, type HfSchedulerType } from './huggingface-map.ts';
import { assemble } from './pieces.ts';

export { HF_SCHEDULER_TYPES, type HfSchedulerType };

/** The keys of a TrainingArguments object that bear on the schedule. */
export const HF_SCHEDULE_KEYS = ['lr_scheduler_type', 'learning_rate', 'warmup_steps', 'warmup_ratio', 'max_steps', 'lr_scheduler_kwargs'] as const;

/** The lr_scheduler_kwargs each type takes (what get_scheduler passes on; the types without any ignore or refuse them). */
const KWARGS: Record<HfSchedulerType, readonly string[]> = {
  linear: [],
  cosine: ['num_cycles'],
  cosine_with_restarts: ['num_cycles'],
  polynomial: ['lr_end', 'power'],
  constant: [],
  constant_with_warmup: [],
  inverse_sqrt: ['timescale'],
  cosine_with_min_lr: ['num_cycles', 'min_lr', 'min_lr_rate'],
  warmup_stable_decay: ['num_decay_steps', 'num_stable_steps', 'warmup_type', 'decay_type', 'min_lr_ratio', 'num_cycles'],
};

/** Types whose schedule depends on max_steps (the others run without one). */
const NEEDS_TOTAL: readonly HfSchedulerType[] = ['linear', 'cosine', 'cosine_with_restarts', 'polynomial', 'cosine_with_min_lr'];

/** The normalised Hugging Face object (what toHuggingFace writes). */
export interface HuggingFaceJson {
  lr_scheduler_type: HfSchedulerType;
  learning_rate: number;
  warmup_steps: number;
  warmup_ratio?: number;
  max_steps?: number;
  lr_scheduler_kwargs?: { [key: string]: Json };
}

/** A whole training_args.json has these (TrainingArguments.to_json_string always writes them). */
const TRAINING_ARGS_MARKERS = ['output_dir', 'per_device_train_batch_size', 'num_train_epochs'];
const UNSUPPORTED: Record<string, string> = {
  reduce_lr_on_plateau: 'follows the evaluation metric, so its values are not a function of the step',
  greedy: 'follows the training metric, so its values are not a function of the step',
  cosine_warmup_with_min_lr: 'is not read by this dialect yet (cosine_with_min_lr is)',
};

const P = 'huggingface';

function readKwargs(v: unknown): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v === 'string') {
    // TrainingArguments accepts the kwargs as a JSON string too
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      throw new DialectError(`${P}.lr_scheduler_kwargs`, v, 'must be a JSON object (or a string holding one)');
    }
    return readKwargs(parsed);
  }
  if (!isObject(v)) throw new DialectError(`${P}.lr_scheduler_kwargs`, v, 'must be a JSON object (or null)');
  return v;
}

/** Checks a Hugging Face object; returns the resolved inputs and the normalised object. */
export function resolveHuggingFace(input: unknown): { resolved: HfResolved; json: HuggingFaceJson } {
  if (!isObject(input)) throw new DialectError(P, input, 'must be a JSON object with lr_scheduler_type, learning_rate, warmup_steps, max_steps, lr_scheduler_kwargs');
  const whole = TRAINING_ARGS_MARKERS.some((k) => k in input);
  for (const key of Object.keys(input)) {
    if ((HF_SCHEDULE_KEYS as readonly string[]).includes(key)) continue;
    // in a whole training_args.json only a misspelt schedule key is an error
    if (!whole || /^(lr_|learning_rate|warmup|max_step)/.test(key)) {
      throw new DialectError(`${P}.${key}`, input[key], `unknown key (known: ${HF_SCHEDULE_KEYS.join(', ')}${whole ? '; the other TrainingArguments keys are ignored' : ''})`);
    }
  }
  const rawType = input.lr_scheduler_type ?? (whole ? 'linear' : undefined);
  if (rawType === undefined) throw new DialectError(`${P}.lr_scheduler_type`, undefined, `missing: add "lr_scheduler_type" (one of ${HF_SCHEDULER_TYPES.join(', ')})`);
  if (typeof rawType === 'string' && rawType in UNSUPPORTED) throw new DialectError(`${P}.lr_scheduler_type`, rawType, `not supported: ${rawType} ${UNSUPPORTED[rawType]}`);
  const type = choice(`${P}.lr_scheduler_type`, rawType, HF_SCHEDULER_TYPES);
  const lr = positive(`${P}.learning_rate`, input.learning_rate ?? 5e-5, ' (a learning rate ≤ 0 does not train; transformers accepts it)');
  const rawTotal = input.max_steps ?? -1;
  const maxSteps = steps(`${P}.max_steps`, rawTotal === -1 ? 0 : rawTotal, 0, ' (or -1: the total from num_train_epochs, as TrainingArguments defaults)');
  if (rawTotal === 0) throw new DialectError(`${P}.max_steps`, 0, 'must be ≥ 1 (a zero horizon; -1 or absent means "from num_train_epochs", which this JSON cannot tell)');
  const total = maxSteps === 0 ? null : maxSteps;
  const needTotal = (why: string): number => {
    if (total === null) {
      throw new DialectError(`${P}.max_steps`, input.max_steps, `must be an integer ≥ 1: ${why} (-1 or absent means the total comes from num_train_epochs × the dataset, which this JSON does not hold)`);
    }
    return total;
  };
  const ws = nonNegative(`${P}.warmup_steps`, input.warmup_steps ?? 0, ' (transformers 5 refuses a negative warmup_steps)');
  if (ws >= 1 && !Number.isInteger(ws)) {
    throw new DialectError(`${P}.warmup_steps`, ws, `must be a whole number of steps when ≥ 1, or a ratio below 1 (transformers truncates it to ${Math.trunc(ws)} without a word)`);
  }
  let warmup = ws >= 1 ? ws : Math.ceil(needTotalIf(ws > 0, needTotal, 'warmup_steps below 1 is a ratio of max_steps') * ws);
  const ratio = input.warmup_ratio;
  if (ratio !== undefined && ratio !== null) {
    const r = inRange(`${P}.warmup_ratio`, ratio, 0, 1, ' (transformers 4.x checks it)');
    if (r > 0 && ws > 0) throw new DialectError(`${P}.warmup_ratio`, r, `give one of warmup_steps (${ws}) and warmup_ratio: transformers 4.x lets warmup_steps override warmup_ratio silently, 5.x has no warmup_ratio (write a ratio as warmup_steps < 1)`);
    if (r > 0) warmup = Math.ceil(needTotal('warmup_ratio is a ratio of max_steps') * r);
  }
  const kw = readKwargs(input.lr_scheduler_kwargs);
  const known = KWARGS[type];
  if (known.length === 0 && Object.keys(kw).length > 0) {
    const why = type === 'linear' ? 'get_linear_schedule_with_warmup takes no extra arguments (transformers raises a TypeError)' : `transformers ignores them for ${type} without a word`;
    throw new DialectError(`${P}.lr_scheduler_kwargs`, kw, `must be empty or null: ${why}`);
  }
  if (type === 'constant' && warmup > 0) {
    throw new DialectError(`${P}.warmup_steps`, input.warmup_steps ?? input.warmup_ratio, 'must be 0 for constant: transformers ignores the warmup of "constant" without a word; use "constant_with_warmup"');
  }
  const kwargs = readTypeKwargs(type, kw, lr);
  if (NEEDS_TOTAL.includes(type) || (type === 'warmup_stable_decay' && kwargs.num_stable_steps === undefined)) {
    const T = needTotal(`${type} runs over max_steps`);
    if (type === 'polynomial' && !(warmup < T)) throw new DialectError(`${P}.warmup_steps`, warmup, `must be < max_steps = ${T} for polynomial (transformers divides by max_steps − warmup)`);
    if (warmup > T) throw new DialectError(`${P}.warmup_steps`, warmup, `must be ≤ max_steps = ${T} (a warmup longer than training)`);
  }
  const resolved: HfResolved = { type, lr, warmup, total, kwargs };
  if (type === 'warmup_stable_decay' && wsdStable(resolved) < 0) {
    throw new DialectError(`${P}.lr_scheduler_kwargs.num_decay_steps`, kwargs.num_decay_steps, `warmup (${warmup}) + num_decay_steps must be ≤ max_steps = ${total} (the stable phase would be negative and transformers would start the decay part-way)`);
  }
  const json: HuggingFaceJson = { lr_scheduler_type: type, learning_rate: lr, warmup_steps: ws };
  if (ratio !== undefined && ratio !== null) json.warmup_ratio = ratio as number;
  if (input.max_steps !== undefined) json.max_steps = rawTotal as number;
  if (Object.keys(kw).length > 0) json.lr_scheduler_kwargs = structuredClone(kw) as { [key: string]: Json };
  return { resolved, json };
}

function needTotalIf(cond: boolean, need: (why: string) => number, why: string): number {
  return cond ? need(why) : 0;
}

function readTypeKwargs(type: HfSchedulerType, kw: Record<string, unknown>, lr: number): Record<string, number | string> {
  const p = `${P}.lr_scheduler_kwargs`;
  const known = KWARGS[type];
  const req = type === 'warmup_stable_decay' ? ['num_decay_steps'] : [];
  checkConfigKeys(p, kw, known, req, `the ${type} scheduler`);
  const out: Record<string, number | string> = {};
  const get = (key: string): unknown => (kw[key] === null ? undefined : kw[key]);
  if (get('num_cycles') !== undefined) out.num_cycles = positive(`${p}.num_cycles`, get('num_cycles'), ' (0 cycles is a constant: use constant_with_warmup)');
  if (type === 'polynomial') {
    const end = nonNegative(`${p}.lr_end`, get('lr_end') ?? 1e-7);
    if (!(end < lr)) throw new DialectError(`${p}.lr_end`, end, `must be < learning_rate = ${lr} (transformers raises)`);
    out.lr_end = end;
    out.power = positive(`${p}.power`, get('power') ?? 1, ' (power 0 holds learning_rate and then drops to lr_end after max_steps)');
  }
  if (type === 'inverse_sqrt' && get('timescale') !== undefined) out.timescale = positive(`${p}.timescale`, get('timescale'));
  if (type === 'cosine_with_min_lr') {
    const a = get('min_lr');
    const b = get('min_lr_rate');
    if ((a === undefined) === (b === undefined)) throw new DialectError(`${p}.min_lr`, a ?? b, 'give exactly one of min_lr and min_lr_rate (transformers raises otherwise)');
    if (a !== undefined) out.min_lr = inRange(`${p}.min_lr`, a, 0, lr, ' (between 0 and learning_rate)');
    else out.min_lr_rate = inRange(`${p}.min_lr_rate`, b, 0, 1);
  }
  if (type === 'warmup_stable_decay') {
    out.num_decay_steps = steps(`${p}.num_decay_steps`, get('num_decay_steps'), 0);
    if (get('num_stable_steps') !== undefined) out.num_stable_steps = steps(`${p}.num_stable_steps`, get('num_stable_steps'), 0);
    out.warmup_type = choice(`${p}.warmup_type`, get('warmup_type') ?? 'linear', ['linear', 'cosine', '1-sqrt'] as const);
    out.decay_type = choice(`${p}.decay_type`, get('decay_type') ?? 'cosine', ['linear', 'cosine', '1-sqrt'] as const);
    out.min_lr_ratio = inRange(`${p}.min_lr_ratio`, get('min_lr_ratio') ?? 0, 0, 1);
  }
  return out;
}

/** True for a value in the Hugging Face form: it has `lr_scheduler_type`, or is a whole training_args.json; detectDialect uses it. */
export const looksLikeHuggingFace = (v: unknown): boolean => isObject(v) && !('class_name' in v) && ('lr_scheduler_type' in v || TRAINING_ARGS_MARKERS.some((k) => k in v));

/**
 * Reads a Hugging Face schedule (JSON text or a parsed value; a TrainingArguments-style
 * object or a whole training_args.json): a registry-kind schedule or a Sequence of them,
 * with `source` = `{ dialect: 'huggingface', name: lr_scheduler_type, config }` so that
 * `toHuggingFace` writes the schedule's keys back.
 * @example fromHuggingFace({ lr_scheduler_type: 'linear', learning_rate: 1e-3, warmup_steps: 10, max_steps: 110 }).at(60) // 0.0005
 */
export function fromHuggingFace(json: unknown): Schedule | Sequence {
  const { resolved, json: norm } = resolveHuggingFace(readJsonInput(json));
  return assemble(hfPieces(resolved), { dialect: 'huggingface', name: resolved.type, config: freezeJson(norm as unknown as Json) });
}
