// When a job is due: the latest scheduled instant in (after, now]. Pure: both instants are passed in,
// so the scheduler can read them from its clock and from job_firings and tests can pass anything.
import cronParser from 'cron-parser';

/**
 * A cron expression (5 fields, or 6 with seconds first) evaluated in the business time zone, or a
 * function giving the next fire time strictly after an instant (for times computed in code, such as
 * rotation handoffs); `undefined` means it never fires again.
 */
export type ScheduleSpec = string | ((after: Date) => Date | undefined);

export interface Schedule {
  /** The cron expression, when there is one: the trigger arms node-schedule with it. */
  readonly cron?: string;
  /** The latest scheduled instant t with after < t <= now, if any. */
  latestDue(now: Date, after: Date): Date | undefined;
}

export class ScheduleError extends Error {
  override name = 'ScheduleError';
}

// A function schedule is walked one step at a time; a bound stops a schedule that fires every
// millisecond, or a long outage of a per-second one, from blocking the event loop.
const MAX_WALK_STEPS = 100_000;

export function compileSchedule(job: string, spec: ScheduleSpec, timezone: string): Schedule {
  return typeof spec === 'string' ? cronSchedule(job, spec, timezone) : functionSchedule(job, spec);
}

function cronSchedule(job: string, cron: string, timezone: string): Schedule {
  const fields = cron.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) {
    throw new ScheduleError(
      `job "${job}": cron "${cron}" has ${fields} fields; write 5, or 6 with seconds first`,
    );
  }
  try {
    cronParser.parseExpression(cron, { tz: timezone });
  } catch (err) {
    throw new ScheduleError(`job "${job}": cron "${cron}" is not valid: ${(err as Error).message}`);
  }
  return {
    cron,
    latestDue(now, after) {
      // prev() is strictly before currentDate; cron instants are whole seconds, so one millisecond
      // past now makes an instant equal to now count as due.
      const expr = cronParser.parseExpression(cron, {
        currentDate: new Date(now.getTime() + 1),
        tz: timezone,
      });
      const latest = expr.prev().toDate();
      return latest.getTime() > after.getTime() ? latest : undefined;
    },
  };
}

function functionSchedule(job: string, next: (after: Date) => Date | undefined): Schedule {
  return {
    latestDue(now, after) {
      let latest: Date | undefined;
      let cursor = after;
      for (let step = 0; step < MAX_WALK_STEPS; step++) {
        const t = next(cursor);
        if (t === undefined || t.getTime() > now.getTime()) return latest;
        if (Number.isNaN(t.getTime()) || t.getTime() <= cursor.getTime()) {
          // A schedule that does not move forward would loop forever.
          throw new ScheduleError(
            `job "${job}": schedule returned ${String(t)} for after=${cursor.toISOString()}`,
          );
        }
        latest = t;
        cursor = t;
      }
      throw new ScheduleError(
        `job "${job}": more than ${MAX_WALK_STEPS} firings since ${after.toISOString()}`,
      );
    },
  };
}
