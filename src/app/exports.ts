/** What leaves the page: Keras JSON, the PNG, the CSV and the share link. */
import { MARGINS, THEME } from './axes.ts';
import { csvCell, csvParts } from './csv.ts';
import { copyText, download } from './dom.ts';
import { dpr, present } from './draw.ts';
import { kerasJsonText, scheduleKind, type Schedule } from './lib.ts';
import type { App } from './state.ts';
import { setStatusNote } from './status.ts';
import { encodeSweepHash } from './sweep-link.ts';
import { readRows } from './sweep-eval.ts';

export async function copyJson(app: App, list: readonly Schedule[]): Promise<void> {
  const text = kerasJsonText(list);
  app.ui.jsonOut.value = text;
  app.ui.jsonOut.hidden = false;
  const ok = await copyText(text);
  setStatusNote(app, ok ? 'Keras JSON copied to the clipboard' : 'Keras JSON shown below the table (clipboard not available)');
}

/** Composes axes, curves and colour bar into one PNG. The WebGPU canvas is read in the same task as its submit. */
export async function savePng(app: App): Promise<void> {
  const { axesCanvas, colorBar } = app.ui;
  const out = document.createElement('canvas');
  out.width = axesCanvas.width;
  out.height = axesCanvas.height + colorBar.height;
  const ctx = out.getContext('2d');
  if (!ctx) return;
  ctx.fillStyle = THEME.bg;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(axesCanvas, 0, 0);
  present(app);
  ctx.drawImage(app.plotCanvas, Math.round(MARGINS.left * dpr()), Math.round(MARGINS.top * dpr()));
  ctx.drawImage(colorBar, Math.round((MARGINS.left - 26) * dpr()), axesCanvas.height);
  const blob = await new Promise<Blob | null>((res) => out.toBlob(res, 'image/png'));
  if (blob) download('lr-sweep.png', blob);
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

/** The pinned curves as CSV, or every curve when none is pinned. */
export async function saveCsv(app: App): Promise<void> {
  const l = app.state.loaded;
  if (!l) return;
  const pins = app.state.pins;
  const rows = pins.length > 0 ? pins : l.schedules.map((_, i) => i);
  const values = await allValues(app);
  const header = ['step', ...rows.map((r) => csvCell(`#${r + 1} ${scheduleKind(l.schedules[r] as Schedule)} ${(l.labels[r] ?? []).map(([k, v]) => `${k}=${v}`).join(' ')}`))];
  download(pins.length > 0 ? 'lr-pinned.csv' : 'lr-sweep.csv', new Blob(csvParts(header, rows, values, l.range), { type: 'text/csv' }));
}

export async function share(app: App): Promise<void> {
  const hash = encodeSweepHash(app.state.def);
  history.replaceState(null, '', hash);
  app.ui.shareUrl.value = location.href;
  app.ui.shareUrl.hidden = false;
  const ok = await copyText(location.href);
  setStatusNote(app, ok ? 'link copied: it restores this sweep' : 'link shown next to the button');
}
