// The two faults of /oncall found by trying it as a new user would (issue 10): a rotation starting in
// the future listed one "until start" row over and over for {hours: N} shifts, and a change to the
// members re-counted every turn from `start`, changing who is on duty right now. A change takes effect
// at the next handoff: the computation continues from the last recorded handoff (the anchor).
import { describe, expect, it } from 'vitest';
import { isBusinessDay } from '../../src/domain/business-days.ts';
import { shiftsFrom, type Rotation, type ShiftKind } from '../../src/domain/rotation.ts';

const base: Rotation = {
  id: 'r',
  name: 'R',
  members: ['UA', 'UB', 'UC'],
  shift: { kind: 'daily' },
  handoff: { hour: 10, minute: 0 },
  timeZone: 'Asia/Tokyo',
  start: '2026-12-07',
  businessDaysOnly: false,
};

const KINDS: ShiftKind[] = [{ kind: 'daily' }, { kind: 'weekly', weekday: 1 }, { kind: 'hours', hours: 8 }];

describe('a rotation whose start lies in the future', () => {
  for (const shift of KINDS) {
    it(`lists real shifts, back to back and each different, for a ${shift.kind} shift`, () => {
      const at = new Date('2026-11-30T03:00:00Z');
      const shifts = shiftsFrom({ ...base, shift }, at, 5, isBusinessDay);
      expect(shifts).toHaveLength(6);
      // The first row covers until the first handoff (Mon 2026-12-07 10:00 JST); the others are turns.
      expect(shifts[0]!.start).toEqual(at);
      expect(shifts[0]!.end.toISOString()).toBe('2026-12-07T01:00:00.000Z');
      for (let i = 1; i < shifts.length; i++) {
        expect(shifts[i]!.start).toEqual(shifts[i - 1]!.end);
        expect(shifts[i]!.end.getTime()).toBeGreaterThan(shifts[i]!.start.getTime());
      }
      expect(shifts.slice(1).map((s) => s.userId)).toEqual(['UA', 'UB', 'UC', 'UA', 'UB']);
      expect(new Set(shifts.map((s) => s.start.getTime())).size).toBe(6);
    });
  }
});

describe('members changed in the middle of a shift', () => {
  const at = new Date('2026-12-10T05:00:00Z'); // Thu 14:00 JST: UA, UB, UC, UA -> UA's shift (12-10 10:00)
  for (const shift of KINDS) {
    const rot = { ...base, shift };
    const [now] = shiftsFrom(rot, at, 0, isBusinessDay);
    const anchor = { start: now!.start, userId: now!.userId, position: rot.members.indexOf(now!.userId) };
    const changes: [string, string[]][] = [
      ['a member appended', ['UA', 'UB', 'UC', 'UD']],
      ['a member put first', ['UD', 'UA', 'UB', 'UC']],
      ['the order reversed', ['UC', 'UB', 'UA']],
      ['the person on duty removed', ['UA', 'UB', 'UC'].filter((u) => u !== now!.userId)],
    ];
    for (const [what, members] of changes) {
      it(`keeps the person on duty (${shift.kind}, ${what}) and hands off in the new order from them`, () => {
        const shifts = shiftsFrom({ ...rot, members }, at, 3, isBusinessDay, anchor);
        expect(shifts[0]).toEqual(now);
        const i = members.indexOf(now!.userId);
        const expected =
          i >= 0
            ? [1, 2, 3].map((k) => members[(i + k) % members.length])
            : // Gone: the turn goes on from the place they held.
              [0, 1, 2].map((k) => members[(anchor.position + k) % members.length]);
        expect(shifts.slice(1).map((s) => s.userId)).toEqual(expected);
      });
    }
  }
});
