/**
 * The shipped declarations, as a strict consumer compiles them: a fresh project that
 * installed the packed tarball, `strict`, `skipLibCheck: false`, on TypeScript 5.9,
 * 6.x and 7.x (the devDependencies `typescript-5.9`, `typescript`, `typescript-7`).
 *
 * - With lib "DOM": compiles on all three. On 6.x/7.x lib.dom has the WebGPU types
 *   and the package's GPUDevice/GPUBuffer are the real ones (checked by using their
 *   members); on 5.9 they are the real ones once `"types": ["@webgpu/types"]` is
 *   added (README, "Supported environments"), opaque placeholders without it.
 * - Node-only (lib ES2023, no DOM): compiles on all three with nothing added.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeConsumer, REPO, type Consumer } from './helpers/packed.ts';

const COMPILERS = [
  { version: '5.9', pkg: 'typescript-5.9' },
  { version: '6', pkg: 'typescript' },
  { version: '7', pkg: 'typescript-7' },
] as const;

/** Uses the library's API surface; every .d.ts is checked anyway (skipLibCheck: false). */
const USE_LIBRARY = `import { CosineDecay, acquireDevice, createEvaluator, deserialize, type AcquiredDevice } from 'webgpu-lr-schedules';
export async function main(): Promise<number> {
  const schedule = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100 });
  const ev = await createEvaluator({ backend: 'auto', powerPreference: 'low-power' });
  const r = await ev.sweep([schedule, deserialize('{"class_name":"ExponentialDecay","config":{"initial_learning_rate":0.1,"decay_steps":10,"decay_rate":0.5}}')], { start: 0, count: 8 }, { verify: 'all' });
  const acquired: AcquiredDevice = await acquireDevice();
  ev.destroy();
  return r.values.length + schedule.at(3) + (acquired.adapterName.length > 0 ? 1 : 0);
}
`;

/** Uses WebGPU members of the package's GPU types: compiles only with the real WebGPU types. */
const USE_WEBGPU = `import { CosineDecay, acquireDevice, createEvaluator } from 'webgpu-lr-schedules';
export async function gpu(): Promise<number> {
  const { device, adapter } = await acquireDevice();
  const ev = await createEvaluator({ backend: 'webgpu', device });
  const lr: GPUBuffer = await ev.evaluateToBuffer(new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100 }), { start: 0, count: 16 });
  const label: string = device.label + adapter.info.vendor;
  lr.destroy();
  return lr.size + label.length;
}
`;

const USE_NODE_ENTRY = `import { configureSoftwareVulkan, createEvaluator } from 'webgpu-lr-schedules/node';
export const decided: string = configureSoftwareVulkan(process.env);
export const make: typeof createEvaluator = createEvaluator;
`;

function tsconfig(options: { lib: string[]; types: string[]; module: string; files: string[] }): string {
  const compilerOptions = {
    target: 'ES2022',
    module: options.module,
    moduleResolution: options.module === 'NodeNext' ? 'NodeNext' : 'bundler',
    lib: options.lib,
    types: options.types,
    strict: true,
    skipLibCheck: false,
    noEmit: true,
  };
  return `${JSON.stringify({ compilerOptions, files: options.files }, null, 2)}\n`;
}

const DOM = ['ES2023', 'DOM', 'DOM.Iterable'];

let consumer: Consumer;

beforeAll(async () => {
  consumer = await makeConsumer({
    deps: ['@webgpu/types', '@types/node'],
    files: {
      'library.ts': USE_LIBRARY,
      'webgpu.ts': USE_WEBGPU,
      'node-entry.ts': USE_NODE_ENTRY,
      'tsconfig.dom.json': tsconfig({ lib: DOM, types: [], module: 'ESNext', files: ['library.ts'] }),
      'tsconfig.dom-webgpu.json': tsconfig({ lib: DOM, types: [], module: 'ESNext', files: ['library.ts', 'webgpu.ts'] }),
      // TypeScript 5.9's lib.dom has no WebGPU: the one line it needs for the real types.
      'tsconfig.dom-webgpu-types.json': tsconfig({ lib: DOM, types: ['@webgpu/types'], module: 'ESNext', files: ['library.ts', 'webgpu.ts'] }),
      'tsconfig.node.json': tsconfig({ lib: ['ES2023'], types: ['node'], module: 'NodeNext', files: ['library.ts', 'node-entry.ts'] }),
    },
  });
}, 300_000);

afterAll(() => consumer?.remove());

async function tsc(pkg: string, ...args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await consumer.exec(process.execPath, [join(REPO, 'node_modules', pkg, 'bin', 'tsc'), ...args], { timeoutMs: 120_000 });
    return { ok: true, output: stdout + stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message };
  }
}

describe('the packed .d.ts in a strict consumer (skipLibCheck: false)', () => {
  for (const { version, pkg } of COMPILERS) {
    describe(`TypeScript ${version}`, () => {
      it('is that version', async () => {
        const { output } = await tsc(pkg, '--version');
        expect(output.trim()).toMatch(new RegExp(`^Version ${version.replace('.', '\\.')}\\.`));
      });

      it('compiles with lib DOM, nothing else added', async () => {
        // From 6.0 on lib.dom has WebGPU, and the package's GPU types are the real ones.
        const r = await tsc(pkg, '-p', version === '5.9' ? 'tsconfig.dom.json' : 'tsconfig.dom-webgpu.json');
        expect(r.output).toBe('');
        expect(r.ok).toBe(true);
      });

      it('compiles Node-only (lib ES2023, no DOM), nothing else added, both entries', async () => {
        const r = await tsc(pkg, '-p', 'tsconfig.node.json');
        expect(r.output).toBe('');
        expect(r.ok).toBe(true);
      });

      if (version === '5.9') {
        it('has the real WebGPU types with the one line "types": ["@webgpu/types"]', async () => {
          const r = await tsc(pkg, '-p', 'tsconfig.dom-webgpu-types.json');
          expect(r.output).toBe('');
          expect(r.ok).toBe(true);
        });
      }
      if (version === '7') {
        it('would break with "types": ["@webgpu/types"] (why the README gives that line for 5.9 only)', async () => {
          const r = await tsc(pkg, '-p', 'tsconfig.dom-webgpu-types.json');
          expect(r.ok).toBe(false);
          expect(r.output).toMatch(/Duplicate identifier 'GPU|@webgpu\/types/);
        });
      }
    });
  }
});
