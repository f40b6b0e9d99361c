// Hours on duty counted on the rotation's wall clock: totals, night (22:00–05:00), days off, DST
// months, business hours.
import { describe, expect, it } from 'vitest';
import { businessDays } from '../../src/domain/closures.ts';
import { coveredMs, hoursByPerson, monthWindow, parseMonth } from '../../src/domain/duty-hours.ts';

const H = 3_600_000;
const calendar = businessDays([]);
const tokyo = { timeZone: 'Asia/Tokyo', businessDaysOnly: false };

describe('hoursByPerson', () => {
  it('counts a whole day held by one person as 24 h, 7 of them at night, and a Saturday as a day off', () => {
    // Sat 2026-11-07 00:00 – Sun 00:00 JST
    const window = { start: new Date('2026-11-06T15:00:00Z'), end: new Date('2026-11-07T15:00:00Z') };
    const [row] = hoursByPerson([{ userId: 'U1', ...window }], window, tokyo, calendar);
    expect(row).toEqual({ userId: 'U1', totalMs: 24 * H, nightMs: 7 * H, offDayMs: 24 * H });
  });

  it('counts a Japanese holiday as a day off (2026-11-03, 文化の日) and a weekday as none', () => {
    const holiday = { start: new Date('2026-11-02T15:00:00Z'), end: new Date('2026-11-03T15:00:00Z') };
    const weekday = { start: new Date('2026-11-03T15:00:00Z'), end: new Date('2026-11-04T15:00:00Z') };
    expect(hoursByPerson([{ userId: 'U1', ...holiday }], holiday, tokyo, calendar)[0]!.offDayMs).toBe(24 * H);
    expect(hoursByPerson([{ userId: 'U1', ...weekday }], weekday, tokyo, calendar)[0]!.offDayMs).toBe(0);
  });

  it('splits hours between people at the handoff and clips pieces to the window', () => {
    const window = monthWindow('2026-11', 'Asia/Tokyo');
    const handoff = new Date('2026-11-16T01:00:00Z'); // Mon 16 Nov 10:00 JST
    const rows = hoursByPerson(
      [
        { userId: 'U1', start: new Date('2026-10-26T01:00:00Z'), end: handoff },
        { userId: 'U2', start: handoff, end: new Date('2026-12-07T01:00:00Z') },
      ],
      window,
      tokyo,
      calendar,
    );
    expect(rows.map((r) => r.userId)).toEqual(['U1', 'U2']);
    expect(rows[0]!.totalMs).toBe((15 * 24 + 10) * H);
    expect(rows[0]!.totalMs + rows[1]!.totalMs).toBe(30 * 24 * H);
  });

  it('adds up to the hours of a month with a DST change on its wall clock (Berlin, March 2026: 743 h)', () => {
    const rot = { timeZone: 'Europe/Berlin', businessDaysOnly: false };
    const window = monthWindow('2026-03', rot.timeZone);
    expect(window.end.getTime() - window.start.getTime()).toBe(743 * H);
    const rows = hoursByPerson([{ userId: 'U1', ...window }], window, rot, calendar);
    expect(rows[0]!.totalMs).toBe(743 * H);
    // 31 nights of 7 h, less the hour skipped at 02:00 on 29 March.
    expect(rows[0]!.nightMs).toBe((31 * 7 - 1) * H);
    expect(coveredMs(window, rot, calendar)).toBe(743 * H);
  });

  it('counts only business hours when the rotation has them, and none on days off with business_days_only', () => {
    const rot = {
      timeZone: 'Asia/Tokyo',
      businessDaysOnly: true,
      businessHours: { from: { hour: 9, minute: 0 }, to: { hour: 18, minute: 0 } },
    };
    const window = monthWindow('2026-11', rot.timeZone);
    // November 2026 in Japan: 21 weekdays less 文化の日 (3rd) and 勤労感謝の日 (23rd) = 19 business days.
    expect(coveredMs(window, rot, calendar)).toBe(19 * 9 * H);
    const rows = hoursByPerson([{ userId: 'U1', ...window }], window, rot, calendar);
    expect(rows[0]).toEqual({ userId: 'U1', totalMs: 19 * 9 * H, nightMs: 0, offDayMs: 0 });
  });
});

describe('parseMonth', () => {
  it('reads YYYY-MM (full-width too) and refuses anything else', () => {
    expect(parseMonth('2026-11')).toBe('2026-11');
    expect(parseMonth('２０２６－１１')).toBe('2026-11');
    for (const bad of ['2026-13', '2026-1', '26-11', '2026/11', 'november', '1999-01'])
      expect(parseMonth(bad)).toBeUndefined();
  });
});
