// Instants as people in Japan read them: 4/15(月) 10:00 in the business time zone.
import { DateTime } from 'luxon';
import type { Locale } from '../i18n/index.ts';

export function formatInstant(at: Date, tz: string, locale: Locale): string {
  const d = DateTime.fromJSDate(at, { zone: tz }).setLocale(locale);
  return locale === 'ja' ? d.toFormat('M/d(ccc) HH:mm') : d.toFormat('ccc d LLL HH:mm');
}
