/** Browser entry of the training example (examples/train/index.html, served by Vite). */
import { acquireDevice, createEvaluator } from '../../src/index.ts';
import { trainingChartSvg } from './chart.ts';
import { defaultSchedule, trainLogReg, type Optimizer, type TrainResult, type Variant } from './train.ts';

/** What the page leaves on `window` for tests and for the console. */
export interface PageResult {
  readonly adapter: string;
  readonly result?: Omit<TrainResult, 'lossCurve' | 'lossSteps' | 'lrUsed' | 'lrSteps' | 'weights'> & {
    lossCurve: number[];
    lrUsed: number[];
    lrUsedBits: number[];
    /** With ?check=1: lr[0 … steps − 1] as the evaluator wrote it to its buffer, as bits. */
    evaluatorBits?: number[];
  };
  readonly error?: string;
}

declare global {
  interface Window {
    __trainResult?: PageResult;
  }
}

const q = new URLSearchParams(location.search);
const status = document.getElementById('status');
const chart = document.getElementById('chart');
let adapter = 'none';
try {
  const acquired = await acquireDevice();
  adapter = acquired.adapterName;
  const r = await trainLogReg({
    device: acquired.device,
    steps: Number(q.get('steps') ?? 300),
    variant: (q.get('variant') ?? 'buffer') as Variant,
    optimizer: (q.get('optimizer') ?? 'adam') as Optimizer,
    seed: Number(q.get('seed') ?? 1),
    sampleEvery: Number(q.get('every') ?? 1),
  });
  let evaluatorBits: number[] | undefined;
  if (q.get('check') === '1') {
    // Read the evaluator's LR buffer back (after training, outside the timing) so a test can compare bits.
    const { device } = acquired;
    const ev = await createEvaluator({ backend: 'webgpu', device });
    const table = await ev.evaluateToBuffer(defaultSchedule(r.steps), { start: 0, count: r.steps });
    const staging = device.createBuffer({ size: r.steps * 4, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(table, 0, staging, 0, r.steps * 4);
    device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    evaluatorBits = Array.from(new Uint32Array(staging.getMappedRange().slice(0)));
    staging.destroy();
    table.destroy();
    ev.destroy();
  }
  if (chart) chart.innerHTML = trainingChartSvg(r);
  if (status) {
    status.textContent =
      `${adapter}\n${r.steps} steps (${r.optimizer}, lr via ${r.variant}): loss ${r.initialLoss.toFixed(4)} → ${r.finalLoss.toFixed(4)}, ` +
      `${r.msPerStep.toFixed(2)} ms per step`;
  }
  window.__trainResult = {
    adapter,
    result: {
      variant: r.variant,
      optimizer: r.optimizer,
      steps: r.steps,
      initialLoss: r.initialLoss,
      finalLoss: r.finalLoss,
      msPerStep: r.msPerStep,
      totalMs: r.totalMs,
      lossCurve: Array.from(r.lossCurve),
      lrUsed: Array.from(r.lrUsed),
      lrUsedBits: Array.from(new Uint32Array(r.lrUsed.buffer, r.lrUsed.byteOffset, r.lrUsed.length)),
      ...(evaluatorBits ? { evaluatorBits } : {}),
    },
  };
} catch (err) {
  if (status) status.textContent = `failed: ${(err as Error).message}`;
  window.__trainResult = { adapter, error: (err as Error).message };
}
