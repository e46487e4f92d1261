/**
 * Output of the CLI: JSON, CSV or raw float32, streamed in chunks (no giant strings)
 * to stdout or to --out (out-file.ts: atomically through a temp file renamed into
 * place only when complete, so a failed run never creates or touches the output file;
 * FIFOs and devices in place; symlinks followed).
 *
 * Every value is computed before the first byte is written: an error in the input
 * can never leave partial output behind.
 */
import { stepReader, type Steps } from '../index.ts';
import type { CliIo } from './io.ts';
import { csvField } from './labels.ts';
import { cannotWrite, openOut } from './out-file.ts';

/** The output formats of eval and sweep. */
export type OutputFormat = 'json' | 'csv' | 'f32';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['json', 'csv', 'f32'];

/** Where output goes: text or bytes, written in order. */
export interface Sink {
  write(chunk: string | Uint8Array): void | Promise<void>;
}

/** Numbers per written chunk of text. */
const NUMBERS_PER_CHUNK = 8192;
/** Bytes per written chunk of binary. */
const BYTES_PER_CHUNK = 1 << 20;

/** What eval / sweep computed: M × N values, row-major. */
export interface Computed {
  /** The backend that produced the values ('webgpu', 'cpu' or 'reference'). */
  readonly backend: string;
  /** The device, in words (the adapter, 'cpu', 'cpu (f64 reference)'). */
  readonly device: string;
  /** Why the GPU was not used under --backend auto (absent when it was). */
  readonly fallbackReason?: string;
  readonly rows: number;
  readonly cols: number;
  readonly values: Float32Array | Float64Array;
}

/** JSON of a number: the shortest round-tripping decimal of the f64 (an f32 value prints exactly); non-finite → null. */
const jsonNum = (v: number): string => (Number.isFinite(v) ? String(v) : 'null');

async function writeJoined(sink: Sink, n: number, at: (i: number) => string): Promise<void> {
  for (let i0 = 0; i0 < n; i0 += NUMBERS_PER_CHUNK) {
    const i1 = Math.min(n, i0 + NUMBERS_PER_CHUNK);
    const parts: string[] = new Array<string>(i1 - i0);
    for (let i = i0; i < i1; i++) parts[i - i0] = at(i);
    await sink.write(`${i0 === 0 ? '' : ','}${parts.join(',')}`);
  }
}

function header(r: Computed): string {
  const head: Record<string, string | number> = { backend: r.backend, device: r.device };
  if (r.fallbackReason !== undefined) head.fallbackReason = r.fallbackReason;
  return JSON.stringify(head).slice(0, -1);
}

/**
 * Writes `r` in `format`. `sweep` selects the sweep shapes:
 * - json: eval `{"backend","device"[,"fallbackReason"],"steps":[…],"values":[…]}`;
 *   sweep `{…,"schedules":M[,"labels":[…M]],"steps":[…],"values":[[row 0],[row 1],…]}`;
 * - csv: eval `step,value`; sweep `step,<label 0>,…,<label M−1>` (wide form, one row per
 *   step, one column per schedule named by `labels`, see labels.ts; RFC 4180 quoting);
 * - f32: the M × N values as raw little-endian float32, row-major, nothing else.
 */
export async function writeResult(sink: Sink, format: OutputFormat, r: Computed, steps: Steps, sweep: boolean, labels?: readonly string[]): Promise<void> {
  const stepAt = stepReader(steps); // validated steps, not materialised (up to 2^28 of them)
  const { rows, cols, values } = r;
  if (format === 'f32') {
    const f32 = values instanceof Float32Array ? values : Float32Array.from(values);
    const bytes = littleEndianBytes(f32);
    for (let b = 0; b < bytes.length; b += BYTES_PER_CHUNK) await sink.write(bytes.subarray(b, Math.min(bytes.length, b + BYTES_PER_CHUNK)));
    return;
  }
  if (format === 'csv') {
    if (!sweep) {
      await sink.write('step,value\n');
      for (let c0 = 0; c0 < cols; c0 += NUMBERS_PER_CHUNK) {
        const c1 = Math.min(cols, c0 + NUMBERS_PER_CHUNK);
        let text = '';
        for (let c = c0; c < c1; c++) text += `${stepAt(c)},${values[c] as number}\n`;
        await sink.write(text);
      }
      return;
    }
    // Wide form: one column per schedule, named by its class and swept parameters (RFC 4180 quoting).
    const names = labels ?? Array.from({ length: rows }, (_, i) => `schedule ${i}`);
    await sink.write(`step,${names.map(csvField).join(',')}\n`);
    const perChunk = Math.max(1, Math.floor(NUMBERS_PER_CHUNK / Math.max(1, rows)));
    for (let c0 = 0; c0 < cols; c0 += perChunk) {
      const c1 = Math.min(cols, c0 + perChunk);
      let text = '';
      for (let c = c0; c < c1; c++) {
        text += String(stepAt(c));
        for (let row = 0; row < rows; row++) text += `,${values[row * cols + c] as number}`;
        text += '\n';
      }
      await sink.write(text);
    }
    return;
  }
  const labelsJson = sweep && labels !== undefined ? `,"labels":${JSON.stringify(labels)}` : '';
  await sink.write(`${header(r)}${sweep ? `,"schedules":${rows}` : ''}${labelsJson},"steps":[`);
  await writeJoined(sink, cols, (i) => String(stepAt(i)));
  await sink.write('],"values":[');
  if (!sweep) {
    await writeJoined(sink, cols, (i) => jsonNum(values[i] as number));
  } else {
    for (let row = 0; row < rows; row++) {
      await sink.write(row === 0 ? '[' : ',[');
      const base = row * cols;
      await writeJoined(sink, cols, (i) => jsonNum(values[base + i] as number));
      await sink.write(']');
    }
  }
  await sink.write(']}\n');
}

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The bytes of `f32` as little-endian float32 (a view on little-endian hosts, a copy otherwise). */
export function littleEndianBytes(f32: Float32Array): Uint8Array {
  if (HOST_IS_LITTLE_ENDIAN) return new Uint8Array(f32.buffer, f32.byteOffset, f32.byteLength);
  const out = new Uint8Array(f32.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < f32.length; i++) view.setFloat32(4 * i, f32[i] as number, true);
  return out;
}

/** Exit codes after SIGINT / SIGTERM (128 + the signal number, as shells report them). */
export const SIGNAL_EXIT: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Runs `fn` with a sink to `out` (see out-file.ts: atomic for regular files, in place
 * for FIFOs and devices, symlinks followed, the old mode kept; nothing left behind on
 * any error) or, when `out` is undefined or `-`, to stdout. With `io.handleSignals`,
 * SIGINT / SIGTERM while the file is open remove the temp file and exit 130 / 143.
 */
export async function withOutput(out: string | undefined, io: CliIo, fn: (sink: Sink) => Promise<void>): Promise<void> {
  if (out === undefined || out === '-') {
    await fn({ write: (chunk) => io.stdout(chunk) });
    return;
  }
  let removeTemp: (() => void) | undefined;
  const onSignal = (sig: NodeJS.Signals): void => {
    removeTemp?.();
    process.exit(sig === 'SIGINT' ? SIGNAL_EXIT.SIGINT : SIGNAL_EXIT.SIGTERM);
  };
  if (io.handleSignals === true) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    const t = await openOut(out, io.outFs, (r) => void (removeTemp = r));
    try {
      await fn({
        async write(chunk) {
          try {
            await t.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
          } catch (e) {
            throw cannotWrite(out, e);
          }
        },
      });
      try {
        await t.commit();
      } catch (e) {
        throw cannotWrite(out, e);
      }
    } catch (e) {
      await t.abort();
      throw e;
    }
  } finally {
    if (io.handleSignals === true) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
