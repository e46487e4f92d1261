/**
 * `--steps 0,10,20` and `--range START:STOP[:STRIDE]` (STOP exclusive, like
 * Python's range): turned into the library's step list / StepRange.
 */
import { MAX_STEP, type StepRange } from '../index.ts';
import { CliUsageError } from './errors.ts';

const INT = /^[0-9]+$/;

function parseStepInt(text: string, what: string, max: number): number {
  const t = text.trim();
  if (!INT.test(t)) throw new CliUsageError(`${what} = ${JSON.stringify(text)}: must be a non-negative integer`);
  const big = BigInt(t);
  if (big > BigInt(max)) throw new CliUsageError(`${what} = ${t}: must be ≤ ${max}`);
  return Number(big);
}

/** `--steps 0,10,20`: integers 0 … 2^53, comma-separated. */
export function parseStepList(text: string): number[] {
  if (text.trim() === '') throw new CliUsageError('--steps = "": needs at least one step (e.g. --steps 0,10,20)');
  return text.split(',').map((tok, i) => parseStepInt(tok, `--steps[${i}]`, MAX_STEP));
}

/**
 * `--range START:STOP[:STRIDE]`: steps START, START+STRIDE, … below STOP (STOP is
 * exclusive and must be > START: at least one step; STRIDE defaults to 1 and must be ≥ 1). STOP may be 2^53 + 1 so that
 * 2^53 itself can be included.
 */
export function parseRange(text: string): StepRange {
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3) {
    throw new CliUsageError(`--range = ${JSON.stringify(text)}: must be START:STOP or START:STOP:STRIDE (STOP exclusive)`);
  }
  const start = parseStepInt(parts[0] as string, '--range START', MAX_STEP);
  const stop = parseStepInt(parts[1] as string, '--range STOP', MAX_STEP + 1);
  const stride = parts[2] === undefined ? 1 : parseStepInt(parts[2], '--range STRIDE', MAX_STEP);
  if (stride < 1) throw new CliUsageError(`--range STRIDE = ${stride}: must be ≥ 1`);
  // An empty range is bad input like everywhere else (the evaluator's StepError for count 0).
  if (stop <= start) throw new CliUsageError(`--range = ${JSON.stringify(text)}: STOP must be > START (STOP is exclusive; an empty range has no steps)`);
  const count = Number((BigInt(stop) - BigInt(start) + BigInt(stride) - 1n) / BigInt(stride));
  if (count > 2 ** 28) throw new CliUsageError(`--range = ${JSON.stringify(text)}: ${count} steps, more than the CLI prints (2^28)`);
  return { start, count, stride };
}
