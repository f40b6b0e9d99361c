// Rotations on the calendar: handoffs at the local time across DST changes (each shift kind), the
// company's closure days and Japanese holidays skipped, business hours, overrides laid over shifts,
// and the times /oncall override reads.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseFileConfig } from '../../src/config/load.ts';
import { rotationFromFile } from '../../src/config/rotation.ts';
import { businessDays, isClosed, parseClosure, type Closure } from '../../src/domain/closures.ts';
import { applyOverrides, overrideProblem, type Override } from '../../src/domain/override.ts';
import { readDayTime, readPeriodAtEnd, typedTime } from '../../src/domain/override-time.ts';
import {
  businessHoursResume,
  inBusinessHours,
  shiftsFrom,
  type Rotation,
  type Shift,
  type ShiftKind,
} from '../../src/domain/rotation.ts';

const rotation = (over: Partial<Rotation>): Rotation => ({
  id: 'r',
  name: 'R',
  members: ['UA', 'UB', 'UC'],
  shift: { kind: 'daily' },
  handoff: { hour: 2, minute: 30 },
  timeZone: 'America/New_York',
  start: '2026-01-04',
  businessDaysOnly: false,
  ...over,
});

const local = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toFormat('yyyy-MM-dd HH:mm');

function expectBackToBack(shifts: Shift[]): void {
  for (let i = 1; i < shifts.length; i++) expect(shifts[i]!.start).toEqual(shifts[i - 1]!.end);
  for (const s of shifts) expect(s.end.getTime()).toBeGreaterThan(s.start.getTime());
}

describe('handoffs across DST changes', () => {
  // 2026: New York springs forward Sun 8 Mar (02:00 -> 03:00) and falls back Sun 1 Nov (02:00 -> 01:00);
  // Berlin Sun 29 Mar (02:00 -> 03:00) and Sun 25 Oct (03:00 -> 02:00).
  const cases: { zone: string; day: string }[] = [
    { zone: 'America/New_York', day: '2026-03-08' },
    { zone: 'America/New_York', day: '2026-11-01' },
    { zone: 'Europe/Berlin', day: '2026-03-29' },
    { zone: 'Europe/Berlin', day: '2026-10-25' },
  ];
  const kinds: ShiftKind[] = [
    { kind: 'daily' },
    { kind: 'weekly', weekday: 7 },
    { kind: 'hours', hours: 12 },
  ];
  for (const { zone, day } of cases)
    for (const shift of kinds) {
      it(`${zone} ${day}, ${shift.kind}: no gap, no overlap, every handoff at 02:30 (or 14:30) local`, () => {
        const rot = rotation({ shift, timeZone: zone });
        const from = DateTime.fromISO(`${day}T00:00`, { zone }).minus({ days: 15 }).toJSDate();
        const shifts = shiftsFrom(rot, from, shift.kind === 'weekly' ? 5 : 40, () => true);
        expectBackToBack(shifts);
        const handoffs = shifts.slice(1).map((s) => local(s.start, zone));
        const across = handoffs.filter((h) => h.startsWith(day));
        expect(across.length).toBeGreaterThan(0);
        for (const h of handoffs) {
          const time = h.slice(11);
          // 02:30 does not exist on a spring-forward day in New York (02:00 -> 03:00): it moves to 03:30.
          const skipped = day.endsWith('03-08') && zone === 'America/New_York' && h.startsWith(day);
          const berlinSkipped = day.endsWith('03-29') && zone === 'Europe/Berlin' && h.startsWith(day);
          if ((skipped || berlinSkipped) && time === '03:30') continue;
          expect(['02:30', '14:30']).toContain(time);
        }
        // Turns go round in order.
        expect(shifts.slice(1, 4).map((s) => s.userId)).toHaveLength(3);
        expect(new Set(shifts.slice(1, 4).map((s) => s.userId)).size).toBe(3);
      });
    }

  it('a shift over the fall-back night is an hour longer, the one over spring-forward an hour shorter', () => {
    const rot = rotation({});
    const [fall] = shiftsFrom(rot, new Date('2026-11-01T05:00:00Z'), 0, () => true);
    expect(fall!.end.getTime() - fall!.start.getTime()).toBe(25 * 3_600_000);
    const [spring] = shiftsFrom(rot, new Date('2026-03-07T12:00:00Z'), 0, () => true);
    expect(local(spring!.end, 'America/New_York')).toBe('2026-03-08 03:30');
  });
});

describe('closure days', () => {
  const closures = ['12-29..01-03', '2026-08-13..2026-08-14', '06-01'].map((c) => parseClosure(c) as Closure);

  it('reads yearly days and ranges (over the new year) and one-off ranges, and says what is wrong', () => {
    expect(isClosed(closures, '2026-12-29')).toBe(true);
    expect(isClosed(closures, '2027-01-03')).toBe(true);
    expect(isClosed(closures, '2027-01-04')).toBe(false);
    expect(isClosed(closures, '2026-12-28')).toBe(false);
    expect(isClosed(closures, '2026-08-13')).toBe(true);
    expect(isClosed(closures, '2027-08-13')).toBe(false);
    expect(isClosed(closures, '2031-06-01')).toBe(true);
    expect(parseClosure('02-30')).toHaveProperty('error');
    expect(parseClosure('2026-02-29')).toHaveProperty('error');
    expect(parseClosure('2026-05-06..2026-05-01')).toHaveProperty('error');
    expect(parseClosure('12-29..2027-01-03')).toHaveProperty('error');
    expect(parseClosure('02-29')).toEqual({ yearly: true, from: '02-29', to: '02-29' });
  });

  it('a business-days rotation skips Golden Week 2026-05-04..06 and the company closure 12/29–1/3', () => {
    const rot = rotation({
      timeZone: 'Asia/Tokyo',
      handoff: { hour: 10, minute: 0 },
      businessDaysOnly: true,
    });
    const calendar = businessDays(closures);
    const days = (from: string, n: number) =>
      shiftsFrom(rot, new Date(from), n, calendar)
        .slice(1)
        .map((s) => local(s.start, 'Asia/Tokyo').slice(0, 10));
    // Fri 1 May, then the weekend, みどりの日 (4), こどもの日 (5) and 振替休日 (6): Thu 7 May.
    expect(days('2026-04-30T12:00:00Z', 3)).toEqual(['2026-05-01', '2026-05-07', '2026-05-08']);
    // Mon 28 Dec, then closed 29 Dec to 3 Jan (and the weekend after): Mon 4 Jan 2027.
    expect(days('2026-12-27T12:00:00Z', 2)).toEqual(['2026-12-28', '2027-01-04']);
  });

  it('toban.yml: closures validated with the key and the problem', () => {
    const base = 'channels: { alerts: C1, investigations: C2, incidents: C3, finance: C4 }\n';
    expect(() => parseFileConfig(`${base}closures: ["12-29..01-03", "2026-08-14"]`, 't')).not.toThrow();
    expect(() => parseFileConfig(`${base}closures: ["12/29"]`, 't')).toThrow(
      /closures\[0\]: expected "MM-DD"/,
    );
    expect(() => parseFileConfig(`${base}closures: ["2026-02-30"]`, 't')).toThrow(/closures\[0\]/);
  });
});

describe('business hours', () => {
  const file = parseFileConfig(
    `channels: { alerts: C1, investigations: C2, incidents: C3, finance: C4 }
rotations:
  - { id: cs, name: CS, members: [UA, UB], shift: daily, handoff: "09:00", business_days_only: true, business_hours: "09:00-18:00", channel: C9, timezone: Europe/Berlin }
`,
    't',
  );
  const rot = rotationFromFile(file.rotations[0]!, 'Asia/Tokyo');

  it('maps toban.yml business_hours, channel and a rotation time zone', () => {
    expect(rot).toMatchObject({
      businessHours: { from: { hour: 9, minute: 0 }, to: { hour: 18, minute: 0 } },
      channel: 'C9',
      timeZone: 'Europe/Berlin',
    });
  });

  it('nobody outside them, and none on a day off; says when they begin again', () => {
    const calendar = businessDays([]);
    expect(inBusinessHours(rot, new Date('2026-12-01T09:00:00Z'), calendar)).toBe(true); // Tue 10:00 CET
    expect(inBusinessHours(rot, new Date('2026-12-01T17:00:00Z'), calendar)).toBe(false); // 18:00
    expect(inBusinessHours(rot, new Date('2026-12-05T09:00:00Z'), calendar)).toBe(false); // Saturday
    // Friday 19:00 -> Monday 09:00 CET.
    expect(businessHoursResume(rot, new Date('2026-12-04T18:00:00Z'), calendar)?.toISOString()).toBe(
      '2026-12-07T08:00:00.000Z',
    );
  });

  it('toban.yml refuses hours that end before they begin', () => {
    const bad = `channels: { alerts: C1, investigations: C2, incidents: C3, finance: C4 }
rotations:
  - { id: cs, name: CS, members: [UA], shift: daily, handoff: "09:00", business_hours: "18:00-09:00" }
`;
    expect(() => parseFileConfig(bad, 't')).toThrow(
      /rotations\[0\]\.business_hours: the hours must end after/,
    );
  });
});

describe('overrides laid over shifts', () => {
  const shifts: Shift[] = [
    {
      rotationId: 'r',
      userId: 'UA',
      start: new Date('2026-12-01T00:00:00Z'),
      end: new Date('2026-12-02T00:00:00Z'),
    },
    {
      rotationId: 'r',
      userId: 'UB',
      start: new Date('2026-12-02T00:00:00Z'),
      end: new Date('2026-12-03T00:00:00Z'),
    },
  ];
  const o: Override = {
    id: '1',
    rotationId: 'r',
    userId: 'UZ',
    start: new Date('2026-12-01T12:00:00Z'),
    end: new Date('2026-12-02T06:00:00Z'),
    kind: 'override',
    createdBy: 'UA',
  };

  it('cuts the shifts it falls in, back to back, and carries who it stands in for', () => {
    const out = applyOverrides(shifts, [o, { ...o, id: '2', rotationId: 'other' }]);
    expect(out.map((s) => [s.userId, s.scheduledUserId, s.start.toISOString().slice(8, 13)])).toEqual([
      ['UA', 'UA', '01T00'],
      ['UZ', 'UA', '01T12'],
      ['UZ', 'UB', '02T00'],
      ['UB', 'UB', '02T06'],
    ]);
    expectBackToBack(out);
    expect(out[1]!.override).toEqual({ id: '1', kind: 'override' });
  });

  it('refuses an empty period, one in the past, one that overlaps', () => {
    const now = new Date('2026-12-01T10:00:30Z');
    const at = (h: number) => new Date(Date.UTC(2026, 11, 1, h));
    expect(overrideProblem({ start: at(11), end: at(11) }, now, [])).toEqual({ problem: 'empty' });
    expect(overrideProblem({ start: at(9), end: at(11) }, now, [])).toEqual({ problem: 'past' });
    expect(
      overrideProblem({ start: new Date('2026-12-01T10:00:00Z'), end: at(11) }, now, []),
    ).toBeUndefined();
    expect(overrideProblem({ start: at(11), end: at(13) }, now, [o])).toEqual({
      problem: 'overlap',
      with: o,
    });
    expect(overrideProblem({ start: at(11), end: at(12) }, now, [o])).toBeUndefined();
  });
});

describe('times as /oncall override reads them', () => {
  const now = new Date('2026-11-30T03:00:00Z'); // Mon 30 Nov 12:00 JST
  const tz = 'Asia/Tokyo';
  it('reads a full date, a month-day (next year once passed), full-width digits; refuses the rest', () => {
    expect(readDayTime('2026-12-24', '18:00', tz, now)).toEqual({ at: new Date('2026-12-24T09:00:00Z') });
    expect(readDayTime('12-24', '18:00', tz, now)).toEqual({ at: new Date('2026-12-24T09:00:00Z') });
    expect(readDayTime('01-02', '09:00', tz, now)).toEqual({ at: new Date('2027-01-02T00:00:00Z') });
    expect(readDayTime('１２－２４', '１８：００', tz, now)).toEqual({
      at: new Date('2026-12-24T09:00:00Z'),
    });
    expect(readDayTime('2026-02-30', '10:00', tz, now)).toHaveProperty('error', 'bad_time');
    expect(readDayTime('12-24', '25:00', tz, now)).toHaveProperty('error', 'bad_time');
    expect(typedTime(new Date('2026-12-24T09:00:00Z'), tz)).toBe('2026-12-24 18:00');
  });
  it('reads the period at the end of the words, the start also `now`', () => {
    expect(readPeriodAtEnd(['primary', '12-24', '18:00', '12-25', '09:00'], tz, now)).toEqual({
      period: { start: new Date('2026-12-24T09:00:00Z'), end: new Date('2026-12-25T00:00:00Z') },
      taken: 4,
    });
    expect(readPeriodAtEnd(['primary', 'now', '12-01', '09:00'], tz, now)).toEqual({
      period: { start: now, end: new Date('2026-12-01T00:00:00Z') },
      taken: 3,
    });
    expect(readPeriodAtEnd(['12-01'], tz, now).period).toEqual({ error: 'usage' });
  });
});

describe('a time typed for a fall-back day', () => {
  it('is its first occurrence, as cron reads it (New York 01:30 EDT, Berlin 02:30 CEST)', () => {
    const now = new Date('2026-10-01T00:00:00Z');
    expect(readDayTime('2026-11-01', '01:30', 'America/New_York', now)).toEqual({
      at: new Date('2026-11-01T05:30:00Z'),
    });
    expect(readDayTime('2026-10-25', '02:30', 'Europe/Berlin', now)).toEqual({
      at: new Date('2026-10-25T00:30:00Z'),
    });
    // An ordinary time is left alone.
    expect(readDayTime('2026-11-01', '03:30', 'America/New_York', now)).toEqual({
      at: new Date('2026-11-01T08:30:00Z'),
    });
  });
});
