/**
 * The explorer compiles the first sweep kind's pipeline at start-up by evaluating one step
 * of that kind's default schedule (src/app/setup.ts warmKind): every kind's defaults must
 * build a schedule the GPU takes, or that head start silently does nothing.
 */
import { describe, expect, it } from 'vitest';
import { gpuSupport } from '../../src/index.ts';
import { buildSchedule } from '../../src/app/lib.ts';
import { warmupConfig } from '../../src/app/setup.ts';
import { KINDS } from '../../src/app/sweep.ts';
import { isFamily } from '../../src/app/families.ts';

describe('the start-up pipeline warm-up', () => {
  it.each(KINDS)('builds a %s from the explorer defaults that the GPU evaluates at step 0', (kind) => {
    const s = buildSchedule(kind, warmupConfig(kind));
    // A dialect family (src/app/families.ts) builds a Sequence or a registry kind; a Sequence's pieces are what the GPU takes.
    if (s.kind === 'Sequence') {
      expect(isFamily(kind)).toBe(true);
      for (const p of s.pieces) expect(gpuSupport(p.schedule, { minStep: 0, maxStep: 0 })).toBeNull();
    } else {
      if (!isFamily(kind)) expect(s.kind).toBe(kind);
      expect(gpuSupport(s, { minStep: 0, maxStep: 0 })).toBeNull();
    }
  });
});
