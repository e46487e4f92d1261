import { describe, expect, it } from 'vitest';
import { parseArgs } from '../bench/args.ts';

describe('bench arguments', () => {
  it('defaults to every group, table output', () => {
    const a = parseArgs([]);
    expect(a.json).toBe(false);
    expect(a.quick).toBe(false);
    expect([...a.only]).toEqual(['baseline', 'single', 'sweep', 'peers', 'self-test']);
  });
  it('--json, --quick, --only, --sizes, --out, --self-test', () => {
    const a = parseArgs(['--json', '--quick', '--only', 'sweep,peers', '--sizes=16,20', '--out', 'x.json']);
    expect(a).toMatchObject({ json: true, quick: true, sizes: [16, 20], out: 'x.json' });
    expect([...a.only]).toEqual(['sweep', 'peers']);
    expect([...parseArgs(['--self-test']).only]).toEqual(['self-test']);
  });
  it('rejects unknown groups and arguments', () => {
    expect(() => parseArgs(['--only', 'gpu'])).toThrow(/unknown group 'gpu'/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown argument/);
    expect(() => parseArgs(['--sizes', '40'])).toThrow(/--sizes/);
  });
});
