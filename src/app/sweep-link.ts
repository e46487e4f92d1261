/**
 * The share link: `#sweep=<base64url JSON>` carries the definition (never the values),
 * and is validated on the way in, because it comes from whoever sent the link.
 */
import { FIELDS, KINDS, MAX_LINK_CHARS, SweepError, shownValue, validateSweep, type Kind, type ParamSpec, type Scalar, type SweepDef } from './sweep.ts';

const HASH_KEY = 'sweep=';

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  const bad = /[^A-Za-z0-9_-]/.exec(text);
  if (bad) {
    throw new SweepError('url', `character ${JSON.stringify(bad[0])} at position ${bad.index} of the link's data is not base64url (A–Z, a–z, 0–9, - and _ only); the link was cut or re-encoded`);
  }
  if (text.length % 4 === 1) throw new SweepError('url', `${text.length} base64url characters cannot be whole bytes (a length of 4k + 1); the link was cut`);
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  let bin: string;
  try {
    bin = atob(b64);
  } catch {
    throw new SweepError('url', `the link's data (${text.length} characters) is not valid base64url`);
  }
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SweepError('url', 'the link decodes to bytes that are not UTF-8 text');
  }
}

/** `#sweep=<base64url JSON>` for a definition (and the pins, when given: pin-link.ts writes and reads them). */
export function encodeSweepHash(def: SweepDef, pins?: readonly unknown[]): string {
  return `#${HASH_KEY}${toBase64Url(JSON.stringify({ v: 1, ...def, ...(pins && pins.length > 0 ? { pins } : {}) }))}`;
}

/** Whether a location hash holds a share link (`#sweep=…`), well formed or not. */
export function isSweepLink(hash: string): boolean {
  return hash.replace(/^#/, '').startsWith(HASH_KEY);
}

/** Reads a definition from a location hash; null when the hash has none. Throws SweepError when it is malformed. */
export function decodeSweepHash(hash: string): SweepDef | null {
  return decodeSweepLink(hash)?.def ?? null;
}

/** The definition and the raw `pins` value (unchecked: pin-link.ts reads it) of a location hash; null when the hash has none. */
export function decodeSweepLink(hash: string): { def: SweepDef; pins: unknown } | null {
  const h = hash.replace(/^#/, '');
  if (!h.startsWith(HASH_KEY)) return null;
  if (h.length > MAX_LINK_CHARS) {
    throw new SweepError('url', `the link's data is ${h.length.toLocaleString('en-US')} characters; at most ${MAX_LINK_CHARS.toLocaleString('en-US')}`);
  }
  const text = fromBase64Url(h.slice(HASH_KEY.length));
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SweepError('url', `the link does not hold valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return { def: sweepFromJson(raw), pins: isRecord(raw) ? raw['pins'] : undefined };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Rebuilds a definition from untrusted JSON, checking every field's type. */
export function sweepFromJson(raw: unknown): SweepDef {
  if (!isRecord(raw)) throw new SweepError('url', `expected a JSON object, got ${shownValue(raw)}`);
  if (raw['v'] !== 1) throw new SweepError('v', `unsupported version ${shownValue(raw['v'])} (this page reads version 1)`);
  const kind = raw['kind'];
  if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) throw new SweepError('kind', `unknown schedule class ${shownValue(kind)} (known: ${KINDS.join(', ')})`);
  const fields = FIELDS[kind as Kind];
  const params: Record<string, ParamSpec> = {};
  const rawParams = raw['params'];
  if (!isRecord(rawParams)) throw new SweepError('params', `expected an object, got ${shownValue(rawParams)}`);
  for (const [key, s] of Object.entries(rawParams)) {
    // Checked before use as a key: `__proto__` or any other name is not a field.
    if (!fields.some((f) => f.key === key)) throw new SweepError(`params.${key}`, `not a parameter of ${kind} (known: ${fields.map((f) => f.key).join(', ')})`);
    if (!isRecord(s)) throw new SweepError(key, `expected an object, got ${shownValue(s)}`);
    if (s['mode'] === 'range') {
      const { from, to, count, spacing } = s;
      if (typeof from !== 'number' || typeof to !== 'number' || typeof count !== 'number' || (spacing !== 'linear' && spacing !== 'log')) {
        throw new SweepError(key, `a range needs from, to, count (numbers) and spacing (linear or log), got ${shownValue(s)}`);
      }
      params[key] = { mode: 'range', from, to, count, spacing };
    } else if (s['mode'] === 'single' || s['mode'] === 'list') {
      const values = s['values'];
      if (!Array.isArray(values)) throw new SweepError(key, `values must be a list, got ${shownValue(values)}`);
      params[key] = { mode: s['mode'], values: values as Scalar[] };
    } else {
      throw new SweepError(key, `mode must be single, list or range, got ${shownValue(s['mode'])}`);
    }
  }
  const st = raw['steps'];
  if (!isRecord(st) || typeof st['start'] !== 'number' || typeof st['end'] !== 'number' || typeof st['stride'] !== 'number') {
    throw new SweepError('steps', `needs numeric start, end and stride, got ${shownValue(st)}`);
  }
  const extra = raw['extra'] ?? [];
  if (!Array.isArray(extra)) throw new SweepError('extra', `must be a list of Keras JSON objects, got ${shownValue(extra)}`);
  const colorBy = typeof raw['colorBy'] === 'string' ? raw['colorBy'] : '';
  const yScale = raw['yScale'] === 'linear' ? 'linear' : raw['yScale'] === 'log' ? 'log' : null;
  if (yScale === null) throw new SweepError('yScale', `must be "linear" or "log", got ${shownValue(raw['yScale'])}`);
  const def: SweepDef = {
    kind: kind as Kind,
    params,
    steps: { start: st['start'], end: st['end'], stride: st['stride'] },
    extra: extra as unknown[],
    colorBy,
    yScale,
  };
  validateSweep(def);
  return def;
}
