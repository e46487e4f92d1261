/**
 * Images that stand alone: PNG and SVG of the plot with its title, axes, colour bar or
 * discrete legend, and the pins' legend. The SVG's axes, text, legends and pinned curves
 * are vectors; the bulk of the curves is the drawn plot embedded as one PNG image.
 */
import { MARGINS, colorBarTicks, xAxisOf, yScaleOf } from './axes.ts';
import type { RowColors } from './colors.ts';
import { dpr, currentView, pinDraws, plotSize, present, rowColorsOf, xDomain } from './draw.ts';
import { shownPins } from './pin-model.ts';
import type { App } from './state.ts';
import { currentTheme, mapColor, type Theme } from './theme.ts';
import { cssColor, pointX, yFraction } from './view.ts';

const TITLE_H = 44;

/** The title in two lines: the sweep, then its steps (split at the last ' · '). */
function titleLines(title: string): [string, string] {
  const i = title.lastIndexOf(' · ');
  return i < 0 ? [title, ''] : [title.slice(0, i), title.slice(i + 3)];
}
const ROW_H = 18;
const FONT = '12px system-ui, -apple-system, "Segoe UI", sans-serif';

interface Layout {
  readonly w: number;
  readonly h: number;
  /** Height of the axes canvas (CSS pixels). */
  readonly axesH: number;
  readonly pw: number;
  readonly ph: number;
  readonly plotTop: number;
  readonly legendTop: number;
  readonly pinsTop: number;
  readonly colors: RowColors;
  readonly pins: { name: string; rgb: readonly [number, number, number]; row: number }[];
  readonly title: string;
  /** Length of the colour bar (the page's: its canvas less the 26 px pads). */
  readonly barWidth: number;
}

function layoutOf(app: App): Layout {
  const l = app.state.loaded;
  if (!l) throw new Error('no sweep on screen');
  const { w, h, pw, ph } = plotSize(app);
  const colors = rowColorsOf(app, l);
  const pins = shownPins(app.state.pins, l.pinRow).map(({ pin, row }) => ({ name: pin.name, rgb: pin.color, row }));
  const legendRows = colors.groups ? Math.ceil(colors.groups.length / 4) + 1 : colors.bar ? 3 : 0;
  const legendTop = TITLE_H + h;
  const pinsTop = legendTop + legendRows * ROW_H + 6;
  return { w, axesH: h, h: pinsTop + (pins.length > 0 ? (pins.length + 1) * ROW_H : 0) + 8, pw, ph, plotTop: TITLE_H, legendTop, pinsTop, colors, pins, title: app.ui.plotTitle.textContent ?? '', barWidth: Math.max(100, app.ui.colorBar.width / dpr() - 52) };
}

/** The PNG: the page's canvases composed under the title, with the legends drawn below. */
export async function pngBlob(app: App): Promise<Blob | null> {
  const L = layoutOf(app);
  const k = dpr();
  const t = currentTheme();
  const out = document.createElement('canvas');
  out.width = Math.round(L.w * k);
  out.height = Math.round(L.h * k);
  const ctx = out.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(k, 0, 0, k, 0, 0);
  ctx.fillStyle = t.bg;
  ctx.fillRect(0, 0, L.w, L.h);
  ctx.font = `600 14px system-ui, sans-serif`;
  ctx.fillStyle = t.text;
  ctx.textBaseline = 'middle';
  const [t1, t2] = titleLines(L.title);
  ctx.fillText(t1, 10, 13);
  ctx.font = FONT;
  ctx.fillText(t2, 10, 31);
  ctx.drawImage(app.ui.axesCanvas, 0, L.plotTop, L.w, L.axesH);
  present(app); // the WebGPU canvas is read in the same task as its submit
  ctx.drawImage(app.plotCanvas, MARGINS.left, L.plotTop + MARGINS.top, L.pw, L.ph);
  ctx.font = FONT;
  if (L.colors.groups) {
    ctx.fillStyle = t.text;
    ctx.fillText(`colour: ${L.colors.label}`, 10, L.legendTop + ROW_H / 2);
    L.colors.groups.forEach((g, i) => {
      const x = 10 + (i % 4) * 160;
      const y = L.legendTop + (Math.floor(i / 4) + 1) * ROW_H + ROW_H / 2;
      ctx.fillStyle = cssColor(g.rgb, g.hidden ? 0.3 : 1);
      ctx.fillRect(x, y - 5, 10, 10);
      ctx.fillStyle = t.text;
      ctx.fillText(`${g.value}${g.hidden ? ' (hidden)' : ''}`, x + 16, y);
    });
  } else if (L.colors.bar && !app.ui.colorBar.hidden) {
    ctx.drawImage(app.ui.colorBar, MARGINS.left - 26, L.legendTop, app.ui.colorBar.width / k, app.ui.colorBar.height / k);
  }
  drawPinsLegend(ctx, L, t);
  return new Promise<Blob | null>((res) => out.toBlob(res, 'image/png'));
}

function drawPinsLegend(ctx: CanvasRenderingContext2D, L: Layout, t: Theme): void {
  if (L.pins.length === 0) return;
  ctx.fillStyle = t.text;
  ctx.fillText('pinned:', 10, L.pinsTop + ROW_H / 2);
  L.pins.forEach((p, i) => {
    const y = L.pinsTop + (i + 1) * ROW_H + ROW_H / 2;
    ctx.fillStyle = cssColor(p.rgb);
    ctx.fillRect(10, y - 2, 22, 4);
    ctx.fillStyle = t.text;
    ctx.fillText(p.name, 40, y);
  });
}

/** Text for XML: & < > " ' escaped. */
export function xmlText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c] as string};`);
}

/** The SVG text. */
export function svgText(app: App): string {
  const l = app.state.loaded;
  if (!l) throw new Error('no sweep on screen');
  const L = layoutOf(app);
  const t = currentTheme();
  const v = currentView(app);
  const [x0, x1, xLog] = xDomain(l, app.state.view.xLog);
  const left = MARGINS.left;
  const top = L.plotTop + MARGINS.top;
  const parts: string[] = [];
  const txt = (x: number, y: number, s: string, extra = ''): string => `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${extra}>${xmlText(s)}</text>`;
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${L.w}" height="${L.h}" viewBox="0 0 ${L.w} ${L.h}" font-family="system-ui, sans-serif" font-size="12">`);
  parts.push(`<title>${xmlText(L.title)}</title>`, `<rect width="100%" height="100%" fill="${t.bg}"/>`);
  const [t1, t2] = titleLines(L.title);
  parts.push(txt(10, 18, t1, ` font-size="14" font-weight="600" fill="${t.text}" class="title"`), txt(10, 36, t2, ` fill="${t.text}" class="subtitle"`));
  parts.push(`<rect x="${left}" y="${top}" width="${L.pw}" height="${L.ph}" fill="${t.plotBg}"/>`);
  // The bulk of the curves: the drawn plot, one embedded image.
  present(app);
  const copy = document.createElement('canvas');
  copy.width = app.plotCanvas.width;
  copy.height = app.plotCanvas.height;
  copy.getContext('2d')?.drawImage(app.plotCanvas, 0, 0);
  parts.push(`<image x="${left}" y="${top}" width="${L.pw}" height="${L.ph}" href="${copy.toDataURL('image/png')}"/>`);
  const { x, xTicks, xFmt } = xAxisOf({ x0, x1, xLog }, L.pw);
  const y = yScaleOf({ y0: v.y0, y1: v.y1, log: v.log }, L.ph);
  const yTicks = y.ticks(Math.max(2, Math.floor(L.ph / 50)));
  const yFmt = y.tickFormat(Math.max(2, Math.floor(L.ph / 50)), v.log ? '~e' : '~g');
  parts.push(`<g stroke="${t.axis}" fill="${t.text}">`);
  for (const tk of xTicks) {
    const px = left + x(tk);
    parts.push(`<line x1="${px.toFixed(1)}" x2="${px.toFixed(1)}" y1="${top + L.ph}" y2="${top + L.ph + 5}"/>`, txt(px, top + L.ph + 18, xFmt(tk), ' text-anchor="middle" stroke="none"'));
  }
  for (const tk of yTicks) {
    const label = yFmt(tk);
    if (label === '') continue;
    const py = top + (y(tk) ?? 0);
    parts.push(`<line x1="${left - 5}" x2="${left}" y1="${py.toFixed(1)}" y2="${py.toFixed(1)}"/>`, txt(left - 8, py + 4, label, ' text-anchor="end" stroke="none"'));
  }
  parts.push(`<rect x="${left}" y="${top}" width="${L.pw}" height="${L.ph}" fill="none"/>`, '</g>');
  parts.push(txt(left + L.pw / 2, L.plotTop + L.axesH - 6, xLog ? 'training step (log scale)' : 'training step', ` text-anchor="middle" fill="${t.text}"`));
  parts.push(`<text transform="translate(16 ${top + L.ph / 2}) rotate(-90)" text-anchor="middle" fill="${t.text}">${v.log ? 'learning rate (log scale)' : 'learning rate'}</text>`);
  // Pinned curves as vectors over the image.
  parts.push(`<defs><clipPath id="plot-clip"><rect x="${left}" y="${top}" width="${L.pw}" height="${L.ph}"/></clipPath></defs><g clip-path="url(#plot-clip)" fill="none" stroke-width="2.5">`);
  const d = l.points;
  for (const p of pinDraws(app)) {
    const pts: string[] = [];
    for (let i = 0; i < d.perRow; i++) pts.push(`${(left + pointX(d, i) * L.pw).toFixed(1)},${(top + (1 - yFraction(v, d.ys[p.row * d.perRow + i] as number)) * L.ph).toFixed(1)}`);
    parts.push(`<polyline stroke="${cssColor(p.rgb)}" points="${pts.join(' ')}"/>`);
  }
  parts.push('</g>');
  parts.push(...legendSvg(L, t, txt));
  parts.push('</svg>');
  return parts.join('\n');
}

function legendSvg(L: Layout, t: Theme, txt: (x: number, y: number, s: string, extra?: string) => string): string[] {
  const out: string[] = [`<g fill="${t.text}" class="legend">`];
  const { groups, bar } = L.colors;
  if (groups) {
    out.push(txt(10, L.legendTop + 13, `colour: ${L.colors.label}`));
    groups.forEach((g, i) => {
      const x = 10 + (i % 4) * 160;
      const y = L.legendTop + (Math.floor(i / 4) + 1) * ROW_H + 13;
      out.push(`<rect x="${x}" y="${y - 9}" width="10" height="10" fill="${cssColor(g.rgb)}" opacity="${g.hidden ? 0.3 : 1}"/>`, txt(x + 16, y, `${g.value}${g.hidden ? ' (hidden)' : ''}`));
    });
  } else if (bar) {
    // As on the page (and in the PNG): the bar under its label, with the same ticks.
    const bw = L.barWidth;
    const x0 = MARGINS.left;
    const stops = Array.from({ length: 21 }, (_, i) => `<stop offset="${i / 20}" stop-color="${cssColor(mapColor(i / 20, t))}"/>`).join('');
    out.push(`<defs><linearGradient id="cbar">${stops}</linearGradient></defs>`, txt(x0, L.legendTop + 13, bar.label));
    out.push(`<rect x="${x0}" y="${L.legendTop + 20}" width="${bw}" height="12" fill="url(#cbar)"/>`);
    out.push(`<g stroke="${t.axis}" class="colour-bar">`);
    for (const [x, label] of colorBarTicks(bar, bw)) {
      const px = (x0 + x).toFixed(1);
      out.push(`<line x1="${px}" x2="${px}" y1="${L.legendTop + 32}" y2="${L.legendTop + (label === '' ? 35 : 37)}"/>`);
      if (label !== '') out.push(txt(x0 + x, L.legendTop + 49, label, ' text-anchor="middle" stroke="none"'));
    }
    out.push('</g>');
  }
  if (L.pins.length > 0) {
    out.push(txt(10, L.pinsTop + 13, 'pinned:'));
    L.pins.forEach((p, i) => {
      const y = L.pinsTop + (i + 1) * ROW_H + 13;
      out.push(`<rect x="10" y="${y - 6}" width="22" height="4" fill="${cssColor(p.rgb)}"/>`, txt(40, y, p.name, ' class="pin-name"'));
    });
  }
  out.push('</g>');
  return out;
}
