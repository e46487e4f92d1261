/**
 * `npm run bench`: the benchmark suite (bench/suite.ts) in Node, WebGPU through
 * the `webgpu` package (Dawn), tfjs peers on tfjs-backend-webgpu (given Dawn as
 * navigator.gpu) and tfjs-backend-cpu.
 *
 *   npm run bench                        full suite, table on stdout
 *   npm run bench -- --quick             small sizes, few repetitions (a smoke run)
 *   npm run bench -- --only sweep,peers  some groups: baseline, single, sweep, peers, self-test
 *   npm run bench -- --self-test         only the wrong-kernel self-test
 *   npm run bench -- --only cli-crossover  the CLI's auto crossover, cpu vs webgpu (bench/cli-crossover.ts)
 *   npm run bench -- --only instructions   static instruction counts per kind (bench/instructions.ts; in the default run too)
 *   npm run bench -- --only cpu-jobs       the CPU path's jobs (a) (b) (c) against naive JS, tfjs-cpu, numpy, JAX (bench/cpu-jobs.ts; in the default run too)
 *   npm run bench -- --sizes 16,20,24    log2 sizes of the single-schedule group
 *   npm run bench -- --json [--out f]    every figure as JSON (stdout, or file f); the table goes to stderr
 *
 * Exit status 1 when a row fails its verification (or a wrong kernel is not flagged).
 */
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem, platform, release, arch, tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { acquireDevice, getGpu } from '../src/gpu/device.ts';
import { adapterRecord, project } from './project.ts';
import { readyTf, type Tf, type TfHandle } from './peers.ts';
import { formatRatios, formatTable } from './report.ts';
import { NODE_GROUPS, parseArgs } from './args.ts';
import { runCliCrossover } from './cli-crossover.ts';
import { measureInstructions } from './instructions.ts';
import { runCpuJobs } from './cpu-jobs.ts';
import { defaultOptions } from './options.ts';
import { runSuite } from './suite.ts';
import { GROUPS, type BenchEnv, type SuiteOptions } from './types.ts';

async function loadTf(gpu: GPU | undefined): Promise<Tf> {
  if (gpu) {
    // tfjs-backend-webgpu registers itself only when navigator.gpu exists at import time.
    const g = globalThis as { navigator?: { gpu?: GPU } };
    if (g.navigator) {
      if (!g.navigator.gpu) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
    } else {
      Object.defineProperty(globalThis, 'navigator', { value: { gpu, userAgent: `Node.js ${process.version}` }, configurable: true, writable: true });
    }
  }
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  if (gpu) await import('@tensorflow/tfjs-backend-webgpu');
  return tf;
}

/** tfjs on its cpu backend for the cpu-jobs group (undefined when it does not start). */
async function loadTfCpu(): Promise<Tf | undefined> {
  try {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    return (await tf.setBackend('cpu')) ? tf : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`usage: npm run bench -- [--quick] [--only ${[...GROUPS, ...NODE_GROUPS].join(',')}] [--self-test] [--sizes 16,18,...] [--json] [--out file]\n`);
    return 0;
  }
  if (!process.env.XDG_RUNTIME_DIR || !existsSync(process.env.XDG_RUNTIME_DIR)) process.env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'lr-xdg-'));
  // With --json, stdout carries only the JSON: everything else (our log, tfjs's banner) goes to stderr.
  const out = (s: string): void => void (args.json ? process.stderr : process.stdout).write(s);
  if (args.json) console.log = (...xs: unknown[]) => void process.stderr.write(`${xs.map(String).join(' ')}\n`);

  // Node-only groups first, before this process holds a device of its own.
  const crossover = args.nodeOnly.has('cli-crossover') ? await runCliCrossover(args.quick, (l) => out(`${l}\n`)) : undefined;
  const instructions = args.nodeOnly.has('instructions') ? measureInstructions((l) => out(`${l}\n`)) : undefined;
  const cpuJobs = args.nodeOnly.has('cpu-jobs') ? await runCpuJobs(args.quick, await loadTfCpu(), (l) => out(`${l}\n`)) : undefined;
  if (args.only.size === 0) {
    if (args.json) {
      const text = `${JSON.stringify({ command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(), cliCrossover: crossover, instructions, cpuJobs }, null, 2)}\n`;
      if (args.out) writeFileSync(args.out, text);
      else process.stdout.write(text);
    }
    return crossover === undefined || crossover.consistent ? 0 : 1;
  }

  const base = defaultOptions(args.quick, args.only);
  const opts: SuiteOptions = args.sizes ? { ...base, log2Sizes: args.sizes } : base;

  const started = new Date();
  let device: GPUDevice | undefined;
  let adapterInfo: Record<string, unknown> = { available: false };
  try {
    const acquired = await acquireDevice();
    device = acquired.device;
    const limits = device.limits;
    adapterInfo = {
      ...adapterRecord(acquired, { limits: { maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize, maxBufferSize: limits.maxBufferSize, maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension } }),
      vkIcd: process.env.VK_ICD_FILENAMES ?? null,
    };
  } catch (err) {
    out(`no WebGPU device: ${(err as Error).message}; GPU rows are skipped\n`);
  }

  let tfPromise: Promise<Tf> | undefined;
  const env: BenchEnv = {
    platform: 'node',
    project,
    device,
    async tfjs(backend): Promise<TfHandle> {
      tfPromise ??= loadTf(device ? await getGpu() : undefined);
      const tf = await tfPromise;
      return readyTf(tf, backend);
    },
    now: () => performance.now(),
    log: (line) => out(`${line}\n`),
  };

  const cpu = cpus();
  const machine = {
    platform: `${platform()} ${release()} ${arch()}`,
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
    node: process.version,
    runtime: 'Node.js + webgpu (Dawn)',
  };
  out(`bench: ${machine.cpu} × ${machine.cores}, ${machine.platform}, Node ${machine.node}; adapter: ${String(adapterInfo.name ?? 'none')}${adapterInfo.emulated === 'CPU emulation' ? ' (CPU emulation: use ratios, not absolute speed)' : ''}\n`);
  out(`groups: ${[...opts.groups].join(', ')}; sizes 2^${opts.log2Sizes.join(', 2^')}; ${args.quick ? 'quick' : 'full'}\n\n`);

  const result = await runSuite(env, opts);
  device?.destroy();

  out(`\n${formatTable(result.rows)}\n\n${formatRatios(result)}\n`);
  const report = { started: started.toISOString(), command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(), machine, adapter: adapterInfo, ...result, ...(crossover ? { cliCrossover: crossover } : {}), ...(instructions ? { instructions } : {}), ...(cpuJobs ? { cpuJobs } : {}) };
  if (args.json) {
    const text = `${JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`;
    if (args.out) writeFileSync(args.out, text);
    else process.stdout.write(text);
  }
  return result.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
