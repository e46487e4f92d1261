/**
 * Reading JSON text with Python's semantics, for the Keras JSON tests: a number lexeme `1` is
 * an int, `1.0`/`1e-05` a float, and objects keep their key order; the field types and key
 * orders of scripts/keras-fixtures/generate.py's field_types; deep equality that tells -0 from 0.
 */

export type Py =
  | { t: 'int' | 'float'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'str'; v: string }
  | { t: 'null' }
  | { t: 'list'; v: Py[] }
  | { t: 'dict'; v: [string, Py][] };

export function pyParse(text: string): Py {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const fail = (what: string): never => {
    throw new Error(`pyParse: ${what} at ${i}: ${text.slice(i, i + 20)}`);
  };
  const value = (): Py => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: [string, Py][] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { t: 'dict', v: entries };
      }
      for (;;) {
        ws();
        const k = value();
        if (k.t !== 'str') fail('key');
        ws();
        if (text[i++] !== ':') fail('colon');
        entries.push([(k as { v: string }).v, value()]);
        ws();
        if (text[i] === ',') i++;
        else if (text[i++] === '}') return { t: 'dict', v: entries };
        else fail('object');
      }
    }
    if (c === '[') {
      i++;
      const items: Py[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { t: 'list', v: items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i++] === ']') return { t: 'list', v: items };
        else fail('list');
      }
    }
    if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i));
      if (m === null) return fail('string');
      i += m[0].length;
      return { t: 'str', v: JSON.parse(m[0]) as string };
    }
    for (const [lit, py] of [
      ['true', { t: 'bool', v: true }],
      ['false', { t: 'bool', v: false }],
      ['null', { t: 'null' }],
    ] as const) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return py;
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i));
    if (m === null) return fail('value');
    i += m[0].length;
    return { t: m[1] === undefined && m[2] === undefined ? 'int' : 'float', v: Number(m[0]) };
  };
  const v = value();
  ws();
  if (i !== text.length) fail('trailing text');
  return v;
}

/** The same maps as generate.py's field_types: path → Python type of each leaf ('list' for lists), path → key order of each dict. */
export function fieldTypes(py: Py): { types: Record<string, string>; orders: Record<string, string[]> } {
  const types: Record<string, string> = {};
  const orders: Record<string, string[]> = {};
  const walk = (v: Py, p: string): void => {
    if (v.t === 'dict') {
      orders[p] = v.v.map(([k]) => k);
      for (const [k, x] of v.v) walk(x, p === '' ? k : `${p}.${k}`);
    } else if (v.t === 'list') {
      types[p] = 'list';
      v.v.forEach((x, j) => walk(x, `${p}[${j}]`));
    } else types[p] = v.t;
  };
  walk(py, '');
  return { types, orders };
}

/** Deep equality with Object.is on numbers (so -0 ≠ 0). */
export function sameDeep(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, j) => sameDeep(x, b[j]));
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => sameDeep((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return Object.is(a, b);
}
