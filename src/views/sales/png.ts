// Rasterises the chart SVG to PNG with resvg (its platform binary ships as an npm package).
// Fonts come from the system when there are any; without one the bars still render.
import { createRequire } from 'node:module';
import type * as ResvgTypes from '@resvg/resvg-js';

type ResvgModule = typeof ResvgTypes;
let resvgModule: ResvgModule | undefined;

export function svgToPng(svg: string): Buffer {
  // Loaded on first use: the native module costs memory that a bot never drawing charts need not pay.
  resvgModule ??= createRequire(import.meta.url)('@resvg/resvg-js') as ResvgModule;
  const resvg = new resvgModule.Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'original' },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
