// Forecast vs actual per month as an SVG bar chart, built by hand. ASCII only (months as 2024-03,
// an English legend, amounts as 12M) so it reads the same whether or not a Japanese font exists.
import type { MonthFigures } from '../../domain/sales/figures.ts';

export const CHART_WIDTH = 960;
export const CHART_HEIGHT = 480;

const MARGIN = { left: 80, right: 24, top: 64, bottom: 84 };
const COLORS = { forecast: '#9db4cc', actual: '#e07b39', grid: '#e3e6ea', axis: '#5b6470', text: '#2b2f36' };
const FONT = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A round step (1, 2 or 5 × 10^k yen) giving about five grid lines up to `max`. */
export function niceStep(max: bigint): bigint {
  if (max <= 0n) return 1n;
  const rough = (max + 4n) / 5n;
  let magnitude = 1n;
  while (magnitude * 10n <= rough) magnitude *= 10n;
  for (const m of [1n, 2n, 5n, 10n]) if (m * magnitude >= rough) return m * magnitude;
  return 10n * magnitude;
}

/** 120000000 -> "120M", 2500 -> "2.5k" ... in exact arithmetic; the axis only needs a short label. */
export function compactYen(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const units: [bigint, string][] = [
    [1_000_000_000n, 'B'],
    [1_000_000n, 'M'],
    [1_000n, 'k'],
  ];
  for (const [unit, suffix] of units) {
    if (a >= unit) {
      const whole = a / unit;
      const tenth = ((a % unit) * 10n) / unit;
      return `${neg ? '-' : ''}${whole}${tenth ? `.${tenth}` : ''}${suffix}`;
    }
  }
  return `${neg ? '-' : ''}${a}`;
}

function text(x: number, y: number, body: string, attrs = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${escapeXml(body)}</text>`;
}

export function forecastChartSvg(rows: readonly MonthFigures[], title: string): string {
  const values = rows.flatMap((r) => (r.actual === null ? [r.forecast] : [r.forecast, r.actual]));
  const maxV = values.reduce((m, v) => (v > m ? v : m), 0n);
  const minV = values.reduce((m, v) => (v < m ? v : m), 0n);
  const step = niceStep(maxV - minV);
  const top = ((maxV + step - 1n) / step) * step || step;
  const bottom = minV < 0n ? -(((-minV + step - 1n) / step) * step) : 0n;

  const plotW = CHART_WIDTH - MARGIN.left - MARGIN.right;
  const plotH = CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
  // Pixel positions only: a float here never touches an amount shown as money.
  const span = Number(top - bottom);
  const y = (v: bigint) => MARGIN.top + plotH - (Number(v - bottom) / span) * plotH;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" font-family="${FONT}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    text(MARGIN.left, 30, title, `font-size="18" font-weight="bold" fill="${COLORS.text}"`),
  );

  for (let v = bottom; v <= top; v += step) {
    const gy = y(v);
    out.push(
      `<line x1="${MARGIN.left}" y1="${gy.toFixed(1)}" x2="${CHART_WIDTH - MARGIN.right}" y2="${gy.toFixed(1)}" stroke="${v === 0n ? COLORS.axis : COLORS.grid}" stroke-width="1"/>`,
      text(MARGIN.left - 8, gy + 4, compactYen(v), `font-size="12" text-anchor="end" fill="${COLORS.axis}"`),
    );
  }
  out.push(text(16, MARGIN.top - 14, 'JPY', `font-size="12" fill="${COLORS.axis}"`));

  const n = Math.max(rows.length, 1);
  const slot = plotW / n;
  const barW = Math.max(2, Math.min(28, slot * 0.36));
  const rotate = n > 12;
  rows.forEach((r, i) => {
    const cx = MARGIN.left + slot * (i + 0.5);
    const bar = (v: bigint, x: number, color: string) => {
      const y0 = y(0n);
      const y1 = y(v);
      out.push(
        `<rect x="${x.toFixed(1)}" y="${Math.min(y0, y1).toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.max(Math.abs(y1 - y0), v === 0n ? 0 : 1).toFixed(1)}" fill="${color}"/>`,
      );
    };
    bar(r.forecast, cx - barW - 1, COLORS.forecast);
    if (r.actual !== null) bar(r.actual, cx + 1, COLORS.actual);
    const ly = MARGIN.top + plotH + 18;
    out.push(
      rotate
        ? text(
            cx,
            ly,
            r.month,
            `font-size="11" text-anchor="end" fill="${COLORS.text}" transform="rotate(-45 ${cx.toFixed(1)} ${ly.toFixed(1)})"`,
          )
        : text(cx, ly, r.month, `font-size="12" text-anchor="middle" fill="${COLORS.text}"`),
    );
  });

  const lx = CHART_WIDTH - MARGIN.right - 190;
  out.push(
    `<rect x="${lx}" y="18" width="14" height="14" fill="${COLORS.forecast}"/>`,
    text(lx + 20, 30, 'Forecast', `font-size="13" fill="${COLORS.text}"`),
    `<rect x="${lx + 100}" y="18" width="14" height="14" fill="${COLORS.actual}"/>`,
    text(lx + 120, 30, 'Actual', `font-size="13" fill="${COLORS.text}"`),
    '</svg>',
  );
  return out.join('\n');
}
