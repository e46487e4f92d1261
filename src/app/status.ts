/** The status line, the error banners and the "evaluating…" indicator. */
import { byId } from './dom.ts';
import { counted } from './fmt.ts';
import type { App, Loaded } from './state.ts';
import { formatNumber } from './sweep-text.ts';

export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

export function showError(target: HTMLElement, text: string): void {
  target.textContent = text;
  target.hidden = false;
}

export function hideError(target: HTMLElement): void {
  target.textContent = '';
  target.hidden = true;
}

/** The notice over the plot while the form holds a sweep the page refused (index.html #stale-notice). */
const refusalNotice = (): HTMLElement => byId('stale-notice', HTMLElement);

/** Says over the plot that it shows the sweep drawn before, not the form's (or a shared link's: `cause`), and why (`text`). */
export function showRefusal(text: string, cause: 'form' | 'link' = 'form'): void {
  refusalNotice().dataset['cause'] = cause;
  showError(refusalNotice(), text);
}

export function hideRefusal(): void {
  hideError(refusalNotice());
}

/** The status line's text; shown in at most two lines (explorer.css), so its tooltip holds the whole of a longer one. */
export function setStatusText(status: HTMLElement, text: string): void {
  status.textContent = text;
  titleIfCut(status);
}

/** The status line's tooltip: its whole text while two lines cut it, else none (setStatusText, and on hover after a resize). */
export function titleIfCut(status: HTMLElement): void {
  const focused = document.activeElement === status; // expanded now: it would be cut without the focus
  status.title = focused || status.scrollHeight > status.clientHeight + 1 ? (status.textContent ?? '') : '';
}

/** The banner for a shared link that is not used; the page goes on with the default sweep. */
export function refuseLink(ui: { readonly status: HTMLElement; readonly urlError: HTMLElement }, e: unknown): void {
  const why = describeError(e);
  ui.status.dataset['linkError'] = why;
  showError(ui.urlError, `The shared link could not be used (${why}); showing the default sweep.`);
}

/** "evaluating…" shows while any apply or paste check runs (they can overlap). */
export function busyOn(app: App): void {
  app.state.busyHolds++;
  app.ui.busy.hidden = false;
}

export function busyOff(app: App): void {
  app.state.busyHolds = Math.max(0, app.state.busyHolds - 1);
  app.ui.busy.hidden = app.state.busyHolds === 0;
}

export function setStatusNote(app: App, text: string): void {
  app.state.note = text;
  updateStatus(app);
}

/** The status line's text for a sweep on screen: size, backend (and why the GPU declined), time, verification, note. */
export function statusLine(l: Loaded, note: string): string {
  const all = l.schedules.length;
  const rows = l.sweepRows ?? all;
  const cpuRows = l.cpuRows ?? [];
  const v = l.verified;
  const verifyText = v.ok
    ? `sample verified ✓ (${v.checked.toLocaleString('en-US')} values, max ${formatNumber(v.maxUlp)} ulp)`
    : v.checked > 0 ? `sample verification FAILED (max ${formatNumber(v.maxUlp)} ulp)` : 'sample not verified';
  const drawn = l.points.reduced ? ` · drawn as min/max per pixel column` : '';
  const declined = cpuRows.length === 1 ? `schedule #${(cpuRows[0] as number) + 1}` : counted(cpuRows.length, 'schedule');
  const where =
    l.backend === 'webgpu' && cpuRows.length > 0
      ? `webgpu, and ${declined} on the CPU (the GPU declines ${cpuRows.length === 1 ? 'its config' : 'their configs'}: ${l.fallback})`
      : l.fallback ? `cpu (the GPU declined this sweep, so every value was computed on the CPU: ${l.fallback})` : l.backend;
  const extra = all > rows ? ` (+ ${all - rows} pinned outside the sweep)` : '';
  return `${counted(rows, 'schedule')}${extra} × ${counted(l.range.count, 'step')} · ${where} · evaluated in ${l.evalMs.toFixed(0)} ms · ${verifyText}${drawn}${note ? ` · ${note}` : ''}`;
}

/** The status line and its data-* attributes (what the tests and benchmarks read). */
export function updateStatus(app: App): void {
  const l = app.state.loaded;
  if (!l) return;
  const status = app.ui.status;
  status.dataset['schedules'] = String(l.sweepRows);
  status.dataset['pinnedRows'] = String(l.schedules.length - l.sweepRows);
  // 1-based rows the CPU computed because the GPU declines them ('' when none).
  status.dataset['cpuRows'] = l.backend === 'webgpu' ? l.cpuRows.map((r) => r + 1).join(',') : '';
  status.dataset['steps'] = String(l.range.count);
  // The backend that computed the values on screen: 'cpu' when the GPU declined this sweep.
  status.dataset['backend'] = l.backend;
  if (l.fallback) status.dataset['fallback'] = l.fallback;
  else delete status.dataset['fallback'];
  status.dataset['verified'] = String(l.verified.ok);
  status.dataset['evalMs'] = l.evalMs.toFixed(1);
  status.dataset['timings'] = JSON.stringify(Object.fromEntries(Object.entries(app.state.timings).map(([k, v]) => [k, Math.round(v)])));
  // While the form's sweep is refused, the line says it describes the sweep drawn before.
  const refused = !refusalNotice().hidden;
  if (refused) status.dataset['stale'] = 'true';
  else delete status.dataset['stale'];
  const whose = refusalNotice().dataset['cause'] === 'link' ? 'the shared link\'s' : 'the form\'s';
  setStatusText(status, `${refused ? `previous sweep (${whose} was refused, see the plot): ` : ''}${statusLine(l, app.state.note)}`);
}
