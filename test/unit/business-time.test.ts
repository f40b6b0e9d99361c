import { describe, expect, it } from 'vitest';
import { isBusinessDay } from '../../src/domain/business-days.ts';
import {
  addBusinessMs,
  businessDayAfter,
  businessDayOfMonth,
  businessMsBetween,
  closeOfBusiness,
  inBusinessTime,
  type BusinessCalendar,
} from '../../src/domain/business-time.ts';

const cal: BusinessCalendar = {
  zone: 'Asia/Tokyo',
  isBusinessDay,
  hours: { from: { hour: 9, minute: 0 }, to: { hour: 18, minute: 0 } },
};
const jst = (s: string) => new Date(`${s}+09:00`);
const H = 3_600_000;

describe('business time (Asia/Tokyo, 09:00–18:00, weekends and Japanese holidays off)', () => {
  it('counts only the hours of business days', () => {
    // Fri 2026-11-20 17:00 → Tue 2026-11-24 10:00: Mon 23 Nov is 勤労感謝の日.
    expect(businessMsBetween(jst('2026-11-20T17:00:00'), jst('2026-11-24T10:00:00'), cal)).toBe(2 * H);
    expect(businessMsBetween(jst('2026-11-24T10:00:00'), jst('2026-11-24T09:00:00'), cal)).toBe(0);
    expect(businessMsBetween(jst('2026-11-24T07:00:00'), jst('2026-11-24T20:00:00'), cal)).toBe(9 * H);
  });

  it('adds business hours across nights, weekends and holidays', () => {
    expect(addBusinessMs(jst('2026-11-20T17:00:00'), 2 * H, cal)).toEqual(jst('2026-11-24T10:00:00'));
    // From a night, the count starts at the next opening.
    expect(addBusinessMs(jst('2026-11-24T20:00:00'), 0, cal)).toEqual(jst('2026-11-25T09:00:00'));
    expect(addBusinessMs(jst('2026-11-24T12:00:00'), 0, cal)).toEqual(jst('2026-11-24T12:00:00'));
    // Filling the rest of a day ends at its close.
    expect(addBusinessMs(jst('2026-11-24T12:00:00'), 6 * H, cal)).toEqual(jst('2026-11-24T18:00:00'));
  });

  it('finds the close of business, the n-th business day after, and the business day of the month', () => {
    expect(closeOfBusiness('2026-12-01', cal)).toEqual(jst('2026-12-01T18:00:00'));
    expect(businessDayAfter(jst('2026-11-20T12:00:00'), 1, cal)).toBe('2026-11-24');
    expect(businessDayAfter(jst('2026-11-21T12:00:00'), 0, cal)).toBe('2026-11-24');
    // January 2027: 1 Jan holiday, 2–3 weekend, 11 Jan 成人の日.
    expect(businessDayOfMonth('2027-01-04', cal)).toBe(1);
    expect(businessDayOfMonth('2027-01-12', cal)).toBe(6);
    expect(businessDayOfMonth('2027-01-11', cal)).toBeUndefined();
  });

  it('knows whether an instant is in business time', () => {
    expect(inBusinessTime(jst('2026-11-24T09:00:00'), cal)).toBe(true);
    expect(inBusinessTime(jst('2026-11-24T18:00:00'), cal)).toBe(false);
    expect(inBusinessTime(jst('2026-11-23T12:00:00'), cal)).toBe(false);
  });

  it('refuses a calendar with no business day at all', () => {
    expect(() =>
      addBusinessMs(jst('2026-11-24T09:00:00'), H, { ...cal, isBusinessDay: () => false }),
    ).toThrow(RangeError);
  });
});
