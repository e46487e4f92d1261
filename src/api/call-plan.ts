/**
 * A call's GPU plan when it holds Sequences (docs/design.md, "Sequences on the GPU"): the
 * registry-kind rows go through gpu-plan.ts as before (their parts renumbered to the call's
 * rows), the Sequence rows through sequence-plan.ts (segment tiles, and the runs of pieces
 * the GPU declines, which the CPU then computes: `finishCpuRuns`). Without a Sequence this is
 * planGpu itself.
 */

import { Pacer } from '../cpu/cpu-backend.ts';
import type { GpuBackend, GpuSteps } from '../gpu/gpu-backend.ts';
import { writeValues, type GpuPart, type GpuPartsJob } from '../gpu/parts.ts';
import type { SegmentTile } from '../gpu/segments.ts';
import { GpuUnsupportedError } from '../kernels/index.ts';
import { sliceSteps, type Steps } from '../schedules/steps.ts';
import { EvaluatorInputError } from './errors.ts';
import type { FallbackCause } from './fallback.ts';
import { planGpu } from './gpu-plan.ts';
import { planSequences, type CpuRun } from './sequence-plan.ts';
import type { EvaluatorInput, EvaluatorSchedule, EvaluatorSequence } from './types.ts';
import type { Validated } from './validate.ts';

const U32_MAX = 0xffffffff;

/** A call's GPU work and what of it the CPU does. */
export interface CallGpuPlan {
  readonly parts: readonly GpuPart[];
  readonly steps: GpuSteps;
  readonly tiles: readonly SegmentTile[];
  readonly cpuRuns: readonly CpuRun[];
  /** Why the cpuRuns are on the CPU (the call's fallbackReason although it ran on the GPU). */
  readonly partialReason: string | undefined;
}

/** The job the GPU backend runs plus the CPU's share (evaluator.ts). */
export type CallJob = GpuPartsJob & Pick<CallGpuPlan, 'cpuRuns' | 'partialReason'>;

/** True for the snapshot of a Sequence. */
export const isSequenceInput = (s: EvaluatorInput): s is EvaluatorSequence => s.kind === 'Sequence';

/** planGpu's parts of a subset of rows, renumbered to the call's rows. */
function renumber(part: GpuPart, rows: readonly number[]): GpuPart {
  const mapped = part.rows.map((r) => rows[r]!);
  const consecutive = mapped.every((r, i) => r === mapped[0]! + i);
  return { ...part, rows: mapped, first: consecutive ? mapped[0] : undefined };
}

/** The call's plan on `gpu`, or the cause that keeps the whole call off the GPU. */
export async function planCall(gpu: GpuBackend, schedules: readonly EvaluatorInput[], v: Validated, signal: AbortSignal, byKind: boolean, strict: boolean): Promise<CallGpuPlan | { readonly cause: FallbackCause }> {
  const seqRows: number[] = [];
  const primRows: number[] = [];
  schedules.forEach((s, i) => (isSequenceInput(s) ? seqRows : primRows).push(i));
  if (seqRows.length === 0) {
    const p = await planGpu(gpu, schedules as readonly EvaluatorSchedule[], v, signal, byKind);
    return 'cause' in p ? p : { ...p, tiles: [], cpuRuns: [], partialReason: undefined };
  }
  if (!byKind) {
    // (byKind is false only for a caller's buffer without COPY_DST)
    throw new EvaluatorInputError('buffer.usage', 'no COPY_DST', 'must include GPUBufferUsage.COPY_DST for a Sequence: its segments are computed apart and copied into place');
  }
  if (gpu.lostReason !== undefined) return { cause: { kind: 'device-lost', lostReason: gpu.lostReason } };
  if (v.maxStep > U32_MAX) return { cause: { kind: 'step-above-u32', maxStep: v.maxStep } };
  let parts: readonly GpuPart[] = [];
  if (primRows.length > 0) {
    const p = await planGpu(gpu, primRows.map((r) => schedules[r] as EvaluatorSchedule), v, signal, byKind);
    if ('cause' in p) {
      const c = p.cause;
      return { cause: c.kind === 'unsupported' && c.row !== undefined ? { ...c, row: primRows[c.row] } : c };
    }
    parts = p.parts.map((part) => renumber(part, primRows));
  }
  const seq = await planSequences(gpu, seqRows, seqRows.map((r) => schedules[r] as EvaluatorSequence), v, signal);
  // backend 'webgpu': a piece on the CPU is an error, as every fallback is (fallback.ts)
  if (strict && seq.declined) throw new GpuUnsupportedError(seq.declined.field, seq.declined.value, seq.declined.rule, seq.declined.row);
  const steps: GpuSteps = v.range ? v.range : { list: v.list instanceof Uint32Array ? v.list : Uint32Array.from(v.list!) };
  return { parts, steps, tiles: seq.tiles, cpuRuns: seq.cpu, partialReason: seq.reason };
}

/**
 * Computes the job's CPU runs (pieces the GPU declined) into `out` (the call's M × N
 * values), or, with `buffer`, writes them there at `offset` (the buffer needs COPY_DST).
 * Returns the call's fallback reason for them (undefined when there are none).
 */
export async function finishCpuRuns(
  job: CallJob,
  schedules: readonly EvaluatorInput[],
  steps: Steps,
  signal: AbortSignal,
  out: Float32Array | { readonly device: GPUDevice; readonly buffer: GPUBuffer; readonly offset: number },
): Promise<string | undefined> {
  if (job.cpuRuns.length === 0) return undefined;
  const pacer = new Pacer(signal);
  const N = job.cols;
  for (const r of job.cpuRuns) {
    await pacer.tick();
    const sub = sliceSteps(steps, r.c0, r.n);
    if (out instanceof Float32Array) {
      schedules[r.row]!.fill(sub, out.subarray(r.row * N + r.c0, r.row * N + r.c0 + r.n));
    } else {
      const values = new Float32Array(r.n);
      schedules[r.row]!.fill(sub, values);
      const e = await writeValues(out.device, out.buffer, out.offset + (r.row * N + r.c0) * 4, values);
      if (e) throw new EvaluatorInputError('buffer', out.buffer.label || 'GPUBuffer', `could not receive the CPU's values of ${job.partialReason ?? 'a Sequence piece'} (${e.message}): it needs GPUBufferUsage.COPY_DST`);
    }
  }
  return job.partialReason;
}
