/** What leaves the page: JSON (each schedule in its own dialect), the PNG, the CSV and the share link. */
import { csvCell, csvPartsPaced, pinColumnNames } from './csv.ts';
import { copyText, download } from './dom.ts';
import { pngBlob, svgText } from './export-image.ts';
import { scheduleJsonText, scheduleKind, type Schedule } from './lib.ts';
import { pinLink } from './pin-link.ts';
import type { App } from './state.ts';
import { setStatusNote } from './status.ts';
import { encodeSweepHash } from './sweep-link.ts';
import { readRows } from './sweep-eval.ts';

export async function copyJson(app: App, list: readonly Schedule[]): Promise<void> {
  const text = scheduleJsonText(list);
  app.ui.jsonOut.value = text;
  app.ui.jsonOut.hidden = false;
  const ok = await copyText(text);
  setStatusNote(app, ok ? 'JSON copied to the clipboard' : 'JSON shown below the table (clipboard not available)');
}

/** The plot as a PNG that stands alone (title, axes, legends, pins). */
export async function savePng(app: App): Promise<void> {
  const blob = await pngBlob(app);
  if (blob) download('lr-sweep.png', blob);
}

/** The plot as SVG: vector axes, text, legends and pinned curves over the drawn image. */
export function saveSvg(app: App): void {
  download('lr-sweep.svg', new Blob([svgText(app)], { type: 'image/svg+xml' }));
}

/** Every value of the sweep on screen (rows × count), from wherever it already is. */
async function allValues(app: App): Promise<Float32Array> {
  const l = app.state.loaded;
  if (!l) throw new Error('no sweep on screen');
  if (l.cpuValues) return l.cpuValues;
  if (!l.points.reduced) return l.points.ys;
  if (!app.device || !l.gpuValues) throw new Error('no values');
  // One copy of the whole buffer: a single "row" of rows × count values.
  return readRows(app.device, l.gpuValues, [0], l.schedules.length * l.range.count);
}

/** The pinned curves as CSV (each column headed by the pin's name, made unique: pinColumnNames), or every curve of the sweep when none is pinned. */
export async function saveCsv(app: App): Promise<void> {
  const l = app.state.loaded;
  if (!l) return;
  const pinned = app.state.pins.flatMap((p) => {
    const row = l.pinRow.get(p.key);
    return row === undefined ? [] : [{ row, name: p.name }];
  });
  const rows = pinned.length > 0 ? pinned.map((p) => p.row) : Array.from({ length: l.sweepRows }, (_, i) => i);
  const values = await allValues(app);
  const name = (r: number): string => `#${r + 1} ${scheduleKind(l.schedules[r] as Schedule)} ${(l.labels[r] ?? []).map(([k, v]) => `${k}=${v}`).join(' ')}`;
  const header = ['step', ...(pinned.length > 0 ? pinColumnNames(pinned.map((p) => p.name)) : rows.map(name)).map(csvCell)];
  // Written in parts with a pause after each, so a 10,000-curve CSV (seconds of work) leaves the page responsive.
  const parts = await csvPartsPaced(header, rows, values, l.range, l.stepList);
  download(pinned.length > 0 ? 'lr-pinned.csv' : 'lr-sweep.csv', new Blob(parts, { type: 'text/csv' }));
}

export async function share(app: App): Promise<void> {
  const hash = encodeSweepHash(app.state.def, pinLink(app.state.pins));
  history.replaceState(null, '', hash);
  app.ui.shareUrl.value = location.href;
  app.ui.shareUrl.hidden = false;
  const ok = await copyText(location.href);
  const pins = app.state.pins.length;
  setStatusNote(app, `${ok ? 'link copied' : 'link shown next to the button'}: it restores this sweep${pins > 0 ? ` and its ${pins} pin${pins === 1 ? '' : 's'}` : ''}`);
}
