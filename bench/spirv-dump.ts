/**
 * Child process of bench/instructions.ts: compiles evaluate.wgsl's `eval_range` pipeline
 * once on Dawn with the `dump_shaders` toggle, specialised for one kind (argv[2], a registry
 * kind; with argv[3], a ScheduleParams.flags value, for that flag set too, as the evaluator
 * specialises a part whose rows share their flags) or unspecialised (`mixed`, the pipeline of
 * a mixed sweep), so that Dawn prints the SPIR-V it generated (after override substitution)
 * to stdout. The entry point is eval_range, or the one ENTRY_POINTS names by the key in the
 * environment's SPIRV_ENTRY (e.g. `rangeRow`). Run by the parent only.
 */
import { configureSoftwareVulkan } from '../src/gpu/vulkan-env.ts';
import { ENTRY_POINTS, EVALUATE_WGSL, FLAGS_OVERRIDE, KIND_CODES, KIND_OVERRIDE } from '../src/kernels/index.ts';
import { isScheduleKind } from '../src/schedules/index.ts';

async function main(): Promise<void> {
  const which = process.argv[2] ?? '';
  if (which !== 'mixed' && !isScheduleKind(which)) throw new Error(`spirv-dump: ${which}: not a schedule kind or "mixed"`);
  configureSoftwareVulkan(process.env);
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create(['enable-dawn-features=dump_shaders,disable_symbol_renaming']);
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('spirv-dump: no WebGPU adapter');
  const device = await adapter.requestDevice();
  const module = device.createShaderModule({ code: EVALUATE_WGSL });
  const entry = process.env.SPIRV_ENTRY ?? 'range';
  if (!(entry in ENTRY_POINTS)) throw new Error(`spirv-dump: SPIRV_ENTRY=${entry}: not one of ${Object.keys(ENTRY_POINTS).join(', ')}`);
  const flags = process.argv[3];
  if (flags !== undefined && (which === 'mixed' || !/^\d+$/.test(flags))) throw new Error(`spirv-dump: flags ${flags}: a u32 flags word, with a kind`);
  const constants = which === 'mixed' ? {} : { [KIND_OVERRIDE]: KIND_CODES[which], ...(flags === undefined ? {} : { [FLAGS_OVERRIDE]: Number(flags) }) };
  await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: ENTRY_POINTS[entry as keyof typeof ENTRY_POINTS], constants } });
  device.destroy();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
