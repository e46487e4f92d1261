/**
 * Small multiples: one small plot per value of a chosen parameter, all on the main plot's
 * axes (same x window, same y domain and scale, same colours; each panel names the step and
 * learning-rate ranges), each shown pin in the panel of its value, drawn on 2D canvases from
 * the drawn points the page already holds (no second evaluation).
 */
import { clear, el } from './dom.ts';
import { currentView, dpr, pinDraws, redrawAll, rowColorsOf, xDomain } from './draw.ts';
import { refreshHover } from './hover.ts';
import { scheduleConfig, type Schedule } from './lib.ts';
import type { App } from './state.ts';
import { formatAlike } from './fmt.ts';
import { formatScalar } from './sweep-text.ts';
import { currentTheme } from './theme.ts';
import { cssColor, pointX, yFraction } from './view.ts';

/** At most this many panels (a parameter with more values is faceted by its first ones, and says so). */
export const MAX_FACETS = 16;

/** The options of the facet menu: the swept parameters. */
export function facetOptions(app: App, swept: readonly string[]): void {
  const sel = app.ui.facetBy;
  const want = sel.value;
  clear(sel);
  sel.append(el('option', { value: '', text: 'none' }));
  for (const k of swept) sel.append(el('option', { value: k, text: k }));
  sel.value = swept.includes(want) ? want : '';
}

/** The main plot, then the small multiples, which draw in its view (axes, y domain, scale, pins), then the hover for where the pointer rests. */
export async function redraw(app: App): Promise<void> {
  await redrawAll(app);
  renderFacets(app);
  refreshHover(app);
}

export function renderFacets(app: App): void {
  const { facets, facetBy } = app.ui;
  const l = app.state.loaded;
  const key = facetBy.value;
  clear(facets);
  facets.hidden = key === '' || !l;
  if (!l || key === '') return;
  const groups = new Map<string, number[]>();
  for (let r = 0; r < l.sweepRows; r++) {
    const v = scheduleConfig(l.schedules[r] as Schedule)[key];
    if (v === undefined) continue; // a pasted schedule of another class has no such parameter
    const text = formatScalar(v as never);
    const g = groups.get(text);
    if (g) g.push(r);
    else if (groups.size < MAX_FACETS) groups.set(text, [r]);
  }
  const theme = currentTheme();
  const colors = rowColorsOf(app, l);
  const view = currentView(app);
  const [x0, x1] = xDomain(l, app.state.view.xLog);
  const pins = pinDraws(app);
  const d = l.points;
  const k = dpr();
  for (const [text, rows] of groups) {
    const canvas = el('canvas', { 'aria-label': `${key} = ${text}` });
    facets.append(el('figure', { 'data-facet': text }, el('figcaption', { text: `${key} = ${text} (${rows.length})` }), canvas));
    const w = Math.max(120, canvas.clientWidth || 260);
    const h = 170;
    canvas.width = Math.round(w * k);
    canvas.height = Math.round(h * k);
    // willReadFrequently keeps the canvas on the CPU: Skia's software rasteriser strokes many
    // translucent paths far faster than a GPU-emulated one (as the 2D fallback plot does).
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) continue;
    ctx.setTransform(k, 0, 0, k, 0, 0);
    ctx.fillStyle = theme.plotBg;
    ctx.fillRect(0, 0, w, h);
    ctx.strokeStyle = theme.axis;
    ctx.strokeRect(0.5, 0.5, w - 1, h - 1);
    const trace = (row: number): void => {
      const o = row * d.perRow;
      ctx.beginPath();
      for (let i = 0; i < d.perRow; i++) {
        const px = pointX(d, i) * w;
        const py = (1 - yFraction(view, d.ys[o + i] as number)) * h;
        if (i === 0) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
      }
      ctx.stroke();
    };
    ctx.lineWidth = 1;
    for (const r of rows) {
      if (colors.visible[r] !== 1) continue;
      ctx.strokeStyle = cssColor([colors.rgba[r * 4] ?? 0, colors.rgba[r * 4 + 1] ?? 0, colors.rgba[r * 4 + 2] ?? 0], Math.max(view.alpha, 0.15));
      trace(r);
    }
    ctx.lineWidth = 2;
    // A pin goes in the panel of its own value, whether or not the sweep holds its config.
    for (const p of pins) {
      const v = scheduleConfig(l.schedules[p.row] as Schedule)[key];
      if (v === undefined || formatScalar(v as never) !== text) continue;
      ctx.strokeStyle = cssColor(p.rgb);
      trace(p.row);
    }
    ctx.font = '10px system-ui, sans-serif';
    const label = (text: string, y: number): void => {
      // On a backing of the plot's colour, so the text reads over the curves.
      ctx.fillStyle = theme.plotBg;
      ctx.globalAlpha = 0.85;
      ctx.fillRect(2, y - 10, ctx.measureText(text).width + 4, 13);
      ctx.globalAlpha = 1;
      ctx.fillStyle = theme.text;
      ctx.fillText(text, 4, y);
    };
    label(`steps ${x0.toLocaleString('en-US')}–${x1.toLocaleString('en-US')}`, h - 4);
    const [lo, hi] = formatAlike([view.y0, view.y1], 3);
    label(`lr ${lo ?? ''}–${hi ?? ''}${view.log ? ' (log)' : ''}`, 13);
  }
  facets.dataset['groups'] = String(groups.size);
}
