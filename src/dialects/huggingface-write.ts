/**
 * Writing Hugging Face JSON (docs/dialects.md#conversions): a schedule read from Hugging
 * Face is written back as it was read (its schedule keys); others are converted where a
 * transformers scheduler computes exactly the same values at every step: Constant (constant),
 * Linear from 0 (constant_with_warmup), PolynomialDecay without cycle over whole steps
 * (linear when it ends at 0 with power 1, else polynomial), and a Sequence of a line from 0
 * followed by one of those decays (linear / polynomial with warmup), as optax's join_schedules
 * of the same parts reads. Anything else is a DialectError saying why.
 */
import type { Json } from '../schedules/keras.ts';
import type { Schedule } from '../schedules/registry.ts';
import type { Sequence } from '../schedules/sequence.ts';
import { DialectError, copyJson, sourceOf } from './common.ts';
import type { HuggingFaceJson } from './huggingface.ts';

const refuse = (what: string, why: string): never => {
  throw new DialectError('huggingface', what, `has no exact Hugging Face form: ${why}`);
};

type Cfg = Record<string, number | boolean | null | readonly number[]>;
const cfg = (s: Schedule): Cfg => s.config as unknown as Cfg;

/** A decay from lr at its start over T steps, after W warmup steps, as a Hugging Face object. */
function decayToHf(s: Schedule, W: number, lr: number | null): HuggingFaceJson | null {
  const c = cfg(s);
  if (s.kind === 'Linear') {
    // a line from lr to 0 over whole steps, held at 0: transformers linear
    const from = c.from as number;
    const n = c.steps as number;
    if (c.to !== 0 || c.offset !== 0 || c.hold !== true || !Number.isInteger(n) || !(from > 0) || (lr !== null && lr !== from)) return null;
    return { lr_scheduler_type: 'linear', learning_rate: from, warmup_steps: W, max_steps: W + n };
  }
  if (s.kind !== 'PolynomialDecay') return null;
  const lr0 = c.initialLearningRate as number;
  const D = c.decaySteps as number;
  const end = c.endLearningRate as number;
  const power = c.power as number;
  if (c.cycle === true || !Number.isInteger(D) || !(lr0 > end && end >= 0 && power > 0) || (lr !== null && lr !== lr0)) return null;
  const base = { learning_rate: lr0, warmup_steps: W, max_steps: W + D };
  if (end === 0 && power === 1) return { lr_scheduler_type: 'linear', ...base };
  return { lr_scheduler_type: 'polynomial', ...base, lr_scheduler_kwargs: { lr_end: end, power } };
}

function kindToHf(s: Schedule): HuggingFaceJson {
  const c = cfg(s);
  if (s.kind === 'Constant' && (c.value as number) > 0) return { lr_scheduler_type: 'constant', learning_rate: c.value as number, warmup_steps: 0 };
  if (s.kind === 'Linear' && c.from === 0 && c.offset === 0 && c.hold === true && Number.isInteger(c.steps) && (c.to as number) > 0 && (c.steps as number) >= 1) {
    return { lr_scheduler_type: 'constant_with_warmup', learning_rate: c.to as number, warmup_steps: c.steps as number };
  }
  return decayToHf(s, 0, null) ?? refuse(s.kind, `no transformers scheduler computes this ${s.kind}`);
}

/**
 * Writes a schedule as a Hugging Face TrainingArguments-style object: a schedule read by
 * fromHuggingFace as it was read; others converted where transformers computes the same
 * values (see the file comment); else a DialectError saying why.
 * @example toHuggingFace(new PolynomialDecay({ initialLearningRate: 1e-3, decaySteps: 100, endLearningRate: 0 }))
 *   // { lr_scheduler_type: 'linear', learning_rate: 0.001, warmup_steps: 0, max_steps: 100 }
 */
export function toHuggingFace(s: Schedule | Sequence): HuggingFaceJson {
  const src = sourceOf(s);
  if (src?.dialect === 'huggingface') return copyJson(src.config as Json) as unknown as HuggingFaceJson;
  if (s.kind !== 'Sequence') return kindToHf(s);
  const [a, b, more] = s.pieces;
  if (a !== undefined && b !== undefined && more === undefined && isIdentity(a) && isIdentity(b) && a.schedule.kind === 'Linear') {
    const w = cfg(a.schedule);
    if (w.from === 0 && w.offset === 0 && w.hold === true && w.steps === b.begin) {
      const out = decayToHf(b.schedule, b.begin, w.to as number);
      if (out !== null) return out;
    }
  }
  return refuse('a Sequence', 'only a line from 0 followed by a linear or polynomial decay from its end converts (transformers warmup + linear / polynomial)');
}

const isIdentity = (p: { readonly scale: number; readonly shift: number }): boolean => p.scale === 1 && p.shift === 0;
