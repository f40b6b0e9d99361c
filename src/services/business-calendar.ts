// The business calendar investigations count in: the business time zone, business days (weekends,
// Japanese holidays and toban.yml's closures off) and toban.yml's `investigations.business_hours`.
import type { AppContext } from '../core/context.ts';
import { BUSINESS_HOURS_PATTERN } from '../config/schema.ts';
import type { BusinessCalendar } from '../domain/business-time.ts';
import { businessDays } from '../domain/closures.ts';

/** Opening hours when toban.yml names none. */
const DEFAULT_HOURS = '09:00-18:00';

/** The calendar of `config` (hours checked at start by the schema). */
export function businessCalendar(ctx: Pick<AppContext, 'config'>): BusinessCalendar {
  const text = ctx.config.investigations?.business_hours ?? DEFAULT_HOURS;
  const m = BUSINESS_HOURS_PATTERN.exec(text) ?? BUSINESS_HOURS_PATTERN.exec(DEFAULT_HOURS)!;
  return {
    zone: ctx.config.timezone,
    isBusinessDay: businessDays(ctx.config.closures),
    hours: {
      from: { hour: Number(m[1]), minute: Number(m[2]) },
      to: { hour: Number(m[3]), minute: Number(m[4]) },
    },
  };
}
