// The monthly close (月次決算): business days 1 to N (toban.yml `investigations.close_business_days`,
// 10 by default) of each month, counted in the business calendar (weekends, Japanese holidays and
// company closure days are not business days, so a month starting on a holiday starts its close on
// its first business day). A request filed by finance during the close is a month-close request:
// urgent, due the same business day by default, and the person on duty is paged at once.
//
// A request belongs to the business day it will be worked on: the day it is filed when that is a
// business day and business has not closed yet, else the next business day (filed on Saturday, or at
// 19:00, it belongs to the next business day, and it is a month-close request when that day is in the
// close). Pure: the instant and the calendar are arguments.
import { DateTime } from 'luxon';
import {
  businessDayAfter,
  businessDayOfMonth,
  closeOfBusiness,
  type BusinessCalendar,
} from './business-time.ts';

/** The business day (YYYY-MM-DD in the zone) a request filed at `at` is worked on (see the module comment). */
export function workingDay(at: Date, cal: BusinessCalendar): string {
  const today = DateTime.fromJSDate(at, { zone: cal.zone }).toISODate()!;
  if (cal.isBusinessDay(today) && at.getTime() < closeOfBusiness(today, cal).getTime()) return today;
  return businessDayAfter(at, cal.isBusinessDay(today) ? 1 : 0, cal);
}

/**
 * The business day a request filed at `at` is worked on, when that day is one of business days 1 to
 * `closeBusinessDays` of its month (the monthly close); undefined outside the close.
 */
export function monthCloseDay(
  at: Date,
  closeBusinessDays: number,
  cal: BusinessCalendar,
): string | undefined {
  const day = workingDay(at, cal);
  const n = businessDayOfMonth(day, cal);
  return n !== undefined && n <= closeBusinessDays ? day : undefined;
}
