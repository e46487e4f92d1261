/** `npx tsx examples/snippets/run.ts`: runs the README snippets on the WebGPU device Dawn finds. */
import { acquireDevice } from '../../src/index.ts';
import { trainWithLrBuffer } from './lr-buffer.ts';
import { lrFromInlineWgsl } from './lr-inline.ts';
import { lrFromInlineSequence } from './lr-sequence-inline.ts';

const { device, adapterName } = await acquireDevice();
console.log(`adapter: ${adapterName}`);
const w = await trainWithLrBuffer(device);
console.log(`buffer: after 1000 SGD steps reading lr[step] on the GPU, w[0] = ${w[0]} (= 1 − Π(1 − lr[s] / 256))`);
const lr = await lrFromInlineWgsl(device);
console.log(`inline: cosine_decay(sched, step) in a user kernel: lr[0] = ${lr[0]}, lr[100] = ${lr[100]}, lr[550] = ${lr[550]}, lr[999] = ${lr[999]}`);
const seq = await lrFromInlineSequence(device);
console.log(`inline Sequence: lr_at(step) in a user kernel: lr[50] = ${seq[50]}, lr[500] = ${seq[500]}, lr[900] = ${seq[900]}`);
device.destroy();
