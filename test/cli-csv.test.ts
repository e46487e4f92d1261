/**
 * The sweep CSV (issue K.6): a header naming each schedule by its class and the swept
 * parameters (the fields that differ between the sweep's schedules of that class),
 * RFC 4180 quoting, one line per step; parsed back with an RFC 4180 reader and checked
 * against the JSON output's values and labels.
 */
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/io.ts';
import { csvField, scheduleLabels } from '../src/cli/labels.ts';
import { runCli } from '../src/cli/main.ts';
import { CosineDecay, ExponentialDecay, PiecewiseConstantDecay, serialize, type Schedule } from '../src/index.ts';

/** RFC 4180: fields separated by commas, quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
        if (i < text.length && text[i] !== ',' && text[i] !== '\n') throw new Error(`CSV: text after a closing quote at ${i}`);
      } else {
        field += c;
        i++;
      }
      continue;
    }
    if (c === '"') {
      if (field !== '') throw new Error(`CSV: a quote inside an unquoted field at ${i}`);
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
    i++;
  }
  if (quoted) throw new Error('CSV: unterminated quote');
  if (field !== '' || row.length > 0) throw new Error('CSV: no final line break');
  return rows;
}

async function sweep(schedules: readonly Schedule[], format: 'csv' | 'json', steps = '0,500,999'): Promise<string> {
  let out = '';
  let err = '';
  const io: CliIo = {
    readInput: () => Promise.resolve(JSON.stringify(schedules.map((s) => serialize(s)))),
    stdout: (t) => void (out += String(t)),
    stderr: (t) => void (err += t),
  };
  const code = await runCli(['sweep', '--config', '-', '--steps', steps, '--backend', 'reference', '--format', format], io);
  expect(code, err).toBe(0);
  return out;
}

const cos = (warmupTarget: number, warmupSteps: number, name?: string): CosineDecay =>
  new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, warmupTarget, warmupSteps, ...(name === undefined ? {} : { name }) });

describe('sweep CSV header', () => {
  it('names each schedule by class and swept parameters (RFC 4180 quoted); values match the json output', async () => {
    const ss = [cos(0.001, 500), cos(0.002, 200), cos(0.002, 500)];
    const text = await sweep(ss, 'csv');
    expect(text.split('\n')[0]).toBe(
      'step,"CosineDecay(warmup_target=0.001,warmup_steps=500)","CosineDecay(warmup_target=0.002,warmup_steps=200)","CosineDecay(warmup_target=0.002,warmup_steps=500)"',
    );
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['step', ...scheduleLabels(ss)]);
    expect(rows.map((r) => r.length)).toEqual([4, 4, 4, 4]);
    const json = JSON.parse(await sweep(ss, 'json')) as { labels: string[]; steps: number[]; values: number[][] };
    expect(json.labels).toEqual(rows[0]?.slice(1));
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(json.steps);
    for (let c = 0; c < 3; c++) for (let r = 0; r < 3; r++) expect(Number(rows[c + 1]?.[r + 1])).toBe(json.values[r]?.[c]);
    for (let c = 0; c < 3; c++) for (let r = 0; r < 3; r++) expect(Number(rows[c + 1]?.[r + 1])).toBe((ss[r] as Schedule).at([0, 500, 999][c] as number));
  });
  it('mixed classes: per-class swept fields; a class seen once by its name alone; list values as JSON', async () => {
    const ss: Schedule[] = [
      new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }),
      new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }),
      new PiecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5, 0.1] }),
      new PiecewiseConstantDecay({ boundaries: [10, 30], values: [1, 0.5, 0.1] }),
      cos(0.001, 500),
    ];
    expect(scheduleLabels(ss)).toEqual([
      'ExponentialDecay(staircase=false)',
      'ExponentialDecay(staircase=true)',
      'PiecewiseConstantDecay(boundaries=[10,20])',
      'PiecewiseConstantDecay(boundaries=[10,30])',
      'CosineDecay',
    ]);
    const rows = parseCsv(await sweep(ss, 'csv'));
    expect(rows[0]).toEqual(['step', ...scheduleLabels(ss)]);
  });
  it('equal configs: the name tells them apart, else #index; quotes and commas in names survive a parse', async () => {
    expect(scheduleLabels([cos(0.001, 500, 'a'), cos(0.001, 500, 'b')])).toEqual(['CosineDecay(name="a")', 'CosineDecay(name="b")']);
    expect(scheduleLabels([cos(0.001, 500), cos(0.001, 500)])).toEqual(['CosineDecay #0', 'CosineDecay #1']);
    const tricky = [cos(0.001, 500, 'say "hi", ok'), cos(0.001, 500, 'line\nbreak')];
    const rows = parseCsv(await sweep(tricky, 'csv'));
    expect(rows[0]).toEqual(['step', 'CosineDecay(name="say \\"hi\\", ok")', 'CosineDecay(name="line\\nbreak")']);
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField('plain')).toBe('plain');
    expect(csvField('x\r\ny')).toBe('"x\r\ny"');
  });
  it('eval CSV keeps step,value', async () => {
    let out = '';
    const io: CliIo = { readInput: () => Promise.resolve(JSON.stringify(serialize(cos(0.001, 500)))), stdout: (t) => void (out += String(t)), stderr: () => undefined };
    expect(await runCli(['eval', '--config', '-', '--steps', '0', '--backend', 'reference', '--format', 'csv'], io)).toBe(0);
    expect(out).toBe('step,value\n0,0.1\n');
  });
});
