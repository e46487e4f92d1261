/**
 * Dark and light themes: the canvas colours of each (the page's CSS follows
 * `<html data-theme>`), and the part of viridis each uses so the colour map's low end
 * stays visible on the plot's background (viridis starts near black, ends near white-yellow).
 */
import { viridis } from './view.ts';

export type ThemeName = 'dark' | 'light';

export interface Theme {
  readonly bg: string;
  readonly plotBg: string;
  readonly grid: string;
  readonly axis: string;
  readonly text: string;
  /** The viridis interval [lo, hi] the colour map spans on this background. */
  readonly map: readonly [number, number];
  /** The dark casing under highlighted curves, and the hovered curve's colour. */
  readonly casing: readonly [number, number, number, number];
  readonly hover: readonly [number, number, number, number];
}

export const THEMES: Readonly<Record<ThemeName, Theme>> = {
  // Viridis's darkest purple (#440154) has a WCAG contrast of 1.28:1 against #0b0c10 (a
  // curve nearly invisible); from 0.32 on every colour has ≥ 3:1 (test/app/pins-and-colours).
  dark: { bg: '#14161b', plotBg: '#0b0c10', grid: 'rgba(255,255,255,0.09)', axis: '#8a93a6', text: '#d5dae3', map: [0.32, 1], casing: [0, 0, 0, 0.8], hover: [1, 1, 1, 1] },
  // On white the yellow end fades instead (1.22:1 at 1); up to 0.6 every colour has ≥ 2.9:1.
  light: { bg: '#ffffff', plotBg: '#fbfbfd', grid: 'rgba(0,0,0,0.09)', axis: '#5b6475', text: '#1d2330', map: [0, 0.6], casing: [1, 1, 1, 0.85], hover: [0, 0, 0, 1] },
};

export function themeName(): ThemeName {
  return document.documentElement.dataset['theme'] === 'light' ? 'light' : 'dark';
}

export function currentTheme(): Theme {
  return THEMES[themeName()];
}

export function setTheme(name: ThemeName): void {
  document.documentElement.dataset['theme'] = name;
}

/** The colour map at t ∈ [0, 1] for a theme: viridis over the theme's interval. */
export function mapColor(t: number, theme: Theme): [number, number, number] {
  const [lo, hi] = theme.map;
  return viridis(lo + (hi - lo) * Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)));
}
