import { describe, expect, it } from 'vitest';
import {
  addMonths,
  businessDate,
  monthBounds,
  parseDate,
  parseMonth,
  startOfBusinessDate,
} from '../../src/domain/dates.ts';

const today = '2024-04-10';

describe('parseDate', () => {
  it('reads ISO dates, slashes without leading zeros, and 年月日', () => {
    expect(parseDate('2024-03-31', today)).toBe('2024-03-31');
    expect(parseDate('2024/3/31', today)).toBe('2024-03-31');
    expect(parseDate('2024年3月5日', today)).toBe('2024-03-05');
  });

  it('reads full-width digits and slashes as half-width ones', () => {
    expect(parseDate('２０２４／３／３１', today)).toBe('2024-03-31');
    expect(parseDate('２０２４－０３－０１', today)).toBe('2024-03-01');
  });

  it('reads today, yesterday and last-month-end relative to the given business date', () => {
    expect(parseDate('today', today)).toBe('2024-04-10');
    expect(parseDate('Yesterday', today)).toBe('2024-04-09');
    expect(parseDate('last-month-end', today)).toBe('2024-03-31');
    expect(parseDate('last-month-end', '2024-03-05')).toBe('2024-02-29');
    expect(parseDate('yesterday', '2024-03-01')).toBe('2024-02-29');
  });

  it('refuses days that do not exist and text that is not a date', () => {
    expect(parseDate('2023-02-29', today)).toBeUndefined();
    expect(parseDate('2024-13-01', today)).toBeUndefined();
    expect(parseDate('2024-03', today)).toBeUndefined();
    expect(parseDate('売掛金', today)).toBeUndefined();
    expect(parseDate('', today)).toBeUndefined();
  });
});

describe('parseMonth', () => {
  it('reads 2024-03, 2024/3, 2024年3月 and full-width forms', () => {
    expect(parseMonth('2024-03', today)).toBe('2024-03');
    expect(parseMonth('2024/3', today)).toBe('2024-03');
    expect(parseMonth('2024年12月', today)).toBe('2024-12');
    expect(parseMonth('２０２４／３', today)).toBe('2024-03');
  });

  it('reads this-month and last-month, also across a year end', () => {
    expect(parseMonth('this-month', today)).toBe('2024-04');
    expect(parseMonth('last-month', today)).toBe('2024-03');
    expect(parseMonth('last-month', '2024-01-15')).toBe('2023-12');
  });

  it('refuses month 13 and dates', () => {
    expect(parseMonth('2024-13', today)).toBeUndefined();
    expect(parseMonth('2024-03-31', today)).toBeUndefined();
  });
});

describe('months', () => {
  it('knows leap years and month lengths', () => {
    expect(monthBounds('2024-02')).toEqual({
      month: '2024-02',
      first: '2024-02-01',
      last: '2024-02-29',
      next: '2024-03-01',
    });
    expect(monthBounds('2023-12').next).toBe('2024-01-01');
    expect(addMonths('2024-01', -2)).toBe('2023-11');
  });
});

describe('business dates end at JST midnight', () => {
  it('puts 23:59:59 JST on March 31 in March and 00:00 JST on April 1 in April', () => {
    expect(businessDate(new Date('2024-03-31T14:59:59.999Z'), 'Asia/Tokyo')).toBe('2024-03-31');
    expect(businessDate(new Date('2024-03-31T15:00:00Z'), 'Asia/Tokyo')).toBe('2024-04-01');
    // The same instant is still March 31 in UTC: the zone decides, not the server.
    expect(businessDate(new Date('2024-03-31T15:00:00Z'), 'UTC')).toBe('2024-03-31');
  });

  it('gives the instant a business day starts', () => {
    expect(startOfBusinessDate('2024-04-01', 'Asia/Tokyo').toISOString()).toBe('2024-03-31T15:00:00.000Z');
  });
});
