// "Today" as the business sees it: the calendar date in the business time zone, from the clock.
import { DateTime } from 'luxon';
import type { AppContext } from '../app/context.ts';

export function businessToday(ctx: Pick<AppContext, 'clock' | 'config'>): string {
  return DateTime.fromJSDate(ctx.clock.now(), { zone: ctx.config.timezone }).toISODate() ?? '';
}
