import { describe, expect, it } from 'vitest';
import { MAX_RANGE_MONTHS } from '../../src/domain/sales/query.ts';
import type { SalesForecastReport } from '../../src/domain/sales/report.ts';
import { allKeys, t } from '../../src/i18n/index.ts';
import { sales as enSales } from '../../src/i18n/en/sales.ts';
import { sales as jaSales } from '../../src/i18n/ja/sales.ts';
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  compactYen,
  forecastChartSvg,
  niceStep,
} from '../../src/views/sales/chart.ts';
import { salesForecastReply } from '../../src/views/sales/forecast.ts';
import { sections } from '../../src/views/common.ts';

function forecastReport(months: number): SalesForecastReport {
  const rows = Array.from({ length: months }, (_, i) => {
    const month = `2024-${String(i + 1).padStart(2, '0')}`;
    const forecast = BigInt((i + 1) * 1_000_000);
    return i < 2
      ? { month, forecast, actual: forecast + 50_000n, variance: { diff: 50_000n, permille: 50n } }
      : { month, forecast, actual: null };
  });
  return {
    kind: 'forecast',
    from: rows[0]!.month,
    to: rows.at(-1)!.month,
    source: 'database',
    rows,
    total: {
      forecast: 6_000_000n,
      actual: 3_100_000n,
      comparedForecast: 3_000_000n,
      variance: { diff: 100_000n, permille: 33n },
    },
  };
}

describe('sales catalogues', () => {
  it('say every sales sentence in both Japanese and English', () => {
    expect(Object.keys(enSales).sort()).toEqual(Object.keys(jaSales).sort());
    for (const key of Object.keys(jaSales)) expect(allKeys('en')).toContain(key);
  });

  it('state the range cap the grammar enforces', () => {
    expect(t('ja', 'sales.help')).toContain(`${MAX_RANGE_MONTHS} か月`);
    expect(t('en', 'sales.help')).toContain(`${MAX_RANGE_MONTHS} months`);
  });
});

describe('forecast chart', () => {
  it('picks round grid steps and short ASCII amounts', () => {
    expect(niceStep(45_000_000n)).toBe(10_000_000n);
    expect(niceStep(18_000_000n)).toBe(5_000_000n);
    expect(niceStep(7n)).toBe(2n);
    expect(compactYen(120_000_000n)).toBe('120M');
    expect(compactYen(2_500n)).toBe('2.5k');
    expect(compactYen(-3_000_000_000n)).toBe('-3B');
    expect(compactYen(0n)).toBe('0');
  });

  it('draws one forecast bar per month and an actual bar only where one is recorded', () => {
    const svg = forecastChartSvg(forecastReport(3).rows, 'Sales forecast vs actual');
    expect(svg.match(/fill="#9db4cc"/g)).toHaveLength(3 + 1); // bars + legend swatch
    expect(svg.match(/fill="#e07b39"/g)).toHaveLength(2 + 1);
    expect(svg).toContain('>2024-03</text>');
    // ASCII only: readable without a Japanese font.
    expect(/^[\x20-\x7e\n]*$/.test(svg)).toBe(true);
  });

  it('escapes text placed in the SVG', () => {
    expect(forecastChartSvg([], 'A & <B>')).toContain('A &amp; &lt;B&gt;');
  });
});

describe('forecast reply', () => {
  it('attaches the chart as a base64 PNG of the chart size', () => {
    const reply = salesForecastReply(forecastReport(3), 'en');
    const png = Buffer.from(reply.files![0]!.content, 'base64');
    expect(reply.files![0]).toMatchObject({
      encoding: 'base64',
      filetype: 'png',
      filename: 'sales-forecast-2024-01_2024-03.png',
    });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(CHART_WIDTH);
    expect(png.readUInt32BE(20)).toBe(CHART_HEIGHT);
    expect(reply.files).toHaveLength(1);
  });

  it('keeps the message short and sends every month as CSV when the range is long', () => {
    const reply = salesForecastReply(forecastReport(12), 'ja');
    expect(reply.files).toHaveLength(1);
    const longReport = forecastReport(12);
    longReport.rows.push({ month: '2025-01', forecast: 1n, actual: null });
    longReport.to = '2025-01';
    const long = salesForecastReply(longReport, 'ja');
    expect(long.files?.map((f) => f.filetype)).toEqual(['png', 'csv']);
    expect(long.message.text).toContain('ほか 1 行は添付の CSV ファイルにあります。');
    expect(long.message.text).not.toContain('*2025-01*');
    const csv = long.files![1]!.content;
    expect(csv.startsWith('\uFEFF月,予測（円）,実績（円）,差異（円）,差異率（%）\r\n')).toBe(true);
    expect(csv).toContain('\r\n2025-01,1,,,\r\n');
    expect(csv).toContain('\r\n2024-01,1000000,1050000,50000,+5.0\r\n');
  });
});

describe('line sections', () => {
  it('split long text below Slack’s 3,000 character limit without losing a line', () => {
    const lines = Array.from({ length: 80 }, (_, i) => `line ${i} `.padEnd(100, 'x'));
    const blocks = sections(lines);
    expect(blocks.length).toBeGreaterThan(1);
    const texts = blocks.map((b) => (b as { text: { text: string } }).text.text);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(3000);
    expect(texts.join('\n').split('\n')).toEqual(lines);
  });
});
