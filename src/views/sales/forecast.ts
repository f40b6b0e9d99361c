// /sales forecast: forecast vs actual per month, with the variance, a PNG chart and (when long) a CSV.
import type { Reply, ReplyFile } from '../../core/command.ts';
import type { SalesForecastReport } from '../../domain/sales/report.ts';
import { t, type Locale } from '../../i18n/index.ts';
import { forecastChartSvg } from './chart.ts';
import { MAX_LINES, figureLine, figuresCsv, figuresJson, figuresReply } from './lines.ts';
import { svgToPng } from './png.ts';

export function salesForecastReply(report: SalesForecastReport, locale: Locale): Reply {
  const range = report.from === report.to ? report.from : `${report.from}_${report.to}`;
  const title = t(locale, 'sales.forecast.title', { from: report.from, to: report.to });
  const model = {
    kind: report.kind,
    from: report.from,
    to: report.to,
    source: report.source,
    currency: 'JPY',
    rows: report.rows.map((r) => ({ month: r.month, ...figuresJson(r) })),
    total: figuresJson(report.total),
  };

  const lines = report.rows.slice(0, MAX_LINES).map((r) => figureLine(locale, r.month, r));
  const totalLine = figureLine(locale, t(locale, 'sales.total'), report.total);
  const chartTitle = `Sales forecast vs actual  ${report.from} - ${report.to}`;
  const files: ReplyFile[] = [
    {
      filename: `sales-forecast-${range}.png`,
      title: t(locale, 'sales.file.chart', { range }),
      content: svgToPng(forecastChartSvg(report.rows, chartTitle)).toString('base64'),
      encoding: 'base64',
      filetype: 'png',
    },
  ];
  if (report.rows.length > MAX_LINES) {
    lines.push(`_${t(locale, 'sales.more', { count: report.rows.length - MAX_LINES })}_`);
    files.push({
      filename: `sales-forecast-${range}.csv`,
      title: t(locale, 'sales.file.csv', { range }),
      content: figuresCsv(
        locale,
        ['month'],
        [
          ...report.rows.map((r) => ({ label: [r.month], figures: r })),
          { label: [t(locale, 'sales.total')], figures: report.total },
        ],
      ),
      encoding: 'utf8',
      filetype: 'csv',
    });
  }
  return figuresReply(locale, { title, lines, totalLine, source: report.source, model, files });
}
