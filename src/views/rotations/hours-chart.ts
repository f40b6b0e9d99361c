// Hours on duty per person as an SVG bar chart (the /oncall report's PNG), drawn like the /sales
// chart (views/sales/chart.ts) and rasterised by the same svgToPng. ASCII only, like that chart: a
// person is labelled with their name when it is ASCII, else with their Slack user id, so the chart
// reads the same whether or not a Japanese font exists.
import { escapeXml, niceStep } from '../sales/chart.ts';

export const HOURS_CHART_WIDTH = 960;
export const HOURS_CHART_HEIGHT = 480;

const MARGIN = { left: 64, right: 24, top: 64, bottom: 96 };
const COLORS = {
  total: '#4a7bb7',
  night: '#34495e',
  offDay: '#e07b39',
  grid: '#e3e6ea',
  axis: '#5b6470',
  text: '#2b2f36',
};
const FONT = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';

/** One person's bars, in hours. */
export interface HoursBar {
  label: string;
  total: number;
  night: number;
  offDay: number;
}

/** A label that renders without a Japanese font: the name when it is printable ASCII, else `fallback`. */
export function asciiLabel(name: string | undefined, fallback: string): string {
  return name && /^[\x20-\x7e]+$/.test(name) ? name : fallback;
}

function text(x: number, y: number, body: string, attrs = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${escapeXml(body)}</text>`;
}

/** Bars of total, night and weekend/holiday hours per person; `title` ASCII. */
export function hoursChartSvg(bars: readonly HoursBar[], title: string): string {
  const max = bars.reduce((m, b) => Math.max(m, b.total), 0);
  const step = Number(niceStep(BigInt(Math.ceil(max))));
  const top = Math.max(step, Math.ceil(max / step) * step);
  const plotW = HOURS_CHART_WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HOURS_CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
  const y = (v: number) => MARGIN.top + plotH - (v / top) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${HOURS_CHART_WIDTH}" height="${HOURS_CHART_HEIGHT}" viewBox="0 0 ${HOURS_CHART_WIDTH} ${HOURS_CHART_HEIGHT}" font-family="${FONT}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    text(MARGIN.left, 30, title, `font-size="18" font-weight="bold" fill="${COLORS.text}"`),
  ];
  for (let v = 0; v <= top; v += step) {
    const gy = y(v).toFixed(1);
    out.push(
      `<line x1="${MARGIN.left}" y1="${gy}" x2="${HOURS_CHART_WIDTH - MARGIN.right}" y2="${gy}" stroke="${v === 0 ? COLORS.axis : COLORS.grid}" stroke-width="1"/>`,
      text(MARGIN.left - 8, y(v) + 4, String(v), `font-size="12" text-anchor="end" fill="${COLORS.axis}"`),
    );
  }
  out.push(text(16, MARGIN.top - 14, 'hours', `font-size="12" fill="${COLORS.axis}"`));
  const slot = plotW / Math.max(bars.length, 1);
  const barW = Math.max(2, Math.min(24, slot * 0.25));
  bars.forEach((b, i) => {
    const cx = MARGIN.left + slot * (i + 0.5);
    [
      [b.total, COLORS.total],
      [b.night, COLORS.night],
      [b.offDay, COLORS.offDay],
    ].forEach(([v, color], k) => {
      const h = (Number(v) / top) * plotH;
      const x = cx - 1.5 * barW + k * barW;
      out.push(
        `<rect x="${x.toFixed(1)}" y="${(MARGIN.top + plotH - h).toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${String(color)}"/>`,
      );
    });
    const ly = MARGIN.top + plotH + 18;
    out.push(
      text(
        cx,
        ly,
        b.label,
        `font-size="11" text-anchor="end" fill="${COLORS.text}" transform="rotate(-30 ${cx.toFixed(1)} ${ly.toFixed(1)})"`,
      ),
    );
  });
  const lx = HOURS_CHART_WIDTH - MARGIN.right - 330;
  const legend: [string, string][] = [
    ['Total', COLORS.total],
    ['Night 22-05', COLORS.night],
    ['Weekend/holiday', COLORS.offDay],
  ];
  legend.forEach(([name, color], k) => {
    const x = lx + k * 110;
    out.push(
      `<rect x="${x}" y="18" width="14" height="14" fill="${color}"/>`,
      text(x + 20, 30, name, `font-size="12" fill="${COLORS.text}"`),
    );
  });
  out.push('</svg>');
  return out.join('\n');
}
