// /sales: sales forecast vs actual (売上予実) for the finance team. Parse -> one service call -> view.
import type { SlashCommand } from '../src/core/command.ts';
import { usageError } from '../src/core/errors.ts';
import { parseSalesQuery } from '../src/domain/sales/query.ts';
import { salesReport } from '../src/services/sales/report.ts';
import { businessToday } from '../src/services/today.ts';
import { salesForecastReply } from '../src/views/sales/forecast.ts';
import { salesMonthReply } from '../src/views/sales/month.ts';

export const sales: SlashCommand = {
  name: '/sales',
  helpKey: 'sales.help',
  financeOnly: true,
  async run(inv, ctx) {
    const parsed = parseSalesQuery(inv.text, businessToday(ctx));
    if (!parsed.ok) throw usageError('/sales', parsed.key, parsed.params);
    const report = await salesReport(ctx, inv.userId, parsed.query);
    return report.kind === 'month'
      ? salesMonthReply(report, inv.locale)
      : salesForecastReply(report, inv.locale);
  },
};
