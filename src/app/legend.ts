/**
 * The discrete legend: when the colour-by parameter takes few values, one swatch per value
 * (with its curve count) instead of a colour bar; a click hides or shows that group's curves.
 */
import type { RowColors } from './colors.ts';
import { clear, el } from './dom.ts';
import type { App } from './state.ts';
import { cssColor } from './view.ts';

export function renderLegend(app: App, colors: RowColors): void {
  const { legend } = app.ui;
  clear(legend);
  const groups = colors.groups;
  legend.hidden = groups === null;
  if (!groups) return;
  legend.append(el('span', { className: 'legend-label', text: `colour: ${colors.label}` }));
  for (const g of groups) {
    const b = el('button', {
      type: 'button',
      className: g.hidden ? 'legend-item off' : 'legend-item',
      'aria-pressed': String(!g.hidden),
      'data-value': g.value,
      title: `${g.hidden ? 'show' : 'hide'} the ${g.rows} curve${g.rows === 1 ? '' : 's'} with ${colors.label} = ${g.value}`,
    });
    const sw = el('span', { className: 'swatch' });
    sw.style.background = cssColor(g.rgb);
    b.append(sw, `${g.value} (${g.rows})`);
    b.addEventListener('click', () => toggleGroup(app, g.value));
    legend.append(b);
  }
}

/** Hides or shows the curves of one value of the colour-by parameter. */
export function toggleGroup(app: App, value: string): void {
  const hidden = app.state.hiddenGroups;
  if (hidden.has(value)) hidden.delete(value);
  else hidden.add(value);
  app.ui.plotBox.dispatchEvent(new CustomEvent('lr-redraw'));
}
