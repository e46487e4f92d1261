/**
 * `lr-schedules plot` (issue K.6): the SVG is parsed (a strict XML parser below, no
 * dependency) and checked for structure (title, axis tick labels, legend entries or
 * colour bar, one polyline per schedule), escaping, and that every polyline point is
 * (X(step), Y(schedule.at(step))) through the axis scales read back from the tick
 * labels. Coordinates are written with 2 decimals: a point may be 0.005 px off, and
 * the scale fitted from two ticks (also rounded) adds at most ~0.01 px over the plot,
 * so points must lie within 0.02 px. The tick algorithm must match d3-scale's.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/io.ts';
import { runCli } from '../src/cli/main.ts';
import { CosineDecay, CosineDecayRestarts, ExponentialDecay, serialize, type Schedule } from '../src/index.ts';

interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly (XmlElement | string)[];
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;

function decodeEntities(s: string, at: number): string {
  return s.replace(/&([^;]*);|&/g, (m, ent: string | undefined) => {
    if (ent === undefined) throw new Error(`XML: a bare & near offset ${at}`);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (ent in named) return named[ent] as string;
    if (/^#[0-9]+$/.test(ent)) return String.fromCodePoint(Number(ent.slice(1)));
    if (/^#x[0-9a-fA-F]+$/.test(ent)) return String.fromCodePoint(parseInt(ent.slice(2), 16));
    throw new Error(`XML: unknown entity ${m} near offset ${at}`);
  });
}

function parseXml(text: string): XmlElement {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`XML: ${why} at offset ${i}: ${JSON.stringify(text.slice(i, i + 40))}`);
  };
  const skipWs = (): void => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  const name = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(text);
    if (m === null) fail('a name expected');
    i += (m as RegExpExecArray)[0].length;
    return (m as RegExpExecArray)[0];
  };
  const misc = (): void => {
    for (;;) {
      skipWs();
      if (text.startsWith('<?', i)) {
        const e = text.indexOf('?>', i);
        if (e < 0) fail('unterminated <?');
        i = e + 2;
      } else if (text.startsWith('<!--', i)) {
        const e = text.indexOf('-->', i);
        if (e < 0) fail('unterminated comment');
        i = e + 3;
      } else return;
    }
  };
  const element = (): XmlElement => {
    if (text[i] !== '<') fail('< expected');
    i++;
    const tag = name();
    const attrs: Record<string, string> = {};
    for (;;) {
      const before = i;
      skipWs();
      if (text.startsWith('/>', i)) {
        i += 2;
        return { name: tag, attrs, children: [] };
      }
      if (text[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail('whitespace expected before an attribute');
      const a = name();
      skipWs();
      if (text[i] !== '=') fail('= expected');
      i++;
      skipWs();
      const q = text[i];
      if (q !== '"' && q !== "'") fail('a quoted attribute value expected');
      const e = text.indexOf(q as string, i + 1);
      if (e < 0) fail('unterminated attribute value');
      const raw = text.slice(i + 1, e);
      if (raw.includes('<')) fail('< in an attribute value');
      if (a in attrs) fail(`attribute ${a} repeated`);
      attrs[a] = decodeEntities(raw, i);
      i = e + 1;
    }
    const children: (XmlElement | string)[] = [];
    for (;;) {
      if (i >= text.length) fail(`unclosed <${tag}>`);
      if (text.startsWith('</', i)) {
        i += 2;
        const close = name();
        if (close !== tag) fail(`</${close}> closes <${tag}>`);
        skipWs();
        if (text[i] !== '>') fail('> expected');
        i++;
        return { name: tag, attrs, children };
      }
      if (text.startsWith('<!--', i)) {
        const e = text.indexOf('-->', i);
        if (e < 0) fail('unterminated comment');
        i = e + 3;
        continue;
      }
      if (text[i] === '<') {
        children.push(element());
        continue;
      }
      const e = text.indexOf('<', i);
      const end = e < 0 ? text.length : e;
      const raw = text.slice(i, end);
      if (raw.includes('>') && raw.includes(']]>')) fail(']]> in text');
      children.push(decodeEntities(raw, i));
      i = end;
    }
  };
  misc();
  const root = element();
  misc();
  if (i !== text.length) fail('content after the root element');
  return root;
}

/** Every element below `el` (depth first) for which `pred` holds. */
function findAll(el: XmlElement, pred: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    if (pred(e)) out.push(e);
    for (const c of e.children) if (typeof c !== 'string') walk(c);
  };
  walk(el);
  return out;
}

/** The text content of `el`. */
function textOf(el: XmlElement): string {
  return el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}

const dir = mkdtempSync(join(tmpdir(), 'lr-cli-plot-'));

async function plot(args: readonly string[], config: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    readInput: () => Promise.resolve(config),
    stdout: (t) => void (out += typeof t === 'string' ? t : Buffer.from(t).toString('latin1')),
    stderr: (t) => void (err += t),
  };
  const code = await runCli(['plot', '--config', '-', ...args], io);
  return { code, out, err };
}

const cls = (e: XmlElement): string => e.attrs.class ?? '';
const byClass = (root: XmlElement, c: string): XmlElement[] => findAll(root, (e) => cls(e) === c);

/** The linear map value → pixel of an axis, fitted from its first and last tick (label text → position). */
function axisScale(root: XmlElement, axis: 'x-axis' | 'y-axis'): { map: (v: number) => number; labels: string[] } {
  const g = byClass(root, axis)[0] as XmlElement;
  const tickEls = findAll(g, (e) => cls(e) === 'tick');
  const pts = tickEls.map((t) => {
    const text = findAll(t, (e) => e.name === 'text')[0] as XmlElement;
    const label = textOf(text);
    const pos = Number(axis === 'x-axis' ? text.attrs.x : text.attrs.y);
    return { v: Number(label), pos, label };
  });
  const a = pts[0] as { v: number; pos: number };
  const b = pts[pts.length - 1] as { v: number; pos: number };
  return { map: (v) => a.pos + ((v - a.v) / (b.v - a.v)) * (b.pos - a.pos), labels: pts.map((p) => p.label) };
}

/** Checks every point of every polyline against schedules[i].at(step). Returns the point counts. */
function checkPoints(root: XmlElement, schedules: readonly Schedule[]): number[] {
  const X = axisScale(root, 'x-axis').map;
  const Y = axisScale(root, 'y-axis').map;
  const lines = findAll(root, (e) => e.name === 'polyline');
  expect(lines).toHaveLength(schedules.length);
  return lines.map((pl, i) => {
    const s = schedules[i] as Schedule;
    const pts = (pl.attrs.points ?? '').split(' ').map((p) => p.split(',').map(Number) as [number, number]);
    const steps = (pl.attrs['data-steps'] ?? '').split(' ').map(Number);
    expect(steps).toHaveLength(pts.length);
    pts.forEach(([x, y], k) => {
      const step = steps[k] as number;
      expect(Math.abs(x - X(step)), `x of step ${step}`).toBeLessThanOrEqual(0.02);
      expect(Math.abs(y - Y(s.at(step))), `y of step ${step}: ${s.at(step)}`).toBeLessThanOrEqual(0.02);
    });
    return pts.length;
  });
}

describe('plot: one schedule', () => {
  const s = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, warmupTarget: 0.2, warmupSteps: 200 });
  const cfg = JSON.stringify(serialize(s));
  it('a valid standalone SVG: title, axes with tick labels, one polyline, one legend entry; points on the curve', async () => {
    const r = await plot(['--range', '0:1300'], cfg);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const root = parseXml(r.out);
    expect(root.name).toBe('svg');
    expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    const title = 'CosineDecay(initial_learning_rate=0.1, decay_steps=1000, alpha=0, warmup_target=0.2, warmup_steps=200)';
    expect(textOf(findAll(root, (e) => e.name === 'title')[0] as XmlElement)).toBe(title);
    expect(textOf(byClass(root, 'title')[0] as XmlElement)).toBe(title);
    expect(axisScale(root, 'x-axis').labels).toEqual(['0', '200', '400', '600', '800', '1000', '1200', '1400']);
    expect(axisScale(root, 'y-axis').labels).toEqual(['0.00', '0.02', '0.04', '0.06', '0.08', '0.10', '0.12', '0.14', '0.16', '0.18', '0.20']);
    expect(textOf(byClass(root, 'x-label')[0] as XmlElement)).toBe('step');
    expect(textOf(byClass(root, 'y-label')[0] as XmlElement)).toBe('learning rate (reference)');
    const legend = byClass(root, 'legend-entry');
    expect(legend.map(textOf)).toEqual(['CosineDecay']);
    const [n] = checkPoints(root, [s]);
    expect(n).toBe(1300); // 1300 steps ≤ 2 × the plot's 698 px: every step drawn
  });
  it('a long range is decimated per pixel column to real (step, value) points; the peak survives', async () => {
    const restarts = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 997, tMul: 1, mMul: 1, alpha: 0 });
    const r = await plot(['--range', '0:200000'], JSON.stringify(serialize(restarts)));
    expect(r.code, r.err).toBe(0);
    const root = parseXml(r.out);
    const [n] = checkPoints(root, [restarts]);
    expect(n).toBeLessThanOrEqual(4 * 698);
    const steps = ((findAll(root, (e) => e.name === 'polyline')[0] as XmlElement).attrs['data-steps'] ?? '').split(' ').map(Number);
    // Every restart peak (value 1 at multiples of 997) and the last step are drawn.
    const peaks = Array.from({ length: Math.floor(199999 / 997) + 1 }, (_, k) => k * 997);
    for (const p of peaks) expect(steps).toContain(p);
  });
  it('an unsorted --steps list is drawn in step order', async () => {
    const e = new ExponentialDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 0.5 });
    const r = await plot(['--steps', '30,0,20,10,10'], JSON.stringify(serialize(e)));
    expect(r.code, r.err).toBe(0);
    const root = parseXml(r.out);
    checkPoints(root, [e]);
    expect((findAll(root, (x) => x.name === 'polyline')[0] as XmlElement).attrs['data-steps']).toBe('0 10 10 20 30');
  });
  it('every text is escaped: a hostile --title and schedule name round-trip as text', async () => {
    const hostile = `<script>alert("x")</script> & 'q' ]]>`;
    const named = JSON.stringify(serialize(new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, name: `<script>&"'` })));
    const r = await plot(['--steps', '0,5', '--title', hostile], `[${named}, ${named.replace('"decay_rate":0.5', '"decay_rate":0.25')}]`);
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toMatch(/<script/);
    const root = parseXml(r.out);
    expect(textOf(findAll(root, (e) => e.name === 'title')[0] as XmlElement)).toBe(hostile);
    expect(textOf(byClass(root, 'title')[0] as XmlElement)).toBe(hostile);
  });
});

describe('plot: sweeps', () => {
  it('≤ 20 schedules: one legend entry each, named as the CSV header; colours follow the swept decay_rate', async () => {
    const rates = [0.3, 0.5, 0.7, 0.9];
    const ss = rates.map((d) => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: d }));
    const r = await plot(['--range', '0:1000'], JSON.stringify(ss.map((x) => serialize(x))));
    expect(r.code, r.err).toBe(0);
    const root = parseXml(r.out);
    expect(byClass(root, 'legend-entry').map(textOf)).toEqual(rates.map((d) => `ExponentialDecay(decay_rate=${d})`));
    checkPoints(root, ss);
    const strokes = findAll(root, (e) => e.name === 'polyline').map((e) => e.attrs.stroke);
    expect(strokes[0]).toBe('#440154'); // viridis(0): the smallest decay_rate
    expect(strokes[3]).toBe('#fde725'); // viridis(1): the largest
    expect(new Set(strokes).size).toBe(4);
    expect(byClass(root, 'colour-bar')).toHaveLength(0);
  });
  it('> 20 schedules: a colour bar titled by the swept parameter instead of legend rows', async () => {
    const ss = Array.from({ length: 30 }, (_, i) => new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100 + 10 * i }));
    const r = await plot(['--range', '0:400'], JSON.stringify(ss.map((x) => serialize(x))));
    expect(r.code, r.err).toBe(0);
    const root = parseXml(r.out);
    expect(byClass(root, 'legend-entry')).toHaveLength(0);
    expect(byClass(root, 'colour-bar')).toHaveLength(1);
    expect(textOf(byClass(root, 'colour-bar-title')[0] as XmlElement)).toBe('decay_steps (30 schedules)');
    expect(byClass(root, 'colour-bar-tick').map(textOf)).toEqual(['100', '150', '200', '250', '300', '350']);
    checkPoints(root, ss);
  });
  it('130,000 schedules (beyond what Math.min(...xs) can spread): labels, colour bar and one polyline each', async () => {
    const configs = Array.from({ length: 130_000 }, (_, i) => ({ class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.1, decay_steps: 100 + i, decay_rate: 0.5 } }));
    const r = await plot(['--steps', '0,100'], JSON.stringify(configs));
    expect(r.code, r.err).toBe(0);
    expect(r.out.match(/<polyline /g)).toHaveLength(130_000);
    expect(r.out).toContain('>decay_steps (130000 schedules)</text>');
    expect(r.out).toContain('data-label="ExponentialDecay(decay_steps=130099)"');
  }, 120_000);
  it('mixed classes: palette colours, legend by class', async () => {
    const ss: Schedule[] = [new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100 }), new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 })];
    const r = await plot(['--range', '0:200'], JSON.stringify(ss.map((x) => serialize(x))));
    const root = parseXml(r.out);
    expect(byClass(root, 'legend-entry').map(textOf)).toEqual(['CosineDecay', 'ExponentialDecay']);
    expect(findAll(root, (e) => e.name === 'polyline').map((e) => e.attrs.stroke)).toEqual(['#1f77b4', '#ff7f0e']);
    checkPoints(root, ss);
  });
});

describe('plot: the real process and bad input', () => {
  const cfg = JSON.stringify(serialize(new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 })));
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'plot', ...args], { encoding: 'utf8', input: cfg, timeout: 60_000 });
  it('--out file.svg writes the SVG; nothing on stdout', () => {
    const f = join(dir, 'p.svg');
    const r = run(['--config', '-', '--range', '0:50', '--out', f]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(parseXml(readFileSync(f, 'utf8')).name).toBe('svg');
  });
  it('--format png: the same chart rasterized (@resvg/resvg-js, an optional peer): a PNG of the SVG\'s size; refused on a terminal', async () => {
    const svg = await plot(['--range', '0:50'], cfg);
    const root = parseXml(svg.out);
    const f = join(dir, 'p.png');
    const r = run(['--config', '-', '--range', '0:50', '--format', 'png', '--out', f]);
    expect(r.status, r.stderr).toBe(0);
    const png = readFileSync(f);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([Number(root.attrs.width), Number(root.attrs.height)]);
    let err = '';
    const tty: CliIo = { readInput: () => Promise.resolve(cfg), stdout: () => undefined, stderr: (t) => void (err += t), stdoutIsTTY: true };
    expect(await runCli(['plot', '--config', '-', '--range', '0:5', '--format', 'png'], tty)).toBe(2);
    expect(err).toMatch(/refusing to write binary to a terminal/);
  });
  it('bad input: exit 2, one line, no file', async () => {
    const f = join(dir, 'never.svg');
    for (const [args, msg] of [
      [['--range', '0:50', '--height', '1e3'], /--height = "1e3": must be an integer 150 … 4000/],
      [['--range', '0:50', '--format', 'pdf'], /--format = "pdf": must be one of svg, png/],
      [['--range', '5:5'], /--range = "5:5": STOP must be > START/],
    ] as const) {
      const r = await plot([...args, '--out', f], cfg);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(msg);
    }
    const bad = await plot(['--range', '0:5', '--out', f], '{"class_name": "ExponentialDecay", "config": {"initial_learning_rate": 0.1, "decay_steps": 0, "decay_rate": 0.5}}');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/config\.decay_steps = 0: must be > 0/);
    expect(existsSync(f)).toBe(false);
  });
});
