import { describe, expect, it } from 'vitest';
import {
  ChunkPlanError,
  EvaluatorInputError,
  FieldError,
  GpuUnsupportedError,
  KerasJsonError,
  ScheduleConfigError,
  StepError,
} from '../src/index.ts';
import { GpuLimitError } from '../src/gpu/errors.ts';

describe('FieldError, the one error base', () => {
  it('writes field = value: rule, the value by the one formatter (strings quoted, -0 kept)', () => {
    expect(new FieldError('a', -0, 'must be > 0').message).toBe('a = -0: must be > 0');
    expect(new FieldError('a', 'x', 'must be a number').message).toBe('a = "x": must be a number');
    expect(new FieldError('a', [1, 2], 'r').message).toBe('a = [1,2]: r');
    expect(new FieldError('a', 1, 'r', 'own text').message).toBe('own text');
    expect(new FieldError('boundaries', Array.from({ length: 10 ** 5 }, (_, i) => i), 'r').message).toBe('boundaries = [0,1,2,3,4,5,6,7, ... (100000 items)]: r');
    expect(new FieldError('name', 'x'.repeat(500), 'r').message).toBe(`name = "${'x'.repeat(116)}...: r`);
  });

  it.each([
    ['ScheduleConfigError', new ScheduleConfigError('CosineDecay.decaySteps', -5, 'must be > 0'), 'CosineDecay.decaySteps = -5: must be > 0'],
    ['KerasJsonError', new KerasJsonError('config.decay_steps', 'x', 'must be a number'), 'config.decay_steps = "x": must be a number'],
    ['StepError', new StepError('steps[3]', 1.5, 'must be an integer'), 'steps[3] = 1.5: must be an integer'],
    ['EvaluatorInputError', new EvaluatorInputError('chunkSteps', 0, 'must be an integer ≥ 1'), 'chunkSteps = 0: must be an integer ≥ 1'],
    ['GpuUnsupportedError', new GpuUnsupportedError('power', 1e6, 'must be ≤ 4096 on the GPU', 3), 'schedule #3: power = 1000000: must be ≤ 4096 on the GPU'],
    ['ChunkPlanError', new ChunkPlanError('rows', -1, 'must be an integer ≥ 0'), 'rows = -1: must be an integer ≥ 0'],
    ['GpuLimitError', new GpuLimitError('step list', 8, 'maxBufferSize', 4), "step list = 8 bytes: must be ≤ the device's maxBufferSize = 4"],
  ])('%s is a FieldError (and a RangeError) keeping its name, field, value, rule and message', (name, err, message) => {
    expect(err).toBeInstanceOf(FieldError);
    expect(err).toBeInstanceOf(RangeError);
    expect(err.name).toBe(name);
    expect(err.message).toBe(message);
    expect(message.startsWith(`${name === 'GpuUnsupportedError' ? 'schedule #3: ' : ''}${err.field} = `)).toBe(true);
    expect(message.endsWith(err.rule)).toBe(true);
  });
});
