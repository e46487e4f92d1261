/**
 * The page's chart: values per second of every row as horizontal bars on a log
 * scale (d3-scale), an SVG built with DOM APIs only (no markup from data).
 */
import { scaleLog } from 'd3-scale';
import { formatRate } from './stats.ts';
import type { Row } from './types.ts';

const SVG = 'http://www.w3.org/2000/svg';

const GROUP_COLORS: Record<string, string> = {
  baseline: '#8c96a0',
  single: '#2f6fb3',
  sweep: '#3f9b6b',
  peers: '#c07a1c',
  'self-test': '#b53a3a',
};

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export function rowLabel(r: Row): string {
  return [r.group, r.variant, r.kind === '-' ? '' : r.kind, r.shape].filter((s) => s).join(' · ');
}

/** A log-scale bar chart of values/s per row. */
export function barChart(rows: readonly Row[], width = 980): SVGSVGElement {
  const data = rows.filter((r) => Number.isFinite(r.valuesPerSecond) && r.valuesPerSecond > 0);
  const labelW = 430;
  const barH = 14;
  const gap = 4;
  const top = 24;
  const height = top + data.length * (barH + gap) + 8;
  const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'values per second per variant, log scale' });
  if (data.length === 0) return svg;
  const lo = Math.min(...data.map((d) => d.valuesPerSecond));
  const hi = Math.max(...data.map((d) => d.valuesPerSecond));
  const x = scaleLog()
    .domain([lo / 2, hi * 2])
    .range([labelW, width - 70])
    .nice();
  const axis = el('g', { class: 'axis' });
  for (const t of x.ticks().filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9)) {
    const px = x(t);
    axis.append(el('line', { x1: px, x2: px, y1: top - 4, y2: height - 8, class: 'grid' }));
    axis.append(el('text', { x: px, y: top - 8, 'text-anchor': 'middle' }, formatRate(t)));
  }
  svg.append(axis);
  data.forEach((d, i) => {
    const y = top + i * (barH + gap);
    const g = el('g', {});
    const title = el('title', {}, `${rowLabel(d)}: ${formatRate(d.valuesPerSecond)} (${d.timing}, median of ${d.time.n}), check: ${d.verdict}`);
    g.append(title);
    g.append(el('text', { x: labelW - 6, y: y + barH - 3, 'text-anchor': 'end' }, rowLabel(d)));
    const x0 = x.range()[0] ?? labelW;
    const w = Math.max(1, x(d.valuesPerSecond) - x0);
    g.append(el('rect', { x: x0, y, width: w, height: barH, fill: GROUP_COLORS[d.group] ?? '#666', opacity: d.verdict === 'ok' || d.verdict === 'flagged' ? 1 : 0.4 }));
    g.append(el('text', { x: x0 + w + 4, y: y + barH - 3 }, `${formatRate(d.valuesPerSecond)}${d.verdict === 'ok' ? '' : ` ${d.verdict}`}`));
    svg.append(g);
  });
  return svg;
}
