/**
 * The device's own rates at n floats, next to which the kernels are read: a write-only fill
 * kernel and clearBuffer (write rate) and, for the baseline group, a copy kernel and
 * copyBufferToBuffer (copy rate). Each is checked exactly on a sample of its output.
 */
import { checkSample, sampleIndices, type Reference } from '../check.ts';
import { COPY_WGSL, FILL_WGSL, clearBuffer, copyBuffer, readSample } from '../gpu.ts';
import { repeat, toSample, type SuiteRun } from '../measure.ts';
import { V, type Group } from '../types.ts';

/** A float32-valued reference for the n outputs of a device baseline (judged exactly). */
function reference(label: string, n: number, at: (i: number) => number): Reference {
  return { schedules: [{ kind: label, config: {}, at }], start: 0, cols: n };
}

/** Measures the baselines into `a` and `b` (n floats each); `withCopies` adds the copy rate. */
export async function measureBaselines(run: SuiteRun, group: Group, shape: string, n: number, a: GPUBuffer, b: GPUBuffer, withCopies: boolean): Promise<void> {
  const { device, timer } = run;
  if (!device || !timer) return;
  const sample = sampleIndices(n, { count: Math.min(256, run.opts.sampleCount) });
  const scale = 2 ** -20;
  const fillExact = (i: number): number => Math.fround(Math.fround(i) * scale);
  const filled = reference(V.fill, n, fillExact);
  const fill = run.kernel(FILL_WGSL, 'fill');
  const pf = run.plan(`${group}/fill`, n);
  const mf = await repeat(async () => toSample(await timer.time(() => fill.run([a], n, { scale }))), pf);
  const fillCheck = checkSample(filled, sample, await readSample(device, a, sample));
  await run.push({ group, variant: V.fill, kind: '-', shape, values: n }, mf, 'gpu', pf.warmup, fillCheck);

  const pc = run.plan(`${group}/clear`, n);
  const mc = await repeat(async () => toSample(await timer.time(() => clearBuffer(device, b, n * 4))), pc);
  const clearCheck = checkSample(reference(V.clear, n, () => 0), sample, await readSample(device, b, sample));
  await run.push({ group, variant: V.clear, kind: '-', shape, values: n }, mc, 'wall', pc.warmup, clearCheck);
  if (!withCopies) return;

  const copyK = run.kernel(COPY_WGSL, 'copy');
  const pk = run.plan(`${group}/copyk`, n);
  const mk = await repeat(async () => toSample(await timer.time(() => copyK.run([a, b], n))), pk);
  const copyKCheck = checkSample(filled, sample, await readSample(device, b, sample));
  await run.push({ group, variant: V.copyKernel, kind: '-', shape, values: n }, mk, 'gpu', pk.warmup, copyKCheck);

  clearBuffer(device, b, n * 4);
  const pb = run.plan(`${group}/copy`, n);
  const mb = await repeat(async () => toSample(await timer.time(() => copyBuffer(device, a, b, n * 4))), pb);
  const copyCheck = checkSample(filled, sample, await readSample(device, b, sample));
  await run.push({ group, variant: V.copy, kind: '-', shape, values: n }, mb, 'wall', pb.warmup, copyCheck);
}
