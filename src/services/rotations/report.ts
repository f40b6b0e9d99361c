// The hours report (`/oncall report <YYYY-MM> [rotation]`): hours on duty per person in a month, for
// each rotation asked about: the past from the shift history, the rest from the resolver (overrides
// included either way), night and day-off hours apart (domain/duty-hours.ts), and the covered hours
// of the month the totals add up to.
import type { AppContext } from '../../core/context.ts';
import { coveredMs, hoursByPerson, monthWindow, type PersonHours } from '../../domain/duty-hours.ts';
import type { Rotation } from '../../domain/rotation.ts';
import { within } from '../budget.ts';
import { calendarOf, dutyBetween } from './resolver.ts';

type Ctx = Pick<AppContext, 'config' | 'clock' | 'pool' | 'directory'>;

/** How long a name look-up may hold the report up before the user id stands in for it. */
const NAME_WAIT_MS = 300;

/** One rotation's month. */
export interface RotationHours {
  id: string;
  name: string;
  timeZone: string;
  /** The month's bounds on the rotation's wall clock. */
  start: Date;
  end: Date;
  /** The month's hours someone is on duty (all of them, unless the rotation has business hours). */
  coveredMs: number;
  /** People in order of first duty in the month, with the name Slack shows when it answered in time. */
  people: (PersonHours & { name?: string })[];
}

export interface HoursReport {
  /** YYYY-MM */
  month: string;
  rotations: RotationHours[];
}

/** Each rotation's hours in `month` (YYYY-MM); `rotations` default: every configured one. */
export async function hoursReport(
  ctx: Ctx,
  month: string,
  rotations: readonly Rotation[] = ctx.config.rotations,
): Promise<HoursReport> {
  const calendar = calendarOf(ctx);
  const names = new Map<string, Promise<string | undefined>>();
  const nameOf = (userId: string) => {
    let p = names.get(userId);
    if (!p) names.set(userId, (p = within(ctx.directory.userName(userId), NAME_WAIT_MS)));
    return p;
  };
  const each = await Promise.all(
    rotations.map(async (rot): Promise<RotationHours> => {
      const window = monthWindow(month, rot.timeZone);
      const pieces = await dutyBetween(ctx, rot, window.start, window.end);
      const people = hoursByPerson(pieces, window, rot, calendar).filter((p) => p.totalMs > 0);
      return {
        id: rot.id,
        name: rot.name,
        timeZone: rot.timeZone,
        ...window,
        coveredMs: coveredMs(window, rot, calendar),
        people: await Promise.all(
          people.map(async (p) => {
            const name = await nameOf(p.userId);
            return name ? { ...p, name } : p;
          }),
        ),
      };
    }),
  );
  return { month, rotations: each };
}
