/**
 * Images that stand alone: PNG and SVG of the plot with its title, axes, colour bar or
 * discrete legend, and the pins' legend. Both draw one layout of the title and legends
 * (legend.ts imageLegend). The SVG's axes, text, legends and pinned curves are vectors; the
 * bulk of the curves is the drawn plot embedded as one PNG image.
 */
import { MARGINS, xAxisOf, yAxisOf } from './axes.ts';
import { dpr, currentView, pinDraws, plotSize, present, rowColorsOf, xDomain } from './draw.ts';
import { imageLegend, type ImageLegend, type Mark } from './legend.ts';
import { shownPins } from './pin-model.ts';
import type { App } from './state.ts';
import { currentTheme, type Theme } from './theme.ts';
import { cssColor, pointX, yFraction } from './view.ts';

const FONT = '12px system-ui, -apple-system, "Segoe UI", sans-serif';
const TITLE_FONT = '600 14px system-ui, -apple-system, "Segoe UI", sans-serif';

interface Layout {
  readonly w: number;
  /** Height of the axes canvas (CSS pixels). */
  readonly axesH: number;
  readonly pw: number;
  readonly ph: number;
  readonly plotTop: number;
  readonly title: string;
  readonly marks: ImageLegend;
}

function layoutOf(app: App): Layout {
  const l = app.state.loaded;
  if (!l) throw new Error('no sweep on screen');
  const { w, h, pw, ph } = plotSize(app);
  const title = app.ui.plotTitle.textContent ?? '';
  const measurer = document.createElement('canvas').getContext('2d');
  const measure = (s: string, title = false): number => {
    if (!measurer) return s.length * (title ? 8 : 7);
    measurer.font = title ? TITLE_FONT : FONT;
    return measurer.measureText(s).width;
  };
  const marks = imageLegend({
    title,
    colors: rowColorsOf(app, l),
    pins: shownPins(app.state.pins, l.pinRow).map(({ pin }) => ({ name: pin.name, rgb: pin.color })),
    theme: currentTheme(),
    axesHeight: h,
    width: w,
    // The page's bar: its canvas less the 26 px pads, under the plot's left edge.
    barLeft: MARGINS.left,
    barWidth: Math.max(100, app.ui.colorBar.width / dpr() - 52),
    measure,
  });
  return { w, axesH: h, pw, ph, plotTop: marks.plotTop, title, marks };
}

/** The marks on a canvas (text y is the line's middle). */
function drawMarks(ctx: CanvasRenderingContext2D, marks: readonly Mark[], t: Theme): void {
  for (const m of marks) {
    if (m.kind === 'text') {
      ctx.font = m.title ? TITLE_FONT : FONT;
      ctx.textAlign = m.middle ? 'center' : 'left';
      ctx.textBaseline = 'middle';
      ctx.fillStyle = t.text;
      ctx.fillText(m.text, m.x, m.y);
    } else if (m.kind === 'rect') {
      ctx.fillStyle = cssColor(m.rgb, m.opacity);
      ctx.fillRect(m.x, m.y, m.w, m.h);
    } else if (m.kind === 'ramp') {
      const g = ctx.createLinearGradient(m.x, 0, m.x + m.w, 0);
      m.stops.forEach((c, i) => g.addColorStop(i / Math.max(1, m.stops.length - 1), cssColor(c)));
      ctx.fillStyle = g;
      ctx.fillRect(m.x, m.y, m.w, m.h);
    } else {
      const x = Math.round(m.x) + 0.5;
      ctx.strokeStyle = t.axis;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(x, m.y0);
      ctx.lineTo(x, m.y1);
      ctx.stroke();
    }
  }
}

/** The PNG: the page's axes and plot canvases composed under the title, with the legends below. */
export async function pngBlob(app: App): Promise<Blob | null> {
  const L = layoutOf(app);
  const k = dpr();
  const t = currentTheme();
  const out = document.createElement('canvas');
  out.width = Math.round(L.w * k);
  out.height = Math.round(L.marks.height * k);
  const ctx = out.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(k, 0, 0, k, 0, 0);
  ctx.fillStyle = t.bg;
  ctx.fillRect(0, 0, L.w, L.marks.height);
  ctx.drawImage(app.ui.axesCanvas, 0, L.plotTop, L.w, L.axesH);
  present(app); // the WebGPU canvas is read in the same task as its submit
  ctx.drawImage(app.plotCanvas, MARGINS.left, L.plotTop + MARGINS.top, L.pw, L.ph);
  const { title, legend, barTicks, pins } = L.marks;
  drawMarks(ctx, [...title, ...legend, ...barTicks, ...pins], t);
  return new Promise<Blob | null>((res) => out.toBlob(res, 'image/png'));
}

/** Text for XML: & < > " ' escaped. */
export function xmlText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c] as string};`);
}

/** The marks as SVG elements (text y is the line's middle: dominant-baseline central). */
function svgMarks(marks: readonly Mark[], t: Theme): string[] {
  return marks.map((m) => {
    if (m.kind === 'text') {
      const attrs = `${m.middle ? ' text-anchor="middle"' : ''}${m.title ? ' font-size="14" font-weight="600"' : ''}${m.cls ? ` class="${m.cls}"` : ''}`;
      return `<text x="${m.x.toFixed(1)}" y="${m.y.toFixed(1)}" dominant-baseline="central" fill="${t.text}" stroke="none"${attrs}>${xmlText(m.text)}</text>`;
    }
    if (m.kind === 'rect') return `<rect x="${m.x}" y="${m.y}" width="${m.w}" height="${m.h}" fill="${cssColor(m.rgb)}" opacity="${m.opacity}"/>`;
    if (m.kind === 'ramp') {
      const stops = m.stops.map((c, i) => `<stop offset="${i / Math.max(1, m.stops.length - 1)}" stop-color="${cssColor(c)}"/>`).join('');
      return `<defs><linearGradient id="cbar">${stops}</linearGradient></defs><rect x="${m.x}" y="${m.y}" width="${m.w}" height="${m.h}" fill="url(#cbar)"/>`;
    }
    const x = m.x.toFixed(1);
    return `<line x1="${x}" x2="${x}" y1="${m.y0}" y2="${m.y1}"/>`;
  });
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
  const H = L.marks.height;
  const parts: string[] = [];
  const txt = (x: number, y: number, s: string, extra = ''): string => `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${extra}>${xmlText(s)}</text>`;
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${L.w}" height="${H}" viewBox="0 0 ${L.w} ${H}" font-family="system-ui, sans-serif" font-size="12">`);
  parts.push(`<title>${xmlText(L.title)}</title>`, `<rect width="100%" height="100%" fill="${t.bg}"/>`);
  parts.push(...svgMarks(L.marks.title, t));
  parts.push(`<rect x="${left}" y="${top}" width="${L.pw}" height="${L.ph}" fill="${t.plotBg}"/>`);
  // The bulk of the curves: the drawn plot, one embedded image.
  present(app);
  const copy = document.createElement('canvas');
  copy.width = app.plotCanvas.width;
  copy.height = app.plotCanvas.height;
  copy.getContext('2d')?.drawImage(app.plotCanvas, 0, 0);
  parts.push(`<image x="${left}" y="${top}" width="${L.pw}" height="${L.ph}" href="${copy.toDataURL('image/png')}"/>`);
  const { x, xTicks, xFmt } = xAxisOf({ x0, x1, xLog }, L.pw);
  const { y, yTicks, yLabels } = yAxisOf({ y0: v.y0, y1: v.y1, log: v.log }, L.ph);
  parts.push(`<g stroke="${t.axis}" fill="${t.text}">`);
  for (const tk of xTicks) {
    const px = left + x(tk);
    parts.push(`<line x1="${px.toFixed(1)}" x2="${px.toFixed(1)}" y1="${top + L.ph}" y2="${top + L.ph + 5}"/>`, txt(px, top + L.ph + 18, xFmt(tk), ' text-anchor="middle" stroke="none"'));
  }
  for (const [i, tk] of yTicks.entries()) {
    const label = yLabels[i] ?? '';
    if (label === '') continue;
    const py = top + y(tk);
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
  const { legend, barTicks, pins } = L.marks;
  parts.push(`<g class="legend">`, ...svgMarks(legend, t));
  if (barTicks.length > 0) parts.push(`<g stroke="${t.axis}" class="colour-bar">`, ...svgMarks(barTicks, t), '</g>');
  parts.push(...svgMarks(pins, t), '</g>');
  parts.push('</svg>');
  return parts.join('\n');
}
