// Japanese business days: Monday to Friday, except national holidays (祝日, from @holiday-jp).
import holidayJp from '@holiday-jp/holiday_jp';

// The library looks dates up by scanning its table; a Set makes a rotation walk of years cheap.
const HOLIDAYS = new Set(Object.keys(holidayJp.holidays));

export function isJapaneseHoliday(isoDate: string): boolean {
  return HOLIDAYS.has(isoDate);
}

export function holidayName(isoDate: string, locale: 'ja' | 'en'): string | undefined {
  const h = (holidayJp.holidays as Record<string, { name: string; name_en: string } | undefined>)[isoDate];
  return h ? (locale === 'ja' ? h.name : h.name_en) : undefined;
}

export function isBusinessDay(isoDate: string): boolean {
  // Date.parse of a date-only ISO string is UTC midnight: getUTCDay is that calendar day's weekday.
  const weekday = new Date(Date.parse(isoDate)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !HOLIDAYS.has(isoDate);
}
