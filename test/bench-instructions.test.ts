import { describe, expect, it } from 'vitest';
import { parseArgs } from '../bench/args.ts';
import { countInstructions, extractSpirv } from '../bench/instructions.ts';

const DUMP = `info:
// Dumped WGSL:
fn f() {}
info:
/* Dumped SPIRV disassembly */
; SPIR-V
; Version: 1.4
               OpCapability Shader
               OpEntryPoint GLCompute %main "main"
       %void = OpTypeVoid
       %main = OpFunction %void None %3
          %4 = OpLabel
               OpSelectionMerge %6 None
               OpBranchConditional %true %5 %6
          %5 = OpLabel
          %7 = OpIAdd %uint %a %b
               OpBranch %6
          %6 = OpLabel
               OpReturn
               OpFunctionEnd
info:
something else
ok true
`;

describe('the static instruction count of bench/instructions.ts', () => {
  it("takes the SPIR-V disassembly out of Dawn's dump_shaders output and nothing after it", () => {
    const asm = extractSpirv(DUMP);
    expect(asm).toContain('OpCapability Shader');
    expect(asm).not.toContain('Dumped WGSL');
    expect(asm).not.toContain('something else');
    expect(asm).not.toContain('ok true');
  });

  it('counts the instructions inside functions, leaving out labels and structure annotations', () => {
    // OpBranchConditional, OpIAdd, OpBranch, OpReturn: 4 (OpLabel ×3 and OpSelectionMerge not counted; nothing outside the function).
    expect(countInstructions(extractSpirv(DUMP))).toBe(4);
  });

  it('fails loudly when the dump holds no SPIR-V', () => {
    expect(() => extractSpirv('info:\n// Dumped WGSL:\n')).toThrow(/Dumped SPIRV disassembly/);
  });

  it('runs in the default bench run and with --only instructions, not with --only of other groups', () => {
    expect(parseArgs([]).nodeOnly.has('instructions')).toBe(true);
    expect(parseArgs(['--only', 'instructions']).nodeOnly.has('instructions')).toBe(true);
    expect(parseArgs(['--only', 'sweep']).nodeOnly.has('instructions')).toBe(false);
    expect(parseArgs(['--self-test']).nodeOnly.size).toBe(0);
  });
});
