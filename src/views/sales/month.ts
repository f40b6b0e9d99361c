// /sales month: one month's forecast and actual per project, customer or department.
import type { Reply, ReplyFile } from '../../core/command.ts';
import { header, section } from '../common.ts';
import type { SalesMonthReport } from '../../domain/sales/report.ts';
import { t, type Locale } from '../../i18n/index.ts';
import { MAX_LINES, figureLine, figuresCsv, figuresJson, figuresReply } from './lines.ts';

export function salesMonthReply(report: SalesMonthReport, locale: Locale): Reply {
  const title = t(locale, 'sales.month.title', {
    month: report.month,
    group: t(locale, `sales.group.${report.groupBy}`),
  });
  const model = {
    kind: report.kind,
    month: report.month,
    groupBy: report.groupBy,
    source: report.source,
    currency: 'JPY',
    rows: report.rows.map((r) => ({ id: r.id, name: r.name, ...figuresJson(r) })),
    total: figuresJson(report.total),
  };
  if (report.rows.length === 0) {
    const text = t(locale, 'sales.month.empty', { month: report.month });
    return { visibility: 'ephemeral', message: { text, blocks: [header(title), section(text)] }, model };
  }

  const shown = report.rows.slice(0, MAX_LINES).map((r) => figureLine(locale, r.name, r));
  const totalLine = figureLine(locale, t(locale, 'sales.total'), report.total);
  const files: ReplyFile[] = [];
  const lines = [...shown];
  if (report.rows.length > MAX_LINES) {
    lines.push(`_${t(locale, 'sales.more', { count: report.rows.length - MAX_LINES })}_`);
    files.push({
      filename: `sales-${report.month}-${report.groupBy}.csv`,
      title: t(locale, 'sales.file.csv', { range: report.month }),
      content: figuresCsv(
        locale,
        ['id', 'name'],
        [
          ...report.rows.map((r) => ({ label: [r.id, r.name], figures: r })),
          { label: ['', t(locale, 'sales.total')], figures: report.total },
        ],
      ),
      encoding: 'utf8',
      filetype: 'csv',
    });
  }
  return figuresReply(locale, { title, lines, totalLine, source: report.source, model, files });
}
