/**
 * Hugging Face schedules as pieces (docs/dialects.md#hugging-face): the value at step t is
 * learning_rate · lambda(t) of the LambdaLR that transformers' get_scheduler builds, from a
 * config already checked by huggingface.ts (W warmup steps as TrainingArguments resolves
 * them, T = max_steps). Every warmup is the line 0 → lr over W steps (t/max(1, W)).
 */
import { make, quotientDown, type Piece } from './pieces.ts';

/** The scheduler types read (transformers' SchedulerType values). */
export const HF_SCHEDULER_TYPES = [
  'linear',
  'cosine',
  'cosine_with_restarts',
  'polynomial',
  'constant',
  'constant_with_warmup',
  'inverse_sqrt',
  'cosine_with_min_lr',
  'warmup_stable_decay',
] as const;

/** A Hugging Face scheduler type this dialect reads. */
export type HfSchedulerType = (typeof HF_SCHEDULER_TYPES)[number];

/** The checked schedule inputs. */
export interface HfResolved {
  readonly type: HfSchedulerType;
  readonly lr: number;
  /** Warmup steps as TrainingArguments.get_warmup_steps gives them. */
  readonly warmup: number;
  /** max_steps, or null where the type does not need it and none was given. */
  readonly total: number | null;
  readonly kwargs: Readonly<Record<string, number | string>>;
}

const k = (r: HfResolved, key: string, dflt: number): number => (r.kwargs[key] as number | undefined) ?? dflt;

function warmupPieces(lr: number, W: number): Piece[] {
  return W > 0 ? [{ begin: 0, schedule: make('Linear', { from: 0, to: lr, steps: W }) }] : [];
}

/** The pieces of a checked Hugging Face schedule. */
export function hfPieces(r: HfResolved): Piece[] {
  const { lr, warmup: W } = r;
  const T = r.total ?? 0;
  const D = Math.max(1, T - W);
  const warm = warmupPieces(lr, W);
  const at = (begin: number, schedule: Piece['schedule']): Piece => ({ begin, schedule });
  switch (r.type) {
    case 'constant':
      return [at(0, make('Constant', { value: lr }))];
    case 'constant_with_warmup':
      return [at(0, W > 0 ? make('Linear', { from: 0, to: lr, steps: W }) : make('Constant', { value: lr }))];
    case 'linear':
      // lr·max(0, (T − t)/max(1, T − W)): a line from lr at W to 0 at T; with W = T it is 0 from T on
      return [...warm, W === T ? at(T, make('Constant', { value: 0 })) : at(W, make('Linear', { from: lr, to: 0, steps: T - W }))];
    case 'cosine':
    case 'cosine_with_min_lr': {
      // ½(1 + cos(2π·nc·(t − W)/D)), not held: past max_steps the cosine rises again, as in transformers
      const nc = k(r, 'num_cycles', 0.5);
      const floor = r.type === 'cosine' ? 0 : r.kwargs.min_lr !== undefined ? (r.kwargs.min_lr as number) : lr * k(r, 'min_lr_rate', 0);
      return [...warm, at(W, make('CosineAnneal', { from: lr, to: floor, period: D / (2 * nc), hold: false }))];
    }
    case 'cosine_with_restarts': {
      // ½(1 + cos(π·((nc·progress) mod 1))) with exact restarts every D/nc steps (the period
      // rounded down, so a restart that falls on a whole step is that step), 0 from W + D on
      const nc = k(r, 'num_cycles', 1);
      const restarts = make('CosineDecayRestarts', { initialLearningRate: lr, firstDecaySteps: quotientDown(D, nc), tMul: 1, mMul: 1, alpha: 0 });
      return [...warm, at(W, restarts), at(W + D, make('Constant', { value: 0 }))];
    }
    case 'polynomial': {
      const end = k(r, 'lr_end', 1e-7);
      return [...warm, at(W, make('PolynomialDecay', { initialLearningRate: lr, decaySteps: T - W, endLearningRate: end, power: k(r, 'power', 1) }))];
    }
    case 'inverse_sqrt': {
      const ts = (r.kwargs.timescale as number | undefined) ?? (W === 0 ? 10000 : W);
      return [...warm, at(W, make('InverseSqrt', { value: lr, timescale: ts }))];
    }
    case 'warmup_stable_decay':
      return wsdPieces(r);
  }
}

/** The stable-phase length of a warmup_stable_decay: num_stable_steps, else T − W − num_decay_steps. */
export function wsdStable(r: HfResolved): number {
  const s = r.kwargs.num_stable_steps as number | undefined;
  return s ?? (r.total ?? 0) - r.warmup - (r.kwargs.num_decay_steps as number);
}

function wsdPieces(r: HfResolved): Piece[] {
  const { lr, warmup: W } = r;
  const m = k(r, 'min_lr_ratio', 0);
  const low = lr * m;
  const S = wsdStable(r);
  const Dd = r.kwargs.num_decay_steps as number;
  const nc = k(r, 'num_cycles', 0.5);
  const out: Piece[] = [];
  if (W > 0) {
    const wt = (r.kwargs.warmup_type as string | undefined) ?? 'linear';
    // factor·(1 − m) + m with factor = p, ½(1 − cos πp), 1 − sqrt(1 − p): from lr·m to lr
    const s =
      wt === 'linear'
        ? make('Linear', { from: low, to: lr, steps: W })
        : wt === 'cosine'
          ? make('CosineAnneal', { from: low, to: lr, period: W })
          : make('SqrtAnneal', { from: low, to: lr, steps: W, reverse: true });
    out.push({ begin: 0, schedule: s });
  }
  if (S > 0) out.push({ begin: W, schedule: make('Constant', { value: lr }) });
  if (Dd > 0) {
    const dt = (r.kwargs.decay_type as string | undefined) ?? 'cosine';
    const s =
      dt === 'linear'
        ? make('Linear', { from: lr, to: low, steps: Dd })
        : dt === 'cosine'
          ? make('CosineAnneal', { from: lr, to: low, period: Dd / (2 * nc), hold: false })
          : make('SqrtAnneal', { from: lr, to: low, steps: Dd });
    out.push({ begin: W + S, schedule: s });
  }
  out.push({ begin: W + S + Dd, schedule: make('Constant', { value: low }) });
  return out;
}
