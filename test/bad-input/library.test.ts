/**
 * Issue F.2, the bad-input catalog through the library: each case of
 * test/fixtures/bad-inputs.ts must throw the project's error (class, field, value, rule,
 * and a message naming all three), never return a number.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExponentialDecay, createEvaluator, createSchedule, deserializeMany, type Evaluator, type Steps } from '../../src/index.ts';
import { deserialize } from '../../src/schedules/keras.ts';
import { BAD_INPUTS, type BadInputCase, type Expected } from '../fixtures/bad-inputs.ts';
import { requireDevice } from '../helpers/gpu.ts';

interface ProjectError {
  readonly name: string;
  readonly field: string;
  readonly value: unknown;
  readonly rule: string;
  readonly message: string;
}

async function caught(fn: () => unknown): Promise<ProjectError> {
  try {
    await fn();
  } catch (e) {
    return e as ProjectError;
  }
  throw new Error('no error: the bad input was accepted');
}

function check(err: ProjectError, exp: Expected, c: BadInputCase): void {
  const where = `${c.id}: got ${err.name}: ${err.message}`;
  expect(err.name, where).toBe(exp.error);
  expect(err.field, where).toBe(exp.field);
  expect(err.rule, where).toMatch(exp.rule);
  expect(err.message, where).toContain(err.field);
  expect(err.message, where).toContain(err.rule);
}

const S = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 });

describe(`bad-input catalog through the library (${BAD_INPUTS.length} cases)`, () => {
  let gpu: Evaluator;
  let cpu: Evaluator;
  beforeAll(async () => {
    gpu = await createEvaluator({ backend: 'webgpu', device: (await requireDevice()).device });
    cpu = await createEvaluator({ backend: 'cpu' });
  });
  afterAll(() => {
    gpu?.destroy();
    cpu?.destroy();
  });

  it('has at least 40 cases, unique ids, and docs/bad-inputs.md lists every id', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
    const ids = BAD_INPUTS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const doc = readFileSync(new URL('../../docs/bad-inputs.md', import.meta.url), 'utf8');
    const missing = ids.filter((id) => !doc.includes(`\`${id}\``));
    expect(missing, 'ids missing from docs/bad-inputs.md (regenerate: npx tsx test/fixtures/bad-inputs-doc.ts)').toEqual([]);
  });

  it.each(BAD_INPUTS.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    switch (c.surface) {
      case 'config': {
        const err = await caught(() => createSchedule(c.kind, c.config as never));
        check(err, c.expect, c);
        break;
      }
      case 'json': {
        const list = c.text.trimStart().startsWith('[');
        if (!list) check(await caught(() => deserialize(c.text)), c.expect, c);
        check(await caught(() => deserializeMany(c.text)), c.expect, c);
        break;
      }
      case 'steps': {
        const evs = c.backend === 'webgpu' ? [gpu] : [gpu, cpu];
        for (const ev of evs) {
          check(await caught(() => ev.evaluate(S, c.steps as Steps)), c.expect, c);
          check(await caught(() => ev.sweep([S, S], c.steps as Steps)), c.expect, c);
        }
        // The f64 reference itself (no u32 limit there).
        // The f64 reference's fill() rejects the same steps (it has no u32 limit, and empty requests are valid there).
        if (c.backend === undefined && !['steps:empty-list', 'steps:empty-range', 'steps:not-steps'].includes(c.id)) {
          check(await caught(() => S.fill(c.steps as Steps)), c.expect, c);
        }
        break;
      }
      case 'request': {
        const device = (await requireDevice()).device;
        const schedules = Array.from({ length: c.rows }, () => S);
        if (c.toBuffer) {
          const ev = await createEvaluator({ backend: 'webgpu', device, limits: { maxBufferSize: c.toBuffer.maxBufferSize } });
          check(await caught(() => ev.sweepToBuffer(schedules, c.steps as Steps, c.toBuffer?.offset === undefined ? {} : { offset: c.toBuffer.offset })), c.expect, c);
          ev.destroy();
        } else {
          for (const backend of ['webgpu', 'cpu'] as const) {
            const ev = await createEvaluator({ backend, device, ...(c.maxResultBytes === undefined ? {} : { limits: { maxResultBytes: c.maxResultBytes } }) });
            check(await caught(() => ev.sweep(schedules, c.steps as Steps)), c.expect, c);
            ev.destroy();
          }
        }
        break;
      }
    }
  });
});
