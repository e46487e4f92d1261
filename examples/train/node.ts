/**
 * Node runner: `npx tsx examples/train/node.ts [--steps 300] [--variant buffer|inline] [--optimizer adam|momentum] [--seed 1]`
 * Trains on whatever WebGPU Dawn finds (SwiftShader on a machine without a GPU) and
 * prints the loss before and after, the time per step and a few recorded learning rates.
 */
import { parseArgs } from 'node:util';
import { acquireDevice } from '../../src/index.ts';
import { trainLogReg, type Optimizer, type Variant } from './train.ts';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '300' },
    variant: { type: 'string', default: 'buffer' },
    optimizer: { type: 'string', default: 'adam' },
    seed: { type: 'string', default: '1' },
  },
});
const variant = values.variant as Variant;
const optimizer = values.optimizer as Optimizer;
if (variant !== 'buffer' && variant !== 'inline') throw new Error(`--variant must be buffer or inline, got ${variant}`);
if (optimizer !== 'adam' && optimizer !== 'momentum') throw new Error(`--optimizer must be adam or momentum, got ${optimizer}`);

const { device, adapterName } = await acquireDevice();
const r = await trainLogReg({ device, steps: Number(values.steps), variant, optimizer, seed: Number(values.seed) });
console.log(`adapter: ${adapterName}`);
console.log(`${r.steps} steps, ${r.optimizer}, lr from ${r.variant === 'buffer' ? 'the evaluator buffer lr[step]' : 'inline WGSL'}`);
console.log(`loss: ${r.initialLoss.toFixed(4)} -> ${r.finalLoss.toFixed(4)} (${((100 * r.finalLoss) / r.initialLoss).toFixed(1)} % of the start)`);
console.log(`time: ${r.totalMs.toFixed(0)} ms, ${r.msPerStep.toFixed(3)} ms per step (one submit, no readback between steps)`);
const show = [0, 1, Math.floor(r.lrSteps.length / 10), Math.floor(r.lrSteps.length / 2), r.lrSteps.length - 1];
console.log(`lr used: ${show.map((i) => `lr[${r.lrSteps[i]}]=${r.lrUsed[i]?.toPrecision(6)}`).join(', ')}`);
device.destroy();
