// The business date now: what "today", "last-month" and a missing date mean in /ledger.
import type { AppContext } from '../../app/context.ts';
import { businessDate, type IsoDate } from '../../domain/dates.ts';

export function ledgerToday(ctx: Pick<AppContext, 'clock' | 'config'>): IsoDate {
  return businessDate(ctx.clock.now(), ctx.config.timezone);
}
