// The rotation walk is kept between calls (src/domain/rotation.ts): whatever order the questions come
// in, the answers are those of walking every day from the rotation's start each time, as the code
// did before the walk was kept. The reference below is that walk, kept here as the specification;
// it reads toban.yml's spelling, and the code under test gets the same rotation through config's
// mapping (rotationFromFile).
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { rotationFromFile } from '../../src/config/rotation.ts';
import type { RotationConfig } from '../../src/config/schema.ts';
import { isBusinessDay } from '../../src/domain/business-days.ts';
import { shiftsFrom, type BusinessDayPredicate, type Shift } from '../../src/domain/rotation.ts';

const DAY_MS = 86_400_000;
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Walks every day from the start on every call (the code before the walk was kept). */
function referenceShifts(
  rot: RotationConfig,
  at: Date,
  count: number,
  tz: string,
  business: BusinessDayPredicate,
): Shift[] {
  const [, wd, hh, mm] = /^(?:(\w{3}) )?(\d\d):(\d\d)$/.exec(rot.handoff)!;
  const minute = Number(hh) * 60 + Number(mm);
  const weekday = wd ? WEEKDAYS[wd] : undefined;
  const instant = (day: number) => {
    const [y, mo, d] = isoOf(day).split('-').map(Number) as [number, number, number];
    return DateTime.fromObject(
      { year: y, month: mo, day: d, hour: Math.floor(minute / 60), minute: minute % 60 },
      { zone: tz },
    ).toJSDate();
  };
  const local = DateTime.fromJSDate(at, { zone: tz });
  const tDay = dayNumber(local.toISODate()!);
  const tMin = local.hour * 60 + local.minute + local.second / 60;
  const shifts: Shift[] = [];
  let previous: number | undefined;
  let index = -1;
  let day = dayNumber(rot.start ?? '2024-01-01');
  let gap = 0;
  let pending = false;
  for (;;) {
    const ok = !rot.business_days_only || business(isoOf(day));
    let handoff = false;
    if (rot.shift === 'daily') handoff = ok;
    else {
      if (((((day + 3) % 7) + 7) % 7) + 1 === weekday) pending = true;
      if (pending && ok) {
        pending = false;
        handoff = true;
      }
    }
    if (handoff) {
      gap = 0;
      if (shifts.length > 0 || day > tDay || (day === tDay && minute > tMin)) {
        shifts.push({
          rotationId: rot.id,
          userId: rot.members[Math.max(index, 0) % rot.members.length]!,
          start: previous === undefined ? at : instant(previous),
          end: instant(day),
        });
        if (shifts.length > count) return shifts;
      }
      previous = day;
      index++;
    }
    if (++gap > 3660) return shifts;
    day++;
  }
}

const rotation = fc.record({
  shift: fc.constantFrom('daily' as const, 'weekly' as const),
  weekday: fc.constantFrom('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.constantFrom(0, 15, 30, 59),
  start: fc.constantFrom('2023-12-31', '2024-01-01', '2025-03-09', '2026-10-25'),
  business: fc.boolean(),
  members: fc.integer({ min: 1, max: 4 }),
});
const instant = fc
  .integer({ min: Date.parse('2023-11-01T00:00:00Z'), max: Date.parse('2027-02-01T00:00:00Z') })
  .map((ms) => new Date(ms - (ms % 60_000)));
const zone = fc.constantFrom('Asia/Tokyo', 'America/New_York', 'Europe/Berlin', 'UTC');

describe('a kept rotation walk', () => {
  it('answers as the walk from the start would, for questions in any order', () => {
    // One predicate per run, so each run starts from an empty walk and then asks in its own order.
    fc.assert(
      fc.property(
        rotation,
        fc.array(fc.tuple(instant, fc.boolean(), fc.integer({ min: 0, max: 6 })), {
          minLength: 1,
          maxLength: 8,
        }),
        zone,
        (r, questions, tz) => {
          const predicate: BusinessDayPredicate = (d) => isBusinessDay(d);
          const rot = {
            id: 'r',
            name: 'R',
            members: ['UA', 'UB', 'UC', 'UD'].slice(0, r.members),
            shift: r.shift,
            handoff: `${r.shift === 'weekly' ? `${r.weekday} ` : ''}${String(r.hour).padStart(2, '0')}:${String(r.minute).padStart(2, '0')}`,
            start: r.start,
            business_days_only: r.business,
          } as RotationConfig;
          for (const [random, onHandoff, count] of questions) {
            // Half the questions are asked at a handoff's very minute, where "after" is decided.
            const at = onHandoff
              ? DateTime.fromJSDate(random, { zone: tz }).set({ hour: r.hour, minute: r.minute }).toJSDate()
              : random;
            expect(shiftsFrom(rotationFromFile(rot, tz), at, count, predicate)).toEqual(
              referenceShifts(rot, at, count, tz, predicate),
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('ends with the rotation when no day is ever a business day', () => {
    const never: BusinessDayPredicate = () => false;
    const rot = {
      id: 'r',
      name: 'R',
      members: ['UA'],
      shift: 'daily',
      handoff: '10:00',
      start: '2024-01-01',
      business_days_only: true,
    } as RotationConfig;
    expect(shiftsFrom(rotationFromFile(rot, 'UTC'), new Date('2025-01-01T00:00:00Z'), 1, never)).toEqual([]);
  });
});
