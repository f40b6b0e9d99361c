// "Today" as the business sees it: the calendar date in the business time zone, from the clock.
import type { AppContext } from '../core/context.ts';
import { businessDate, type IsoDate } from '../domain/dates.ts';

export function businessToday(ctx: Pick<AppContext, 'clock' | 'config'>): IsoDate {
  return businessDate(ctx.clock.now(), ctx.config.timezone);
}
