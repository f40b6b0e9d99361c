// Filed vs answered investigation requests per category, as an SVG bar chart (rasterised to PNG by
// views/sales/png.ts). ASCII only (category ids, an English legend), like the sales chart, so it
// reads the same whether or not a Japanese font exists.
import type { CategoryFigures } from '../domain/investigation-stats.ts';
import { escapeXml, niceStep } from './sales/chart.ts';

const WIDTH = 800;
const HEIGHT = 420;
const MARGIN = { left: 60, right: 24, top: 64, bottom: 60 };
const COLORS = { opened: '#9db4cc', answered: '#e07b39', grid: '#e3e6ea', axis: '#5b6470', text: '#2b2f36' };
const FONT = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';

function text(x: number, y: number, body: string, attrs = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${escapeXml(body)}</text>`;
}

/** One pair of bars (filed, answered) per category, counts on the y axis. */
export function investigationChartSvg(rows: readonly CategoryFigures[], title: string): string {
  const max = rows.reduce((m, r) => Math.max(m, r.opened, r.answered), 0);
  const step = Number(niceStep(BigInt(max)));
  const top = Math.max(step, Math.ceil(max / step) * step);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const y = (v: number) => MARGIN.top + plotH - (v / top) * plotH;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="${FONT}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    text(MARGIN.left, 30, title, `font-size="18" font-weight="bold" fill="${COLORS.text}"`),
  ];
  for (let v = 0; v <= top; v += step) {
    const gy = y(v);
    out.push(
      `<line x1="${MARGIN.left}" y1="${gy.toFixed(1)}" x2="${WIDTH - MARGIN.right}" y2="${gy.toFixed(1)}" stroke="${v === 0 ? COLORS.axis : COLORS.grid}" stroke-width="1"/>`,
      text(MARGIN.left - 8, gy + 4, String(v), `font-size="12" text-anchor="end" fill="${COLORS.axis}"`),
    );
  }
  const slot = plotW / Math.max(rows.length, 1);
  const barW = Math.min(28, slot * 0.36);
  rows.forEach((r, i) => {
    const cx = MARGIN.left + slot * (i + 0.5);
    const bar = (v: number, x: number, color: string) =>
      out.push(
        `<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(0) - y(v)).toFixed(1)}" fill="${color}"/>`,
      );
    bar(r.opened, cx - barW - 1, COLORS.opened);
    bar(r.answered, cx + 1, COLORS.answered);
    out.push(
      text(
        cx,
        MARGIN.top + plotH + 20,
        r.category,
        `font-size="12" text-anchor="middle" fill="${COLORS.text}"`,
      ),
    );
  });
  const lx = WIDTH - MARGIN.right - 200;
  out.push(
    `<rect x="${lx}" y="18" width="14" height="14" fill="${COLORS.opened}"/>`,
    text(lx + 20, 30, 'Filed', `font-size="13" fill="${COLORS.text}"`),
    `<rect x="${lx + 90}" y="18" width="14" height="14" fill="${COLORS.answered}"/>`,
    text(lx + 110, 30, 'Answered', `font-size="13" fill="${COLORS.text}"`),
    '</svg>',
  );
  return out.join('\n');
}
