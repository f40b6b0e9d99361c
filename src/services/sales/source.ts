// Where the sales figures come from: the `sales` schema of the bot's database, or the sales
// service over HTTP when SALES_API_URL is set. Both answer the same two questions.
import type { Config } from '../../config/load.ts';
import type { Pool } from '../../db/pool.ts';
import type { GroupBy, GroupFigures, MonthFigures } from '../../domain/sales/figures.ts';
import type { Month } from '../../domain/sales/month.ts';
import type { SalesSourceKind } from '../../domain/sales/report.ts';
import { createSalesClient } from '../../integrations/sales/client.ts';
import { apiSalesSource } from './api-source.ts';
import { databaseSalesSource } from './database-source.ts';

export { SalesSourceError } from './errors.ts';

export interface SalesSource {
  /** Named in the audit log and the reply's footer. */
  readonly kind: SalesSourceKind;
  /** One month per project, customer or department. */
  byGroup(month: Month, groupBy: GroupBy): Promise<GroupFigures[]>;
  /** Totals per month; months without figures may be left out. */
  monthly(from: Month, to: Month): Promise<MonthFigures[]>;
}

export interface SalesSourceOptions {
  timeoutMs?: number;
}

/** The HTTP source when `config.env.sales.apiUrl` is set, else the database tables. */
export function createSalesSource(
  config: Config,
  pool: Pool,
  fetchImpl?: (input: Request) => Promise<Response>,
  opts: SalesSourceOptions = {},
): SalesSource {
  const { apiUrl, token } = config.env.sales;
  if (apiUrl) {
    const client = createSalesClient({ baseUrl: apiUrl, token, fetch: fetchImpl, timeoutMs: opts.timeoutMs });
    return apiSalesSource(client, opts.timeoutMs);
  }
  return databaseSalesSource(pool, opts.timeoutMs);
}
