// The wall clock read with a kept Intl formatter (domain/wall-clock.ts) and the instants shown with it
// (views/time.ts) are what Luxon says, for any instant in zones with and without DST.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isoDateOf, wallClock } from '../../src/domain/wall-clock.ts';
import { formatInstant } from '../../src/views/time.ts';

const zone = fc.constantFrom(
  'Asia/Tokyo',
  'America/New_York',
  'Europe/Berlin',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'UTC',
);
const instant = fc
  .integer({ min: Date.parse('1950-01-01T00:00:00Z'), max: Date.parse('2100-12-31T23:59:59Z') })
  .map((ms) => new Date(ms));

describe('the wall clock of an instant', () => {
  it('is the one Luxon gives, in any zone', () => {
    fc.assert(
      fc.property(instant, zone, (at, tz) => {
        const l = DateTime.fromJSDate(at, { zone: tz });
        const w = wallClock(at, tz);
        expect(w).toEqual({
          year: l.year,
          month: l.month,
          day: l.day,
          hour: l.hour,
          minute: l.minute,
          second: l.second,
          weekday: l.weekday,
        });
        expect(isoDateOf(w)).toBe(l.toISODate());
      }),
      { numRuns: 3000 },
    );
  });

  it('is shown as Luxon showed it (ja "M/d(ccc) HH:mm", en "ccc d LLL HH:mm")', () => {
    fc.assert(
      fc.property(instant, zone, (at, tz) => {
        const l = DateTime.fromJSDate(at, { zone: tz });
        expect(formatInstant(at, tz, 'ja', at)).toBe(l.setLocale('ja').toFormat('M/d(ccc) HH:mm'));
        expect(formatInstant(at, tz, 'en', at)).toBe(l.setLocale('en').toFormat('ccc d LLL HH:mm'));
      }),
      { numRuns: 3000 },
    );
  });
});
