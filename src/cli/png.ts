/**
 * PNG output of `plot --format png`: the SVG rasterized by @resvg/resvg-js (resvg, a
 * Rust SVG renderer shipped as prebuilt platform packages on the npm registry; no
 * download at install). It is an optional peer dependency, imported only here and only
 * when PNG is asked for; without it, `--format png` is bad input that says how to add it.
 */
import { CliUsageError } from './errors.ts';

interface ResvgModule {
  Resvg: new (svg: string, options?: Record<string, unknown>) => { render(): { asPng(): Uint8Array } };
}

/** The rasterizer, or a {@link CliUsageError} when @resvg/resvg-js is not installed. */
export async function svgToPng(): Promise<(svg: string) => Uint8Array> {
  const name = '@resvg/resvg-js';
  let mod: ResvgModule;
  try {
    mod = (await import(/* @vite-ignore */ name)) as ResvgModule;
  } catch (e) {
    throw new CliUsageError(
      `--format = "png": needs the optional package ${name}, which is not installed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); npm install ${name}, or use --format svg`,
    );
  }
  return (svg) => new mod.Resvg(svg, { font: { loadSystemFonts: true } }).render().asPng();
}
