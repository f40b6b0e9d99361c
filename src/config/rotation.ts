// toban.yml's rotation entries -> the domain's Rotation. The file's spelling ("Mon 10:00",
// business_days_only, a missing start) stays here; the domain sees only parsed values.
import type { Rotation, Weekday } from '../domain/rotation.ts';
import { BUSINESS_HOURS_PATTERN, HANDOFF_PATTERN, type RotationConfig } from './schema.ts';

/** The first handoff's day when toban.yml gives no `start`: a Monday, so weekly turns line up. */
export const DEFAULT_ROTATION_START = '2024-01-01';

const WEEKDAYS: Record<string, Weekday> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/**
 * Maps one validated toban.yml rotation into the domain's Rotation, read in its own `timezone` or else
 * `timeZone` (the business time zone, IANA). A weekday in `handoff` counts only for a weekly shift, as it always has: daily
 * and hourly rotations ignore it. Throws an Error only for an entry the schema would have refused
 * (a handoff not matching HANDOFF_PATTERN, a weekly shift without a weekday).
 */
export function rotationFromFile(file: RotationConfig, timeZone: string): Rotation {
  const m = HANDOFF_PATTERN.exec(file.handoff);
  if (!m) throw new Error(`rotation ${file.id}: invalid handoff "${file.handoff}"`);
  const weekday = m[1] ? WEEKDAYS[m[1]] : undefined;
  let shift: Rotation['shift'];
  if (file.shift === 'daily') shift = { kind: 'daily' };
  else if (file.shift === 'weekly') {
    if (!weekday) throw new Error(`rotation ${file.id}: a weekly shift needs a weekday in its handoff`);
    shift = { kind: 'weekly', weekday };
  } else shift = { kind: 'hours', hours: file.shift.hours };
  const hours = file.business_hours ? BUSINESS_HOURS_PATTERN.exec(file.business_hours) : undefined;
  return {
    id: file.id,
    name: file.name,
    members: [...file.members],
    shift,
    handoff: { hour: Number(m[2]), minute: Number(m[3]) },
    timeZone: file.timezone ?? timeZone,
    start: file.start ?? DEFAULT_ROTATION_START,
    businessDaysOnly: file.business_days_only,
    ...(file.usergroup ? { userGroup: file.usergroup } : {}),
    ...(hours
      ? {
          businessHours: {
            from: { hour: Number(hours[1]), minute: Number(hours[2]) },
            to: { hour: Number(hours[3]), minute: Number(hours[4]) },
          },
        }
      : {}),
    ...(file.channel ? { channel: file.channel } : {}),
  };
}
