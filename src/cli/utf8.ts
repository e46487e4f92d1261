/**
 * Strict UTF-8 for configs: invalid bytes are an error naming their byte offset, never
 * silently replaced by U+FFFD. Decoding is TextDecoder's (fatal: true); the offset and
 * the reason come from {@link firstInvalidUtf8}, which follows the same well-formedness
 * table (Unicode §3.9, table 3-7: no overlongs, no surrogates, nothing above U+10FFFF).
 */
import { CliUsageError } from './errors.ts';

/**
 * Where and why `bytes` stop being well-formed UTF-8, or undefined when they are:
 * `offset` is the first byte that cannot be part of well-formed UTF-8 at its place (a
 * bad lead byte, the continuation that breaks a sequence, or the lead byte of a
 * sequence cut off by the end); `start` is where that ill-formed sequence begins
 * (everything before it is well-formed).
 */
export function firstInvalidUtf8(bytes: Uint8Array): { offset: number; start: number; reason: string } | undefined {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const c = bytes[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0; // overlong below U+0800
      if (c === 0xed) hi = 0x9f; // U+D800 … U+DFFF are surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90; // overlong below U+10000
      if (c === 0xf4) hi = 0x8f; // above U+10FFFF
    } else {
      const why = c <= 0xbf ? 'a continuation byte without a lead byte' : c <= 0xc1 ? 'an overlong lead byte' : 'not a UTF-8 byte';
      return { offset: i, start: i, reason: `byte 0x${c.toString(16)}: ${why}` };
    }
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return { offset: i, start: i, reason: `byte 0x${c.toString(16)} starts a ${need + 1}-byte sequence cut off by the end of the input` };
      const b = bytes[i + k] as number;
      const [l, h] = k === 1 ? [lo, hi] : [0x80, 0xbf];
      if (b < l || b > h) {
        return { offset: i + k, start: i, reason: `byte 0x${b.toString(16)} cannot follow 0x${(bytes[i + k - 1] as number).toString(16)} (sequence from offset ${i})` };
      }
    }
    i += need + 1;
  }
  return undefined;
}

/** Decodes `bytes` as strict UTF-8 (a leading BOM is dropped); `what` names the input (`--config = "f"`). */
export function decodeUtf8Strict(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const where = bad === undefined ? 'not valid UTF-8' : `invalid UTF-8 at byte offset ${bad.offset} (${bad.reason})`;
    throw new CliUsageError(`${what}: ${where}; a config must be UTF-8 text`);
  }
}
