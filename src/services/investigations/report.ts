// What `/investigate list | show | stats` read: the requests by filter, one request with its log, and
// a month's figures (domain/investigation-stats.ts) counted in business hours. Read-only.
import { DateTime } from 'luxon';
import type { AppContext } from '../../core/context.ts';
import { UserError } from '../../core/errors.ts';
import {
  investigationsFiledBetween,
  investigationWithEvents,
  listInvestigations,
  type InvestigationEvent,
  type ListedInvestigation,
  type ListFilter,
  type MonthInvestigation,
} from '../../db/investigation-reports.ts';
import type { InvestigationRow } from '../../db/investigations.ts';
import type { IsoMonth } from '../../domain/dates.ts';
import { formatInvestigationId } from '../../domain/investigation.ts';
import { monthStats, type MonthStats } from '../../domain/investigation-stats.ts';
import { businessCalendar } from '../business-calendar.ts';

type Ctx = Pick<AppContext, 'pool' | 'clock' | 'config'>;

/** How many requests a list shows; the rest are counted ("and N more"). */
export const LIST_LIMIT = 20;

export interface InvestigationList {
  filter: ListFilter;
  items: ListedInvestigation[];
  total: number;
}

/** The requests of `filter` for `userId` (see listInvestigations), at most LIST_LIMIT. */
export async function investigationList(
  ctx: Ctx,
  filter: ListFilter,
  userId: string,
): Promise<InvestigationList> {
  const { items, total } = await listInvestigations(ctx.pool, {
    filter,
    userId,
    now: ctx.clock.now(),
    limit: LIST_LIMIT,
  });
  return { filter, items, total };
}

/** One request and its log; a UserError (investigate.unknown_id) when there is no such request. */
export async function investigationDetail(
  ctx: Ctx,
  id: string,
): Promise<{ investigation: InvestigationRow; events: InvestigationEvent[] }> {
  const found = await investigationWithEvents(ctx.pool, id);
  if (!found) throw new UserError('investigate.unknown_id', { id: formatInvestigationId(id) });
  return found;
}

export interface MonthReport {
  month: IsoMonth;
  stats: MonthStats;
  /** The month's requests, oldest first, in the order of stats.rows. */
  rows: MonthInvestigation[];
}

/** The figures of the requests filed in `month` (calendar month in the business time zone). */
export async function investigationMonth(ctx: Ctx, month: IsoMonth): Promise<MonthReport> {
  const start = DateTime.fromISO(`${month}-01`, { zone: ctx.config.timezone }).startOf('month');
  const rows = await investigationsFiledBetween(
    ctx.pool,
    start.toJSDate(),
    start.plus({ months: 1 }).toJSDate(),
  );
  return { month, stats: monthStats(rows, ctx.clock.now(), businessCalendar(ctx)), rows };
}
