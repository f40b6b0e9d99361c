import { describe, expect, it } from 'vitest';
import { parseFileConfig } from '../../src/config/load.ts';
import { rotationFromFile } from '../../src/config/rotation.ts';
import { isBusinessDay } from '../../src/domain/business-days.ts';
import { currentShift, shiftsFrom, type Rotation } from '../../src/domain/rotation.ts';

const cfg = parseFileConfig(
  `
channels: { alerts: C1, investigations: C2, incidents: C3, finance: C4 }
rotations:
  - { id: weekly, name: W, members: [UA, UB, UC], shift: weekly, handoff: "Mon 10:00", start: "2024-01-01" }
  - { id: daily, name: D, members: [UD, UE], shift: daily, handoff: "10:00", start: "2024-01-01", business_days_only: true }
  - { id: hours, name: H, members: [UF, UG], shift: { hours: 12 }, handoff: "09:00", start: "2024-01-01" }
`,
  'test',
);
const TZ = 'Asia/Tokyo';
const [weekly, daily, hours] = cfg.rotations.map((r) => rotationFromFile(r, TZ)) as [
  Rotation,
  Rotation,
  Rotation,
];

describe('rotations', () => {
  it('hands a weekly rotation over on Monday 10:00 Tokyo time, in turn', () => {
    // 2024-01-01 is a Monday. 10:00 JST = 01:00Z.
    expect(currentShift(weekly, new Date('2024-01-01T01:30:00Z'), isBusinessDay)?.userId).toBe('UA');
    expect(currentShift(weekly, new Date('2024-01-08T00:59:00Z'), isBusinessDay)?.userId).toBe('UA');
    expect(currentShift(weekly, new Date('2024-01-08T01:00:00Z'), isBusinessDay)?.userId).toBe('UB');
    expect(currentShift(weekly, new Date('2024-01-22T02:00:00Z'), isBusinessDay)?.userId).toBe('UA');
  });

  it('skips weekends and Japanese holidays in a business-days-only rotation', () => {
    // Fri 2024-01-05 10:00 -> UD's shift runs until Tue 2024-01-09 10:00 (Sat, Sun, and Mon 成人の日 skipped).
    const fri = currentShift(daily, new Date('2024-01-05T03:00:00Z'), isBusinessDay);
    const mon = currentShift(daily, new Date('2024-01-08T03:00:00Z'), isBusinessDay);
    expect(mon).toEqual(fri);
    expect(fri?.end.toISOString()).toBe('2024-01-09T01:00:00.000Z');
    const tue = currentShift(daily, new Date('2024-01-09T03:00:00Z'), isBusinessDay);
    expect(tue?.userId).not.toBe(fri?.userId);
  });

  it('lists the next shifts back to back', () => {
    const shifts = shiftsFrom(hours, new Date('2024-03-01T00:00:00Z'), 3, isBusinessDay);
    expect(shifts).toHaveLength(4);
    for (let i = 1; i < shifts.length; i++) {
      expect(shifts[i]?.start).toEqual(shifts[i - 1]?.end);
      expect(shifts[i]?.userId).not.toBe(shifts[i - 1]?.userId);
    }
  });

  it('keeps wall-clock handoffs across a DST change', () => {
    const ny = shiftsFrom(
      { ...daily, businessDaysOnly: false, start: '2024-03-01', timeZone: 'America/New_York' },
      new Date('2024-03-09T12:00:00Z'),
      2,
      isBusinessDay,
    );
    // 10:00 EST is 15:00Z; after 2024-03-10 10:00 EDT is 14:00Z.
    expect(ny[0]?.end.toISOString()).toBe('2024-03-09T15:00:00.000Z');
    expect(ny[1]?.end.toISOString()).toBe('2024-03-10T14:00:00.000Z');
  });

  it('is covered by the first member before the rotation starts', () => {
    expect(currentShift(weekly, new Date('2023-12-25T00:00:00Z'), isBusinessDay)?.userId).toBe('UA');
  });
});
