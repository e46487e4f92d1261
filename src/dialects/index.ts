/**
 * The dialect entry point (docs/dialects.md): which framework's JSON a value is
 * (`detectDialect`), and reading any of them (`fromAnyJson`, `fromAnyJsonMany`). Keras is
 * the fallback: a value no other dialect claims goes to the Keras reader, whose errors
 * then name what is missing. A dialect joins with one entry in DIALECTS (its detector and
 * its reader) and one export line below.
 */
import { FieldError } from '../schedules/errors.ts';
import { KERAS_CONFIG_KEYS, deserialize, getConfig, type Json } from '../schedules/keras.ts';
import type { Schedule } from '../schedules/registry.ts';
import type { AnySchedule } from '../schedules/sequence.ts';
import { isObject, readJsonInput, sourceOf } from './common.ts';
import { fromPyTorch, looksLikePyTorch } from './pytorch.ts';
import { fromHuggingFace, looksLikeHuggingFace } from './huggingface.ts';
import { fromOptax, looksLikeOptax } from './optax.ts';

export { DialectError, sourceOf } from './common.ts';
export type { ScheduleSource } from './common.ts';
export { fromPyTorch, looksLikePyTorch, PYTORCH_MODULE, PYTORCH_SCHEDULERS, isPyTorchScheduler } from './pytorch.ts';
export type { PyTorchJson, PyTorchScheduler } from './pytorch.ts';
export { toPyTorch } from './pytorch-write.ts';
export { fromHuggingFace, looksLikeHuggingFace, HF_SCHEDULER_TYPES, HF_SCHEDULE_KEYS } from './huggingface.ts';
export type { HuggingFaceJson, HfSchedulerType } from './huggingface.ts';
export { toHuggingFace } from './huggingface-write.ts';
export { fromOptax, looksLikeOptax, OPTAX_FUNCTIONS } from './optax.ts';
export type { OptaxJson, OptaxFunction } from './optax.ts';
export { toOptax } from './optax-write.ts';

/** The schedule formats the library reads. */
export type DialectName = 'keras' | 'pytorch' | 'huggingface' | 'optax';

interface DialectEntry {
  readonly name: Exclude<DialectName, 'keras'>;
  /** True when a parsed JSON value is meant as this dialect's form (by its shape). */
  readonly detect: (value: unknown) => boolean;
  /** Reads a parsed value (errors name the dialect path). */
  readonly read: (value: unknown) => AnySchedule;
}

/** The non-Keras dialects, tried in this order; Keras takes what none claims. */
const DIALECTS: readonly DialectEntry[] = [
  { name: 'pytorch', detect: looksLikePyTorch, read: fromPyTorch },
  { name: 'optax', detect: looksLikeOptax, read: fromOptax },
  { name: 'huggingface', detect: looksLikeHuggingFace, read: fromHuggingFace },
];

/**
 * Which dialect a JSON value (text or parsed) is written in, from its shape: PyTorch
 * `{"module": "torch.optim.lr_scheduler", ...}`, Optax `{"module": "optax", ...}`, Hugging
 * Face (an object with `lr_scheduler_type`, or a whole training_args.json); anything
 * else is Keras (a serialized schedule or an optimizer config).
 * @example detectDialect('{"module": "torch.optim.lr_scheduler", "class_name": "StepLR", "config": {"step_size": 3}, "lr": 0.1}') // 'pytorch'
 */
export function detectDialect(json: unknown): DialectName {
  const v = readJsonInput(json);
  return DIALECTS.find((d) => d.detect(v))?.name ?? 'keras';
}

function readOne(v: unknown): AnySchedule {
  const d = DIALECTS.find((x) => x.detect(v));
  return d === undefined ? deserialize(v) : d.read(v);
}

/**
 * Reads one schedule in any dialect (JSON text or a parsed value), detected from its shape
 * ({@link detectDialect}). Errors name the path within the dialect (`pytorch.config.T_max`,
 * `config.decay_steps` for Keras).
 * @example fromAnyJson({ module: 'torch.optim.lr_scheduler', class_name: 'ExponentialLR', config: { gamma: 0.5 }, lr: 1 }).at(3) // 0.125
 */
export function fromAnyJson(json: unknown): AnySchedule {
  return readOne(readJsonInput(json));
}

/**
 * Like {@link fromAnyJson} for a JSON list whose elements may be of different dialects
 * (or one schedule). An element's error names its index first: `[2].pytorch.config.gamma`.
 */
export function fromAnyJsonMany(json: unknown): AnySchedule[] {
  const v = readJsonInput(json);
  if (!Array.isArray(v)) return [readOne(v)];
  return v.map((x, i) => {
    try {
      return readOne(x);
    } catch (e) {
      if (e instanceof FieldError) {
        const Cls = e.constructor as new (field: string, value: unknown, rule: string) => FieldError;
        // The element's own root ('json' for the Keras reader) is `[i]`, a key in it `[i].key`.
        const field = e.field === 'json' ? `[${i}]` : e.field.startsWith('[') ? `[${i}]${e.field}` : `[${i}].${e.field}`;
        throw new Cls(field, e.value, e.rule);
      }
      throw e;
    }
  });
}

/**
 * A schedule's name and parameters as its dialect writes them, for labels and titles: the
 * torch class and its keywords (with `lr` first) for a PyTorch schedule, a dialect's own
 * name and config for the others, the Keras class and its get_config() for a Keras kind,
 * else the kind and its config (a Sequence built in code: no parameters).
 * @example describeSchedule(fromPyTorch({ module: 'torch.optim.lr_scheduler', class_name: 'StepLR', config: { step_size: 3 }, lr: 0.1 }))
 *   // { name: 'StepLR', params: { lr: 0.1, step_size: 3, gamma: 0.1 } }
 */
export function describeSchedule(s: AnySchedule): { name: string; params: Record<string, Json> } {
  const src = sourceOf(s);
  if (src !== undefined && isObject(src.config)) {
    const c = src.config as Record<string, Json>;
    if (src.dialect === 'pytorch') {
      const kw = isObject(c.config) ? (c.config as Record<string, Json>) : {};
      return { name: src.name, params: c.lr === undefined ? { ...kw } : { lr: c.lr, ...kw } };
    }
    return { name: src.name, params: { ...c } };
  }
  if (s.kind === 'Sequence') return { name: 'Sequence', params: {} };
  if (Object.hasOwn(KERAS_CONFIG_KEYS, s.kind)) return { name: s.kind, params: getConfig(s as Schedule) };
  return { name: s.kind, params: { ...(s.config as unknown as Record<string, Json>) } };
}
